//! Raw article files to [`Article`]s: format detection, decoding, and the readers.
//!
//! Flow: bytes → [`crate::decode`] → a reader (plain text, HTML, JSON Lines) that yields the
//! source text and its blocks → [`assemble`] applies the news rules of [`rules`].

mod assemble;
mod content;
pub(crate) mod date;
mod dom;
mod html;
mod jsonl;
mod meta;
pub(crate) mod rules;
mod text;

use crate::article::Article;
use crate::decode::{decode, decode_html, find};
use crate::error::{Error, ErrorKind};

/// The input formats NewsLens reads.
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
    /// Guesses the format from a file name's extension, then from the content.
    pub fn detect(name: &str, bytes: &[u8]) -> Format {
        let lower = name.to_ascii_lowercase();
        let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        match ext {
            "html" | "htm" | "xhtml" => return Format::Html,
            "jsonl" | "ndjson" | "json" => return Format::JsonLines,
            "txt" | "text" => return Format::Text,
            _ => {}
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
                && (find(&lower, b"<body").is_some() || find(&lower, b"<p").is_some()))
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
    let decoded = match format {
        Format::Html => decode_html(bytes)?,
        Format::Text | Format::JsonLines => decode(bytes)?,
    };
    let mut warnings: Vec<String> = decoded.warning.into_iter().collect();
    let source = decoded.text;
    if source.trim_matches(rules::is_space).is_empty() {
        return Err(Error::new(
            ErrorKind::Empty,
            "no article text: the input is empty or holds only whitespace",
        ));
    }
    if !source.chars().any(char::is_alphanumeric) {
        return Err(Error::new(
            ErrorKind::Empty,
            "no article text: the input holds no letters or digits",
        ));
    }
    let articles = match format {
        Format::Text => {
            let units = text::units(&source);
            vec![assemble::assemble(None, source, units)?]
        }
        Format::Html => vec![html::parse(&source)?],
        Format::JsonLines => jsonl::parse(&source, &mut warnings)?,
    };
    Ok(Parsed { articles, warnings })
}

/// Parses one plain-text article given as a string. A shortcut for tests and embedders.
pub fn parse_text(text: &str) -> Result<Article, Error> {
    let mut parsed = parse(text.as_bytes(), Format::Text)?;
    Ok(parsed.articles.remove(0))
}
