//! Hostile inputs: each gives a clear error or a best-effort article, never a panic or a hang.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

#[path = "common/hostile_inputs.rs"]
mod hostile_inputs;

use hostile_inputs::cases;
use newslens::{parse, ErrorKind, Format};

fn check_spans(p: &newslens::Parsed) {
    for a in &p.articles {
        for (part, f) in a.fields() {
            assert_eq!(&a.source()[f.span().range()], f.text(), "{part:?}");
        }
    }
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
    assert_eq!(e.kind(), ErrorKind::CorpusFull);
    assert!(e.to_string().contains("the corpus is full"), "{e}");
    assert!(e.to_string().contains("limit of 128 MB"), "{e}");
    // Sizes in the unit that reads well: a small corpus in KB, a file of the whole limit in MB.
    let e = c.check_room(MAX_CORPUS_BYTES).unwrap_err().to_string();
    assert!(e.contains(" KB of article text"), "{e}");
    assert!(e.contains("and 128 MB more would pass"), "{e}");
    // An article that fits is added and counted.
    let a = parse_text("A headline\n\nA paragraph.").unwrap();
    let n = a.source().len();
    c.try_add("new.txt", a).unwrap();
    assert_eq!(c.text_bytes(), held + n);
    assert_eq!(c.len(), 6);
    // A file's articles go in together, numbered from the first.
    let jsonl = "{\"title\": \"One\", \"text\": \"A.\"}\n{\"title\": \"Two\", \"text\": \"B.\"}\n";
    let p = parse(jsonl.as_bytes(), Format::JsonLines).unwrap();
    assert_eq!(c.try_add_all("two.jsonl", p.articles).unwrap(), 6);
    assert_eq!(c.len(), 8);
    assert_eq!(c.try_add_all("none.jsonl", Vec::new()).unwrap(), 8);
}
