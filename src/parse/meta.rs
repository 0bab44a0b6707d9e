//! A page's metadata: `<title>`, OpenGraph and `article:` meta, `<meta name="author">`, JSON-LD
//! (`NewsArticle`, `Article`, `BlogPosting` …), and the page's language.
//!
//! Values are cleaned (whitespace collapsed, entities already decoded by the tokenizer) but not
//! judged: which of them is the headline is decided by the page reader, which also sees the body.

use super::dom::Dom;
use serde_json::Value;

/// What a page says about itself.
#[derive(Debug, Default)]
pub(crate) struct PageMeta {
    pub title: Option<String>,
    pub og_title: Option<String>,
    pub site_name: Option<String>,
    pub ld_headline: Option<String>,
    pub ld_body: Option<String>,
    pub ld_publisher: Option<String>,
    /// `datePublished`, `article:published_time` … as written (normalised later).
    pub published: Vec<String>,
    pub authors: Vec<String>,
    pub language: Option<String>,
}

/// JSON-LD types whose fields describe the article.
const ARTICLE_TYPES: &[&str] = &[
    "Article",
    "NewsArticle",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "ReviewNewsArticle",
    "BackgroundNewsArticle",
    "AskPublicNewsArticle",
    "BlogPosting",
    "LiveBlogPosting",
    "SocialMediaPosting",
    "TechArticle",
    "ScholarlyArticle",
    "Report",
];

/// Meta names or properties that give the publication time, in order of trust.
const DATE_METAS: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "og:pubdate",
    "datecreated",
];

/// Collapses whitespace runs to one space and trims.
pub(crate) fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for w in text.split(super::rules::is_space).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// A metadata value: whitespace collapsed, and entities a page escaped twice (`&amp;#8211;` in
/// the markup, `&#8211;` after the tokenizer) decoded.
fn non_empty(s: &str) -> Option<String> {
    let c = clean(&unescape_again(s));
    (!c.is_empty()).then_some(c)
}

fn unescape_again(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('&') {
        return s.into();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = tail
            .char_indices()
            .take(12)
            .find(|&(_, c)| c == ';')
            .map(|(e, _)| e);
        let decoded = end.and_then(|e| {
            let name = &tail[1..e];
            let c = match name {
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "nbsp" => Some(' '),
                _ => {
                    let n = if let Some(h) = name.strip_prefix("#x").or(name.strip_prefix("#X")) {
                        u32::from_str_radix(h, 16).ok()
                    } else {
                        name.strip_prefix('#').and_then(|d| d.parse().ok())
                    };
                    n.and_then(char::from_u32)
                }
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &tail[len..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out.into()
}

/// Reads the metadata of a built page.
pub(crate) fn read(dom: &Dom) -> PageMeta {
    let mut m = PageMeta {
        title: dom.title.as_deref().and_then(non_empty),
        language: dom.lang.as_deref().and_then(non_empty),
        ..PageMeta::default()
    };
    let mut dates: Vec<(usize, String)> = Vec::new();
    let mut locale = None;
    let mut content_language = None;
    for meta in &dom.metas {
        let key = meta
            .attr("property")
            .or_else(|| meta.attr("name"))
            .or_else(|| meta.attr("itemprop"))
            .map(str::to_ascii_lowercase);
        let equiv = meta.attr("http-equiv").map(str::to_ascii_lowercase);
        let Some(content) = meta.attr("content").and_then(non_empty) else {
            continue;
        };
        if equiv.as_deref() == Some("content-language") {
            content_language.get_or_insert(content.clone());
        }
        let Some(key) = key else { continue };
        match key.as_str() {
            "og:title" => {
                m.og_title.get_or_insert(content);
            }
            // A site name that is an address names nothing.
            "og:site_name" if !content.contains("://") => {
                m.site_name.get_or_insert(content);
            }
            "og:locale" => {
                locale.get_or_insert(content);
            }
            "author" | "article:author" | "byl" | "parsely-author" | "sailthru.author"
            | "dc.creator" => {
                if !content.contains("://") && !content.starts_with("www.") {
                    let name = content
                        .strip_prefix("By ")
                        .or_else(|| content.strip_prefix("by "))
                        .unwrap_or(&content)
                        .to_string();
                    if !m.authors.contains(&name) {
                        m.authors.push(name);
                    }
                }
            }
            k => {
                if let Some(rank) = DATE_METAS.iter().position(|d| *d == k) {
                    dates.push((rank, content));
                }
            }
        }
    }
    for text in &dom.json_ld {
        read_json_ld(text, &mut m);
    }
    dates.sort_by_key(|(rank, _)| *rank);
    m.published.extend(dates.into_iter().map(|(_, d)| d));
    if m.language.is_none() {
        m.language = content_language.or(locale.map(|l| l.replace('_', "-")));
    }
    m
}

fn read_json_ld(text: &str, m: &mut PageMeta) {
    let value: Value = match serde_json::from_str(text.trim()) {
        Ok(v) => v,
        // Pages often put raw line breaks and tabs inside JSON strings.
        Err(_) => {
            let fixed: String = text
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            match serde_json::from_str(fixed.trim()) {
                Ok(v) => v,
                Err(_) => return,
            }
        }
    };
    let mut found = Vec::new();
    collect_articles(&value, 0, &mut found);
    for a in found {
        if m.ld_headline.is_none() {
            m.ld_headline = string(a.get("headline")).or_else(|| string(a.get("name")));
        }
        if m.ld_body.is_none() {
            m.ld_body = a
                .get("articleBody")
                .and_then(Value::as_str)
                .map(str::to_string)
                .filter(|b| !b.trim().is_empty());
        }
        if let Some(d) = string(a.get("datePublished")) {
            m.published.insert(0, d);
        } else if let Some(d) = string(a.get("dateCreated")) {
            m.published.push(d);
        }
        if m.ld_publisher.is_none() {
            m.ld_publisher = a.get("publisher").and_then(name_of);
        }
        let mut names = Vec::new();
        match a.get("author") {
            Some(Value::Array(list)) => names.extend(list.iter().filter_map(name_of)),
            Some(v) => names.extend(name_of(v)),
            None => {}
        }
        for n in names {
            if !m.authors.contains(&n) {
                m.authors.push(n);
            }
        }
        if m.language.is_none() {
            m.language = string(a.get("inLanguage"));
        }
    }
}

/// The article objects of a JSON-LD value: top level, in arrays, in `@graph`, as `mainEntity`.
fn collect_articles<'a>(v: &'a Value, depth: usize, out: &mut Vec<&'a Value>) {
    if depth > 8 {
        return;
    }
    match v {
        Value::Array(items) => {
            for i in items {
                collect_articles(i, depth + 1, out);
            }
        }
        Value::Object(map) => {
            let typed = match map.get("@type") {
                Some(Value::String(t)) => ARTICLE_TYPES.contains(&t.as_str()),
                Some(Value::Array(ts)) => ts
                    .iter()
                    .any(|t| t.as_str().is_some_and(|t| ARTICLE_TYPES.contains(&t))),
                _ => false,
            };
            if typed {
                out.push(v);
            }
            for key in ["@graph", "mainEntity", "mainEntityOfPage"] {
                if let Some(inner) = map.get(key) {
                    collect_articles(inner, depth + 1, out);
                }
            }
        }
        _ => {}
    }
}

fn string(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => non_empty(s),
        Value::Array(a) => a.first().and_then(|x| string(Some(x))),
        _ => None,
    }
}

fn name_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.contains("://") => non_empty(s),
        Value::Object(o) => string(o.get("name")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_and_meta() {
        let dom = super::super::dom::build(
            r#"<html><head><title>Talks stall | Daily</title>
            <meta property="og:site_name" content="https://daily.example">
            <meta property="og:site_name" content="The Daily">
            <meta property="og:title" content="Talks &amp;#8211; stall &amp;amp; more">
            <meta name="author" content="By Jane Doe">
            <meta property="article:published_time" content="2019-11-19T10:00:00Z">
            <meta property="og:locale" content="en_GB">
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
              {"@type":"WebSite","name":"The Daily"},
              {"@type":["NewsArticle"],"headline":"Talks stall",
               "datePublished":"2019-11-18","author":[{"@type":"Person","name":"Jane Doe"},
               {"name":"Sok Chea"}],"publisher":{"name":"The Daily"},
               "articleBody":"The talks
               stalled."}]}</script></head></html>"#,
        );
        let m = read(&dom);
        assert_eq!(m.title.as_deref(), Some("Talks stall | Daily"));
        assert_eq!(m.og_title.as_deref(), Some("Talks \u{2013} stall & more"));
        assert_eq!(m.site_name.as_deref(), Some("The Daily"));
        assert_eq!(m.ld_headline.as_deref(), Some("Talks stall"));
        assert_eq!(m.ld_publisher.as_deref(), Some("The Daily"));
        assert_eq!(m.published[0], "2019-11-18");
        assert_eq!(m.published[1], "2019-11-19T10:00:00Z");
        assert_eq!(m.authors, ["Jane Doe", "Sok Chea"]);
        assert_eq!(m.language.as_deref(), Some("en-GB"));
        assert!(m.ld_body.unwrap().starts_with("The talks"));
    }

    #[test]
    fn broken_json_ld_is_ignored() {
        let dom = super::super::dom::build(
            r#"<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>"#,
        );
        assert!(read(&dom).ld_headline.is_none());
    }
}
