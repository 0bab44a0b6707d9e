//! Hostile inputs: each gives a clear error or a best-effort article, never a panic or a hang.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

use newslens::{parse, ErrorKind, Format, MAX_INPUT_BYTES};

fn check_spans(p: &newslens::Parsed) {
    for a in &p.articles {
        for (part, f) in a.fields() {
            assert_eq!(&a.source()[f.span().range()], f.text(), "{part:?}");
        }
    }
}

/// (name, input, format, expected error kind or None for a best-effort article)
type Case = (&'static str, Vec<u8>, Format, Option<ErrorKind>);

fn cases() -> Vec<Case> {
    let mut random = Vec::with_capacity(1 << 16);
    let mut x: u32 = 0x1234_5678;
    for _ in 0..(1 << 16) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        random.push((x >> 24) as u8);
    }
    let long_line = "word ".repeat(2 * 1024 * 1024).into_bytes(); // 10 MiB, one line
    let mut nul_article = b"A headline\n\nA paragraph with a NUL\0 byte in it, which is otherwise ordinary news text.\n".to_vec();
    nul_article.extend_from_slice(b"Another paragraph of ordinary text follows it here.\n");
    vec![
        ("empty", vec![], Format::Text, Some(ErrorKind::Empty)),
        (
            "whitespace",
            b" \n\t\r\n  \n".to_vec(),
            Format::Text,
            Some(ErrorKind::Empty),
        ),
        ("empty html", vec![], Format::Html, Some(ErrorKind::Empty)),
        (
            "markup only",
            b"<html><script>x()</script></html>".to_vec(),
            Format::Html,
            Some(ErrorKind::Empty),
        ),
        (
            "empty jsonl",
            b"\n\n".to_vec(),
            Format::JsonLines,
            Some(ErrorKind::Empty),
        ),
        (
            "binary text",
            random.clone(),
            Format::Text,
            Some(ErrorKind::Binary),
        ),
        (
            "binary html",
            random.clone(),
            Format::Html,
            Some(ErrorKind::Binary),
        ),
        (
            "binary jsonl",
            random,
            Format::JsonLines,
            Some(ErrorKind::Binary),
        ),
        (
            "all NUL",
            vec![0; 1000],
            Format::Text,
            Some(ErrorKind::Binary),
        ),
        ("a few NUL bytes", nul_article, Format::Text, None),
        (
            "invalid UTF-8",
            b"Caf\xe9 news\n\nThe caf\xe9 opened \xff\xfe today.".to_vec(),
            Format::Text,
            None,
        ),
        (
            "lone continuation bytes",
            b"\x80\x80\x80 headline\n\nbody \xbf text".to_vec(),
            Format::Text,
            None,
        ),
        ("10 MB single line", long_line.clone(), Format::Text, None),
        ("10 MB single line as HTML", long_line, Format::Html, None),
        (
            "only furniture",
            b"Related Stories\n\nLatest News\n".to_vec(),
            Format::Text,
            Some(ErrorKind::Empty),
        ),
        (
            "jsonl garbage",
            b"{not json\n[1,2]\n\"text\"\n".to_vec(),
            Format::JsonLines,
            Some(ErrorKind::Malformed),
        ),
        (
            "jsonl without text",
            br#"{"id": 1, "title": "No body"}"#.to_vec(),
            Format::JsonLines,
            Some(ErrorKind::Malformed),
        ),
        (
            "unclosed html",
            b"<h1>Title<p>Text <b><i>never closed".to_vec(),
            Format::Html,
            None,
        ),
        (
            "stray end tags",
            b"</p></div></body><p>Text</p></html></html>".to_vec(),
            Format::Html,
            None,
        ),
        (
            "deep nesting",
            ("<div>".repeat(100_000) + "x" + &"</div>".repeat(100_000)).into_bytes(),
            Format::Html,
            None,
        ),
        (
            "many parentheses",
            ("(".repeat(50_000) + "x. " + &")".repeat(50_000)).into_bytes(),
            Format::Text,
            None,
        ),
        (
            "only dashes",
            "-- — – - ".repeat(10_000).into_bytes(),
            Format::Text,
            Some(ErrorKind::Empty),
        ),
        (
            "dashes and a word",
            ("-- — – - ".repeat(10_000) + "Word").into_bytes(),
            Format::Text,
            None,
        ),
        (
            "utf-16 odd length",
            vec![0xFF, 0xFE, b'a', 0, b'b'],
            Format::Text,
            None,
        ),
        (
            "too large",
            vec![b'a'; MAX_INPUT_BYTES + 1],
            Format::Text,
            Some(ErrorKind::TooLarge),
        ),
    ]
}

#[test]
fn hostile_inputs_give_an_error_or_an_article() {
    for (name, input, format, want) in cases() {
        match (parse(&input, format), want) {
            (Ok(p), None) => {
                assert!(!p.articles.is_empty(), "{name}");
                check_spans(&p);
            }
            (Err(e), Some(kind)) => {
                assert_eq!(e.kind(), kind, "{name}: {e}");
                assert!(e.to_string().len() > 20, "{name}: message too terse: {e}");
            }
            (Ok(_), Some(kind)) => panic!("{name}: expected a {kind:?} error, got an article"),
            (Err(e), None) => panic!("{name}: expected an article, got: {e}"),
        }
    }
}

#[test]
fn ten_megabyte_line_gets_a_short_derived_title() {
    let line = "word ".repeat(2 * 1024 * 1024);
    let p = parse(line.as_bytes(), Format::Text).unwrap();
    let a = &p.articles[0];
    assert!(a.title().text().len() <= 100);
    assert_eq!(a.paragraphs().len(), 1, "the line stays body text");
}

#[test]
fn jsonl_bad_lines_are_warnings_and_good_lines_survive() {
    let input = concat!(
        "{\"id\": \"a\", \"title\": \"First\", \"text\": \"Body one.\"}\n",
        "{broken\n",
        "{\"id\": 7, \"title\": \"Second\", \"body\": \"Body two.\"}\n",
        "[\"not an object\"]\n",
    );
    let p = parse(input.as_bytes(), Format::JsonLines).unwrap();
    assert_eq!(p.articles.len(), 2);
    assert_eq!(p.warnings.len(), 2, "{:?}", p.warnings);
    assert!(p.warnings[0].starts_with("line 2:"), "{:?}", p.warnings);
    assert_eq!(p.articles[1].id(), Some("7"));
}

#[test]
fn a_corpus_refuses_text_past_its_limit_and_keeps_what_it_has() {
    use newslens::{parse_text, Corpus, MAX_CORPUS_BYTES};
    let mut c = Corpus::seeds();
    let held = c.text_bytes();
    assert!(held > 0);
    assert!(c.check_room(MAX_CORPUS_BYTES - held).is_ok());
    let e = c.check_room(MAX_CORPUS_BYTES - held + 1).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TooLarge);
    assert!(e.to_string().contains("the corpus is full"), "{e}");
    assert!(e.to_string().contains("limit of 128 MB"), "{e}");
    // An article that fits is added and counted.
    let a = parse_text("A headline\n\nA paragraph.").unwrap();
    let n = a.source().len();
    c.try_add("new.txt", a).unwrap();
    assert_eq!(c.text_bytes(), held + n);
    assert_eq!(c.len(), 6);
}
