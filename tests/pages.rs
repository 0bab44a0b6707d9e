//! Saved web pages: one small page per extraction rule, written for the rule (table-driven).
//! Each case says what the article's headline, body and date must be, and what must not reach
//! the body.

use newslens::{parse, Article, Format};

/// Prose of the kind an article holds: long lines with commas and full stops.
const PROSE: &[&str] = &[
    "The provincial court in Kampong Cham heard on Tuesday that the land dispute, which began in 2015, had left more than 200 families without title to the fields they farm.",
    "Lawyers for the families said the company had cleared the land before any permit was issued, and that villagers were told to leave within a week or lose their homes.",
    "A spokesman for the company, reached by telephone, said it had followed every rule, paid compensation to those who asked for it, and would appeal any ruling against it.",
    "The judge adjourned the hearing until next month, when the provincial land office is expected to present maps of the area, its boundaries and the plots in question.",
];

fn body() -> String {
    PROSE.iter().map(|p| format!("<p>{p}</p>\n")).collect()
}

fn page(head: &str, body_html: &str) -> String {
    format!("<!doctype html><html><head><meta charset=\"utf-8\">{head}</head><body>{body_html}</body></html>")
}

fn read(html: &[u8]) -> Article {
    parse(html, Format::Html)
        .unwrap_or_else(|e| panic!("page gave an error: {e}"))
        .articles
        .remove(0)
}

fn text_of(a: &Article) -> String {
    let mut parts: Vec<&str> = a.subtitle().map(|s| s.text()).into_iter().collect();
    parts.extend(a.paragraphs().iter().map(|p| p.text()));
    parts.join("\n")
}

struct Case {
    name: &'static str,
    html: Vec<u8>,
    title: Option<&'static str>,
    /// Strings the body must hold.
    keeps: Vec<&'static str>,
    /// Strings that must not be in the body.
    drops: Vec<&'static str>,
    published: Option<&'static str>,
}

fn cases() -> Vec<Case> {
    let menu: String = [
        "Home", "World", "Politics", "Business", "Sport", "Opinion", "Video",
    ]
    .iter()
    .map(|w| format!("<li><a href=\"/{w}\">{w}</a></li>"))
    .collect();
    let teasers: String = (1..=4)
        .map(|i| {
            format!(
                "<div class=\"story-item\"><h3><a href=\"/s{i}\">Teaser headline number {i} about \
                 another story</a></h3><a href=\"/s{i}\">One line that sells the other story {i}.</a></div>"
            )
        })
        .collect();
    vec![
        Case {
            name: "menu runs of one- and two-word links stay out",
            html: page(
                "<title>Families lose land | The Daily</title>",
                &format!(
                    "<div class=\"top\"><ul>{menu}</ul></div><h1>Families lose land</h1>\
                     <div class=\"story-body\">{}</div>",
                    body()
                ),
            )
            .into_bytes(),
            title: Some("Families lose land"),
            keeps: vec![PROSE[0], PROSE[3]],
            drops: vec!["Politics", "Business"],
            published: None,
        },
        Case {
            name: "teaser blocks (a linked headline and one linked line) stay out",
            html: page(
                "",
                &format!(
                    "<main><h1>Families lose land</h1><div class=\"content\">{}</div>\
                     <div class=\"more-stories\">{teasers}</div></main>",
                    body()
                ),
            )
            .into_bytes(),
            title: Some("Families lose land"),
            keeps: vec![PROSE[1]],
            drops: vec!["Teaser headline", "sells the other story"],
            published: None,
        },
        Case {
            name: "a comment thread is not the article",
            html: page(
                "",
                &format!(
                    "<article><h1>Families lose land</h1>{}</article>\
                     <section id=\"comments\"><h2>12 comments</h2><div class=\"comment\"><p>I \
                     disagree with this, the company has done a lot for the province and its \
                     people, and deserves more credit.</p></div></section>",
                    body()
                ),
            )
            .into_bytes(),
            title: Some("Families lose land"),
            keeps: vec![PROSE[2]],
            drops: vec!["disagree", "12 comments"],
            published: None,
        },
        Case {
            name: "text the page hides stays out",
            html: page(
                "",
                &format!(
                    "<article><h1>Families lose land</h1>{}\
                     <p style=\"display: none\">Hidden by style, with commas, and a full stop.</p>\
                     <p hidden>Hidden by attribute, with commas, and a full stop.</p>\
                     <div aria-hidden=\"true\"><p>Hidden from readers, with commas, and more.</p></div>\
                     <span class=\"sr-only\">Only for screen readers.</span></article>",
                    body()
                ),
            )
            .into_bytes(),
            title: Some("Families lose land"),
            keeps: vec![PROSE[0]],
            drops: vec!["Hidden by style", "Hidden by attribute", "Hidden from readers", "screen readers"],
            published: None,
        },
        Case {
            name: "the site's name in <h1> is not the headline; JSON-LD and og:title agree",
            html: page(
                "<title>The Daily Planet</title>\
                 <meta property=\"og:site_name\" content=\"The Daily Planet\">\
                 <meta property=\"og:title\" content=\"Court hears land case\">\
                 <script type=\"application/ld+json\">{\"@type\": \"NewsArticle\", \
                 \"headline\": \"Court hears land case\", \"datePublished\": \
                 \"2019-11-19T08:30:00+07:00\"}</script>",
                &format!(
                    "<header><h1><a href=\"/\">The Daily Planet</a></h1></header>\
                     <article><div class=\"article-body\">{}</div></article>",
                    body()
                ),
            )
            .into_bytes(),
            title: Some("Court hears land case"),
            keeps: vec![PROSE[0]],
            drops: vec!["Daily Planet"],
            published: Some("2019-11-19T08:30:00+07:00"),
        },
        Case {
            name: "a section name in <h1> and <title> is not the headline",
            html: page(
                "<title>Politics | The Daily</title>\
                 <meta property=\"og:title\" content=\"Court hears land case in Kampong Cham\">",
                &format!(
                    "<div class=\"section-head\"><h1>Politics</h1></div>\
                     <div class=\"post-content\"><h2>Court hears land case in Kampong Cham</h2>{}</div>",
                    body()
                ),
            )
            .into_bytes(),
            title: Some("Court hears land case in Kampong Cham"),
            keeps: vec![PROSE[3]],
            drops: vec!["Court hears land case"],
            published: None,
        },
        Case {
            name: "published from article:published_time",
            html: page(
                "<meta property=\"article:published_time\" content=\"2020-02-20T10:00:00Z\">",
                &format!("<article><h1>Families lose land</h1>{}</article>", body()),
            )
            .into_bytes(),
            title: Some("Families lose land"),
            keeps: vec![PROSE[0]],
            drops: vec![],
            published: Some("2020-02-20T10:00:00Z"),
        },
        Case {
            name: "published from <time datetime> when the head says nothing",
            html: page(
                "",
                &format!(
                    "<article><h1>Families lose land</h1><p class=\"byline\">By Sok Chea, \
                     <time datetime=\"2017-06-03\">June 3, 2017</time></p>{}</article>",
                    body()
                ),
            )
            .into_bytes(),
            title: Some("Families lose land"),
            keeps: vec![PROSE[0]],
            drops: vec!["By Sok Chea"],
            published: Some("2017-06-03"),
        },
        Case {
            name: "subheads, block quotes and lists inside the article stay",
            html: page(
                "",
                &format!(
                    "<article><h1>Families lose land</h1>{}<h2>What the villagers want</h2>\
                     <blockquote><p>We want our land back, and nothing else.</p></blockquote>\
                     <ul><li>Title deeds for every family</li><li>A new survey of the area</li></ul>\
                     {}</article>",
                    body(),
                    body()
                ),
            )
            .into_bytes(),
            title: Some("Families lose land"),
            keeps: vec![
                "What the villagers want",
                "We want our land back, and nothing else.",
                "Title deeds for every family",
            ],
            drops: vec![],
            published: None,
        },
        Case {
            name: "a layout class that names a sidebar on the page's main column",
            html: page(
                "",
                &format!(
                    "<div class=\"container has-sidebar\"><div class=\"col\"><h1>Families lose \
                     land</h1>{}</div><div class=\"sidebar\"><p>Popular this week, in every \
                     section, and more.</p></div></div>",
                    body()
                ),
            )
            .into_bytes(),
            title: Some("Families lose land"),
            keeps: vec![PROSE[0], PROSE[3]],
            drops: vec!["Popular this week"],
            published: None,
        },
        Case {
            name: "an article in two parts around a player",
            html: page(
                "",
                &format!(
                    "<article><h1>Families lose land</h1><div class=\"text\"><div>{}</div></div>\
                     <div class=\"player\"><video></video></div><div class=\"text\"><div>{}</div>\
                     </div></article>",
                    PROSE[..2].iter().map(|p| format!("<p>{p}</p>")).collect::<String>(),
                    PROSE[2..].iter().map(|p| format!("<p>{p}</p>")).collect::<String>()
                ),
            )
            .into_bytes(),
            title: Some("Families lose land"),
            keeps: vec![PROSE[0], PROSE[3]],
            drops: vec![],
            published: None,
        },
        Case {
            name: "the JSON-LD article body stands in for a body the page fills by script",
            html: page(
                &format!(
                    "<script type=\"application/ld+json\">{{\"@type\": \"Article\", \"headline\": \
                     \"Families lose land\", \"articleBody\": \"{}\"}}</script>",
                    PROSE.join("\\n")
                ),
                "<div id=\"app\"><h1>Families lose land</h1><p>Loading…</p></div>",
            )
            .into_bytes(),
            title: Some("Families lose land"),
            keeps: vec![PROSE[0], PROSE[3]],
            drops: vec!["Loading"],
            published: None,
        },
        Case {
            name: "a windows-1252 page with its meta label",
            html: {
                let mut b = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; \
                    charset=windows-1252\"><title>Caf\xe9 owners \x93win\x94</title></head><body>\
                    <h1>Caf\xe9 owners \x93win\x94</h1>"
                    .to_vec();
                b.extend(body().into_bytes());
                b.extend(b"<p>The caf\xe9 will reopen on Monday, its owner said, \x96 after a year.</p></body></html>");
                b
            },
            title: Some("Café owners “win”"),
            keeps: vec!["The café will reopen on Monday, its owner said, – after a year."],
            drops: vec![],
            published: None,
        },
        Case {
            name: "a Shift_JIS page",
            html: {
                let html = page(
                    "<title>日本の記事</title>",
                    &format!(
                        "<article><h1>日本の記事</h1><p>東京の裁判所は、火曜日に、土地の争いについて審理した。</p>{}</article>",
                        body()
                    ),
                )
                .replace("charset=\"utf-8\"", "charset=\"Shift_JIS\"");
                encoding_rs::SHIFT_JIS.encode(&html).0.into_owned()
            },
            title: Some("日本の記事"),
            keeps: vec!["東京の裁判所は、火曜日に、土地の争いについて審理した。"],
            drops: vec![],
            published: None,
        },
    ]
}

#[test]
fn extraction_rules() {
    let mut failures = Vec::new();
    for case in cases() {
        let a = read(&case.html);
        let text = text_of(&a);
        if let Some(t) = case.title {
            if a.title().text() != t {
                failures.push(format!(
                    "{}: title {:?}, want {t:?}",
                    case.name,
                    a.title().text()
                ));
            }
        }
        for k in &case.keeps {
            if !text.contains(k) {
                failures.push(format!("{}: body lacks {k:?}\n---\n{text}\n---", case.name));
            }
        }
        for d in &case.drops {
            if text.contains(d) {
                failures.push(format!("{}: body holds {d:?}\n---\n{text}\n---", case.name));
            }
        }
        if a.published() != case.published {
            failures.push(format!(
                "{}: published {:?}, want {:?}",
                case.name,
                a.published(),
                case.published
            ));
        }
        for (_, f) in a.fields() {
            assert_eq!(&a.source()[f.span().range()], f.text(), "{}", case.name);
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn authors_and_language_from_metadata() {
    let html = page(
        "<meta name=\"author\" content=\"Sok Chea\"><meta property=\"og:locale\" content=\"km_KH\">\
         <script type=\"application/ld+json\">[{\"@type\": \"WebSite\", \"name\": \"X\"}, \
         {\"@type\": \"ReportageNewsArticle\", \"author\": [{\"@type\": \"Person\", \"name\": \
         \"Sok Chea\"}, {\"@type\": \"Person\", \"name\": \"Jane Doe\"}]}]</script>",
        &format!("<article><h1>Families lose land</h1>{}</article>", body()),
    )
    .replace("<html>", "<html lang=\"en-GB\">");
    let a = read(html.as_bytes());
    assert_eq!(a.authors(), ["Sok Chea", "Jane Doe"]);
    assert_eq!(a.language(), Some("en-GB"));
    let no_lang = page(
        "<meta property=\"og:locale\" content=\"km_KH\">",
        &format!("<h1>Families lose land</h1>{}", body()),
    );
    assert_eq!(read(no_lang.as_bytes()).language(), Some("km-KH"));
}

#[test]
fn published_in_text_and_json_lines() {
    let text = "Talks resume\n\nPHNOM PENH, Feb. 20, 2022 — Talks resumed on Monday.\n";
    let a = parse(text.as_bytes(), Format::Text)
        .unwrap()
        .articles
        .remove(0);
    assert_eq!(
        a.dateline().map(|d| d.text()),
        Some("PHNOM PENH, Feb. 20, 2022")
    );
    assert_eq!(a.published(), Some("2022-02-20"));
    let undated = "Talks resume\n\nPHNOM PENH — Talks resumed on Monday.\n";
    let a = parse(undated.as_bytes(), Format::Text)
        .unwrap()
        .articles
        .remove(0);
    assert_eq!(a.published(), None);
    let lines = concat!(
        "{\"title\": \"One\", \"text\": \"Body one.\", \"datePublished\": \"2019-11-19T10:00:00Z\"}\n",
        "{\"title\": \"Two\", \"text\": \"Body two.\", \"date\": \"November 3, 2018\"}\n",
        "{\"title\": \"Three\", \"text\": \"Body three.\", \"date\": \"not a date\"}\n",
    );
    let p = parse(lines.as_bytes(), Format::JsonLines).unwrap();
    let dates: Vec<Option<&str>> = p.articles.iter().map(|a| a.published()).collect();
    assert_eq!(
        dates,
        [Some("2019-11-19T10:00:00Z"), Some("2018-11-03"), None]
    );
}

/// Headline shapes: where the page puts its headline, its site's name and its section's name.
#[test]
fn headline_shapes() {
    let cases: &[(&str, &str, &str, &str)] = &[
        // (what, <head>, before the article, the headline)
        (
            "<title> with the site after a bar, no <h1>",
            "<title>Court hears land case | The Daily</title>",
            "",
            "Court hears land case",
        ),
        (
            "<title> with the site first, named by og:site_name",
            "<title>The Daily - Court hears land case</title><meta property=\"og:site_name\" content=\"The Daily\">",
            "",
            "Court hears land case",
        ),
        (
            "og:title with the site's name added, and the <h1> by the article",
            "<meta property=\"og:title\" content=\"Court hears land case in Kampong Cham | The Daily\">",
            "<h1>Court hears land case in Kampong Cham</h1>",
            "Court hears land case in Kampong Cham",
        ),
        (
            "a section's name as the first <h1>, the headline as the second",
            "<title>Court hears land case - World News</title><meta property=\"og:site_name\" content=\"World News\">",
            "<div class=\"section\"><h1>World News</h1></div><h1>Court hears land case</h1>",
            "Court hears land case",
        ),
        (
            "a shortened <title> that starts the <h1>",
            "<title>Court hears land case</title>",
            "<h1>Court hears land case in Kampong Cham, families wait</h1>",
            "Court hears land case in Kampong Cham, families wait",
        ),
        (
            "the JSON-LD headline when nothing else agrees",
            "<title>The Daily</title><meta property=\"og:site_name\" content=\"The Daily\"><script type=\"application/ld+json\">{\"@type\": \"NewsArticle\", \"headline\": \"Court hears land case\"}</script>",
            "<h1><a href=\"/\">The Daily</a></h1>",
            "Court hears land case",
        ),
    ];
    for (what, head, before, want) in cases {
        let html = page(
            head,
            &format!("{before}<div class=\"story\">{}</div>", body()),
        );
        let a = read(html.as_bytes());
        assert_eq!(a.title().text(), *want, "{what}");
    }
}
