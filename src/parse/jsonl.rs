//! JSON Lines: one article a line, `{"id", "title", "text" | "body" | "content", ...}`.
//! A JSON array of such objects is read too.
//!
//! A record's source text is its publisher (when given), title and body joined by blank lines;
//! the body then goes through the plain-text rules (captions, dateline, credits, furniture).

use super::assemble::{assemble, assemble_untitled, Hint, Unit};
use super::text;
use crate::article::{Article, Span};
use crate::error::{Damaged, Error};
use serde_json::{Map, Value};

const BODY_KEYS: &[&str] = &["text", "body", "content", "article", "story"];
const TITLE_KEYS: &[&str] = &["title", "headline"];
const PUBLISHER_KEYS: &[&str] = &["publisher", "outlet", "source", "site"];
const DATE_KEYS: &[&str] = &[
    "datePublished",
    "published",
    "published_at",
    "publishedAt",
    "pubDate",
    "date",
];

/// Reads every record; unreadable records become warnings, not errors.
pub(crate) fn parse(input: &str, warnings: &mut Vec<String>) -> Result<Vec<Article>, Error> {
    let mut articles = Vec::new();
    let trimmed = input.trim_start_matches(super::rules::is_space);
    if trimmed.starts_with('[') {
        match serde_json::from_str::<Vec<Value>>(trimmed) {
            Ok(values) => {
                for (i, v) in values.into_iter().enumerate() {
                    let label = format!("record {}", i + 1);
                    push_record(v, &label, &mut articles, warnings);
                }
            }
            Err(e) => warnings.push(format!("not a JSON array of articles: {e}")),
        }
    } else {
        for (n, line) in input.lines().enumerate() {
            if line.trim_matches(super::rules::is_space).is_empty() {
                continue;
            }
            let label = format!("line {}", n + 1);
            match serde_json::from_str::<Value>(line) {
                Ok(v) => push_record(v, &label, &mut articles, warnings),
                Err(e) => warnings.push(format!("{label}: not valid JSON ({e}); skipped")),
            }
        }
    }
    if articles.is_empty() {
        let why = warnings
            .first()
            .cloned()
            .unwrap_or_else(|| "no records".into());
        return Err(Error::damaged(Damaged::JsonLines, why));
    }
    Ok(articles)
}

fn push_record(v: Value, label: &str, articles: &mut Vec<Article>, warnings: &mut Vec<String>) {
    let Value::Object(map) = v else {
        warnings.push(format!("{label}: not a JSON object; skipped"));
        return;
    };
    match record(&map) {
        Ok(a) => articles.push(a),
        Err(e) => warnings.push(format!("{label}: {e}; skipped")),
    }
}

fn string_field(map: &Map<String, Value>, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| match map.get(*k) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        _ => None,
    })
}

fn record(map: &Map<String, Value>) -> Result<Article, Error> {
    let id = match map.get("id") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let title = string_field(map, TITLE_KEYS);
    // A record may be a headline alone (a catalogue entry, a wire flash).
    let Some(body) = string_field(map, BODY_KEYS).or_else(|| title.is_some().then(String::new))
    else {
        return Err(Error::damaged(
            Damaged::Record,
            "no \"text\", \"body\", \"content\" or \"title\" string",
        ));
    };
    let mut source = String::with_capacity(body.len() + 256);
    let mut units = Vec::new();
    let mut head = |value: Option<String>, hint: Hint, source: &mut String| {
        if let Some(v) = value {
            // One line: newlines inside a title become spaces of the same length.
            let v = v.replace(['\n', '\r'], " ");
            let start = source.len();
            source.push_str(&v);
            let r = super::rules::trimmed(&v);
            units.push(Unit {
                span: Span::new(start + r.start, start + r.end),
                hint,
            });
            source.push_str("\n\n");
        }
    };
    head(
        string_field(map, PUBLISHER_KEYS),
        Hint::Publisher,
        &mut source,
    );
    let titled = title.is_some();
    head(title, Hint::Title, &mut source);
    let base = source.len();
    source.push_str(&body);
    units.extend(text::units(&body).into_iter().map(|u| Unit {
        span: Span::new(base + u.span.start, base + u.span.end),
        hint: u.hint,
    }));
    // A record without a title has body text only: its first line is no headline.
    let mut article = if titled {
        assemble(id, source, units)?
    } else {
        assemble_untitled(id, source, units)?
    };
    if let Some(d) = string_field(map, DATE_KEYS).and_then(|d| super::date::iso(&d)) {
        article.published = Some(d);
    }
    Ok(article)
}
