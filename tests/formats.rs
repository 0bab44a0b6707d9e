//! The three readers and format detection.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

use newslens::{parse, Format};

#[test]
fn format_detection() {
    let cases: &[(&str, &[u8], Format)] = &[
        ("a.txt", b"<html>", Format::Text),
        ("a.HTML", b"plain", Format::Html),
        ("a.htm", b"", Format::Html),
        ("a.jsonl", b"", Format::JsonLines),
        ("a.ndjson", b"", Format::JsonLines),
        ("a.json", b"[]", Format::JsonLines),
        ("noext", b"  <!DOCTYPE html><p>x", Format::Html),
        ("noext", b"\xEF\xBB\xBF<html><body>", Format::Html),
        ("noext", b"<p>para</p>", Format::Html),
        ("noext", b"{\"title\": \"x\"}", Format::JsonLines),
        ("noext", b"Headline\n\nBody <b>not html</b>", Format::Text),
        ("noext", b"", Format::Text),
    ];
    for (name, bytes, want) in cases {
        assert_eq!(
            Format::detect(name, bytes),
            *want,
            "{name} {:?}",
            String::from_utf8_lossy(bytes)
        );
    }
}

#[test]
fn jsonl_record_goes_through_the_news_rules() {
    let line = r#"{"id": "x1", "publisher": "Khmer Times", "title": "Talks resume", "text": "PHNOM PENH--Talks resumed on Monday.\n\nA ceremony in May. (Siv Channa/The Daily)\nA ceremony in May. (Ma Chettra)\n\nMore text.\n\n(Additional reporting by Ouch Sony)\n\nRelated Stories"}"#;
    let p = parse(line.as_bytes(), Format::JsonLines).unwrap();
    let a = &p.articles[0];
    assert_eq!(a.id(), Some("x1"));
    assert_eq!(a.publisher().unwrap().text(), "Khmer Times");
    assert_eq!(a.title().text(), "Talks resume");
    assert_eq!(a.dateline().unwrap().text(), "PHNOM PENH");
    assert_eq!(a.captions().len(), 1);
    let credits: Vec<&str> = a.captions()[0].credits.iter().map(|c| c.text()).collect();
    assert_eq!(credits, ["Siv Channa/The Daily", "Ma Chettra"]);
    let paras: Vec<&str> = a.paragraphs().iter().map(|p| p.text()).collect();
    assert_eq!(paras, ["Talks resumed on Monday.", "More text."]);
    assert_eq!(a.credits()[0].text(), "Additional reporting by Ouch Sony");
    for (_, f) in a.fields() {
        assert_eq!(&a.source()[f.span().range()], f.text());
    }
}

#[test]
fn jsonl_array_and_body_key() {
    let input = r#"[{"title": "One", "body": "First body."}, {"headline": "Two", "content": "Second body."}]"#;
    let p = parse(input.as_bytes(), Format::JsonLines).unwrap();
    let titles: Vec<&str> = p.articles.iter().map(|a| a.title().text()).collect();
    assert_eq!(titles, ["One", "Two"]);
}

#[test]
fn html_page_with_repeated_figcaptions_and_hostile_markup() {
    let html = r#"<html><head><title>Ignored | Site</title></head><body>
        <h1>Sokha <em>speaks</em></h1>
        <figure><figcaption>Kem Sokha prays on Tuesday. (Ma Chettra)</figcaption></figure>
        <figure><figcaption>Kem Sokha prays on Tuesday. (Chhorn Veasna)</figcaption></figure>
        <p onclick="alert(1)">Text with <a href="javascript:alert(1)">a link</a> &lt;script&gt; shown as text.</p>
        <img src=x onerror="alert(1)">
        <script>document.write("<p>injected</p>")</script>
        </body></html>"#;
    let p = parse(html.as_bytes(), Format::Html).unwrap();
    let a = &p.articles[0];
    assert_eq!(a.title().text(), "Sokha speaks");
    assert_eq!(a.captions().len(), 1);
    let credits: Vec<&str> = a.captions()[0].credits.iter().map(|c| c.text()).collect();
    assert_eq!(credits, ["Ma Chettra", "Chhorn Veasna"]);
    assert_eq!(
        a.paragraphs()[0].text(),
        "Text with a link <script> shown as text."
    );
    assert!(!a.source().contains("injected") && !a.source().contains("alert"));
}

#[test]
fn crlf_text_keeps_file_offsets() {
    let text = "Headline Here\r\n\r\nPHNOM PENH--First paragraph.\r\n\r\nSecond paragraph.\r\n";
    let p = parse(text.as_bytes(), Format::Text).unwrap();
    let a = &p.articles[0];
    assert_eq!(a.title().text(), "Headline Here");
    let paras: Vec<&str> = a.paragraphs().iter().map(|p| p.text()).collect();
    assert_eq!(paras, ["First paragraph.", "Second paragraph."]);
    assert_eq!(&text[a.paragraphs()[1].span().range()], "Second paragraph.");
}

#[test]
fn byline_and_headline_only() {
    let a = &parse(
        b"Budget approved\n\nBy Jane Doe\n\nThe budget was approved.",
        Format::Text,
    )
    .unwrap()
    .articles[0];
    assert_eq!(a.credits()[0].text(), "By Jane Doe");
    let a = &parse(b"Just a headline", Format::Text).unwrap().articles[0];
    assert_eq!(a.title().text(), "Just a headline");
    assert!(a.paragraphs().is_empty());
}
