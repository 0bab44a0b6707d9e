//! Hostile inputs shared by the native tests (`tests/hostile.rs`) and the browser tests
//! (`tests/web.rs`), so that the module meets exactly what the parser meets.
#![allow(dead_code)]

use newslens::{ErrorKind, Format, MAX_INPUT_BYTES};

/// (name, input, format, expected error kind or None for a best-effort article)
pub type Case = (&'static str, Vec<u8>, Format, Option<ErrorKind>);

pub fn cases() -> Vec<Case> {
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
            "jsonl without text or title",
            br#"{"id": 1, "date": "2020-01-02", "publisher": "No body"}"#.to_vec(),
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
            "utf-16 with a byte-order mark",
            [0xFF, 0xFE]
                .into_iter()
                .chain(
                    "Sixteenbit talks in Kampot\n\nKem Sokha spoke on Friday."
                        .encode_utf16()
                        .flat_map(u16::to_le_bytes),
                )
                .collect(),
            Format::Text,
            None,
        ),
        (
            "Latin-1",
            b"R\xe9union \xe0 Phnom Penh\n\nLe caf\xe9 a ouvert, \xab dit-il \xbb.".to_vec(),
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

/// Queries that have broken query parsers: unbalanced quotes and brackets, bare operators,
/// empty field filters, and one of about 10,000 characters.
pub fn queries() -> Vec<String> {
    let mut qs: Vec<String> = [
        "\"((((",
        "OR OR",
        "AND",
        "NOT",
        "person:",
        "org:\"",
        "title:",
        "-",
        "\"",
        "\"\"",
        "*",
        "~",
        "a~9",
        ")(",
        "\u{0}",
        "\u{feff}",
        "\u{202e}Sokha",
        "ስ~ ~~ ::: ---",
    ]
    .iter()
    .map(|q| q.to_string())
    .collect();
    qs.push("sokha ".repeat(1700)); // about 10,000 characters
    qs.push("(".repeat(10_000));
    qs.push("\"a ".repeat(3_000));
    qs
}
