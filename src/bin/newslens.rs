//! The `newslens` command line: batch work over article files with the same core as the page.
//!
//! All IO lives here; the library does none.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use newslens::{parse, Article, Corpus, Field, Format, Ranking};
use serde::Serialize;
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
newslens — search and entity explorer for news archives

USAGE:
    newslens parse PATH... [--json]
    newslens search --corpus PATH... QUERY [--limit N] [--json]
    newslens search --index FILE QUERY [--limit N] [--json]
    newslens batch --corpus DOCS.jsonl --queries QUERIES.tsv [--format trec] [--limit N]
                   [--ranking K=V,...[;K=V,...]]
    newslens index PATH... --out FILE
    newslens entities PATH... [--json]
    newslens train-ner TRAIN.conll --out MODEL [--epochs N] [--prune W]
    newslens eval-ner TEST.conll [--model MODEL] [--inside PATH]... [--inside-conll FILE]...
    newslens cv-ner TRAIN.conll [--folds K] [--epochs N] [--runs N] [--prune W]
    newslens train-clusters PATH... [--conll FILE]... --out CLUSTERS

COMMANDS:
    parse    Read articles (plain text, HTML, JSON Lines; files or directories) and print
             their parts: title, publisher, subtitle, dateline, published, authors,
             language, captions, paragraphs, credits.

    search   Index the articles under PATH... and run QUERY (the last argument). The query
             language: words, \"phrases\", -exclude, OR, prefix*, title:word, person:\"Name\",
             org:Name, place:Name; the last word also matches as a prefix.
    batch    Run one query per line of QUERIES.tsv (`qid<TAB>text`) and print a TREC run:
             `qid Q0 docid rank score newslens` (docid: the record's id, else the file name).
             --ranking sets ranking parameters (k1, b, title, subtitle, caption, body,
             credit, coord, proximity, prefix, fuzzy1, fuzzy2, known_fuzzy, feedback,
             feedback_docs, feedback_terms); several settings separated by `;` give one run
             each, tagged r1, r2, ... (the corpus is read once).
    entities Recognise and link the people, organisations, places, dates, nationalities and
             events each article names; --json prints
             [{\"file\", \"mentions\": [{\"start\", \"end\", \"text\", \"label\", \"entity\"}]}].
    train-ner
             Train the entity tagger on a CoNLL-2003 file (word POS chunk tag; IOB1).
    eval-ner Tag a CoNLL-2003 file and print strict exact-span precision, recall and F1 (as
             conlleval computes them) per type, for PER/LOC/ORG and for all four types: the
             tagger alone, then the whole pipeline with each document as an article (first
             sentence the headline), alone and (--inside, --inside-conll) linked inside a
             corpus of other articles.
    train-clusters
             Learn the tagger's word clusters from unlabelled text: the articles under PATH...
             and the words of CoNLL files (their labels unused).
    cv-ner   Cross-validate the tagger by document on a CoNLL-2003 file (K folds, default 5):
             the tagger alone and the whole pipeline on each held-out fold.
    index    Parse and index the articles under PATH... and write the compact binary index
             (articles included) to FILE, for the page or `search --index` to load.

OPTIONS:
    --json   Print JSON instead of a summary.
    --limit N
             How many hits to print (search: 10, batch: 100).
    -h, --help
             Print this help.

Errors go to standard error and make the exit code 2; one bad file does not stop the others.";

/// File names (without extension) skipped when walking a directory.
const NOT_ARTICLES: &[&str] = &["README", "LICENSE", "LICENCE", "COPYING", "CHANGELOG"];

/// File extensions read when walking a directory.
const EXTENSIONS: &[&str] = &[
    "txt", "text", "html", "htm", "xhtml", "jsonl", "ndjson", "json",
];

fn main() -> ExitCode {
    // `std::env::args` panics on an argument that is not UTF-8: such an argument is a usage
    // error instead, named by its lossy form.
    let mut args: Vec<String> = Vec::new();
    for (i, a) in std::env::args_os().skip(1).enumerate() {
        match a.into_string() {
            Ok(s) => args.push(s),
            Err(bad) => {
                return usage_error(&format!(
                    "argument {} ('{}') is not valid UTF-8",
                    i + 1,
                    bad.to_string_lossy()
                ))
            }
        }
    }
    match args.first().map(String::as_str) {
        Some("parse") => cmd_parse(&args[1..]),
        Some("search") => cmd_search(&args[1..]),
        Some("batch") => cmd_batch(&args[1..]),
        Some("index") => cmd_index(&args[1..]),
        Some("train-ner") => cmd_train_ner(&args[1..]),
        Some("entities") => cmd_entities(&args[1..]),
        Some("eval-ner") => cmd_eval_ner(&args[1..]),
        Some("cv-ner") => cmd_cv_ner(&args[1..]),
        Some("train-clusters") => cmd_train_clusters(&args[1..]),
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

/// Expands files and directories (recursively, sorted) into the files to read. Each file and
/// directory is read once, however many paths or links lead to it: a link back to a parent
/// folder is not a loop.
fn collect(paths: &[String], errors: &mut usize) -> Vec<PathBuf> {
    struct Walk<'a> {
        out: Vec<PathBuf>,
        /// Canonical paths of the files and directories taken so far.
        seen: HashSet<PathBuf>,
        errors: &'a mut usize,
    }
    impl Walk<'_> {
        /// True the first time the canonical path of `p` comes up.
        fn first_visit(&mut self, p: &Path) -> bool {
            match std::fs::canonicalize(p) {
                Ok(c) => self.seen.insert(c),
                // Unreadable: reading it will report why.
                Err(_) => true,
            }
        }

        fn dir(&mut self, dir: &Path) {
            if !self.first_visit(dir) {
                return;
            }
            let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
                Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
                Err(e) => {
                    eprintln!("newslens: {}: {e}", dir.display());
                    *self.errors += 1;
                    return;
                }
            };
            entries.sort();
            for p in entries {
                let hidden = p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'));
                // Hidden files and a folder's own notes (README, LICENSE...) are not articles.
                let stem = p
                    .file_stem()
                    .map(|n| n.to_string_lossy().to_uppercase())
                    .unwrap_or_default();
                if hidden || NOT_ARTICLES.contains(&stem.as_str()) {
                    continue;
                }
                if p.is_dir() {
                    self.dir(&p);
                } else if p.extension().is_some_and(|e| {
                    EXTENSIONS.contains(&e.to_string_lossy().to_lowercase().as_str())
                }) {
                    self.file(p);
                }
            }
        }

        fn file(&mut self, p: PathBuf) {
            if self.first_visit(&p) {
                self.out.push(p);
            }
        }
    }
    let mut w = Walk {
        out: Vec::new(),
        seen: HashSet::new(),
        errors,
    };
    for p in paths {
        let path = PathBuf::from(p);
        if path.is_dir() {
            w.dir(&path);
        } else {
            w.file(path);
        }
    }
    w.out
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
    published: Option<&'a str>,
    authors: &'a [String],
    language: Option<&'a str>,
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
        published: a.published(),
        authors: a.authors(),
        language: a.language(),
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
    if let Some(d) = a.published() {
        line("published", d);
    }
    if !a.authors().is_empty() {
        line("authors", &a.authors().join("; "));
    }
    if let Some(l) = a.language() {
        line("language", l);
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

/// Options shared by `search` and `batch`.
#[derive(Default)]
struct SearchArgs {
    corpus: Vec<String>,
    queries: Option<String>,
    positional: Vec<String>,
    limit: Option<usize>,
    json: bool,
    format: Option<String>,
    ranking: Option<String>,
    out: Option<String>,
    index: Option<String>,
}

fn search_args(args: &[String]) -> Result<SearchArgs, String> {
    let mut out = SearchArgs::default();
    let mut i = 0;
    let mut in_corpus = false;
    while i < args.len() {
        let a = args[i].as_str();
        let value = |i: usize| {
            args.get(i + 1)
                .cloned()
                .ok_or_else(|| format!("{a} needs a value"))
        };
        match a {
            "--corpus" => in_corpus = true,
            "--queries" => {
                out.queries = Some(value(i)?);
                i += 1;
                in_corpus = false;
            }
            "--limit" => {
                let v = value(i)?;
                out.limit = Some(
                    v.parse()
                        .map_err(|_| format!("--limit needs a number, not '{v}'"))?,
                );
                i += 1;
                in_corpus = false;
            }
            "--out" => {
                out.out = Some(value(i)?);
                i += 1;
                in_corpus = false;
            }
            "--index" => {
                out.index = Some(value(i)?);
                i += 1;
                in_corpus = false;
            }
            "--ranking" => {
                out.ranking = Some(value(i)?);
                i += 1;
                in_corpus = false;
            }
            "--format" => {
                out.format = Some(value(i)?);
                i += 1;
                in_corpus = false;
            }
            "--json" => {
                out.json = true;
                in_corpus = false;
            }
            s if s.starts_with("--") => return Err(format!("unknown option '{s}'")),
            s if in_corpus => out.corpus.push(s.to_string()),
            s => out.positional.push(s.to_string()),
        }
        i += 1;
    }
    Ok(out)
}

/// Reads and indexes every article under `paths`; problems go to stderr and are counted.
fn load_corpus(paths: &[String], ranking: Ranking, errors: &mut usize) -> Corpus {
    let mut corpus = Corpus::with_ranking(ranking);
    // Files refused because the corpus is full: the first is reported, the rest counted.
    let mut full = 0;
    for file in collect(paths, errors) {
        let name = file.display().to_string();
        let bytes = match std::fs::read(&file) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("newslens: {name}: {e}");
                *errors += 1;
                continue;
            }
        };
        match parse(&bytes, Format::detect(&name, &bytes)) {
            Ok(p) => {
                for w in &p.warnings {
                    eprintln!("newslens: {name}: warning: {w}");
                }
                // All of a file's articles, or none of them.
                if let Err(e) = corpus.try_add_all(&name, p.articles) {
                    if full == 0 {
                        eprintln!("newslens: {name}: {e}");
                    }
                    full += 1;
                    *errors += 1;
                }
            }
            Err(e) => {
                eprintln!("newslens: {name}: {e}");
                *errors += 1;
            }
        }
    }
    if full > 1 {
        eprintln!(
            "newslens: {} more file(s) not added either: the corpus is full",
            full - 1
        );
    }
    corpus
}

#[derive(Serialize)]
struct SnippetJson<'a> {
    text: &'a str,
    highlights: Vec<[usize; 2]>,
}

#[derive(Serialize)]
struct HitJson<'a> {
    file: &'a str,
    id: Option<&'a str>,
    title: &'a str,
    score: f32,
    snippet: SnippetJson<'a>,
}

#[derive(Serialize)]
struct ResultsJson<'a> {
    total: usize,
    hits: Vec<HitJson<'a>>,
}

fn cmd_search(args: &[String]) -> ExitCode {
    let mut a = match search_args(args) {
        Ok(a) => a,
        Err(e) => return usage_error(&e),
    };
    if a.corpus.is_empty() && a.positional.len() > 1 {
        // `search PATH... QUERY` without --corpus.
        let q = a.positional.pop().unwrap_or_default();
        a.corpus = std::mem::take(&mut a.positional);
        a.positional.push(q);
    }
    if a.corpus.len() > 1 && a.positional.is_empty() {
        // `--corpus A B QUERY`: the last word after --corpus is the query.
        a.positional.extend(a.corpus.pop());
    }
    let (Some(query), false) = (a.positional.pop(), a.corpus.is_empty() && a.index.is_none())
    else {
        return usage_error("search needs --corpus PATH... (or --index FILE) and a QUERY");
    };
    let ranking = match ranking_arg(a.ranking.as_deref()) {
        Ok(r) => r,
        Err(e) => return usage_error(&e),
    };
    let mut errors = 0;
    let corpus = match &a.index {
        Some(file) => match std::fs::read(file)
            .map_err(|e| e.to_string())
            .and_then(|b| Corpus::from_bytes(&b).map_err(|e| e.to_string()))
        {
            Ok(c) => c,
            Err(e) => {
                eprintln!("newslens: {file}: {e}");
                return ExitCode::from(2);
            }
        },
        None => load_corpus(&a.corpus, ranking, &mut errors),
    };
    let results = corpus.search(&query, a.limit.unwrap_or(10));
    let mut out = std::io::stdout().lock();
    let written = if a.json {
        let json = ResultsJson {
            total: results.total,
            hits: results
                .hits
                .iter()
                .filter_map(|h| {
                    let d = corpus.get(h.doc)?;
                    Some(HitJson {
                        file: &d.name,
                        id: d.article.id(),
                        title: d.article.title().text(),
                        score: h.score,
                        snippet: SnippetJson {
                            text: &h.snippet.text,
                            highlights: h.snippet.highlights.iter().map(|&(s, e)| [s, e]).collect(),
                        },
                    })
                })
                .collect(),
        };
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&json).unwrap_or_default()
        )
    } else {
        let mut text = format!("{} of {} articles match\n", results.total, corpus.len());
        for (rank, h) in results.hits.iter().enumerate() {
            let Some(d) = corpus.get(h.doc) else { continue };
            let marked: String = h
                .snippet
                .segments()
                .into_iter()
                .map(|(t, hl)| if hl { format!("[{t}]") } else { t.to_string() })
                .collect();
            text.push_str(&format!(
                "{:>2}. {}  ({}, score {:.2})\n    {}\n",
                rank + 1,
                d.article.title().text(),
                d.name,
                h.score,
                marked
            ));
        }
        write!(out, "{text}")
    };
    if written.is_err() || errors > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

fn cmd_batch(args: &[String]) -> ExitCode {
    let a = match search_args(args) {
        Ok(a) => a,
        Err(e) => return usage_error(&e),
    };
    let Some(queries) = a.queries else {
        return usage_error("batch needs --queries QUERIES.tsv");
    };
    if a.corpus.is_empty() {
        return usage_error("batch needs --corpus DOCS.jsonl");
    }
    if a.format.as_deref().is_some_and(|f| f != "trec") {
        return usage_error("batch knows one --format: trec");
    }
    let text = match std::fs::read_to_string(&queries) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("newslens: {queries}: {e}");
            return ExitCode::from(2);
        }
    };
    // `--ranking A;B;...`: several settings, one run each (tagged r1, r2, ...), one corpus.
    let specs: Vec<&str> = a
        .ranking
        .as_deref()
        .map_or(vec![""], |s| s.split(';').collect());
    let mut rankings = Vec::new();
    for spec in &specs {
        match ranking_arg(Some(spec)) {
            Ok(r) => rankings.push(r),
            Err(e) => return usage_error(&e),
        }
    }
    let mut errors = 0;
    let mut corpus = load_corpus(&a.corpus, rankings[0].clone(), &mut errors);
    let limit = a.limit.unwrap_or(100);
    let mut out = std::io::stdout().lock();
    for (r, ranking) in rankings.into_iter().enumerate() {
        let tag = if specs.len() == 1 {
            "newslens".to_string()
        } else {
            format!("r{}", r + 1)
        };
        corpus.set_ranking(ranking);
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let Some((qid, q)) = line.split_once('\t') else {
                if r == 0 {
                    eprintln!("newslens: {queries}: line {}: expected qid<TAB>text", n + 1);
                    errors += 1;
                }
                continue;
            };
            // A complete query: a trailing space turns off prefix matching of the last word.
            let (_, hits) = corpus.rank(&format!("{q} "), limit);
            for (rank, (doc, score)) in hits.iter().enumerate() {
                let Some(d) = corpus.get(*doc) else { continue };
                let docid = d.article.id().unwrap_or(&d.name);
                if writeln!(out, "{qid} Q0 {docid} {} {score:.4} {tag}", rank + 1).is_err() {
                    return ExitCode::from(2);
                }
            }
        }
    }
    if errors > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

/// `--ranking k1=1.2,b=0.75,title=2,coord=1,proximity=0.3,...`: ranking parameters for
/// evaluation runs.
fn ranking_arg(spec: Option<&str>) -> Result<Ranking, String> {
    let mut r = Ranking::default();
    for kv in spec.unwrap_or("").split(',').filter(|s| !s.is_empty()) {
        let (k, v) = kv
            .split_once('=')
            .ok_or_else(|| format!("--ranking: '{kv}' is not KEY=VALUE"))?;
        let v: f32 = v
            .parse()
            .map_err(|_| format!("--ranking: '{v}' is not a number"))?;
        match k {
            "k1" => r.k1 = v,
            "b" => r.b = v,
            "title" => r.weights[0] = v,
            "subtitle" => r.weights[1] = v,
            "caption" => r.weights[2] = v,
            "body" => r.weights[3] = v,
            "credit" => r.weights[4] = v,
            "coord" => r.coord = v,
            "proximity" => r.proximity = v,
            "prefix" => r.prefix_weight = v,
            "fuzzy1" => r.fuzzy_weight[0] = v,
            "fuzzy2" => r.fuzzy_weight[1] = v,
            "known_fuzzy" => r.known_fuzzy = v,
            "feedback" => r.feedback = v,
            "feedback_docs" => r.feedback_docs = v as usize,
            "feedback_terms" => r.feedback_terms = v as usize,
            _ => return Err(format!("--ranking: unknown parameter '{k}'")),
        }
    }
    Ok(r)
}

fn cmd_index(args: &[String]) -> ExitCode {
    let mut a = match search_args(args) {
        Ok(a) => a,
        Err(e) => return usage_error(&e),
    };
    a.corpus.append(&mut a.positional);
    let Some(out_file) = a.out else {
        return usage_error("index needs --out FILE");
    };
    if a.corpus.is_empty() {
        return usage_error("index needs at least one PATH");
    }
    let mut errors = 0;
    let corpus = load_corpus(&a.corpus, Ranking::default(), &mut errors);
    // Recognised once here, the entities travel in the file: a loaded corpus only links.
    corpus.entities();
    let bytes = corpus.to_bytes();
    let done = format!(
        "indexed {} articles into {out_file} ({} bytes)",
        corpus.len(),
        bytes.len()
    );
    write_output(&out_file, &bytes, &done, errors)
}

/// Writes a command's output file and says so (`done`); exit status 2 if that fails or if
/// `errors` inputs could not be read.
fn write_output(path: &str, bytes: &[u8], done: &str, errors: usize) -> ExitCode {
    if let Err(e) = std::fs::write(path, bytes) {
        eprintln!("newslens: {path}: {e}");
        return ExitCode::from(2);
    }
    eprintln!("newslens: {done}");
    if errors > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

use newslens::ner::{self, eval};

fn read_conll(path: &str) -> Result<Vec<eval::LabelledDoc>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    eval::read_conll(&text).map_err(|e| format!("{path}: {e}"))
}

/// Reads the training options `--epochs`, `--runs`, `--seed`, `--prune` at `args[*i]`, if it is
/// one (moving `i` past its value). A missing or unreadable value is an error.
fn train_option(
    args: &[String],
    i: &mut usize,
    options: &mut ner::TrainOptions,
) -> Result<bool, String> {
    let name = args[*i].as_str();
    if !matches!(name, "--epochs" | "--runs" | "--seed" | "--prune") {
        return Ok(false);
    }
    let value = args.get(*i + 1).map(String::as_str).unwrap_or("");
    let bad = || format!("{name} needs a number, not '{value}'");
    match name {
        "--epochs" => options.epochs = value.parse().map_err(|_| bad())?,
        "--runs" => options.runs = value.parse().map_err(|_| bad())?,
        "--seed" => options.seed = value.parse().map_err(|_| bad())?,
        _ => options.prune = value.parse().map_err(|_| bad())?,
    }
    *i += 1;
    Ok(true)
}

fn cmd_train_ner(args: &[String]) -> ExitCode {
    let mut options = ner::TrainOptions::default();
    let mut input = None;
    let mut out = None;
    let mut i = 0;
    while i < args.len() {
        let taken = match train_option(args, &mut i, &mut options) {
            Ok(t) => t,
            Err(e) => return usage_error(&e),
        };
        if taken {
        } else if args[i] == "--out" {
            out = args.get(i + 1).cloned();
            i += 1;
        } else if args[i].starts_with("--") {
            return usage_error(&format!("unknown option '{}'", args[i]));
        } else {
            input = Some(args[i].clone());
        }
        i += 1;
    }
    let (Some(input), Some(out)) = (input, out) else {
        return usage_error("train-ner needs TRAIN.conll and --out MODEL");
    };
    let docs = match read_conll(&input) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("newslens: {e}");
            return ExitCode::from(2);
        }
    };
    let sentences: usize = docs.iter().map(Vec::len).sum();
    eprintln!(
        "newslens: training on {} documents, {sentences} sentences, {} epochs",
        docs.len(),
        options.epochs
    );
    let model = ner::train(&docs, &options);
    let bytes = model.to_bytes();
    let done = format!(
        "wrote {out}: {} features, {} bytes",
        model.len(),
        bytes.len()
    );
    write_output(&out, &bytes, &done, 0)
}

/// One line of scores: `label  P p  R r  F1 f  (n gold)`.
fn score_line(label: &str, s: eval::Scores) -> String {
    format!(
        "{label:<34} P {:.4}  R {:.4}  F1 {:.4}  ({} gold)\n",
        s.precision, s.recall, s.f1, s.gold
    )
}

/// Per-type and overall lines for a set of counts.
fn score_lines(title: &str, c: &eval::Counts) -> String {
    let mut out = format!("{title}\n");
    for k in eval::ALL_KINDS {
        out.push_str(&score_line(&format!("  {}", k.as_str()), c.scores(&[k])));
    }
    out.push_str(&score_line("  PER/LOC/ORG", c.scores(&eval::PER_LOC_ORG)));
    out.push_str(&score_line("  all four", c.scores(&eval::ALL_KINDS)));
    out
}

fn cmd_eval_ner(args: &[String]) -> ExitCode {
    let mut model_path = None;
    let mut input = None;
    let mut inside: Vec<String> = Vec::new();
    let mut inside_conll: Vec<String> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--model" => {
                model_path = args.get(i + 1).cloned();
                i += 1;
            }
            "--inside" => {
                inside.extend(args.get(i + 1).cloned());
                i += 1;
            }
            "--inside-conll" => {
                inside_conll.extend(args.get(i + 1).cloned());
                i += 1;
            }
            s if s.starts_with("--") => return usage_error(&format!("unknown option '{s}'")),
            s => input = Some(s.to_string()),
        }
        i += 1;
    }
    let Some(input) = input else {
        return usage_error("eval-ner needs TEST.conll");
    };
    let model = match model_path {
        Some(p) => match std::fs::read(&p)
            .map_err(|e| e.to_string())
            .and_then(|b| ner::Model::from_bytes(&b).map_err(|e| e.to_string()))
        {
            Ok(m) => m,
            Err(e) => {
                eprintln!("newslens: {p}: {e}");
                return ExitCode::from(2);
            }
        },
        None => ner::Model::bundled().clone(),
    };
    let docs = match read_conll(&input) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("newslens: {e}");
            return ExitCode::from(2);
        }
    };
    let mut out = score_lines(
        &format!("{input}: the tagger alone, {} documents", docs.len()),
        &eval::tagger_counts(&model, &docs),
    );
    out.push_str(&score_lines(
        "as articles, the whole pipeline (parse, recognise, link), the documents alone",
        &eval::pipeline_counts(&model, &docs, &[]),
    ));
    if !inside.is_empty() || !inside_conll.is_empty() {
        let mut errors = 0;
        let corpus = load_corpus(&inside, Ranking::default(), &mut errors);
        let mut background: Vec<Article> = corpus
            .documents()
            .iter()
            .map(|d| d.article.clone())
            .collect();
        for path in &inside_conll {
            match read_conll(path) {
                Ok(more) => background.extend(eval::as_articles(&more)),
                Err(e) => {
                    eprintln!("newslens: {e}");
                    return ExitCode::from(2);
                }
            }
        }
        let bytes: usize = background.iter().map(|a| a.source().len()).sum();
        out.push_str(&score_lines(
            &format!(
                "the same documents inside a corpus of {} more articles ({:.1} MB)",
                background.len(),
                bytes as f64 / 1e6
            ),
            &eval::pipeline_counts(&model, &docs, &background),
        ));
    }
    print!("{out}");
    ExitCode::SUCCESS
}

fn cmd_train_clusters(args: &[String]) -> ExitCode {
    let mut paths = Vec::new();
    let mut conll = Vec::new();
    let mut out = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--out" => {
                out = args.get(i + 1).cloned();
                i += 1;
            }
            "--conll" => {
                conll.extend(args.get(i + 1).cloned());
                i += 1;
            }
            s if s.starts_with("--") => return usage_error(&format!("unknown option '{s}'")),
            s => paths.push(s.to_string()),
        }
        i += 1;
    }
    let Some(out) = out else {
        return usage_error("train-clusters needs --out CLUSTERS");
    };
    let mut errors = 0;
    let corpus = load_corpus(&paths, Ranking::default(), &mut errors);
    let mut sentences: Vec<Vec<&str>> = Vec::new();
    for d in corpus.documents() {
        for (_, field) in d.article.fields() {
            let toks = ner::tokenize(field.text());
            for r in ner::sentences(&toks) {
                sentences.push(toks[r].iter().map(|t| t.text).collect());
            }
        }
    }
    let mut docs = Vec::new();
    for path in &conll {
        match read_conll(path) {
            Ok(d) => docs.extend(d),
            Err(e) => {
                eprintln!("newslens: {e}");
                return ExitCode::from(2);
            }
        }
    }
    for doc in &docs {
        sentences.extend(
            doc.iter()
                .map(|(w, _)| w.iter().map(String::as_str).collect()),
        );
    }
    let words: usize = sentences.iter().map(Vec::len).sum();
    eprintln!(
        "newslens: clustering the words of {} sentences ({words} tokens)",
        sentences.len()
    );
    let clusters = ner::clusters::learn(&sentences, &ner::clusters::ClusterOptions::default());
    let text = clusters.to_text();
    let done = format!(
        "wrote {out}: {} words, {} bytes",
        clusters.len(),
        text.len()
    );
    write_output(&out, text.as_bytes(), &done, errors)
}

/// `cv-ner TRAIN.conll --folds K`: cross-validation by document.
fn cmd_cv_ner(args: &[String]) -> ExitCode {
    let mut options = ner::TrainOptions::default();
    let mut folds = 5usize;
    let mut input = None;
    let mut i = 0;
    while i < args.len() {
        let taken = match train_option(args, &mut i, &mut options) {
            Ok(t) => t,
            Err(e) => return usage_error(&e),
        };
        if taken {
        } else if args[i] == "--folds" {
            let v = args.get(i + 1).map(String::as_str).unwrap_or("");
            folds = match v.parse() {
                Ok(n) => n,
                Err(_) => return usage_error(&format!("--folds needs a number, not '{v}'")),
            };
            i += 1;
        } else if args[i].starts_with("--") {
            return usage_error(&format!("unknown option '{}'", args[i]));
        } else {
            input = Some(args[i].clone());
        }
        i += 1;
    }
    let Some(input) = input else {
        return usage_error("cv-ner needs TRAIN.conll");
    };
    let docs = match read_conll(&input) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("newslens: {e}");
            return ExitCode::from(2);
        }
    };
    let folds = folds.clamp(2, docs.len().max(2));
    let (mut tagger, mut pipeline) = (eval::Counts::default(), eval::Counts::default());
    let mut out = String::new();
    for fold in 0..folds {
        let (test, train) = eval::split_fold(&docs, folds, fold);
        let model = ner::train(&train, &options);
        let t = eval::tagger_counts(&model, &test);
        let p = eval::pipeline_counts(&model, &test, &[]);
        let line = format!(
            "fold {}/{folds}: {} documents, PER/LOC/ORG F1 tagger {:.4}, pipeline {:.4}",
            fold + 1,
            test.len(),
            t.scores(&eval::PER_LOC_ORG).f1,
            p.scores(&eval::PER_LOC_ORG).f1
        );
        out.push_str(&line);
        out.push('\n');
        tagger.merge(&t);
        pipeline.merge(&p);
    }
    out.push_str(&score_lines(
        &format!("{input}: {folds}-fold cross-validation by document, the tagger alone"),
        &tagger,
    ));
    out.push_str(&score_lines(
        "the whole pipeline, each fold's documents alone",
        &pipeline,
    ));
    print!("{out}");
    ExitCode::SUCCESS
}

#[derive(Serialize)]
struct MentionJson<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    label: &'static str,
    entity: &'a str,
}

#[derive(Serialize)]
struct EntitiesJson<'a> {
    file: &'a str,
    id: Option<&'a str>,
    mentions: Vec<MentionJson<'a>>,
}

fn cmd_entities(args: &[String]) -> ExitCode {
    let mut a = match search_args(args) {
        Ok(a) => a,
        Err(e) => return usage_error(&e),
    };
    a.corpus.append(&mut a.positional);
    if a.corpus.is_empty() {
        return usage_error("entities needs at least one PATH");
    }
    let mut errors = 0;
    let corpus = load_corpus(&a.corpus, Ranking::default(), &mut errors);
    // One pass over the corpus (the tagger's word cache serves every article).
    let index = corpus.entities();
    let linked: Vec<&[newslens::Mention]> = (0..corpus.documents().len() as u32)
        .map(|doc| index.mentions(doc))
        .collect();
    let mut out = std::io::stdout().lock();
    let ok = if a.json {
        let items: Vec<EntitiesJson<'_>> = corpus
            .documents()
            .iter()
            .zip(&linked)
            .map(|(d, ms)| EntitiesJson {
                file: &d.name,
                id: d.article.id(),
                mentions: ms
                    .iter()
                    .map(|m| MentionJson {
                        start: m.span.start,
                        end: m.span.end,
                        text: &d.article.source()[m.span.range()],
                        label: m.label.as_str(),
                        entity: &m.entity,
                    })
                    .collect(),
            })
            .collect();
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&items).unwrap_or_default()
        )
        .is_ok()
    } else {
        let mut text = String::new();
        for (d, ms) in corpus.documents().iter().zip(&linked) {
            text.push_str(&format!("== {}\n", d.name));
            for m in *ms {
                let t = &d.article.source()[m.span.range()];
                let arrow = if t == m.entity {
                    String::new()
                } else {
                    format!(" -> {}", m.entity)
                };
                text.push_str(&format!("{:<7} {t}{arrow}\n", m.label.as_str()));
            }
        }
        write!(out, "{text}").is_ok()
    };
    if !ok || errors > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}
