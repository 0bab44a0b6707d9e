//! The structured article: what the parsers produce and every later stage reads.
//!
//! Invariant: every [`Field`] of an [`Article`] is a slice of [`Article::source`]:
//! `field.text() == &article.source()[field.span().range()]`. Spans are byte offsets on
//! `char` boundaries, so highlights computed later land on the original characters.

use serde::Serialize;
use std::ops::Range;
use std::sync::Arc;

/// A half-open byte range `[start, end)` into an article's source text.
///
/// ```
/// let s = newslens::Span::new(6, 11);
/// assert_eq!((s.len(), s.range()), (5, 6..11));
/// assert_eq!(&"Talks stall"[s.range()], "stall");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`; `start <= end` is the caller's promise.
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end, "span start {start} > end {end}");
        Span { start, end }
    }

    /// The span as a `Range`, for slicing.
    pub fn range(self) -> Range<usize> {
        self.start..self.end
    }

    /// Length in bytes.
    pub fn len(self) -> usize {
        self.end - self.start
    }

    /// True when the span covers nothing.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

/// A piece of an article: its text and where that text sits in the source.
///
/// ```
/// let a = newslens::parse_text("Talks Stall\n\nThe talks stalled.\n").unwrap();
/// let title = a.title();
/// assert_eq!(title.text(), "Talks Stall");
/// assert_eq!(&a.source()[title.span().range()], title.text());
/// ```
#[derive(Clone)]
pub struct Field {
    /// The whole article's source, shared by all its fields (a field keeps no copy of its
    /// text).
    source: Arc<str>,
    span: Span,
}

impl Field {
    /// The field whose text is `source[span]`.
    ///
    /// # Panics
    /// When `span` is out of bounds or not on `char` boundaries (a parser bug).
    pub(crate) fn of(source: &Arc<str>, span: Span) -> Field {
        assert!(
            source.get(span.range()).is_some(),
            "span {span:?} is not a slice of its source"
        );
        Field {
            source: source.clone(),
            span,
        }
    }

    /// The text, exactly as it appears in the source.
    pub fn text(&self) -> &str {
        &self.source[self.span.range()]
    }

    /// Where the text sits in [`Article::source`].
    pub fn span(&self) -> Span {
        self.span
    }
}

impl PartialEq for Field {
    fn eq(&self, other: &Field) -> bool {
        self.span == other.span && self.text() == other.text()
    }
}

impl Eq for Field {}

impl std::fmt::Debug for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Field")
            .field("text", &self.text())
            .field("span", &self.span)
            .finish()
    }
}

/// As `{"text": …, "start": …, "end": …}`.
impl Serialize for Field {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = serializer.serialize_map(Some(3))?;
        m.serialize_entry("text", self.text())?;
        m.serialize_entry("start", &self.span.start)?;
        m.serialize_entry("end", &self.span.end)?;
        m.end()
    }
}

/// A photo caption and the credits printed with it.
///
/// Captions repeated on consecutive lines (the same picture credited twice, or two pictures with
/// one caption) are folded into one `Caption` that keeps every distinct credit in order.
///
/// ```
/// let page = b"<article><h1>Talks Stall</h1><figure><img src=a.jpg>\
///     <figcaption>Hun Sen speaks. Photo: AFP</figcaption></figure>\
///     <p>The talks stalled on Monday, officials in the capital said after a long meeting.</p></article>";
/// let parsed = newslens::parse(page, newslens::Format::Html).unwrap();
/// let caption = &parsed.articles[0].captions()[0];
/// assert!(caption.caption.text().starts_with("Hun Sen speaks."));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Caption {
    /// The caption text without its credit.
    #[serde(flatten)]
    pub caption: Field,
    /// Credits such as `Siv Channa/The Cambodia Daily`, `Photo from AFP`, `Stringer`.
    pub credits: Vec<Field>,
}

/// One news article, parsed into its parts.
///
/// Build one with [`crate::parse`]. All fields are slices of [`Article::source`].
///
/// ```
/// let text = "Talks Stall\n\nPHNOM PENH--The talks stalled on Monday.\n";
/// let a = newslens::parse_text(text).unwrap();
/// assert_eq!(a.title().text(), "Talks Stall");
/// assert_eq!(a.dateline().unwrap().text(), "PHNOM PENH");
/// assert_eq!(a.paragraphs().len(), 1);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Article {
    pub(crate) id: Option<String>,
    pub(crate) source: Arc<str>,
    pub(crate) title: Field,
    pub(crate) publisher: Option<Field>,
    pub(crate) subtitle: Option<Field>,
    pub(crate) dateline: Option<Field>,
    pub(crate) captions: Vec<Caption>,
    pub(crate) paragraphs: Vec<Field>,
    pub(crate) credits: Vec<Field>,
    pub(crate) published: Option<String>,
    pub(crate) authors: Vec<String>,
    pub(crate) language: Option<String>,
}

impl Article {
    /// The identifier the input gave the article (the `id` of a JSON Lines record), if any.
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// The text every span points into.
    ///
    /// For a plain-text file this is the file itself (decoded; for UTF-8 input byte offsets are
    /// the file's own). For HTML and JSON Lines it is the article's extracted text: the blocks
    /// in reading order, separated by blank lines.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The headline.
    pub fn title(&self) -> &Field {
        &self.title
    }

    /// The outlet, when the text names it above the headline.
    pub fn publisher(&self) -> Option<&Field> {
        self.publisher.as_ref()
    }

    /// The standfirst (dek) under the headline.
    pub fn subtitle(&self) -> Option<&Field> {
        self.subtitle.as_ref()
    }

    /// The dateline that opens the body, such as `PHNOM PENH`, without its dash.
    pub fn dateline(&self) -> Option<&Field> {
        self.dateline.as_ref()
    }

    /// Photo captions, in order.
    pub fn captions(&self) -> &[Caption] {
        &self.captions
    }

    /// Body paragraphs, in order, without captions, subtitle, dateline or site furniture.
    pub fn paragraphs(&self) -> &[Field] {
        &self.paragraphs
    }

    /// Contributor lines such as `Additional reporting by Ouch Sony` or a byline.
    pub fn credits(&self) -> &[Field] {
        &self.credits
    }

    /// When the article was published, as ISO 8601 (`2019-11-19` or
    /// `2019-11-19T10:30:00+02:00`): from the page's metadata (JSON-LD `datePublished`,
    /// `article:published_time`, `<time datetime>` …), a JSON Lines record's `date`,
    /// `published` or `datePublished`, or a date in the dateline.
    pub fn published(&self) -> Option<&str> {
        self.published.as_deref()
    }

    /// The authors the page's metadata names (JSON-LD `author`, `<meta name="author">`,
    /// `article:author`), in order. A byline printed in the text is also a [`Article::credits`]
    /// field, with its span.
    pub fn authors(&self) -> &[String] {
        &self.authors
    }

    /// The language the page declares (`<html lang>`, `content-language`, `og:locale`,
    /// JSON-LD `inLanguage`), as written there (`en`, `en-GB`).
    pub fn language(&self) -> Option<&str> {
        self.language.as_deref()
    }

    /// Every field of the article with the part it plays, in source order.
    pub fn fields(&self) -> Vec<(Part, &Field)> {
        let mut all: Vec<(Part, &Field)> = Vec::new();
        all.push((Part::Title, &self.title));
        if let Some(f) = &self.publisher {
            all.push((Part::Publisher, f));
        }
        if let Some(f) = &self.subtitle {
            all.push((Part::Subtitle, f));
        }
        if let Some(f) = &self.dateline {
            all.push((Part::Dateline, f));
        }
        for c in &self.captions {
            all.push((Part::Caption, &c.caption));
            all.extend(c.credits.iter().map(|f| (Part::CaptionCredit, f)));
        }
        all.extend(self.paragraphs.iter().map(|f| (Part::Paragraph, f)));
        all.extend(self.credits.iter().map(|f| (Part::Credit, f)));
        all.sort_by_key(|(_, f)| f.span());
        all
    }
}

/// The part a [`Field`] plays in its article.
///
/// ```
/// use newslens::Part;
/// let a = newslens::parse_text("Talks Stall\n\nThe talks stalled.\n").unwrap();
/// let parts: Vec<Part> = a.fields().into_iter().map(|(part, _)| part).collect();
/// assert_eq!(parts, [Part::Title, Part::Paragraph]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// The headline.
    Title,
    /// The outlet's name.
    Publisher,
    /// The standfirst under the headline.
    Subtitle,
    /// The dateline opening the body.
    Dateline,
    /// A photo caption.
    Caption,
    /// The credit of a photo caption.
    CaptionCredit,
    /// A body paragraph.
    Paragraph,
    /// A contributor line.
    Credit,
}

/// Number of indexed fields.
pub const FIELDS: usize = 5;

/// The fields an article is indexed under, in position order (the order of
/// [`field_blocks`]'s lists; search and snippets name the ones they look at).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(dead_code)]
pub(crate) enum IndexField {
    /// The headline.
    Title = 0,
    /// The standfirst.
    Subtitle = 1,
    /// Photo captions and their credits.
    Caption = 2,
    /// Dateline and paragraphs.
    Body = 3,
    /// Outlet and contributor credits.
    Credit = 4,
}

/// The blocks of an article under each field, in position order.
pub(crate) fn field_blocks(a: &Article) -> [Vec<(usize, &str)>; FIELDS] {
    fn piece(f: &crate::Field) -> (usize, &str) {
        (f.span().start, f.text())
    }
    let mut captions = Vec::new();
    for c in a.captions() {
        captions.push(piece(&c.caption));
        captions.extend(c.credits.iter().map(piece));
    }
    let mut body: Vec<(usize, &str)> = a.dateline().map(piece).into_iter().collect();
    body.extend(a.paragraphs().iter().map(piece));
    let mut credits: Vec<(usize, &str)> = a.publisher().map(piece).into_iter().collect();
    credits.extend(a.credits().iter().map(piece));
    // A headline cut from the body (a record without a title) is body text, counted once.
    let t = a.title().span();
    let derived = a
        .paragraphs()
        .first()
        .is_some_and(|p| p.span().start <= t.start && t.end <= p.span().end);
    [
        if derived {
            Vec::new()
        } else {
            vec![piece(a.title())]
        },
        a.subtitle().map(piece).into_iter().collect(),
        captions,
        body,
        credits,
    ]
}

/// A span as two `u32`s (an article's source is far below 4 GiB: [`crate::MAX_CORPUS_BYTES`]).
type Span32 = (u32, u32);

fn span32(f: &Field) -> Span32 {
    (f.span.start as u32, f.span.end as u32)
}

/// An article without its text: where each of its fields sits, and its metadata. A corpus
/// keeps its articles so, their texts packed apart (`crate::texts`), and puts an article
/// together again when it is asked for one ([`Shape::article`]).
#[derive(Clone, Debug)]
pub(crate) struct Shape {
    id: Option<Box<str>>,
    title: Span32,
    publisher: Option<Span32>,
    subtitle: Option<Span32>,
    dateline: Option<Span32>,
    captions: Box<[(Span32, Box<[Span32]>)]>,
    paragraphs: Box<[Span32]>,
    credits: Box<[Span32]>,
    published: Option<Box<str>>,
    authors: Box<[String]>,
    language: Option<Box<str>>,
}

impl Article {
    /// The article without its text.
    pub(crate) fn shape(&self) -> Shape {
        Shape {
            id: self.id.as_deref().map(Into::into),
            title: span32(&self.title),
            publisher: self.publisher.as_ref().map(span32),
            subtitle: self.subtitle.as_ref().map(span32),
            dateline: self.dateline.as_ref().map(span32),
            captions: (self.captions.iter())
                .map(|c| (span32(&c.caption), c.credits.iter().map(span32).collect()))
                .collect(),
            paragraphs: self.paragraphs.iter().map(span32).collect(),
            credits: self.credits.iter().map(span32).collect(),
            published: self.published.as_deref().map(Into::into),
            authors: self.authors.clone().into(),
            language: self.language.as_deref().map(Into::into),
        }
    }
}

impl Shape {
    /// The identifier the input gave the article ([`Article::id`]).
    pub(crate) fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// The article again, its text `source`; `None` when a field does not fit `source` (never
    /// for the text the shape was taken with).
    pub(crate) fn article(&self, source: Arc<str>) -> Option<Article> {
        let field = |&(start, end): &Span32| {
            let span = Span::new(start as usize, end.max(start) as usize);
            source.get(span.range())?;
            Some(Field {
                source: source.clone(),
                span,
            })
        };
        let fields = |spans: &[Span32]| spans.iter().map(field).collect::<Option<Vec<Field>>>();
        let captions = (self.captions.iter())
            .map(|(c, credits)| {
                Some(Caption {
                    caption: field(c)?,
                    credits: fields(credits)?,
                })
            })
            .collect::<Option<Vec<Caption>>>()?;
        Some(Article {
            id: self.id.as_deref().map(Into::into),
            title: field(&self.title)?,
            publisher: self
                .publisher
                .as_ref()
                .map_or(Some(None), |f| field(f).map(Some))?,
            subtitle: self
                .subtitle
                .as_ref()
                .map_or(Some(None), |f| field(f).map(Some))?,
            dateline: self
                .dateline
                .as_ref()
                .map_or(Some(None), |f| field(f).map(Some))?,
            captions,
            paragraphs: fields(&self.paragraphs)?,
            credits: fields(&self.credits)?,
            published: self.published.as_deref().map(Into::into),
            authors: self.authors.to_vec(),
            language: self.language.as_deref().map(Into::into),
            source,
        })
    }
}
