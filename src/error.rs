//! The crate's one error type: opaque, with the figures of what went wrong in its kind, and a
//! message for users written by `Display` from them.

use crate::parse::Format;
use std::fmt;

/// An error from NewsLens. Its `Display` is a sentence for users; [`Error::kind`] tells callers
/// what went wrong without parsing the message, and [`Error::figures`] gives the numbers in it.
///
/// ```
/// let e = newslens::parse(b"", newslens::Format::Text).unwrap_err();
/// assert_eq!(e.kind(), newslens::ErrorKind::Empty);
/// assert_eq!(e.to_string(), "no article text: the input is empty or holds only whitespace");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    repr: Repr,
}

/// What kind of problem an [`Error`] reports.
///
/// ```
/// let e = newslens::parse(b"\x00\x01\x02\x03 binary", newslens::Format::Text).unwrap_err();
/// assert_eq!(e.kind(), newslens::ErrorKind::Binary);
/// assert_eq!(e.kind().name(), "Binary");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input holds no text (empty, or only whitespace, markup or site furniture).
    Empty,
    /// The input looks like binary data rather than text.
    Binary,
    /// The input is larger than [`MAX_INPUT_BYTES`](crate::MAX_INPUT_BYTES).
    TooLarge,
    /// The corpus has no room for the input's text ([`MAX_CORPUS_BYTES`](crate::MAX_CORPUS_BYTES)).
    CorpusFull,
    /// The input's structure is broken beyond a best-effort reading: a damaged index or model
    /// file, one of another version, a JSON Lines file with no readable record.
    Malformed,
    /// This build does not read the input's format (a search-only build reads plain text).
    Unsupported,
    /// A published archive was asked to answer before it was given the files the answer
    /// needs (`Archive::needs` lists them).
    Incomplete,
}

impl ErrorKind {
    /// The kind's name, as JavaScript sees it in an error's `kind`: `"TooLarge"`, ...
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Empty => "Empty",
            ErrorKind::Binary => "Binary",
            ErrorKind::TooLarge => "TooLarge",
            ErrorKind::CorpusFull => "CorpusFull",
            ErrorKind::Malformed => "Malformed",
            ErrorKind::Unsupported => "Unsupported",
            ErrorKind::Incomplete => "Incomplete",
        }
    }
}

/// What an input lacked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(not(feature = "entities"), allow(dead_code))]
pub(crate) enum Emptiness {
    /// Nothing but whitespace.
    Blank,
    /// No letter or digit.
    NoLetters,
    /// Only whitespace, markup or site furniture once read.
    NoArticle,
    /// A CoNLL file with no labelled sentence.
    NoSentence,
}

/// Which kind of input is damaged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(not(all(feature = "entities", feature = "formats")), allow(dead_code))]
pub(crate) enum Damaged {
    Index,
    Model,
    Clusters,
    JsonLines,
    Record,
    Conll,
    Archive,
}

#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(not(feature = "text"), allow(dead_code))]
enum Repr {
    Empty(Emptiness),
    Binary {
        controls: usize,
        sampled: usize,
    },
    TooLarge {
        bytes: usize,
        limit: usize,
    },
    CorpusFull {
        held: usize,
        adding: usize,
        limit: usize,
    },
    Damaged {
        what: Damaged,
        detail: String,
    },
    NotAnIndex,
    IndexVersion {
        found: u32,
        supported: u32,
    },
    Unsupported(Format),
    Incomplete {
        missing: usize,
    },
}

#[cfg_attr(not(feature = "text"), allow(dead_code))]
impl Error {
    pub(crate) fn empty(why: Emptiness) -> Error {
        Error {
            repr: Repr::Empty(why),
        }
    }

    pub(crate) fn binary(controls: usize, sampled: usize) -> Error {
        Error {
            repr: Repr::Binary { controls, sampled },
        }
    }

    pub(crate) fn too_large(bytes: usize, limit: usize) -> Error {
        Error {
            repr: Repr::TooLarge { bytes, limit },
        }
    }

    pub(crate) fn corpus_full(held: usize, adding: usize, limit: usize) -> Error {
        Error {
            repr: Repr::CorpusFull {
                held,
                adding,
                limit,
            },
        }
    }

    pub(crate) fn damaged(what: Damaged, detail: impl fmt::Display) -> Error {
        Error {
            repr: Repr::Damaged {
                what,
                detail: detail.to_string(),
            },
        }
    }

    pub(crate) fn incomplete(missing: usize) -> Error {
        Error {
            repr: Repr::Incomplete { missing },
        }
    }

    pub(crate) fn not_an_index() -> Error {
        Error {
            repr: Repr::NotAnIndex,
        }
    }

    pub(crate) fn index_version(found: u32, supported: u32) -> Error {
        Error {
            repr: Repr::IndexVersion { found, supported },
        }
    }

    #[cfg_attr(feature = "formats", allow(dead_code))]
    pub(crate) fn unsupported(format: Format) -> Error {
        Error {
            repr: Repr::Unsupported(format),
        }
    }

    /// What kind of problem this is.
    pub fn kind(&self) -> ErrorKind {
        match self.repr {
            Repr::Empty(_) => ErrorKind::Empty,
            Repr::Binary { .. } => ErrorKind::Binary,
            Repr::TooLarge { .. } => ErrorKind::TooLarge,
            Repr::CorpusFull { .. } => ErrorKind::CorpusFull,
            Repr::Damaged { .. } | Repr::NotAnIndex | Repr::IndexVersion { .. } => {
                ErrorKind::Malformed
            }
            Repr::Unsupported(_) => ErrorKind::Unsupported,
            Repr::Incomplete { .. } => ErrorKind::Incomplete,
        }
    }

    /// The numbers the error carries, by name: `bytes` and `limit` for an input too large;
    /// `held`, `adding` and `limit` (bytes of article text) for a full corpus; `controls` and
    /// `sampled` (bytes) for binary data; `found` and `supported` for an index of another
    /// version. Empty for the other errors.
    pub fn figures(&self) -> Vec<(&'static str, u64)> {
        let n = |x: usize| x as u64;
        match self.repr {
            Repr::TooLarge { bytes, limit } => vec![("bytes", n(bytes)), ("limit", n(limit))],
            Repr::CorpusFull {
                held,
                adding,
                limit,
            } => vec![
                ("held", n(held)),
                ("adding", n(adding)),
                ("limit", n(limit)),
            ],
            Repr::Binary { controls, sampled } => {
                vec![("controls", n(controls)), ("sampled", n(sampled))]
            }
            Repr::IndexVersion { found, supported } => vec![
                ("found", u64::from(found)),
                ("supported", u64::from(supported)),
            ],
            Repr::Incomplete { missing } => vec![("missing", n(missing))],
            _ => Vec::new(),
        }
    }
}

/// A size for a message: "2.1 KB", "127.9 MB", "128 MB" (binary units, as the limits are set).
/// Integer arithmetic: the module carries no float formatting for it.
fn size(bytes: usize) -> String {
    let (unit, name) = if bytes < 1024 * 1024 {
        (1024u64, "KB")
    } else {
        (1024 * 1024, "MB")
    };
    let bytes = bytes as u64;
    if bytes.is_multiple_of(unit) {
        return format!("{} {name}", bytes / unit);
    }
    let tenths = (bytes * 10 + unit / 2) / unit;
    format!("{}.{} {name}", tenths / 10, tenths % 10)
}

/// `part` in hundredths of `whole`, rounded.
fn percent(part: usize, whole: usize) -> usize {
    (part * 100 + whole.max(1) / 2) / whole.max(1)
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.repr {
            Repr::Empty(why) => f.write_str(match why {
                Emptiness::Blank => "no article text: the input is empty or holds only whitespace",
                Emptiness::NoLetters => "no article text: the input holds no letters or digits",
                Emptiness::NoArticle => {
                    "no article text: the input is empty or holds only whitespace, markup or site \
                     furniture"
                }
                Emptiness::NoSentence => "no labelled sentence in the CoNLL file",
            }),
            Repr::Binary { controls, sampled } => write!(
                f,
                "this looks like binary data, not text: {}% of its first {sampled} bytes are \
                 control characters",
                percent(*controls, *sampled)
            ),
            Repr::TooLarge { bytes, limit } => write!(
                f,
                "input is {bytes} bytes; the limit is {limit} bytes ({}) per file",
                size(*limit).replace(" MB", " MiB")
            ),
            Repr::CorpusFull {
                held,
                adding,
                limit,
            } => write!(
                f,
                "the corpus is full: it holds {} of article text, and {} more would pass the \
                 limit of {}",
                size(*held),
                size(*adding),
                size(*limit)
            ),
            Repr::Damaged { what, detail } => match what {
                Damaged::Index => write!(f, "the index file is damaged: {detail}"),
                Damaged::Model => write!(f, "the entity model is damaged: {detail}"),
                Damaged::Clusters => write!(f, "the word clusters are damaged: {detail}"),
                Damaged::JsonLines => {
                    write!(f, "no readable article in this JSON Lines input: {detail}")
                }
                Damaged::Archive => write!(f, "the published archive is damaged: {detail}"),
                Damaged::Record | Damaged::Conll => f.write_str(detail),
            },
            Repr::Incomplete { missing } => write!(
                f,
                "the archive needs {missing} more file(s) to answer: fetch what `needs` lists \
                 and add them first"
            ),
            Repr::NotAnIndex => {
                f.write_str("not a NewsLens index file (it does not start with NLIX)")
            }
            Repr::IndexVersion { found, supported } => write!(
                f,
                "index format version {found}; this build reads version {supported}: rebuild the \
                 index with `newslens index`"
            ),
            Repr::Unsupported(format) => {
                let name = match format {
                    Format::Html => "HTML",
                    Format::JsonLines => "JSON Lines",
                    Format::Text => "plain text",
                };
                if cfg!(feature = "text") {
                    write!(
                        f,
                        "this build of NewsLens reads plain text only, not {name}: use the full \
                         build (the `formats` feature) for HTML pages and JSON Lines"
                    )
                } else {
                    write!(
                        f,
                        "this build of NewsLens reads no article files ({name}), only an index \
                         written by `newslens index`: use the full build to add articles"
                    )
                }
            }
        }
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each error's message is written from its figures.
    #[test]
    fn messages_from_figures() {
        for (e, kind, says) in [
            (
                Error::too_large(70_000_000, 64 << 20),
                ErrorKind::TooLarge,
                "input is 70000000 bytes; the limit is 67108864 bytes (64 MiB) per file",
            ),
            (
                Error::corpus_full(127 << 20, 3 << 20, 128 << 20),
                ErrorKind::CorpusFull,
                "the corpus is full: it holds 127 MB of article text, and 3 MB more would pass \
                 the limit of 128 MB",
            ),
            (
                Error::binary(300, 1000),
                ErrorKind::Binary,
                "this looks like binary data, not text: 30% of its first 1000 bytes are control \
                 characters",
            ),
            (
                Error::index_version(2, 3),
                ErrorKind::Malformed,
                "index format version 2; this build reads version 3",
            ),
            (
                Error::unsupported(Format::Html),
                ErrorKind::Unsupported,
                if cfg!(feature = "text") {
                    "reads plain text only, not HTML"
                } else {
                    "reads no article files (HTML)"
                },
            ),
        ] {
            assert_eq!(e.kind(), kind);
            assert!(e.to_string().contains(says), "{e}");
        }
        assert_eq!(
            Error::too_large(5, 4).figures(),
            [("bytes", 5), ("limit", 4)]
        );
        assert_eq!(ErrorKind::CorpusFull.name(), "CorpusFull");
        for (bytes, says) in [
            (2150, "2.1 KB"),
            (1024, "1 KB"),
            (128 << 20, "128 MB"),
            ((127 << 20) + (96 << 20) / 100, "128.0 MB"),
            (134_100_000, "127.9 MB"),
        ] {
            assert_eq!(size(bytes), says, "{bytes}");
        }
    }
}
