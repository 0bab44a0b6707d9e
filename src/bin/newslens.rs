//! The `newslens` command line: batch work over article files with the same core as the page.
//!
//! All IO lives here; the library does none.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use newslens::{parse, Article, Field, Format};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
newslens — search and entity explorer for news archives

USAGE:
    newslens parse PATH... [--json]

COMMANDS:
    parse    Read articles (plain text, HTML, JSON Lines; files or directories) and print
             their parts: title, publisher, subtitle, dateline, captions, paragraphs, credits.

OPTIONS:
    --json   Print JSON instead of a summary.
    -h, --help
             Print this help.

Errors go to standard error and make the exit code 2; one bad file does not stop the others.";

/// File extensions read when walking a directory.
const EXTENSIONS: &[&str] = &[
    "txt", "text", "html", "htm", "xhtml", "jsonl", "ndjson", "json",
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("parse") => cmd_parse(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some(other) => usage_error(&format!("unknown command '{other}'")),
        None => usage_error("no command given"),
    }
}

fn usage_error(msg: &str) -> ExitCode {
    eprintln!("newslens: {msg}\n\n{USAGE}");
    ExitCode::from(2)
}

/// Expands files and directories (recursively, sorted) into the files to read.
fn collect(paths: &[String], errors: &mut usize) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>, errors: &mut usize) {
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                eprintln!("newslens: {}: {e}", dir.display());
                *errors += 1;
                return;
            }
        };
        entries.sort();
        for p in entries {
            let hidden = p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if hidden {
                continue;
            }
            if p.is_dir() {
                walk(&p, out, errors);
            } else if p
                .extension()
                .is_some_and(|e| EXTENSIONS.contains(&e.to_string_lossy().to_lowercase().as_str()))
            {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    for p in paths {
        let path = PathBuf::from(p);
        if path.is_dir() {
            walk(&path, &mut out, errors);
        } else {
            out.push(path);
        }
    }
    out
}

fn cmd_parse(args: &[String]) -> ExitCode {
    let mut as_json = false;
    let mut paths = Vec::new();
    for a in args {
        match a.as_str() {
            "--json" => as_json = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            s if s.starts_with("--") => return usage_error(&format!("unknown option '{s}'")),
            s => paths.push(s.to_string()),
        }
    }
    if paths.is_empty() {
        return usage_error("parse needs at least one PATH");
    }
    let mut errors = 0;
    let files = collect(&paths, &mut errors);
    let mut out = std::io::stdout().lock();
    let mut articles: Vec<(String, Article)> = Vec::new();
    for file in files {
        let name = file.display().to_string();
        let bytes = match std::fs::read(&file) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("newslens: {name}: {e}");
                errors += 1;
                continue;
            }
        };
        let parsed = match parse(&bytes, Format::detect(&name, &bytes)) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("newslens: {name}: {e}");
                errors += 1;
                continue;
            }
        };
        for w in &parsed.warnings {
            eprintln!("newslens: {name}: warning: {w}");
        }
        for a in parsed.articles {
            if as_json {
                articles.push((name.clone(), a));
            } else if writeln!(out, "{}", summary(&name, &a)).is_err() {
                return ExitCode::from(2); // stdout closed
            }
        }
    }
    if as_json {
        let items: Vec<ArticleJson<'_>> =
            articles.iter().map(|(f, a)| article_json(f, a)).collect();
        let text = serde_json::to_string_pretty(&items).unwrap_or_default();
        if writeln!(out, "{text}").is_err() {
            return ExitCode::from(2);
        }
    }
    if errors > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

/// `[start, end]` of a field.
type SpanJson = [usize; 2];

fn span_of(f: &Field) -> SpanJson {
    [f.span().start, f.span().end]
}

#[derive(Serialize)]
struct PieceJson<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

#[derive(Serialize)]
struct CaptionJson<'a> {
    text: &'a str,
    credits: Vec<&'a str>,
    start: usize,
    end: usize,
}

/// Spans of the fields printed as plain strings above.
#[derive(Serialize)]
struct SpansJson {
    title: SpanJson,
    publisher: Option<SpanJson>,
    subtitle: Option<SpanJson>,
    dateline: Option<SpanJson>,
    caption_credits: Vec<Vec<SpanJson>>,
    credits: Vec<SpanJson>,
}

/// One article as `newslens parse --json` prints it. Offsets are bytes into the file as read
/// (for UTF-8 text files; see `Article::source` for the other formats).
#[derive(Serialize)]
struct ArticleJson<'a> {
    file: &'a str,
    id: Option<&'a str>,
    title: &'a str,
    publisher: Option<&'a str>,
    subtitle: Option<&'a str>,
    dateline: Option<&'a str>,
    captions: Vec<CaptionJson<'a>>,
    paragraphs: Vec<PieceJson<'a>>,
    credits: Vec<&'a str>,
    spans: SpansJson,
}

fn article_json<'a>(file: &'a str, a: &'a Article) -> ArticleJson<'a> {
    ArticleJson {
        file,
        id: a.id(),
        title: a.title().text(),
        publisher: a.publisher().map(Field::text),
        subtitle: a.subtitle().map(Field::text),
        dateline: a.dateline().map(Field::text),
        captions: a
            .captions()
            .iter()
            .map(|c| CaptionJson {
                text: c.caption.text(),
                credits: c.credits.iter().map(Field::text).collect(),
                start: c.caption.span().start,
                end: c.caption.span().end,
            })
            .collect(),
        paragraphs: a
            .paragraphs()
            .iter()
            .map(|p| PieceJson {
                text: p.text(),
                start: p.span().start,
                end: p.span().end,
            })
            .collect(),
        credits: a.credits().iter().map(Field::text).collect(),
        spans: SpansJson {
            title: span_of(a.title()),
            publisher: a.publisher().map(span_of),
            subtitle: a.subtitle().map(span_of),
            dateline: a.dateline().map(span_of),
            caption_credits: a
                .captions()
                .iter()
                .map(|c| c.credits.iter().map(span_of).collect())
                .collect(),
            credits: a.credits().iter().map(span_of).collect(),
        },
    }
}

fn summary(file: &str, a: &Article) -> String {
    let mut s = format!("== {file}");
    if let Some(id) = a.id() {
        s.push_str(&format!(" #{id}"));
    }
    s.push('\n');
    let mut line = |k: &str, v: &str| s.push_str(&format!("{k:<11} {v}\n"));
    line("title", a.title().text());
    if let Some(f) = a.publisher() {
        line("publisher", f.text());
    }
    if let Some(f) = a.subtitle() {
        line("subtitle", f.text());
    }
    if let Some(f) = a.dateline() {
        line("dateline", f.text());
    }
    for c in a.captions() {
        let credits: Vec<&str> = c.credits.iter().map(Field::text).collect();
        line(
            "caption",
            &format!("{} [{}]", c.caption.text(), credits.join("; ")),
        );
    }
    line("paragraphs", &a.paragraphs().len().to_string());
    for c in a.credits() {
        line("credit", c.text());
    }
    s
}
