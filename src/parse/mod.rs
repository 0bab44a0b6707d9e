//! Raw article files to [`Article`]s: format detection, decoding, and the readers.
//!
//! Flow: bytes → [`crate::decode`] → a reader (plain text, HTML, JSON Lines) that yields the
//! source text and its blocks → [`assemble`] applies the news rules of [`rules`].

#[cfg(feature = "text")]
mod assemble;
#[cfg(feature = "formats")]
mod content;
#[cfg(feature = "text")]
pub(crate) mod date;
#[cfg(feature = "formats")]
mod dom;
#[cfg(feature = "formats")]
mod html;
#[cfg(feature = "formats")]
mod jsonl;
#[cfg(feature = "formats")]
mod meta;
#[cfg(feature = "text")]
pub(crate) mod rules;
#[cfg(feature = "text")]
mod text;

use crate::article::Article;
#[cfg(feature = "text")]
use crate::decode::{decode, decode_html};
#[cfg(feature = "text")]
use crate::error::Emptiness;
use crate::error::Error;

/// The input formats NewsLens reads.
///
/// ```
/// use newslens::Format;
/// assert_eq!(Format::detect("story.HTM", b""), Format::Html);
/// assert_eq!(Format::detect("notes", b"{\"title\": \"T\"}"), Format::JsonLines);
/// assert_eq!(Format::from_extension("txt"), Some(Format::Text));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Plain text: headline on the first line, paragraphs on the lines below.
    Text,
    /// An HTML article page.
    Html,
    /// JSON Lines: one `{"id", "title", "text" | "body", ...}` object a line (or a JSON array).
    JsonLines,
}

impl Format {
    /// The file extensions (lower case, without the dot) that name each format: what the CLI
    /// reads when it walks a folder, and what the page offers to open.
    pub const EXTENSIONS: &'static [(&'static str, Format)] = &[
        ("txt", Format::Text),
        ("text", Format::Text),
        ("html", Format::Html),
        ("htm", Format::Html),
        ("xhtml", Format::Html),
        ("jsonl", Format::JsonLines),
        ("ndjson", Format::JsonLines),
        ("json", Format::JsonLines),
    ];

    /// The format a file extension (any case, without the dot) names.
    pub fn from_extension(ext: &str) -> Option<Format> {
        Format::EXTENSIONS
            .iter()
            .find(|(e, _)| e.eq_ignore_ascii_case(ext))
            .map(|&(_, f)| f)
    }

    /// Whether this build reads the format (see the crate's features).
    pub fn readable(self) -> bool {
        match self {
            Format::Text => cfg!(feature = "text"),
            Format::Html | Format::JsonLines => cfg!(feature = "formats"),
        }
    }

    /// Guesses the format from a file name's extension, then from the content.
    pub fn detect(name: &str, bytes: &[u8]) -> Format {
        let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        if let Some(f) = Format::from_extension(ext) {
            return f;
        }
        let head = &bytes[..bytes.len().min(1024)];
        let start = head
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .map(|i| &head[i..])
            .unwrap_or(&[]);
        let start = start.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(start);
        let lower: Vec<u8> = start.iter().map(u8::to_ascii_lowercase).collect();
        if lower.starts_with(b"<!doctype html")
            || lower.starts_with(b"<html")
            || (lower.starts_with(b"<")
                && (lower.windows(5).any(|w| w == b"<body")
                    || lower.windows(2).any(|w| w == b"<p")))
        {
            Format::Html
        } else if start.starts_with(b"{") || start.starts_with(b"[{") {
            Format::JsonLines
        } else {
            Format::Text
        }
    }
}

/// What one input yielded: its articles and any warnings (a guessed encoding, skipped records).
///
/// ```
/// let lines = b"{\"id\": \"a\", \"title\": \"One\", \"text\": \"First story.\"}\nnot json\n";
/// let parsed = newslens::parse(lines, newslens::Format::JsonLines).unwrap();
/// assert_eq!(parsed.articles[0].id(), Some("a"));
/// assert_eq!(parsed.warnings.len(), 1); // line 2, skipped
/// ```
#[derive(Clone, Debug)]
pub struct Parsed {
    /// The articles, in input order (one for text and HTML, one per record for JSON Lines).
    pub articles: Vec<Article>,
    /// Problems that did not stop the reading, as sentences for the user.
    pub warnings: Vec<String>,
}

/// Parses one input: decodes it, picks the reader by `format` and returns its articles.
///
/// Never panics. Inputs with no text, binary data or more than
/// [`MAX_INPUT_BYTES`](crate::MAX_INPUT_BYTES) give an [`Error`]; anything else gives a
/// best-effort reading.
pub fn parse(bytes: &[u8], format: Format) -> Result<Parsed, Error> {
    if format.readable() {
        read(bytes, format)
    } else {
        Err(Error::unsupported(format))
    }
}

/// A search-only build reads no article files.
#[cfg(not(feature = "text"))]
fn read(_bytes: &[u8], format: Format) -> Result<Parsed, Error> {
    Err(Error::unsupported(format))
}

#[cfg(feature = "text")]
fn read(bytes: &[u8], format: Format) -> Result<Parsed, Error> {
    let decoded = match format {
        Format::Html => decode_html(bytes)?,
        Format::Text | Format::JsonLines => decode(bytes)?,
    };
    #[cfg_attr(not(feature = "formats"), allow(unused_mut))]
    let mut warnings: Vec<String> = decoded.warning.into_iter().collect();
    let source = decoded.text;
    if source.trim_matches(rules::is_space).is_empty() {
        return Err(Error::empty(Emptiness::Blank));
    }
    if !source.chars().any(char::is_alphanumeric) {
        return Err(Error::empty(Emptiness::NoLetters));
    }
    let articles = match format {
        Format::Text => {
            let units = text::units(&source);
            vec![assemble::assemble(None, source, units)?]
        }
        #[cfg(feature = "formats")]
        Format::Html => vec![html::parse(&source)?],
        #[cfg(feature = "formats")]
        Format::JsonLines => jsonl::parse(&source, &mut warnings)?,
        #[cfg(not(feature = "formats"))]
        Format::Html | Format::JsonLines => return Err(Error::unsupported(format)),
    };
    Ok(Parsed { articles, warnings })
}

/// Parses one plain-text article given as a string. A shortcut for tests and embedders.
#[cfg(feature = "text")]
pub fn parse_text(text: &str) -> Result<Article, Error> {
    let mut parsed = parse(text.as_bytes(), Format::Text)?;
    Ok(parsed.articles.remove(0))
}
