//! HTML article pages: the page's tree ([`super::dom`]), its metadata ([`super::meta`]) and its
//! main content ([`super::content`]) become the article's units.
//!
//! The headline is the one the page agrees on: an `<h1>` that matches `og:title`, the JSON-LD
//! `headline` or the `<title>` (with the site's name cut off), else the metadata's own headline,
//! never the site's or a section's name. The outlet is `og:site_name` or the JSON-LD publisher.
//!
//! The article's source text is the kept blocks in reading order, whitespace collapsed,
//! separated by blank lines; all spans point into it.

use super::assemble::{assemble, Hint, Unit};
use super::content::{self, Kind};
use super::meta::{self, PageMeta};
use crate::article::{Article, Span};
use crate::error::Error;

/// Reads an HTML page.
pub(crate) fn parse(html: &str) -> Result<Article, Error> {
    let dom = super::dom::build(html);
    let meta = meta::read(&dom);
    let content = content::extract(&dom, meta.ld_body.as_deref());
    build(meta, content)
}

/// Lower-case words, for comparing headline candidates.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// True when two headline candidates say the same: equal words, one the first words of the
/// other, or one the other with a few words added (a kicker, a site name).
fn agree(a: &str, b: &str) -> bool {
    let (wa, wb) = (words(a), words(b));
    if wa.is_empty() || wb.is_empty() {
        return false;
    }
    if wa == wb {
        return true;
    }
    let (short, long) = if wa.len() <= wb.len() {
        (&wa, &wb)
    } else {
        (&wb, &wa)
    };
    // A shortened headline: the first words of the other.
    if short.len() >= 2 && long.starts_with(short) {
        return true;
    }
    if short.len() < 3 || short.len() * 10 < long.len() * 6 {
        return false;
    }
    long.windows(short.len()).any(|w| w == short.as_slice())
}

/// Headline separators in `<title>`: `Headline | Site`, `Site - Headline`.
const TITLE_SEPARATORS: &[&str] = &[
    " | ", " - ", " – ", " — ", " :: ", " · ", " » ", " « ", " / ",
];

/// `<title>` without the site's name: the piece that names the site (or, when no site name is
/// known, a short last piece) is cut.
fn strip_site(title: &str, sites: &[&str]) -> (String, Vec<String>) {
    let mut pieces: Vec<&str> = vec![title];
    for sep in TITLE_SEPARATORS {
        pieces = pieces.iter().flat_map(|p| p.split(sep)).collect();
    }
    let pieces: Vec<&str> = pieces
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if pieces.len() < 2 {
        return (title.trim().to_string(), Vec::new());
    }
    let is_site = |p: &str| sites.iter().any(|s| words(s) == words(p));
    let mut cut = Vec::new();
    let mut kept: Vec<&str> = Vec::new();
    for (i, p) in pieces.iter().enumerate() {
        if is_site(p) || (sites.is_empty() && i == pieces.len() - 1 && words(p).len() <= 4) {
            cut.push(p.to_string());
        } else {
            kept.push(p);
        }
    }
    if kept.is_empty() {
        return (title.trim().to_string(), Vec::new());
    }
    // The headline is the longest remaining piece; the others are section names.
    let longest = kept
        .iter()
        .copied()
        .max_by_key(|p| p.len())
        .unwrap_or(kept[0]);
    for p in &kept {
        if *p != longest {
            cut.push(p.to_string());
        }
    }
    (longest.to_string(), cut)
}

/// Chooses the headline, never a site's or section's name (see the steps inside): sources that
/// agree first, then the visible `<h1>` by the article, then the metadata.
fn headline(meta: &PageMeta, h1s: &[content::Heading1]) -> Option<String> {
    let mut sites: Vec<&str> = Vec::new();
    sites.extend(meta.site_name.as_deref());
    sites.extend(meta.ld_publisher.as_deref());
    let (title, cut) = match &meta.title {
        Some(t) => {
            let (h, cut) = strip_site(t, &sites);
            (Some(h), cut)
        }
        None => (None, Vec::new()),
    };
    let named = |t: &str| {
        sites.iter().any(|s| words(s) == words(t)) || cut.iter().any(|c| words(c) == words(t))
    };
    let fine = |t: &&str| !named(t);
    let social: Vec<&str> = [meta.ld_headline.as_deref(), meta.og_title.as_deref()]
        .into_iter()
        .flatten()
        .filter(fine)
        .collect();
    let title = title.as_deref().filter(fine);
    let long = |t: &str| words(t).len() >= 3;
    let h1s: Vec<&content::Heading1> = h1s.iter().filter(|h| !named(&h.text)).collect();
    // 1. An <h1> that the JSON-LD headline or og:title agrees with.
    if let Some(h) = h1s
        .iter()
        .find(|h| social.iter().any(|m| agree(&h.text, m)))
    {
        return Some(h.text.clone());
    }
    //    Or one of three words or more that <title> agrees with (one or two words that
    //    <title> repeats are more often a section's name).
    if let Some(h) = h1s
        .iter()
        .find(|h| long(&h.text) && title.is_some_and(|t| agree(&h.text, t)))
    {
        return Some(h.text.clone());
    }
    // 2. The JSON-LD headline and og:title agreeing with each other.
    if let [a, b, ..] = social.as_slice() {
        if agree(a, b) {
            return Some(a.to_string());
        }
    }
    // 3. The page's visible headline: an <h1> of three words or more in the article's frame.
    if let Some(h) = h1s.iter().find(|h| long(&h.text) && h.near_content) {
        return Some(h.text.clone());
    }
    // 4. The metadata's headline of three words or more, then a short <h1> by the article,
    //    then whatever there is.
    let meta_titles: Vec<&str> = social.iter().copied().chain(title).collect();
    if let Some(t) = meta_titles.iter().find(|t| long(t)) {
        return Some(t.to_string());
    }
    if let Some(h) = h1s.iter().find(|h| h.near_content) {
        return Some(h.text.clone());
    }
    meta_titles
        .first()
        .map(|t| t.to_string())
        .or_else(|| h1s.first().map(|h| h.text.clone()))
}

fn build(meta: PageMeta, content: content::Content) -> Result<Article, Error> {
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
    let publisher = meta.site_name.as_deref().or(meta.ld_publisher.as_deref());
    if let Some(site) = publisher {
        push(site.trim(), Hint::Publisher, &mut source, &mut units);
    }
    let title = headline(&meta, &content.h1s);
    if let Some(t) = &title {
        push(t, Hint::Title, &mut source, &mut units);
    }
    let mut blocks = content.blocks;
    // The JSON-LD body stands in when the page's own text is not the article (a page that
    // fills its body by script, say).
    if let Some(body) = &meta.ld_body {
        let page_text: String = blocks
            .iter()
            .map(|b| b.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let (ld, own) = (content::word_bag(body), content::word_bag(&page_text));
        let (ld_words, own_words) = (ld.values().sum::<u32>(), own.values().sum::<u32>());
        if ld_words >= 50
            && ld_words > own_words
            && content::overlap_f1(&ld, &own) < 0.5
            && !body.contains('<')
        {
            blocks = body
                .split(['\n', '\r'])
                .map(meta::clean)
                .filter(|p| !p.is_empty())
                .map(|text| content::Block {
                    kind: Kind::Text,
                    text,
                    credits: Vec::new(),
                })
                .collect();
        }
    }
    let in_blocks = |t: &str| blocks.iter().any(|b| b.text == t);
    if let Some(s) = content.standfirst.as_deref().filter(|s| !in_blocks(s)) {
        push(s, Hint::Subtitle, &mut source, &mut units);
    }
    if let Some(b) = content.byline.as_deref().filter(|b| !in_blocks(b)) {
        push(b, Hint::Byline, &mut source, &mut units);
    }
    let mut seen_body = false;
    for b in &blocks {
        let hint = match b.kind {
            // The headline again at the top of the body.
            Kind::H1 | Kind::Heading | Kind::Text
                if !seen_body && title.as_deref().is_some_and(|t| agree(t, &b.text)) =>
            {
                continue
            }
            Kind::H1 | Kind::Heading => Hint::Heading,
            Kind::Subtitle => Hint::Subtitle,
            Kind::Byline => Hint::Byline,
            Kind::Caption => Hint::Caption(Vec::new()),
            Kind::Text => {
                seen_body = true;
                Hint::Plain
            }
        };
        let start = push(&b.text, hint, &mut source, &mut units);
        if let (Kind::Caption, Some(u)) = (b.kind, units.last_mut()) {
            u.hint = Hint::Caption(
                b.credits
                    .iter()
                    .map(|c| Span::new(start + c.start, start + c.end))
                    .collect(),
            );
        }
    }
    let mut article = assemble(None, source, units)?;
    article.language = meta.language.clone();
    article.authors = meta.authors.clone();
    article.published = meta
        .published
        .iter()
        .chain(content.time.iter())
        .find_map(|d| super::date::iso(d))
        .or(article.published);
    Ok(article)
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
            <p>PHNOM PENH &mdash; The talks &amp; the vote<br>stalled on Monday, and
               the two sides, which met for hours, said little.</p>
            <p>Second <b>paragraph</b> here, with more words in it than a menu would hold.
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
                "The talks & the vote stalled on Monday, and the two sides, which met for hours, said little.",
                "Second paragraph here, with more words in it than a menu would hold."
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
