//! Main-content detection: which part of a page is the article.
//!
//! 1. **Visibility.** Elements that are never the article are set aside with their subtree:
//!    navigation, asides, footers, dialogs, buttons, hidden elements (`hidden`, `aria-hidden`,
//!    `display:none`), landmark roles other than the main one, and elements whose class or id
//!    words name site furniture (comments, sharing, related links, newsletters, cookie notices,
//!    advertising). Words that only *suggest* furniture (`sidebar`, `widget`, `ad` …) set an
//!    element aside unless its words also say it holds content (`article`, `story`, `body` …).
//! 2. **Scores.** Every paragraph-like element (a `<p>`, `<pre>`, `<td>`, a heading, or a
//!    `<div>` holding text directly) of at least [`MIN_PARAGRAPH_CHARS`] characters scores
//!    1 + its commas + one per 100 characters (at most 3), and gives that score to its parent,
//!    half to its grandparent and a third or less further up. A container starts from its tag
//!    (`div` +5, lists −3, headings −5) and its class words (±25), and its total is scaled by
//!    the share of its text that is not link text.
//! 3. **Choice.** The best container wins; when the page's JSON-LD `articleBody` matches one
//!    element's text closely, that element wins instead. Its siblings join when they score near
//!    it or read as prose (long, few links, or short and ending a sentence).
//! 4. **Cleaning inside.** Blocks in the chosen part are dropped when they are mostly links
//!    (menus, teaser lists, tag lists), and containers are dropped when their shape is not
//!    prose: more list items than paragraphs, more form inputs than paragraphs, a class word
//!    against them with few words.
//!
//! What it returns is a list of [`Block`]s in reading order, each a run of text with what the
//! markup says it is; the article assembler applies the text rules after that.

use super::dom::{Data, Dom, Element, Id};

/// Paragraphs shorter than this (characters) do not score.
const MIN_PARAGRAPH_CHARS: usize = 25;

/// A part of the article elsewhere scores at least this share of the best container's score…
const SPLIT_PART: f32 = 0.6;
/// … and shares an ancestor with it at most this many levels up.
const SPLIT_LEVELS: usize = 3;

/// Elements that are never article content.
const NEVER: &[&str] = &[
    "nav", "aside", "footer", "dialog", "button", "menu", "head", "input", "label", "option",
];

/// Landmark roles that are never article content.
const NEVER_ROLES: &[&str] = &[
    "navigation",
    "complementary",
    "banner",
    "contentinfo",
    "search",
    "dialog",
    "alertdialog",
    "menu",
    "menubar",
    "toolbar",
    "tablist",
];

/// Class or id words of site furniture: set aside whatever else the element says.
const FURNITURE: &[&str] = &[
    "comment",
    "comments",
    "commentlist",
    "disqus",
    "related",
    "share",
    "shares",
    "sharing",
    "sharebar",
    "social",
    "newsletter",
    "subscribe",
    "subscription",
    "signup",
    "promo",
    "promotion",
    "advert",
    "advertisement",
    "advertising",
    "sponsored",
    "outbrain",
    "taboola",
    "cookie",
    "cookies",
    "consent",
    "gdpr",
    "breadcrumb",
    "breadcrumbs",
    "popup",
    "modal",
    "recirc",
    "recirculation",
    "recommended",
    "recommendations",
    "trending",
    "popular",
    "skip",
    "skiplink",
    "screenreader",
    "visuallyhidden",
];

/// Pairs of class words that mark text only screen readers get (`sr-only`, `visually-hidden`).
const SCREEN_READER_ONLY: &[(&str, &str)] = &[
    ("sr", "only"),
    ("visually", "hidden"),
    ("screen", "reader"),
    ("element", "invisible"),
];

/// Class or id words that suggest furniture: set aside unless the element also has a
/// [`CONTENT_WORDS`] word.
const MAYBE_FURNITURE: &[&str] = &[
    "ad",
    "ads",
    "adsense",
    "sidebar",
    "widget",
    "widgets",
    "nav",
    "navbar",
    "navigation",
    "menu",
    "footer",
    "masthead",
    "banner",
    "sponsor",
    "tags",
    "toolbar",
    "pagination",
    "pager",
    "rss",
    "login",
    "print",
    "teaser",
    "teasers",
    "rail",
    "aside",
    "supplemental",
    "bio",
    "author",
    "meta",
    "tools",
    "utility",
    "overlay",
    "player",
    "video",
    "gallery",
];

/// Class or id words that say an element holds the article.
const CONTENT_WORDS: &[&str] = &[
    "article",
    "articlebody",
    "content",
    "entry",
    "hentry",
    "main",
    "post",
    "text",
    "blog",
    "story",
    "body",
    "prose",
    "copy",
    "richtext",
];

/// Class-name pieces that add to a container's score (substrings of its class and id words).
const POSITIVE: &[&str] = &[
    "article", "body", "content", "entry", "hentry", "main", "page", "post", "text", "blog",
    "story", "prose",
];

/// Class-name pieces that take from a container's score.
const NEGATIVE: &[&str] = &[
    "hidden",
    "banner",
    "combx",
    "comment",
    "contact",
    "foot",
    "footnote",
    "gdpr",
    "masthead",
    "media",
    "meta",
    "outbrain",
    "promo",
    "related",
    "scroll",
    "share",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "sponsor",
    "shopping",
    "tags",
    "tool",
    "widget",
    "teaser",
    "nav",
    "menu",
];

/// Class or id words of a standfirst.
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
    "lede",
    "intro",
];

/// Class or id words of a picture credit inside a caption.
const CREDIT_MARKS: &[&str] = &[
    "credit",
    "credits",
    "copyright",
    "photographer",
    "byline",
    "source",
    "author",
];

/// Class or id words of a byline.
const BYLINE_MARKS: &[&str] = &["byline", "author", "authors", "writer", "contributor"];

/// Paragraph elements: their whole text scores as one paragraph.
const PARAGRAPHS: &[&str] = &["p", "pre", "td", "h2", "h3", "h4", "h5", "h6", "blockquote"];

/// Whether an element ends a run of text.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "li"
            | "blockquote"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "figcaption"
            | "figure"
            | "article"
            | "section"
            | "main"
            | "header"
            | "td"
            | "th"
            | "tr"
            | "table"
            | "ul"
            | "ol"
            | "dl"
            | "dd"
            | "dt"
            | "pre"
            | "address"
            | "hr"
            | "center"
            | "details"
            | "summary"
            | "fieldset"
            | "form"
            | "picture"
            | "caption"
    )
}

/// What a block is, as far as the markup tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    H1,
    Heading,
    Subtitle,
    Caption,
    Byline,
    Text,
}

/// A run of text of the chosen part of the page.
#[derive(Debug)]
pub(crate) struct Block {
    pub kind: Kind,
    pub text: String,
    /// Credit ranges inside `text` (captions only).
    pub credits: Vec<std::ops::Range<usize>>,
}

/// An `<h1>` of the page.
#[derive(Debug)]
pub(crate) struct Heading1 {
    pub text: String,
    /// Inside the chosen part or its frame (up to three levels above it), not mostly a link:
    /// where an article's own headline sits, and a site's logo does not.
    pub near_content: bool,
}

/// What the reader takes from the page's body.
#[derive(Debug, Default)]
pub(crate) struct Content {
    /// The article's blocks, in reading order.
    pub blocks: Vec<Block>,
    /// Every visible `<h1>` of the page, in order (headline candidates).
    pub h1s: Vec<Heading1>,
    /// The first standfirst and byline outside the chosen part, if any.
    pub standfirst: Option<String>,
    pub byline: Option<String>,
    /// The first `<time datetime>` or `itemprop="datePublished"` value.
    pub time: Option<String>,
}

/// Per-node figures, over visible text only.
#[derive(Clone, Copy, Debug, Default)]
struct Stats {
    /// Characters of text (whitespace runs counted once).
    chars: u32,
    /// Characters inside links.
    link_chars: u32,
    commas: u32,
    paragraphs: u32,
    list_items: u32,
    inputs: u32,
    /// Words ending a sentence (`.`, `!`, `?`).
    sentences: u32,
}

impl Stats {
    /// Takes a descendant's figures out (it was set aside).
    fn remove(&mut self, d: &Stats) {
        self.chars = self.chars.saturating_sub(d.chars);
        self.link_chars = self.link_chars.saturating_sub(d.link_chars);
        self.commas = self.commas.saturating_sub(d.commas);
        self.paragraphs = self.paragraphs.saturating_sub(d.paragraphs);
        self.list_items = self.list_items.saturating_sub(d.list_items);
        self.inputs = self.inputs.saturating_sub(d.inputs);
        self.sentences = self.sentences.saturating_sub(d.sentences);
    }
}

struct Page<'a> {
    dom: &'a Dom,
    visible: Vec<bool>,
    stats: Vec<Stats>,
    score: Vec<f32>,
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// Whether an element is never content, whatever it holds: by its tag, a landmark role, or
/// because the page hides it.
fn never_content(e: &Element) -> bool {
    if matches!(&*e.name, "body" | "html" | "main" | "#root") {
        return false;
    }
    NEVER.contains(&&*e.name)
        || e.hidden
        || e.attr("role").is_some_and(|r| NEVER_ROLES.contains(&r))
        || {
            let mut next = e.marks();
            next.next();
            e.marks()
                .zip(next)
                .any(|pair| SCREEN_READER_ONLY.contains(&pair))
        }
}

/// Whether an element's class or id words name furniture. It is set aside unless it holds
/// most of the page's text: class names such as `has-sidebar`, `modal-enabled` or
/// `category-promotion` on the page's main column say nothing about the column itself.
fn furniture_words(e: &Element) -> bool {
    if matches!(&*e.name, "body" | "html" | "main" | "#root") {
        return false;
    }
    e.marked(FURNITURE)
        || (e.marked(MAYBE_FURNITURE) && !e.marked(CONTENT_WORDS) && &*e.name != "article")
}

/// Share of the page's text above which an element is never set aside for its class words.
const MOST_OF_THE_PAGE: f32 = 0.5;

/// ±25 for each of the class-name and id word sets that reads for or against content.
fn class_weight(e: &Element) -> f32 {
    let mut w = 0.0;
    let neg = NEGATIVE.iter().any(|n| e.marks_text().contains(n));
    let pos = POSITIVE.iter().any(|p| e.marks_text().contains(p));
    if neg {
        w -= 25.0;
    }
    if pos {
        w += 25.0;
    }
    if e.attr("itemprop") == Some("articleBody") {
        w += 50.0;
    }
    w
}

fn tag_weight(name: &str) -> f32 {
    match name {
        "div" | "article" | "main" | "section" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    }
}

/// Counts characters as the text will read once whitespace is collapsed.
fn text_stats(t: &str) -> (u32, u32, u32) {
    let mut chars = 0u32;
    let mut commas = 0u32;
    let mut sentences = 0u32;
    let mut space = true;
    for c in t.chars() {
        if c.is_whitespace() {
            if !space {
                chars += 1;
                space = true;
            }
        } else {
            chars += 1;
            space = false;
            if matches!(c, ',' | '，' | '、' | '،') {
                commas += 1;
            }
            if matches!(c, '.' | '!' | '?' | '。' | '！' | '？') {
                sentences += 1;
            }
        }
    }
    (chars, commas, sentences)
}

impl<'a> Page<'a> {
    fn new(dom: &'a Dom) -> Page<'a> {
        let n = dom.nodes.len();
        let mut visible = vec![true; n];
        for id in 0..n {
            let parent_visible = dom.nodes[id].parent.is_none_or(|p| visible[p]);
            visible[id] = parent_visible && dom.element(id).is_none_or(|e| !never_content(e));
        }
        let mut stats = Self::figures(dom, &visible);
        let page_chars = stats.first().map_or(0, |s| s.chars) as f32;
        for id in 0..n {
            let Some(parent) = dom.nodes[id].parent else {
                continue;
            };
            if !visible[parent] {
                visible[id] = false;
                continue;
            }
            let set_aside = visible[id]
                && dom.element(id).is_some_and(|e| {
                    furniture_words(e) && (stats[id].chars as f32) < page_chars * MOST_OF_THE_PAGE
                });
            if set_aside {
                // Its text no longer counts for the elements above it.
                visible[id] = false;
                let gone = stats[id];
                let mut up = Some(parent);
                while let Some(a) = up {
                    stats[a].remove(&gone);
                    up = dom.nodes[a].parent;
                }
            }
        }
        let score = vec![0.0; n];
        Page {
            dom,
            visible,
            stats,
            score,
        }
    }

    fn figures(dom: &Dom, visible: &[bool]) -> Vec<Stats> {
        let n = dom.nodes.len();
        // Figures bottom up: nodes are in document order, so children come after parents.
        let mut stats = vec![Stats::default(); n];
        for id in (0..n).rev() {
            if !visible[id] {
                continue;
            }
            let mut s = stats[id];
            match &dom.nodes[id].data {
                Data::Text(t) => {
                    let (c, k, e) = text_stats(t);
                    s.chars += c;
                    s.commas += k;
                    s.sentences += e;
                }
                Data::Element(e) => match &*e.name {
                    "a" => s.link_chars = s.chars,
                    "p" => s.paragraphs += 1,
                    "li" => s.list_items += 1,
                    "input" | "select" | "textarea" => s.inputs += 1,
                    _ => {}
                },
            }
            stats[id] = s;
            if let Some(p) = dom.nodes[id].parent {
                let ps = &mut stats[p];
                ps.chars += s.chars;
                ps.link_chars += s.link_chars;
                ps.commas += s.commas;
                ps.paragraphs += s.paragraphs;
                ps.list_items += s.list_items;
                ps.inputs += s.inputs;
                ps.sentences += s.sentences;
            }
        }
        stats
    }

    fn link_density(&self, id: Id) -> f32 {
        let s = self.stats[id];
        if s.chars == 0 {
            return 0.0;
        }
        (s.link_chars as f32 / s.chars as f32).min(1.0)
    }

    fn name(&self, id: Id) -> &str {
        self.dom.element(id).map_or("", |e| &e.name)
    }

    /// Scores every container (step 2 of the module's docs).
    fn score_all(&mut self) -> Vec<Id> {
        let n = self.dom.nodes.len();
        let mut initialised = vec![false; n];
        let mut candidates = Vec::new();
        for id in 0..n {
            if !self.visible[id] {
                continue;
            }
            let Some(e) = self.dom.element(id) else {
                continue;
            };
            if PARAGRAPHS.contains(&&*e.name) {
                let s = self.stats[id];
                if let Some(parent) = self.dom.nodes[id].parent {
                    self.credit(
                        parent,
                        s.chars,
                        s.commas,
                        s.link_chars,
                        &mut initialised,
                        &mut candidates,
                    );
                }
                continue;
            }
            // Text inside a paragraph is scored with it; captions are not the body.
            if self.inside_paragraph(id) || matches!(&*e.name, "figcaption" | "figure") {
                continue;
            }
            // Text that sits directly in a container, between its blocks (`<br>`-separated
            // lines, text in a bare `<div>`): each run scores as a paragraph of the container.
            let (mut chars, mut commas, mut links) = (0, 0, 0);
            let kids: Vec<Id> = self.dom.children(id).collect();
            for c in kids {
                if !self.visible[c] {
                    continue;
                }
                let block = match &self.dom.nodes[c].data {
                    Data::Text(t) => {
                        let (ch, co, _) = text_stats(t);
                        chars += ch;
                        commas += co;
                        false
                    }
                    Data::Element(ce) if is_block(&ce.name) => true,
                    Data::Element(_) => {
                        let s = self.stats[c];
                        chars += s.chars;
                        commas += s.commas;
                        links += s.link_chars;
                        false
                    }
                };
                if block && chars > 0 {
                    self.credit(id, chars, commas, links, &mut initialised, &mut candidates);
                    (chars, commas, links) = (0, 0, 0);
                }
            }
            if chars > 0 {
                self.credit(id, chars, commas, links, &mut initialised, &mut candidates);
            }
        }
        // The tag and class words weigh in, but class words can at most double or cancel
        // the paragraphs' own evidence: `content` on a box holding one line does not make it
        // the article.
        for &c in &candidates {
            let points = self.score[c];
            let (tag, class) = self
                .dom
                .element(c)
                .map_or((0.0, 0.0), |e| (tag_weight(&e.name), class_weight(e)));
            self.score[c] =
                (tag + points + class.clamp(-points, points)) * (1.0 - self.link_density(c));
        }
        candidates
    }

    /// Whether an element is inside a paragraph element (whose text is scored whole).
    fn inside_paragraph(&self, id: Id) -> bool {
        let mut up = self.dom.nodes[id].parent;
        while let Some(a) = up {
            if PARAGRAPHS.contains(&self.name(a)) || self.name(a) == "figcaption" {
                return true;
            }
            if is_block(self.name(a)) {
                return false;
            }
            up = self.dom.nodes[a].parent;
        }
        false
    }

    /// Gives a paragraph's points to the container holding it and, less, to its ancestors.
    fn credit(
        &mut self,
        container: Id,
        chars: u32,
        commas: u32,
        link_chars: u32,
        initialised: &mut [bool],
        candidates: &mut Vec<Id>,
    ) {
        if (chars as usize) < MIN_PARAGRAPH_CHARS {
            return;
        }
        let mut points = 1.0 + commas as f32 + (chars as f32 / 100.0).floor().min(3.0);
        // Paragraphs that are mostly link text are lists of links, not prose.
        points *= 1.0 - (link_chars as f32 / chars as f32).min(1.0);
        let mut level = 0;
        let mut up = Some(container);
        while let Some(a) = up {
            if level >= 5 {
                break;
            }
            if !initialised[a] {
                initialised[a] = true;
                candidates.push(a);
            }
            let divider = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            self.score[a] += points / divider;
            level += 1;
            up = self.dom.nodes[a].parent;
        }
    }

    /// The best container (step 3).
    fn top(&self, candidates: &[Id]) -> Option<Id> {
        let mut best = *candidates
            .iter()
            .max_by(|&&a, &&b| self.score[a].total_cmp(&self.score[b]))?;
        // Several strong candidates under one ancestor: the article is split into parts.
        let top_score = self.score[best];
        let related = |a: Id, b: Id| {
            (a <= b && b < self.dom.nodes[a].end) || (b <= a && a < self.dom.nodes[b].end)
        };
        let mut strong: Vec<Id> = candidates
            .iter()
            .copied()
            .filter(|&c| !related(c, best) && self.score[c] >= 0.75 * top_score)
            .collect();
        strong.sort_by(|&a, &b| self.score[b].total_cmp(&self.score[a]));
        strong.truncate(5);
        if strong.len() >= 3 {
            let mut up = self.dom.nodes[best].parent;
            while let Some(a) = up {
                if self.name(a) == "#root" {
                    break;
                }
                let holds = strong
                    .iter()
                    .filter(|&&c| a <= c && c < self.dom.nodes[a].end)
                    .count();
                if holds >= 3 {
                    best = a;
                    break;
                }
                up = self.dom.nodes[a].parent;
            }
        }
        // The article in two or more parts close together (a text, a player, more text): the
        // nearest container of a part that scores nearly as well, within a few levels.
        let origin = best;
        for &c in candidates {
            if related(c, origin) || self.score[c] < SPLIT_PART * top_score {
                continue;
            }
            let mut up = self.dom.nodes[origin].parent;
            for _ in 0..SPLIT_LEVELS {
                let Some(a) = up else { break };
                if self.name(a) == "#root" {
                    break;
                }
                if a <= c && c < self.dom.nodes[a].end {
                    if a < best {
                        best = a;
                    }
                    break;
                }
                up = self.dom.nodes[a].parent;
            }
        }
        // Climb while the parent scores as well: the container, not one of its columns.
        let mut last = self.score[best];
        let threshold = last / 3.0;
        let mut up = self.dom.nodes[best].parent;
        while let Some(p) = up {
            if self.name(p) == "#root" {
                break;
            }
            let ps = self.score[p];
            if ps < threshold {
                break;
            }
            if ps > last {
                best = p;
                break;
            }
            last = ps;
            up = self.dom.nodes[p].parent;
        }
        // A lone child: its parent is the same content with its frame.
        while let Some(p) = self.dom.nodes[best].parent {
            if self.name(p) == "#root"
                || self
                    .dom
                    .children(p)
                    .filter(|&c| self.visible[c] && self.stats[c].chars > 0)
                    .count()
                    != 1
            {
                break;
            }
            best = p;
        }
        Some(best)
    }

    /// The chosen part: the best container and the siblings that read like it.
    fn chosen(&self, best: Id) -> Vec<Id> {
        let Some(parent) = self.dom.nodes[best].parent else {
            return vec![best];
        };
        let top_score = self.score[best];
        let threshold = (top_score * 0.2).max(10.0);
        let best_marks = self.dom.element(best).map(|e| e.marks_text());
        let mut out = Vec::new();
        for c in self.dom.children(parent) {
            if c == best {
                out.push(c);
                continue;
            }
            if !self.visible[c] || self.dom.element(c).is_none() {
                continue;
            }
            let mut bonus = 0.0;
            if let (Some(bm), Some(e)) = (best_marks, self.dom.element(c)) {
                if !bm.is_empty() && e.marks_text() == bm {
                    bonus = top_score * 0.2;
                }
            }
            let s = self.stats[c];
            let ld = self.link_density(c);
            let take = if self.score[c] + bonus >= threshold {
                true
            } else if self.name(c) == "p" {
                (s.chars > 80 && ld < 0.25) || (s.chars > 0 && ld == 0.0 && s.sentences > 0)
            } else {
                false
            };
            if take {
                out.push(c);
            }
        }
        out
    }

    /// Whether a container inside the chosen part is furniture by its shape (step 4).
    fn drop_by_shape(&self, id: Id) -> bool {
        let Some(e) = self.dom.element(id) else {
            return false;
        };
        let name = &*e.name;
        if !matches!(
            name,
            "div" | "section" | "ul" | "ol" | "table" | "form" | "fieldset" | "header" | "dl"
        ) {
            return false;
        }
        let s = self.stats[id];
        if s.chars == 0 {
            return false;
        }
        // Class words against it that its paragraphs do not outweigh (the tag's own weight is
        // for choosing the container, not for cleaning inside it: a list is not furniture).
        let weight = class_weight(e);
        let evidence = (self.score[id] - tag_weight(name)).max(0.0);
        if weight + evidence < 0.0 && s.commas < 10 {
            return true;
        }
        if s.commas >= 10 {
            return false;
        }
        let is_list = matches!(name, "ul" | "ol" | "dl");
        let ld = self.link_density(id);
        let p = s.paragraphs as f32;
        (!is_list && s.list_items as f32 > p + 3.0 && ld > 0.3)
            || (s.inputs as f32 > p / 3.0 && s.inputs > 0)
            || (weight < 25.0 && ld > 0.5)
            || (weight >= 25.0 && ld > 0.7)
            || (is_list && ld > 0.5)
    }
}

/// Collects the text of the chosen part as blocks.
struct Emitter<'p, 'a> {
    page: &'p Page<'a>,
    blocks: Vec<Block>,
    text: String,
    link_chars: usize,
    in_link: usize,
    credits: Vec<std::ops::Range<usize>>,
    /// Open roles from the outside in.
    roles: Vec<Kind>,
    in_caption: usize,
}

impl Emitter<'_, '_> {
    fn push_text(&mut self, s: &str) {
        for c in s.chars() {
            if c.is_whitespace() {
                if !self.text.is_empty() && !self.text.ends_with(' ') {
                    self.text.push(' ');
                }
            } else {
                self.text.push(c);
                if self.in_link > 0 {
                    self.link_chars += 1;
                }
            }
        }
    }

    fn flush(&mut self) {
        let r = super::rules::trimmed(&self.text);
        let kind = self.roles.last().copied().unwrap_or(Kind::Text);
        if !r.is_empty() {
            let text = self.text[r.clone()].to_string();
            let chars = text.chars().filter(|c| !c.is_whitespace()).count();
            let mostly_links = self.link_chars * 10 >= chars * 8;
            let drop = mostly_links && matches!(kind, Kind::Text | Kind::Heading) && chars > 0;
            if !drop {
                let credits = self
                    .credits
                    .drain(..)
                    .filter_map(|c| {
                        let s = c.start.max(r.start) - r.start;
                        let e = c.end.min(r.end).saturating_sub(r.start);
                        let piece = super::rules::trimmed(&text[s..e.max(s)]);
                        (!piece.is_empty()).then(|| s + piece.start..s + piece.end)
                    })
                    .collect();
                self.blocks.push(Block {
                    kind,
                    text,
                    credits,
                });
            }
        }
        self.text.clear();
        self.credits.clear();
        self.link_chars = 0;
    }

    fn role(&self, e: &Element, id: Id) -> Option<Kind> {
        let name = &*e.name;
        if name == "h1" {
            return Some(Kind::H1);
        }
        if is_heading(name) {
            return Some(if e.marked(STANDFIRST_MARKS) {
                Kind::Subtitle
            } else {
                Kind::Heading
            });
        }
        if name == "figcaption" || (e.marked(&["caption"]) && name != "figure") {
            return Some(Kind::Caption);
        }
        let short = self.page.stats[id].chars < 300;
        let byline_sized = self.page.stats[id].chars < 150;
        if short && e.marked(STANDFIRST_MARKS) {
            return Some(Kind::Subtitle);
        }
        if byline_sized && e.marked(BYLINE_MARKS) && self.in_caption == 0 {
            return Some(Kind::Byline);
        }
        None
    }

    fn walk(&mut self, id: Id, root: bool) {
        if !self.page.visible[id] {
            return;
        }
        let dom = self.page.dom;
        let e = match &dom.nodes[id].data {
            Data::Text(t) => {
                self.push_text(t);
                return;
            }
            Data::Element(e) => e,
        };
        // The chosen part itself is content, whatever its shape.
        if !root && self.page.drop_by_shape(id) {
            return;
        }
        let name = &*e.name;
        let block = is_block(name);
        if block {
            self.flush();
        }
        if name == "br" {
            self.push_text(" ");
        }
        let role = self.role(e, id);
        if let Some(k) = role {
            self.roles.push(k);
        }
        let credit = self.in_caption > 0 && e.marked(CREDIT_MARKS);
        let credit_start = self.text.len();
        if role == Some(Kind::Caption) {
            self.in_caption += 1;
        }
        if name == "a" {
            self.in_link += 1;
        }
        for c in dom.children(id) {
            self.walk(c, false);
        }
        if name == "a" {
            self.in_link -= 1;
        }
        if credit {
            self.credits.push(credit_start..self.text.len());
        }
        if block || role.is_some() {
            self.flush();
        }
        if role == Some(Kind::Caption) {
            self.in_caption -= 1;
        }
        if role.is_some() {
            self.roles.pop();
        }
    }
}

/// Word counts of a text, for comparing an element with the JSON-LD article body.
pub(crate) fn word_bag(text: &str) -> std::collections::HashMap<String, u32> {
    let mut bag = std::collections::HashMap::new();
    for w in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        *bag.entry(w.to_lowercase()).or_insert(0) += 1;
    }
    bag
}

pub(crate) fn overlap_f1(
    a: &std::collections::HashMap<String, u32>,
    b: &std::collections::HashMap<String, u32>,
) -> f32 {
    let na: u32 = a.values().sum();
    let nb: u32 = b.values().sum();
    if na == 0 || nb == 0 {
        return 0.0;
    }
    let common: u32 = a
        .iter()
        .map(|(w, &n)| n.min(b.get(w).copied().unwrap_or(0)))
        .sum();
    2.0 * common as f32 / (na + nb) as f32
}

fn subtree_text(dom: &Dom, visible: &[bool], id: Id) -> String {
    let mut out = String::new();
    let end = dom.nodes[id].end;
    for (node, _) in dom.nodes[id..end]
        .iter()
        .zip(&visible[id..end])
        .filter(|(_, &v)| v)
    {
        if let Data::Text(t) = &node.data {
            out.push_str(t);
            out.push(' ');
        }
    }
    out
}

/// The element whose text matches the JSON-LD `articleBody` best, if one matches closely.
fn matching_body(page: &Page<'_>, body: &str) -> Option<Id> {
    let target = word_bag(body);
    let words: u32 = target.values().sum();
    if words < 30 {
        return None;
    }
    let body_chars = text_stats(body).0 as f32;
    let mut best: Option<(f32, Id)> = None;
    for id in 0..page.dom.nodes.len() {
        if !page.visible[id] || page.dom.element(id).is_none() {
            continue;
        }
        let chars = page.stats[id].chars as f32;
        if chars < body_chars * 0.6 || chars > body_chars * 2.5 {
            continue;
        }
        // A wrapper around one child with all its text reads the same as the child, which is
        // looked at on its own.
        if page.dom.children(id).any(|c| {
            page.visible[c]
                && page.dom.element(c).is_some()
                && page.stats[c].chars == page.stats[id].chars
        }) {
            continue;
        }
        let f = overlap_f1(
            &word_bag(&subtree_text(page.dom, &page.visible, id)),
            &target,
        );
        // The innermost of equally good elements: a later id inside an earlier one.
        if best.is_none_or(|(bf, _)| f >= bf) {
            best = Some((f, id));
        }
    }
    best.filter(|&(f, _)| f >= 0.9).map(|(_, id)| id)
}

/// Finds the article in a built page.
pub(crate) fn extract(dom: &Dom, ld_body: Option<&str>) -> Content {
    let mut page = Page::new(dom);
    let candidates = page.score_all();
    let mut out = Content::default();
    let roots = match ld_body.and_then(|b| matching_body(&page, b)) {
        Some(matched) => vec![matched],
        None => match page.top(&candidates) {
            Some(best) => page.chosen(best),
            None => vec![0],
        },
    };
    let in_roots = |id: Id| roots.iter().any(|&r| r <= id && id < dom.nodes[r].end);
    let mut frame = roots.first().copied();
    for _ in 0..3 {
        match frame.and_then(|f| dom.nodes[f].parent) {
            Some(p) if p != 0 => frame = Some(p),
            _ => break,
        }
    }
    // Headline candidates, standfirst, byline and time outside the chosen part.
    for id in 0..dom.nodes.len() {
        if !page.visible[id] {
            continue;
        }
        let Some(e) = dom.element(id) else { continue };
        if out.time.is_none() {
            if let Some(t) = e.attr("datetime").filter(|_| &*e.name == "time") {
                out.time = Some(t.to_string());
            } else if e.attr("itemprop") == Some("datePublished") {
                out.time = e.attr("content").or(e.attr("datetime")).map(str::to_string);
            }
        }
        if &*e.name == "h1" {
            let t = super::meta::clean(&subtree_text(dom, &page.visible, id));
            if !t.is_empty() {
                out.h1s.push(Heading1 {
                    text: t,
                    near_content: frame.is_some_and(|f| f <= id && id < dom.nodes[f].end)
                        && page.link_density(id) < 0.5,
                });
            }
            continue;
        }
        if in_roots(id) || roots.first().is_some_and(|&r| id > r) {
            continue;
        }
        let short = page.stats[id].chars > 0 && page.stats[id].chars < 300;
        if short && out.standfirst.is_none() && e.marked(STANDFIRST_MARKS) && !is_heading(&e.name) {
            out.standfirst = Some(super::meta::clean(&subtree_text(dom, &page.visible, id)));
        }
        if short && out.byline.is_none() && e.marked(BYLINE_MARKS) {
            out.byline = Some(super::meta::clean(&subtree_text(dom, &page.visible, id)));
        }
    }
    let mut em = Emitter {
        page: &page,
        blocks: Vec::new(),
        text: String::new(),
        link_chars: 0,
        in_link: 0,
        credits: Vec::new(),
        roles: Vec::new(),
        in_caption: 0,
    };
    for &r in &roots {
        em.walk(r, true);
        em.flush();
    }
    out.blocks = em.blocks;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn describe(dom: &Dom, id: Id) -> String {
        match dom.element(id) {
            Some(e) => format!(
                "{}#{} .{}",
                id,
                e.name,
                e.marks().collect::<Vec<_>>().join(".")
            ),
            None => format!("{id}#text"),
        }
    }

    /// `NEWSLENS_PAGE=file.html cargo test explain_page -- --ignored --nocapture` shows how a
    /// page's content was chosen.
    #[test]
    #[ignore]
    #[allow(clippy::print_stdout)]
    fn explain_page() {
        let Ok(path) = std::env::var("NEWSLENS_PAGE") else {
            return;
        };
        let html = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
        let dom = super::super::dom::build(&html);
        let meta = super::super::meta::read(&dom);
        let mut page = Page::new(&dom);
        if let Ok(needle) = std::env::var("NEWSLENS_FIND") {
            for id in 0..dom.nodes.len() {
                if matches!(&dom.nodes[id].data, Data::Text(t) if t.contains(&needle)) {
                    let mut up = Some(id);
                    while let Some(a) = up {
                        println!("  {} visible {}", describe(&dom, a), page.visible[a]);
                        up = dom.nodes[a].parent;
                    }
                    break;
                }
            }
        }
        let mut cands = page.score_all();
        cands.sort_by(|&a, &b| page.score[b].total_cmp(&page.score[a]));
        for &c in cands.iter().take(12) {
            let mut path = Vec::new();
            let mut up = Some(c);
            while let Some(a) = up {
                path.push(describe(&dom, a));
                up = dom.nodes[a].parent;
            }
            path.reverse();
            println!(
                "{:8.1} chars {:6} ld {:.2} {}",
                page.score[c],
                page.stats[c].chars,
                page.link_density(c),
                path.join(" > ")
            );
        }
        let top = page.top(&cands);
        println!("top {:?}", top.map(|t| describe(&dom, t)));
        if let Some(t) = top {
            for r in page.chosen(t) {
                println!("  chosen {}", describe(&dom, r));
            }
        }
        if let Some(b) = meta.ld_body.as_deref() {
            println!(
                "ld body match {:?}",
                matching_body(&page, b).map(|t| describe(&dom, t))
            );
        }
        for b in extract(&dom, meta.ld_body.as_deref()).blocks {
            println!(
                "{:?}\t{}",
                b.kind,
                b.text.chars().take(100).collect::<String>()
            );
        }
    }
}
