//! Text ready to render: a field of an article, or a snippet, cut into segments that carry the
//! entity they belong to (if any) and whether the query matched there.
//!
//! Byte offsets end here: a segment is a piece of text, so the page (or any caller) never maps
//! byte or UTF-16 offsets. Segments of one field cover its text exactly, in order, and never
//! overlap; a segment lies inside at most one mention, and is highlighted as a whole or not at
//! all.

use crate::article::{Article, Part, Span};
use crate::entities::{Label, Mention};
use crate::snippet::Snippet;
use serde::Serialize;

/// A piece of text with what it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Segment<'a> {
    /// The text.
    pub text: &'a str,
    /// The label of the entity mention it is part of.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<Label>,
    /// The canonical name of that entity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity: Option<&'a str>,
    /// The query matched this text.
    pub highlight: bool,
}

/// One field of an article as segments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldView<'a> {
    /// The part the field plays.
    pub part: Part,
    /// Its text, cut.
    pub segments: Vec<Segment<'a>>,
}

/// Cuts `source[range]` at mention and highlight boundaries. `mentions` and `highlights` are
/// byte spans of `source`, each list sorted and without overlaps; only their parts inside
/// `range` count.
pub fn segments<'a>(
    source: &'a str,
    range: Span,
    mentions: &'a [Mention],
    highlights: &[Span],
) -> Vec<Segment<'a>> {
    let clip = |s: Span| Span::new(s.start.max(range.start), s.end.min(range.end));
    let inside = |s: &Span| s.start < range.end && s.end > range.start;
    let ms: Vec<(Span, &Mention)> = mentions
        .iter()
        .filter(|m| inside(&m.span))
        .map(|m| (clip(m.span), m))
        .collect();
    let hs: Vec<Span> = highlights
        .iter()
        .filter(|s| inside(s))
        .map(|s| clip(*s))
        .collect();
    let mut cuts: Vec<usize> = vec![range.start, range.end];
    for (s, _) in &ms {
        cuts.extend([s.start, s.end]);
    }
    for s in &hs {
        cuts.extend([s.start, s.end]);
    }
    cuts.retain(|&c| source.is_char_boundary(c));
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::with_capacity(cuts.len());
    let (mut mi, mut hi) = (0, 0);
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        while mi < ms.len() && ms[mi].0.end <= a {
            mi += 1;
        }
        while hi < hs.len() && hs[hi].end <= a {
            hi += 1;
        }
        let mention = ms.get(mi).filter(|(s, _)| s.start <= a).map(|(_, m)| *m);
        let highlight = hs.get(hi).is_some_and(|s| s.start <= a);
        out.push(Segment {
            text: &source[a..b],
            label: mention.map(|m| m.label),
            entity: mention.map(|m| m.entity.as_str()),
            highlight,
        });
    }
    out
}

/// Every field of `article`, in source order, as segments.
pub fn article_view<'a>(
    article: &'a Article,
    mentions: &'a [Mention],
    highlights: &[Span],
) -> Vec<FieldView<'a>> {
    article
        .fields()
        .into_iter()
        .map(|(part, f)| FieldView {
            part,
            segments: segments(article.source(), f.span(), mentions, highlights),
        })
        .collect()
}

/// A snippet as segments: its ellipses, and the passage cut at mentions (spans of `source`, the
/// snippet's article) and at the snippet's highlights.
pub fn snippet_view<'a>(
    snippet: &'a Snippet,
    source: &'a str,
    mentions: &'a [Mention],
) -> Vec<Segment<'a>> {
    let passage = snippet.source;
    let plain = |text: &'a str| Segment {
        text,
        label: None,
        entity: None,
        highlight: false,
    };
    // The passage sits in the snippet's text after the leading ellipsis, if there is one.
    let Some(base) = source
        .get(passage.range())
        .filter(|p| !p.is_empty())
        .and_then(|p| {
            ['…'.len_utf8(), 0]
                .into_iter()
                .find(|&b| snippet.text.get(b..).is_some_and(|t| t.starts_with(p)))
        })
    else {
        // No passage to map (an empty snippet): the text as it is, highlights included.
        return snippet
            .segments()
            .into_iter()
            .map(|(text, highlight)| Segment {
                highlight,
                ..plain(text)
            })
            .collect();
    };
    let highlights: Vec<Span> = snippet
        .highlights
        .iter()
        .map(|&(s, e)| Span::new(s - base + passage.start, e - base + passage.start))
        .collect();
    let mut out = Vec::new();
    if base > 0 {
        out.push(plain(&snippet.text[..base]));
    }
    out.extend(segments(source, passage, mentions, &highlights));
    let end = base + passage.len();
    if end < snippet.text.len() {
        out.push(plain(&snippet.text[end..]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention(start: usize, end: usize, label: Label, entity: &str) -> Mention {
        Mention {
            span: Span::new(start, end),
            label,
            entity: entity.to_string(),
        }
    }

    #[test]
    fn cuts_at_mentions_and_highlights() {
        let source = "Mr. Sokha met Hun Sen in Phnom Penh.";
        let ms = [
            mention(4, 9, Label::Person, "Kem Sokha"),
            mention(14, 21, Label::Person, "Hun Sen"),
            mention(25, 35, Label::Gpe, "Phnom Penh"),
        ];
        // "Sen" and "Phnom" highlighted.
        let hs = [Span::new(18, 21), Span::new(25, 30)];
        let segs = segments(source, Span::new(0, source.len()), &ms, &hs);
        let got: Vec<(&str, Option<&str>, bool)> = segs
            .iter()
            .map(|s| (s.text, s.entity, s.highlight))
            .collect();
        assert_eq!(
            got,
            [
                ("Mr. ", None, false),
                ("Sokha", Some("Kem Sokha"), false),
                (" met ", None, false),
                ("Hun ", Some("Hun Sen"), false),
                ("Sen", Some("Hun Sen"), true),
                (" in ", None, false),
                ("Phnom", Some("Phnom Penh"), true),
                (" Penh", Some("Phnom Penh"), false),
                (".", None, false),
            ]
        );
        let joined: String = segs.iter().map(|s| s.text).collect();
        assert_eq!(joined, source);
    }

    #[test]
    fn only_the_field_is_cut_and_spans_are_clipped() {
        let source = "Title\nKem Sokha spoke.";
        let ms = [mention(6, 15, Label::Person, "Kem Sokha")];
        let segs = segments(source, Span::new(6, 12), &ms, &[Span::new(0, 8)]);
        let got: Vec<(&str, bool, bool)> = segs
            .iter()
            .map(|s| (s.text, s.entity.is_some(), s.highlight))
            .collect();
        assert_eq!(got, [("Ke", true, true), ("m So", true, false)]);
    }

    #[test]
    fn snippets_keep_their_ellipses_and_take_the_mentions() {
        let source = "Intro. Then Kem Sokha said no to the court today.";
        let ms = [mention(12, 21, Label::Person, "Kem Sokha")];
        let snippet = Snippet {
            text: "…Kem Sokha said no…".into(),
            highlights: vec![(7, 12)],
            source: Span::new(12, 29),
        };
        let segs = snippet_view(&snippet, source, &ms);
        let got: Vec<(&str, Option<Label>, bool)> = segs
            .iter()
            .map(|s| (s.text, s.label, s.highlight))
            .collect();
        assert_eq!(
            got,
            [
                ("…", None, false),
                ("Kem ", Some(Label::Person), false),
                ("Sokha", Some(Label::Person), true),
                (" said no", None, false),
                ("…", None, false),
            ]
        );
    }

    #[test]
    fn an_empty_field_has_no_segments() {
        assert!(segments("abc", Span::new(1, 1), &[], &[]).is_empty());
    }
}
