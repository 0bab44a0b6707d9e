//! A small document tree built from `html5gum`'s WHATWG tokens, for the page reader.
//!
//! Not a full HTML5 tree builder: it applies the end tags HTML implies where pages leave them
//! out (`<p>` closed by the next block, `<li>` by the next item, table cells and rows, `<dt>`,
//! `<dd>`, `<option>`), ignores stray end tags, and flattens nesting deeper than [`MAX_DEPTH`].
//! Elements that never hold article text (scripts, styles, media, form controls) are kept as
//! empty nodes; the text of `application/ld+json` scripts and of `<title>` is kept aside for
//! the page's metadata. Nodes are stored in document order, so a node's descendants are the
//! indices right after it, up to [`Node::end`].

use html5gum::{DefaultEmitter, Emitter, ForwardingEmitter, Token, Tokenizer};

/// The tokenizer's default emitter, without its parse errors: the reader ignores them, and
/// checking every character for them was a fifth of the time spent reading a page.
#[derive(Debug)]
struct Quiet(DefaultEmitter);

impl ForwardingEmitter for Quiet {
    type Token = Token;

    fn inner(&mut self) -> &mut impl Emitter<Token = Token> {
        &mut self.0
    }

    #[inline]
    fn should_emit_errors(&mut self) -> bool {
        false
    }
}

/// Deeper nesting than this is flattened: further start tags are ignored (their text is kept),
/// so hostile inputs with 100,000 nested elements cost no more memory than this.
pub(crate) const MAX_DEPTH: usize = 512;

/// Elements whose content is never article text: their subtree is not built.
const OPAQUE: &[&str] = &[
    "script", "style", "template", "svg", "math", "object", "canvas", "audio", "video", "select",
    "textarea", "iframe", "noscript",
];

/// Elements with no content.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Block elements: their start closes an open `<p>`.
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "details",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "ul",
];

/// Attributes the reader looks at; others are not stored.
const KEPT_ATTRS: &[&str] = &[
    "itemprop",
    "role",
    "datetime",
    "content",
    "property",
    "name",
    "lang",
    "http-equiv",
    "type",
];

/// A node index.
pub(crate) type Id = usize;

#[derive(Debug)]
pub(crate) enum Data {
    Element(Element),
    Text(String),
}

#[derive(Debug)]
pub(crate) struct Element {
    /// Lower-case tag name.
    pub name: Box<str>,
    /// The words of `class` and `id`, lower case, split at spaces, `-`, `_` and `:`, joined by
    /// single spaces (one allocation an element: pages have tens of thousands of them).
    marks: Box<str>,
    attrs: Vec<(&'static str, Box<str>)>,
    /// The page hides it: `hidden`, `aria-hidden="true"`, or an inline `display: none` /
    /// `visibility: hidden`.
    pub hidden: bool,
}

impl Element {
    /// An attribute's value (only the attributes of [`KEPT_ATTRS`] are kept).
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| &**v)
    }

    /// The class and id words.
    pub fn marks(&self) -> impl Iterator<Item = &str> + Clone {
        self.marks.split(' ').filter(|w| !w.is_empty())
    }

    /// The class and id words as one string, for comparing two elements' classes.
    pub fn marks_text(&self) -> &str {
        &self.marks
    }

    /// True when one of the class or id words is in `words`.
    pub fn marked(&self, words: &[&str]) -> bool {
        !self.marks.is_empty() && self.marks().any(|m| words.contains(&m))
    }
}

#[derive(Debug)]
pub(crate) struct Node {
    pub parent: Option<Id>,
    /// One past the last descendant: the subtree is `id..end`.
    pub end: Id,
    pub data: Data,
}

/// The tree and what was kept aside for the metadata.
#[derive(Debug, Default)]
pub(crate) struct Dom {
    pub nodes: Vec<Node>,
    /// The text of each `<script type="application/ld+json">`.
    pub json_ld: Vec<String>,
    /// The first `<title>`'s text.
    pub title: Option<String>,
    /// Every `<meta>` element (in `<head>` or not).
    pub metas: Vec<Element>,
    /// The `lang` of `<html>`.
    pub lang: Option<String>,
}

impl Dom {
    pub fn element(&self, id: Id) -> Option<&Element> {
        match &self.nodes[id].data {
            Data::Element(e) => Some(e),
            Data::Text(_) => None,
        }
    }

    /// The children of `id`, in order.
    pub fn children(&self, id: Id) -> Children<'_> {
        Children {
            dom: self,
            next: id + 1,
            end: self.nodes[id].end,
        }
    }
}

/// Iterator over a node's children.
#[derive(Debug)]
pub(crate) struct Children<'a> {
    dom: &'a Dom,
    next: Id,
    end: Id,
}

impl Iterator for Children<'_> {
    type Item = Id;
    fn next(&mut self) -> Option<Id> {
        if self.next >= self.end {
            return None;
        }
        let id = self.next;
        self.next = self.dom.nodes[id].end;
        Some(id)
    }
}

fn words_of(value: &str, out: &mut String) {
    for w in value
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_' || c == ':')
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        if w.is_ascii() {
            let from = out.len();
            out.push_str(w);
            out[from..].make_ascii_lowercase();
        } else {
            out.extend(w.chars().flat_map(char::to_lowercase));
        }
    }
}

/// Whether an inline style hides the element.
fn hides(style: &[u8]) -> bool {
    let s: Vec<u8> = style
        .iter()
        .filter(|b| !b.is_ascii_whitespace())
        .map(u8::to_ascii_lowercase)
        .collect();
    crate::decode::find(&s, b"display:none").is_some()
        || crate::decode::find(&s, b"visibility:hidden").is_some()
}

struct Builder {
    dom: Dom,
    /// Open elements (node ids); the root is not on it.
    stack: Vec<Id>,
    /// Start tags ignored because the stack was full.
    overflow: usize,
    /// Inside an opaque element: its name, what it collects, and how many elements of the same
    /// name are open inside it.
    opaque: Option<(String, Collect)>,
    opaque_depth: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Collect {
    Nothing,
    JsonLd,
    Title,
}

impl Builder {
    fn name_of(&self, id: Id) -> &str {
        match &self.dom.nodes[id].data {
            Data::Element(e) => &e.name,
            Data::Text(_) => "",
        }
    }

    fn open_index(&self, name: &str, stop_at: &[&str]) -> Option<usize> {
        for (i, &id) in self.stack.iter().enumerate().rev() {
            let n = self.name_of(id);
            if n == name {
                return Some(i);
            }
            if stop_at.contains(&n) {
                return None;
            }
        }
        None
    }

    fn close_from(&mut self, i: usize) {
        let end = self.dom.nodes.len();
        for id in self.stack.drain(i..) {
            self.dom.nodes[id].end = end;
        }
    }

    fn parent(&self) -> Option<Id> {
        self.stack.last().copied()
    }

    fn push_node(&mut self, data: Data) -> Id {
        let id = self.dom.nodes.len();
        self.dom.nodes.push(Node {
            parent: self.parent(),
            end: id + 1,
            data,
        });
        id
    }

    fn text(&mut self, s: &str) {
        if let Some((_, collect)) = &self.opaque {
            match collect {
                Collect::JsonLd => {
                    if let Some(last) = self.dom.json_ld.last_mut() {
                        last.push_str(s);
                    }
                }
                Collect::Title => {
                    if let Some(t) = self.dom.title.as_mut() {
                        t.push_str(s);
                    }
                }
                Collect::Nothing => {}
            }
            return;
        }
        // Adjacent text joins the last text node when it is the parent's last child.
        if let Some(Node {
            data: Data::Text(t),
            parent,
            ..
        }) = self.dom.nodes.last_mut()
        {
            if *parent == self.stack.last().copied() {
                t.push_str(s);
                return;
            }
        }
        self.push_node(Data::Text(s.to_string()));
    }

    fn start(&mut self, t: &html5gum::StartTag<()>) {
        let name = String::from_utf8_lossy(&t.name).to_ascii_lowercase();
        if let Some((open, _)) = &self.opaque {
            if *open == name && !t.self_closing {
                self.opaque_depth += 1;
            }
            return;
        }
        let mut marks = String::new();
        let mut attrs = Vec::new();
        let mut hidden = false;
        for (k, v) in &t.attributes {
            // Only the attributes the reader looks at are converted (most are not).
            let key: &[u8] = k;
            match key {
                b"class" | b"id" => words_of(&String::from_utf8_lossy(&v.value), &mut marks),
                b"hidden" => hidden = true,
                b"aria-hidden" => hidden |= v.value.eq_ignore_ascii_case(b"true"),
                b"style" => hidden |= hides(&v.value),
                _ => {
                    if let Some(kept) = KEPT_ATTRS.iter().find(|a| a.as_bytes() == key) {
                        attrs.push((*kept, String::from_utf8_lossy(&v.value).into()));
                    }
                }
            }
        }
        let element = Element {
            name: name.as_str().into(),
            marks: marks.into_boxed_str(),
            attrs,
            hidden,
        };
        match name.as_str() {
            "meta" => {
                self.dom.metas.push(element);
                return;
            }
            "html" => {
                if self.dom.lang.is_none() {
                    self.dom.lang = element.attr("lang").map(str::to_string);
                }
                return;
            }
            "body" => return,
            "title" if self.dom.title.is_none() => {
                self.dom.title = Some(String::new());
                self.opaque = Some((name, Collect::Title));
                return;
            }
            "script" if element.attr("type").is_some_and(|t| t.contains("ld+json")) => {
                self.dom.json_ld.push(String::new());
                self.opaque = Some((name, Collect::JsonLd));
                return;
            }
            _ => {}
        }
        self.implied_ends(&name);
        let opaque = OPAQUE.contains(&name.as_str()) || name == "title";
        let void = VOID.contains(&name.as_str()) || (t.self_closing && !opaque);
        if !void && self.stack.len() >= MAX_DEPTH {
            self.overflow += 1;
            return;
        }
        let id = self.push_node(Data::Element(element));
        if opaque {
            if !t.self_closing {
                self.opaque = Some((name, Collect::Nothing));
            }
            return;
        }
        if !void {
            self.stack.push(id);
        }
    }

    fn implied_ends(&mut self, name: &str) {
        let close = |b: &mut Builder, target: &str, stop: &[&str]| {
            if let Some(i) = b.open_index(target, stop) {
                b.close_from(i);
            }
        };
        const SCOPE: &[&str] = &[
            "div",
            "td",
            "th",
            "table",
            "article",
            "section",
            "blockquote",
            "li",
            "button",
            "figure",
            "header",
            "footer",
            "main",
            "aside",
            "nav",
        ];
        if CLOSES_P.contains(&name) {
            close(self, "p", SCOPE);
        }
        match name {
            "li" => close(self, "li", &["ul", "ol", "menu"]),
            "dt" | "dd" => {
                close(self, "dt", &["dl"]);
                close(self, "dd", &["dl"]);
            }
            "tr" => close(self, "tr", &["table", "tbody", "thead", "tfoot"]),
            "td" | "th" => {
                close(self, "td", &["tr", "table"]);
                close(self, "th", &["tr", "table"]);
            }
            "tbody" | "thead" | "tfoot" => {
                close(self, "tbody", &["table"]);
                close(self, "thead", &["table"]);
                close(self, "tfoot", &["table"]);
            }
            "option" => close(self, "option", &["select"]),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                if let Some(&top) = self.stack.last() {
                    if matches!(self.name_of(top), "h1" | "h2" | "h3" | "h4" | "h5" | "h6") {
                        let i = self.stack.len() - 1;
                        self.close_from(i);
                    }
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, t: &html5gum::EndTag<()>) {
        let name = String::from_utf8_lossy(&t.name).to_ascii_lowercase();
        if let Some((open, _)) = &self.opaque {
            if *open == name {
                if self.opaque_depth == 0 {
                    self.opaque = None;
                } else {
                    self.opaque_depth -= 1;
                }
            }
            return;
        }
        let Some(i) = self.stack.iter().rposition(|&id| self.name_of(id) == name) else {
            if self.overflow > 0 {
                self.overflow -= 1;
            }
            return; // a stray end tag
        };
        if self.overflow > 0 && self.stack.len() >= MAX_DEPTH {
            // Inside the flattened part: this end tag most likely closes an ignored start tag.
            self.overflow -= 1;
            return;
        }
        self.close_from(i);
    }
}

/// Builds the tree of `html`. Never fails: any input gives a tree (perhaps empty).
pub(crate) fn build(html: &str) -> Dom {
    let mut inner = DefaultEmitter::default();
    inner.naively_switch_states(true);
    let emitter = Quiet(inner);
    let mut b = Builder {
        dom: Dom::default(),
        stack: Vec::new(),
        overflow: 0,
        opaque: None,
        opaque_depth: 0,
    };
    // The root: a synthetic element holding everything.
    b.dom.nodes.push(Node {
        parent: None,
        end: 1,
        data: Data::Element(Element {
            name: "#root".into(),
            marks: "".into(),
            attrs: Vec::new(),
            hidden: false,
        }),
    });
    b.stack.push(0);
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        match token {
            Token::StartTag(t) => b.start(&t),
            Token::EndTag(t) => {
                // The root never closes.
                if b.stack.len() > 1 || b.opaque.is_some() {
                    b.end(&t);
                }
            }
            // Script and style text is not converted unless it is kept (JSON-LD).
            Token::String(_) if matches!(b.opaque, Some((_, Collect::Nothing))) => {}
            Token::String(s) => b.text(&String::from_utf8_lossy(&s.value)),
            Token::Comment(_) | Token::Doctype(_) | Token::Error(_) => {}
        }
    }
    b.close_from(0);
    b.dom
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(dom: &Dom, id: Id) -> String {
        match &dom.nodes[id].data {
            Data::Text(t) => format!("'{}'", t.trim()),
            Data::Element(e) => {
                let kids: Vec<String> = dom.children(id).map(|c| shape(dom, c)).collect();
                format!("{}[{}]", e.name, kids.join(" "))
            }
        }
    }

    #[test]
    fn implied_end_tags() {
        let cases = [
            ("<p>a<p>b", "#root[p['a'] p['b']]"),
            ("<p>a<div>b</div>", "#root[p['a'] div['b']]"),
            ("<ul><li>a<li>b</ul>c", "#root[ul[li['a'] li['b']] 'c']"),
            (
                "<table><tr><td>a<td>b<tr><td>c</table>",
                "#root[table[tr[td['a'] td['b']] tr[td['c']]]]",
            ),
            ("<div><span>a</div>b", "#root[div[span['a']] 'b']"),
            ("a</div>b", "#root['ab']"),
            ("<li><p>a<li>b", "#root[li[p['a']] li['b']]"),
            ("<p>a<img src=x>b</p>", "#root[p['a' img[] 'b']]"),
        ];
        for (html, want) in cases {
            assert_eq!(shape(&build(html), 0), want, "{html}");
        }
    }

    #[test]
    fn metadata_is_kept_aside() {
        let dom = build(
            r#"<html lang="en-GB"><head><title>T &amp; U</title>
            <meta property="og:title" content="OG">
            <script type="application/ld+json">{"headline": "<b>H</b>"}</script>
            <script>var x = "<p>not text</p>";</script></head><body><p>x</p></body></html>"#,
        );
        assert_eq!(dom.title.as_deref(), Some("T & U"));
        assert_eq!(dom.lang.as_deref(), Some("en-GB"));
        assert_eq!(dom.json_ld, [r#"{"headline": "<b>H</b>"}"#]);
        assert_eq!(dom.metas[0].attr("content"), Some("OG"));
        assert!(!shape(&dom, 0).contains("not text"));
    }

    #[test]
    fn deep_nesting_is_flattened() {
        let html = "<div>".repeat(100_000) + "Deep text." + &"</div>".repeat(100_000) + "after";
        let dom = build(&html);
        assert!(dom.nodes.len() <= MAX_DEPTH + 4, "{}", dom.nodes.len());
        let last = dom.nodes.last().map(|n| &n.data);
        assert!(matches!(last, Some(Data::Text(t)) if t == "after"));
    }
}
