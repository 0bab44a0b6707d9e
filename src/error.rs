//! The crate's one error type: opaque, with a message a user can act on.

use std::fmt;

/// An error from NewsLens. Its `Display` is a complete sentence fragment meant for users;
/// [`Error::kind`] tells callers what went wrong without parsing the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

/// What kind of problem an [`Error`] reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input holds no text (empty, or only whitespace and markup).
    Empty,
    /// The input looks like binary data rather than text.
    Binary,
    /// The input is larger than a documented limit.
    TooLarge,
    /// The input's structure is broken beyond a best-effort reading (a JSON Lines file with no
    /// readable record, say).
    Malformed,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
        }
    }

    /// What kind of problem this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}
