//! Turns a sequence of text blocks ("units") into an [`Article`].
//!
//! Every reader (plain text, HTML, JSON Lines) produces the article's source text and the
//! units in reading order, each with a hint of what the format already knows about it (an
//! HTML `<figcaption>`, a JSON `title`). The rules in [`super::rules`] decide the rest.

use super::rules;
use crate::article::{Article, Caption, Field, Span};
use crate::error::{Emptiness, Error};
use std::sync::Arc;

/// What a reader already knows about a unit. (Only the HTML and JSON Lines readers know.)
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(not(feature = "formats"), allow(dead_code))]
pub(crate) enum Hint {
    /// Nothing: the rules decide.
    Plain,
    /// The format marks this as the headline.
    Title,
    /// The format marks this as the outlet's name.
    Publisher,
    /// The format marks this as the standfirst.
    Subtitle,
    /// The format marks this as a photo caption; the spans are credits it marks (may be none).
    Caption(Vec<Span>),
    /// The format marks this as a byline.
    Byline,
    /// A section heading inside the body.
    Heading,
}

/// A block of text in the source, trimmed, with its hint.
#[derive(Clone, Debug)]
pub(crate) struct Unit {
    pub span: Span,
    pub hint: Hint,
}

/// Headline lines longer than this are taken for body text with no headline.
const MAX_TITLE_BYTES: usize = 300;

fn sub(span: Span, r: std::ops::Range<usize>) -> Span {
    Span::new(span.start + r.start, span.start + r.end)
}

/// Builds the article from `source` and its units.
pub(crate) fn assemble(
    id: Option<String>,
    source: String,
    units: Vec<Unit>,
) -> Result<Article, Error> {
    assemble_with(id, source, units, false)
}

/// Builds the article from `source` and its units, where the format says which unit is the
/// title (a record's title field) and none is: the first unit stays body text, and the
/// headline shown is its first sentence (not indexed as a title).
#[cfg(feature = "formats")]
pub(crate) fn assemble_untitled(
    id: Option<String>,
    source: String,
    units: Vec<Unit>,
) -> Result<Article, Error> {
    assemble_with(id, source, units, true)
}

fn assemble_with(
    id: Option<String>,
    source: String,
    units: Vec<Unit>,
    untitled: bool,
) -> Result<Article, Error> {
    let units: Vec<Unit> = units.into_iter().filter(|u| !u.span.is_empty()).collect();
    let text = |u: &Unit| &source[u.span.range()];
    let units = drop_furniture(&source, units);
    if units.is_empty() {
        return Err(Error::empty(Emptiness::NoArticle));
    }

    let mut publisher = units
        .iter()
        .find(|u| u.hint == Hint::Publisher)
        .map(|u| u.span);
    let marked_title = units.iter().find(|u| u.hint == Hint::Title).map(|u| u.span);
    let units: Vec<Unit> = units
        .into_iter()
        .filter(|u| u.hint != Hint::Publisher && u.hint != Hint::Title)
        .collect();
    if marked_title.is_some() {
        return finish(id, source, publisher, marked_title, false, units);
    }
    let mut title = None;
    let mut rest: &[Unit] = &units;
    let mut title_is_body = false;

    // No marked title: the first plain unit is the headline, unless it names the outlet and a
    // headline follows it.
    if let [first, second, ..] = rest {
        if publisher.is_none()
            && !untitled
            && first.hint == Hint::Plain
            && second.hint == Hint::Plain
            && rules::is_outlet_name(text(first))
            && rules::is_headline_like(text(second))
        {
            publisher = Some(first.span);
            rest = &rest[1..];
        }
    }
    if let Some(first) = rest.first() {
        if untitled || first.span.len() > MAX_TITLE_BYTES || first.source_lines(&source) > 3 {
            title = Some(sub(first.span, rules::derived_title(text(first))));
            title_is_body = true;
        } else {
            title = Some(first.span);
            rest = &rest[1..];
        }
    }
    finish(
        id,
        source.clone(),
        publisher,
        title,
        title_is_body,
        rest.to_vec(),
    )
}

impl Unit {
    fn source_lines(&self, source: &str) -> usize {
        source[self.span.range()].lines().count()
    }
}

/// Drops site chrome: furniture lines, and link-list headings with the link lines under them.
fn drop_furniture(source: &str, units: Vec<Unit>) -> Vec<Unit> {
    let mut out = Vec::with_capacity(units.len());
    let mut in_list = false;
    for u in units {
        let t = &source[u.span.range()];
        let droppable = matches!(u.hint, Hint::Plain | Hint::Heading);
        if droppable && rules::is_list_heading(t) {
            in_list = true;
            continue;
        }
        if droppable && in_list && rules::is_link_line(t) {
            continue;
        }
        in_list = false;
        if droppable && rules::is_furniture(t) {
            continue;
        }
        out.push(u);
    }
    out
}

fn finish(
    id: Option<String>,
    source: String,
    publisher: Option<Span>,
    title: Option<Span>,
    title_is_body: bool,
    units: Vec<Unit>,
) -> Result<Article, Error> {
    let source: Arc<str> = source.into();
    let title = title.unwrap_or_default();
    let mut subtitle = None;
    let mut dateline = None;
    let mut published = None;
    let mut captions: Vec<Caption> = Vec::new();
    let mut paragraphs = Vec::new();
    let mut credits = Vec::new();
    let mut seen_body = title_is_body;
    // Whether the previous unit was a caption (for folding repeated captions).
    let mut last_was_caption = false;

    for (i, u) in units.iter().enumerate() {
        let t = &source[u.span.range()];
        let mut is_caption = false;
        match &u.hint {
            Hint::Title | Hint::Publisher => {}
            Hint::Subtitle if subtitle.is_none() => subtitle = Some(Field::of(&source, u.span)),
            Hint::Byline => credits.push(Field::of(&source, u.span)),
            Hint::Caption(marked) => {
                let (cap, creds) = if marked.is_empty() {
                    match rules::split_caption(t) {
                        Some((c, cr)) => (sub(u.span, c), vec![sub(u.span, cr)]),
                        None => (u.span, Vec::new()),
                    }
                } else {
                    let end = marked.iter().map(|s| s.start).min().unwrap_or(u.span.end);
                    let cap = if end > u.span.start {
                        let head = &source[u.span.start..end];
                        let r = rules::trimmed(head);
                        let r = r.start
                            ..r.start
                                + head[r.clone()]
                                    .trim_end_matches(['|', '/', '-', '—', '–', ' '])
                                    .len();
                        Span::new(u.span.start + r.start, u.span.start + r.end)
                    } else {
                        u.span
                    };
                    (cap, marked.clone())
                };
                push_caption(&mut captions, &source, cap, creds, last_was_caption);
                is_caption = true;
            }
            Hint::Plain | Hint::Heading | Hint::Subtitle => {
                let plain = u.hint == Hint::Plain;
                if let Some(r) = rules::contributor(t) {
                    credits.push(Field::of(&source, sub(u.span, r)));
                } else if plain && !seen_body && rules::is_byline(t) {
                    credits.push(Field::of(&source, u.span));
                } else if let Some((c, cr)) = plain.then(|| rules::split_caption(t)).flatten() {
                    let creds = vec![sub(u.span, cr)];
                    push_caption(
                        &mut captions,
                        &source,
                        sub(u.span, c),
                        creds,
                        last_was_caption,
                    );
                    is_caption = true;
                } else if plain
                    && !seen_body
                    && subtitle.is_none()
                    && i + 1 < units.len()
                    && rules::is_standfirst_like(t)
                {
                    subtitle = Some(Field::of(&source, u.span));
                } else {
                    let mut span = u.span;
                    if plain && !seen_body && dateline.is_none() {
                        if let Some((d, body)) = rules::dateline(t) {
                            // `PARIS, Jan. 5, 2019 —`: the dateline's date, when it has a year.
                            published = super::date::iso(&t[d.clone()]);
                            dateline = Some(Field::of(&source, sub(u.span, d)));
                            span = Span::new(u.span.start + body, u.span.end);
                        }
                    }
                    paragraphs.push(Field::of(&source, span));
                    seen_body = true;
                }
            }
        }
        last_was_caption = is_caption;
    }

    Ok(Article {
        id,
        title: Field::of(&source, title),
        publisher: publisher.map(|s| Field::of(&source, s)),
        subtitle,
        dateline,
        captions,
        paragraphs,
        credits,
        source,
        published,
        authors: Vec::new(),
        language: None,
    })
}

/// Adds a caption, folding it into the previous one when that was the same caption on the
/// line just before (keeping each distinct credit once).
fn push_caption(
    captions: &mut Vec<Caption>,
    source: &Arc<str>,
    cap: Span,
    credits: Vec<Span>,
    previous_was_caption: bool,
) {
    let cap_text = &source[cap.range()];
    if previous_was_caption {
        if let Some(prev) = captions.last_mut() {
            if prev.caption.text() == cap_text {
                for c in credits {
                    let t = &source[c.range()];
                    if !prev.credits.iter().any(|p| p.text() == t) {
                        prev.credits.push(Field::of(source, c));
                    }
                }
                return;
            }
        }
    }
    captions.push(Caption {
        caption: Field::of(source, cap),
        credits: credits.into_iter().map(|c| Field::of(source, c)).collect(),
    });
}
