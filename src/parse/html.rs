//! HTML article pages, read with the WHATWG tokenizer of `html5gum`.
//!
//! Kept: the headline (`<h1>`, else `<title>`), the outlet (`og:site_name`), a standfirst
//! (an element marked `standfirst`, `dek`, `subtitle`…), body blocks (`<p>`, list items,
//! quotes, headings), figure captions (`<figcaption>`, with elements marked `credit` as their
//! credits) and bylines. Dropped: scripts, styles, templates, forms, navigation, asides,
//! footers, hidden elements and blocks marked as related links, sharing, comments, ads.
//!
//! The article's source text is the kept blocks in reading order, whitespace collapsed,
//! separated by blank lines; all spans point into it.

use super::assemble::{assemble, Hint, Unit};
use super::rules::trimmed;
use crate::article::{Article, Span};
use crate::error::Error;
use html5gum::{DefaultEmitter, Token, Tokenizer};
use std::collections::BTreeMap;

/// Deeper nesting than this is flattened: further start tags are ignored (their text is kept),
/// so hostile inputs with 100,000 nested elements cost no more memory than this.
const MAX_DEPTH: usize = 512;

/// Elements whose content is never article text.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "aside", "footer", "form", "button",
    "select", "textarea", "iframe", "svg", "math", "object", "canvas", "audio", "video", "dialog",
    "menu",
];

/// Class or id words that mark site furniture.
const FURNITURE_MARKS: &[&str] = &[
    "related",
    "share",
    "sharing",
    "social",
    "newsletter",
    "subscribe",
    "promo",
    "advert",
    "advertisement",
    "ads",
    "sponsored",
    "comments",
    "cookie",
    "cookies",
    "breadcrumb",
    "breadcrumbs",
    "outbrain",
    "taboola",
    "paywall",
    "popup",
    "modal",
    "skip",
];

/// Class or id words that mark a standfirst.
const STANDFIRST_MARKS: &[&str] = &[
    "standfirst",
    "dek",
    "deck",
    "subtitle",
    "subheadline",
    "subhead",
    "strapline",
    "summary",
    "excerpt",
];

/// Class or id words that mark a picture credit inside a caption.
const CREDIT_MARKS: &[&str] = &[
    "credit",
    "credits",
    "copyright",
    "photographer",
    "byline",
    "source",
    "author",
];

const BLOCKS: &[&str] = &[
    "p",
    "div",
    "li",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "figcaption",
    "figure",
    "article",
    "section",
    "main",
    "header",
    "body",
    "td",
    "th",
    "tr",
    "table",
    "ul",
    "ol",
    "dl",
    "dd",
    "dt",
    "pre",
    "address",
    "title",
    "hr",
];

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// What an open element contributes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    None,
    Skip,
    Title,
    H1,
    Heading,
    Subtitle,
    Caption,
    Credit,
    Byline,
}

#[derive(Debug)]
struct Open {
    name: String,
    role: Role,
}

#[derive(Debug)]
enum BlockKind {
    Title,
    H1,
    Heading,
    Subtitle,
    Caption,
    Byline,
    Text,
}

#[derive(Debug)]
struct Block {
    kind: BlockKind,
    text: String,
    /// Credit ranges inside `text` (captions only).
    credits: Vec<std::ops::Range<usize>>,
}

#[derive(Debug, Default)]
struct Reader {
    stack: Vec<Open>,
    /// Start tags ignored because the stack was full; their end tags are ignored too.
    overflow: usize,
    skipping: usize,
    text: String,
    credits: Vec<std::ops::Range<usize>>,
    credit_start: Option<usize>,
    blocks: Vec<Block>,
    site_name: Option<String>,
    og_title: Option<String>,
}

fn marks(
    attrs: &BTreeMap<html5gum::HtmlString, html5gum::Spanned<html5gum::HtmlString, ()>>,
) -> Vec<String> {
    let mut out = Vec::new();
    for key in ["class", "id", "itemprop", "rel", "data-component"] {
        if let Some(v) = attrs.get(key.as_bytes()) {
            let v = String::from_utf8_lossy(&v.value).to_lowercase();
            out.extend(
                v.split(|c: char| c.is_whitespace() || c == '-' || c == '_')
                    .filter(|w| !w.is_empty())
                    .map(String::from),
            );
        }
    }
    out
}

fn attr(
    attrs: &BTreeMap<html5gum::HtmlString, html5gum::Spanned<html5gum::HtmlString, ()>>,
    key: &str,
) -> Option<String> {
    attrs
        .get(key.as_bytes())
        .map(|v| String::from_utf8_lossy(&v.value).into_owned())
}

impl Reader {
    fn role_of(
        &self,
        name: &str,
        attrs: &BTreeMap<html5gum::HtmlString, html5gum::Spanned<html5gum::HtmlString, ()>>,
    ) -> Role {
        if SKIPPED.contains(&name)
            || attrs.contains_key(b"hidden".as_slice())
            || attr(attrs, "aria-hidden").as_deref() == Some("true")
            || matches!(
                attr(attrs, "role").as_deref(),
                Some("navigation" | "complementary" | "banner" | "contentinfo" | "search")
            )
        {
            return Role::Skip;
        }
        let m = marks(attrs);
        let has = |words: &[&str]| m.iter().any(|w| words.contains(&w.as_str()));
        let container = matches!(name, "html" | "body" | "main" | "article");
        if !container && has(FURNITURE_MARKS) {
            return Role::Skip;
        }
        let in_caption = self.stack.iter().any(|o| o.role == Role::Caption);
        match name {
            "title" => return Role::Title,
            "h1" => return Role::H1,
            "h2" | "h3" | "h4" | "h5" | "h6" if !has(STANDFIRST_MARKS) => return Role::Heading,
            "figcaption" => return Role::Caption,
            _ => {}
        }
        if in_caption && has(CREDIT_MARKS) {
            return Role::Credit;
        }
        if has(STANDFIRST_MARKS) {
            return Role::Subtitle;
        }
        if has(&["caption"]) && !container {
            return Role::Caption;
        }
        if has(&["byline", "author"]) && !container {
            return Role::Byline;
        }
        Role::None
    }

    fn push_text(&mut self, s: &str) {
        if self.skipping > 0 {
            return;
        }
        for c in s.chars() {
            if c.is_whitespace() {
                if !self.text.is_empty() && !self.text.ends_with(' ') {
                    self.text.push(' ');
                }
            } else {
                self.text.push(c);
            }
        }
    }

    /// Ends the current block, if it holds text.
    fn flush(&mut self) {
        let r = trimmed(&self.text);
        if r.is_empty() {
            self.text.clear();
            self.credits.clear();
            return;
        }
        let kind = self
            .stack
            .iter()
            .rev()
            .find_map(|o| match o.role {
                Role::Title => Some(BlockKind::Title),
                Role::H1 => Some(BlockKind::H1),
                Role::Heading => Some(BlockKind::Heading),
                Role::Subtitle => Some(BlockKind::Subtitle),
                Role::Caption => Some(BlockKind::Caption),
                Role::Byline => Some(BlockKind::Byline),
                _ => None,
            })
            .unwrap_or(BlockKind::Text);
        let text = self.text[r.clone()].to_string();
        let credits = self
            .credits
            .drain(..)
            .filter_map(|c| {
                let s = c.start.max(r.start) - r.start;
                let e = c.end.min(r.end).saturating_sub(r.start);
                let piece = trimmed(&text[s..e.max(s)]);
                (!piece.is_empty()).then(|| s + piece.start..s + piece.end)
            })
            .collect();
        self.blocks.push(Block {
            kind,
            text,
            credits,
        });
        self.text.clear();
    }

    fn start(
        &mut self,
        name: &str,
        attrs: &BTreeMap<html5gum::HtmlString, html5gum::Spanned<html5gum::HtmlString, ()>>,
        self_closing: bool,
    ) {
        if name == "meta" {
            let prop = attr(attrs, "property").or_else(|| attr(attrs, "name"));
            let content = attr(attrs, "content");
            match (prop.as_deref(), content) {
                (Some("og:site_name"), Some(c)) => self.site_name = Some(c),
                (Some("og:title"), Some(c)) => self.og_title = Some(c),
                _ => {}
            }
            return;
        }
        if BLOCKS.contains(&name) && self.skipping == 0 {
            self.flush();
        }
        if name == "br" {
            self.push_text(" ");
        }
        if VOID.contains(&name) || self_closing {
            return;
        }
        if self.stack.len() >= MAX_DEPTH {
            self.overflow += 1;
            return;
        }
        // A new <p> closes an open <p>, as in HTML.
        if name == "p" {
            if let Some(i) = self.stack.iter().rposition(|o| o.name == "p") {
                if self.stack[i + 1..]
                    .iter()
                    .all(|o| !BLOCKS.contains(&o.name.as_str()))
                {
                    self.pop_to(i);
                }
            }
        }
        let role = self.role_of(name, attrs);
        if role == Role::Skip {
            self.skipping += 1;
        }
        if role == Role::Credit && self.skipping == 0 {
            self.credit_start = Some(self.text.len());
        }
        self.stack.push(Open {
            name: name.to_string(),
            role,
        });
    }

    fn pop_to(&mut self, i: usize) {
        while self.stack.len() > i {
            if let Some(o) = self.stack.pop() {
                self.close(o);
            }
        }
    }

    fn close(&mut self, o: Open) {
        match o.role {
            Role::Skip => self.skipping -= 1,
            Role::Credit => {
                if let Some(s) = self.credit_start.take() {
                    let piece = s..self.text.len();
                    self.credits.push(piece);
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        if self.overflow > 0 && !self.stack.iter().any(|o| o.name == name) {
            self.overflow -= 1;
            return;
        }
        let Some(i) = self.stack.iter().rposition(|o| o.name == name) else {
            return; // a stray end tag
        };
        let block = BLOCKS.contains(&name);
        if block && self.skipping == 0 {
            self.flush();
        }
        self.pop_to(i);
        if block && self.skipping == 0 {
            self.flush();
        }
    }
}

/// Reads an HTML page.
pub(crate) fn parse(html: &str) -> Result<Article, Error> {
    let mut emitter = DefaultEmitter::default();
    emitter.naively_switch_states(true);
    let mut r = Reader::default();
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        match token {
            Token::StartTag(t) => {
                let name = String::from_utf8_lossy(&t.name).to_lowercase();
                r.start(&name, &t.attributes, t.self_closing);
            }
            Token::EndTag(t) => {
                let name = String::from_utf8_lossy(&t.name).to_lowercase();
                r.end(&name);
            }
            Token::String(s) => r.push_text(&String::from_utf8_lossy(&s.value)),
            Token::Comment(_) | Token::Doctype(_) | Token::Error(_) => {}
        }
    }
    r.pop_to(0);
    r.flush();
    build(r)
}

fn build(r: Reader) -> Result<Article, Error> {
    let has_h1 = r.blocks.iter().any(|b| matches!(b.kind, BlockKind::H1));
    let mut source = String::new();
    let mut units = Vec::new();
    fn push(text: &str, hint: Hint, source: &mut String, units: &mut Vec<Unit>) -> usize {
        if !source.is_empty() {
            source.push_str("\n\n");
        }
        let start = source.len();
        source.push_str(text);
        units.push(Unit {
            span: Span::new(start, source.len()),
            hint,
        });
        start
    }
    if let Some(site) = &r.site_name {
        push(site.trim(), Hint::Publisher, &mut source, &mut units);
    }
    let page_title = r.blocks.iter().find(|b| matches!(b.kind, BlockKind::Title));
    if !has_h1 {
        let title = r
            .og_title
            .clone()
            .or_else(|| page_title.map(|b| strip_site_suffix(&b.text, r.site_name.as_deref())));
        if let Some(t) = title {
            push(t.trim(), Hint::Title, &mut source, &mut units);
        }
    }
    let mut titled = !has_h1;
    for b in &r.blocks {
        let hint = match b.kind {
            BlockKind::Title => continue,
            BlockKind::H1 if !titled => {
                titled = true;
                Hint::Title
            }
            BlockKind::H1 | BlockKind::Heading => Hint::Heading,
            BlockKind::Subtitle => Hint::Subtitle,
            BlockKind::Byline => Hint::Byline,
            BlockKind::Caption => Hint::Caption(Vec::new()),
            BlockKind::Text => Hint::Plain,
        };
        let start = push(&b.text, hint, &mut source, &mut units);
        if let (BlockKind::Caption, Some(u)) = (&b.kind, units.last_mut()) {
            u.hint = Hint::Caption(
                b.credits
                    .iter()
                    .map(|c| Span::new(start + c.start, start + c.end))
                    .collect(),
            );
        }
    }
    assemble(None, source, units)
}

/// `Headline | Site` or `Headline - Site` becomes `Headline`.
fn strip_site_suffix(title: &str, site: Option<&str>) -> String {
    for sep in [" | ", " - ", " – ", " — ", " :: "] {
        if let Some(i) = title.rfind(sep) {
            let tail = &title[i + sep.len()..];
            let is_site = site.is_some_and(|s| tail.eq_ignore_ascii_case(s))
                || tail.split_whitespace().count() <= 4;
            if is_site && i > 0 {
                return title[..i].to_string();
            }
        }
    }
    title.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_with_furniture() {
        let html = r#"<!doctype html><html><head><title>Talks stall | Example News</title>
            <meta property="og:site_name" content="Example News">
            <script>var x = "<p>not text</p>";</script><style>p{}</style></head>
            <body><nav><a href="/">Home</a></nav>
            <article><h1>Talks stall in Phnom Penh</h1>
            <p class="standfirst">Opposition and ruling party fail to agree</p>
            <p class="byline">By Jane Doe</p>
            <figure><img src="x.jpg"><figcaption>Sar Kheng leaves a meeting in May.
              <span class="credit">Siv Channa/The Daily</span></figcaption></figure>
            <p>PHNOM PENH &mdash; The talks &amp; the vote<br>stalled on Monday.</p>
            <p>Second <b>paragraph</b> here.
            <div class="related-stories"><p>Other story</p></div>
            </article><footer>Copyright</footer></body></html>"#;
        let a = parse(html).unwrap();
        assert_eq!(a.title().text(), "Talks stall in Phnom Penh");
        assert_eq!(a.publisher().unwrap().text(), "Example News");
        assert_eq!(
            a.subtitle().unwrap().text(),
            "Opposition and ruling party fail to agree"
        );
        assert_eq!(a.credits()[0].text(), "By Jane Doe");
        assert_eq!(a.captions().len(), 1);
        assert_eq!(
            a.captions()[0].caption.text(),
            "Sar Kheng leaves a meeting in May."
        );
        assert_eq!(a.captions()[0].credits[0].text(), "Siv Channa/The Daily");
        assert_eq!(a.dateline().unwrap().text(), "PHNOM PENH");
        let paras: Vec<&str> = a.paragraphs().iter().map(|p| p.text()).collect();
        assert_eq!(
            paras,
            [
                "The talks & the vote stalled on Monday.",
                "Second paragraph here."
            ]
        );
        assert!(!a.source().contains("not text") && !a.source().contains("Other story"));
    }

    #[test]
    fn title_from_title_element_without_h1() {
        let a =
            parse("<title>Budget passed - Daily Times</title><p>The budget passed.</p>").unwrap();
        assert_eq!(a.title().text(), "Budget passed");
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let html = "<div>".repeat(100_000) + "Deep text." + &"</div>".repeat(100_000);
        let a = parse(&html).unwrap();
        assert_eq!(a.title().text(), "Deep text.");
    }
}
