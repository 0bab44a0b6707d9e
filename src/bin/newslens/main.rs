//! The `newslens` command line: batch work over article files with the same core as the page.
//!
//! All IO lives here; the library does none.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod args;

use args::{Args, Parsed};
use newslens::{parse, Archive, Article, Corpus, Field, Format, Ranking};
use serde::Serialize;
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// File names (without extension) skipped when walking a directory.
const NOT_ARTICLES: &[&str] = &["README", "LICENSE", "LICENCE", "COPYING", "CHANGELOG"];

fn main() -> ExitCode {
    let mut raw = std::env::args_os().skip(1);
    let Some(first) = raw.next() else {
        return usage_error(None, "no command given");
    };
    let name = first.to_string_lossy();
    match name.as_ref() {
        "-h" | "--help" | "help" => {
            println!("{}", args::usage());
            return ExitCode::SUCCESS;
        }
        "-V" | "--version" => {
            println!("newslens {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        _ => {}
    }
    let Some(command) = args::COMMANDS.iter().find(|c| c.name == name) else {
        return usage_error(None, &format!("unknown command '{name}'"));
    };
    let a = match args::parse(command, raw) {
        Ok(Parsed::Run(a)) => *a,
        Ok(Parsed::Help) => {
            println!("{}", args::help(command));
            return ExitCode::SUCCESS;
        }
        Err(e) => return usage_error(Some(command), &e),
    };
    let run = match command.name {
        "parse" => cmd_parse,
        "search" => cmd_search,
        "batch" => cmd_batch,
        "index" => cmd_index,
        "entities" => cmd_entities,
        "train-ner" => cmd_train_ner,
        "eval-ner" => cmd_eval_ner,
        "cv-ner" => cmd_cv_ner,
        "publish" => cmd_publish,
        _ => cmd_train_clusters,
    };
    match run(a) {
        Ok(code) => code,
        Err(Usage(e)) => usage_error(Some(command), &e),
    }
}

/// A command's arguments do not make sense together: the message, then the command's help.
struct Usage(String);

fn usage_error(command: Option<&args::Command>, msg: &str) -> ExitCode {
    let help = command.map_or_else(args::usage, args::help);
    eprintln!("newslens: {msg}\n\n{help}");
    ExitCode::from(2)
}

/// Expands files and directories (recursively, sorted) into the files to read. Each file and
/// directory is read once, however many paths or links lead to it: a link back to a parent
/// folder is not a loop.
fn collect(paths: &[PathBuf], errors: &mut usize) -> Vec<PathBuf> {
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
                } else if p
                    .extension()
                    .is_some_and(|e| Format::from_extension(&e.to_string_lossy()).is_some())
                {
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
    for path in paths {
        if path.is_dir() {
            w.dir(path);
        } else {
            w.file(path.clone());
        }
    }
    w.out
}

fn cmd_parse(a: Args) -> Result<ExitCode, Usage> {
    let as_json = a.json;
    let paths = a.paths();
    if paths.is_empty() {
        return Err(Usage("parse needs at least one PATH".into()));
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
                return Ok(ExitCode::from(2)); // stdout closed
            }
        }
    }
    if as_json {
        let items: Vec<ArticleJson<'_>> =
            articles.iter().map(|(f, a)| article_json(f, a)).collect();
        let text = serde_json::to_string_pretty(&items).unwrap_or_default();
        if writeln!(out, "{text}").is_err() {
            return Ok(ExitCode::from(2));
        }
    }
    Ok(if errors > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
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

/// Reads and indexes every article under `paths`; problems go to stderr and are counted.
fn load_corpus(paths: &[PathBuf], ranking: Ranking, errors: &mut usize) -> Corpus {
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

fn cmd_search(mut a: Args) -> Result<ExitCode, Usage> {
    // The query is the last argument: after `--corpus A B`, or after the paths without it.
    let query = match a.positional.pop() {
        Some(q) => Some(q),
        None if a.corpus.len() > 1 => a.corpus.pop().map(Into::into),
        None => None,
    };
    a.corpus.extend(a.paths());
    let none = a.corpus.is_empty() && a.index.is_none() && a.archive.is_none();
    let (Some(query), false) = (query, none) else {
        return Err(Usage(
            "search needs --corpus PATH... (or --index FILE, or --archive DIR) and a QUERY".into(),
        ));
    };
    let query = query.into_string().map_err(|q| {
        Usage(format!(
            "the query ('{}') is not valid UTF-8",
            q.to_string_lossy()
        ))
    })?;
    if let Some(dir) = &a.archive {
        if !a.corpus.is_empty() || a.index.is_some() || a.ranking.is_some() {
            return Err(Usage(
                "search --archive takes a directory and a QUERY, no articles, index or ranking"
                    .into(),
            ));
        }
        return Ok(search_archive(dir, &query, a.limit.unwrap_or(10), a.json));
    }
    let ranking = ranking_arg(a.ranking.as_deref()).map_err(Usage)?;
    let mut errors = 0;
    let corpus = match &a.index {
        Some(file) => match std::fs::read(file)
            .map_err(|e| e.to_string())
            .and_then(|b| Corpus::from_bytes(&b).map_err(|e| e.to_string()))
        {
            Ok(c) => c,
            Err(e) => {
                eprintln!("newslens: {}: {e}", file.display());
                return Ok(ExitCode::from(2));
            }
        },
        None => load_corpus(&a.corpus, ranking, &mut errors),
    };
    let results = corpus.search(&query, a.limit.unwrap_or(10));
    let mut out = std::io::stdout().lock();
    let written = if a.json {
        let json = corpus.results_view(&results);
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&json).unwrap_or_default()
        )
    } else {
        let mut text = format!("{} of {} articles match\n", results.total, corpus.len());
        for (rank, h) in results.hits.iter().enumerate() {
            let Some(d) = corpus.get(h.doc) else { continue };
            text.push_str(&hit_text(rank, d.article.title().text(), &d.name, h));
        }
        write!(out, "{text}")
    };
    Ok(if written.is_err() || errors > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn cmd_batch(mut a: Args) -> Result<ExitCode, Usage> {
    let Some(queries) = a.queries.take() else {
        return Err(Usage("batch needs --queries QUERIES.tsv".into()));
    };
    a.corpus.extend(a.paths());
    if a.corpus.is_empty() {
        return Err(Usage("batch needs --corpus DOCS.jsonl".into()));
    }
    if a.format.as_deref().is_some_and(|f| f != "trec") {
        return Err(Usage("batch knows one --format: trec".into()));
    }
    let queries_name = queries.display().to_string();
    let text = match std::fs::read_to_string(&queries) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("newslens: {queries_name}: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    // `--ranking A;B;...`: several settings, one run each (tagged r1, r2, ...), one corpus.
    let specs: Vec<&str> = a
        .ranking
        .as_deref()
        .map_or(vec![""], |s| s.split(';').collect());
    let mut rankings = Vec::new();
    for spec in &specs {
        rankings.push(ranking_arg(Some(spec)).map_err(Usage)?);
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
                    eprintln!(
                        "newslens: {queries_name}: line {}: expected qid<TAB>text",
                        n + 1
                    );
                    errors += 1;
                }
                continue;
            };
            // A complete query: a trailing space turns off prefix matching of the last word.
            let (_, hits) = corpus.rank(&format!("{q} "), limit);
            for (rank, (doc, score)) in hits.iter().enumerate() {
                let Some(name) = corpus.name(*doc) else {
                    continue;
                };
                let docid = corpus.record_id(*doc).unwrap_or(name);
                if writeln!(out, "{qid} Q0 {docid} {} {score:.4} {tag}", rank + 1).is_err() {
                    return Ok(ExitCode::from(2));
                }
            }
        }
    }
    Ok(if errors > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
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

fn cmd_index(a: Args) -> Result<ExitCode, Usage> {
    let paths = a.paths();
    let Some(out_file) = a.out else {
        return Err(Usage("index needs --out FILE".into()));
    };
    if paths.is_empty() {
        return Err(Usage("index needs at least one PATH".into()));
    }
    let mut errors = 0;
    let corpus = load_corpus(&paths, Ranking::default(), &mut errors);
    // Recognised once here, the entities travel in the file: a loaded corpus only links.
    corpus.entities();
    let bytes = corpus.to_bytes();
    let done = format!(
        "indexed {} articles into {} ({} bytes)",
        corpus.len(),
        out_file.display(),
        bytes.len()
    );
    Ok(write_output(&out_file, &bytes, &done, errors))
}

/// Writes a command's output file and says so (`done`); exit status 2 if that fails or if
/// `errors` inputs could not be read.
fn write_output(path: &Path, bytes: &[u8], done: &str, errors: usize) -> ExitCode {
    if let Err(e) = std::fs::write(path, bytes) {
        eprintln!("newslens: {}: {e}", path.display());
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

/// Reads a CoNLL-2003 file (the format is `ner::eval::read_conll`'s).
fn read_conll(path: &Path) -> Result<Vec<eval::LabelledDoc>, String> {
    let name = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: {e}"))?;
    eval::read_conll(&text).map_err(|e| format!("{name}: {e}"))
}

/// The training options given, over the defaults.
fn train_options(a: &Args) -> ner::TrainOptions {
    let mut o = ner::TrainOptions::default();
    if let Some(v) = a.epochs {
        o.epochs = v;
    }
    if let Some(v) = a.runs {
        o.runs = v;
    }
    if let Some(v) = a.seed {
        o.seed = v;
    }
    if let Some(v) = a.prune {
        o.prune = v;
    }
    o
}

/// The one positional argument a command takes, as a path.
fn one_input(a: &Args, command: &str, what: &str) -> Result<PathBuf, Usage> {
    match a.paths().as_slice() {
        [p] => Ok(p.clone()),
        [] => Err(Usage(format!("{command} needs {what}"))),
        _ => Err(Usage(format!("{command} takes one {what}"))),
    }
}

fn cmd_train_ner(a: Args) -> Result<ExitCode, Usage> {
    let options = train_options(&a);
    let input = one_input(&a, "train-ner", "TRAIN.conll")?;
    let Some(out) = a.out else {
        return Err(Usage("train-ner needs --out MODEL".into()));
    };
    let docs = match read_conll(&input) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("newslens: {e}");
            return Ok(ExitCode::from(2));
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
        "wrote {}: {} features, {} bytes",
        out.display(),
        model.len(),
        bytes.len()
    );
    Ok(write_output(&out, &bytes, &done, 0))
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

fn cmd_eval_ner(a: Args) -> Result<ExitCode, Usage> {
    let input = one_input(&a, "eval-ner", "TEST.conll")?;
    let (inside, inside_conll) = (a.inside, a.inside_conll);
    let model = match a.model {
        Some(p) => match std::fs::read(&p)
            .map_err(|e| e.to_string())
            .and_then(|b| ner::Model::from_bytes(&b).map_err(|e| e.to_string()))
        {
            Ok(m) => m,
            Err(e) => {
                eprintln!("newslens: {}: {e}", p.display());
                return Ok(ExitCode::from(2));
            }
        },
        None => ner::Model::clone(&ner::Model::bundled()),
    };
    let docs = match read_conll(&input) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("newslens: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let mut out = score_lines(
        &format!(
            "{}: the tagger alone, {} documents",
            input.display(),
            docs.len()
        ),
        &eval::tagger_counts(&model, &docs),
    );
    out.push_str(&score_lines(
        "as articles, the whole pipeline (parse, recognise, link), the documents alone",
        &eval::pipeline_counts(&model, &docs, &[]),
    ));
    if !inside.is_empty() || !inside_conll.is_empty() {
        let mut errors = 0;
        let corpus = load_corpus(&inside, Ranking::default(), &mut errors);
        let mut background: Vec<Article> = corpus.documents().map(|d| d.article).collect();
        for path in &inside_conll {
            match read_conll(path) {
                Ok(more) => background.extend(eval::as_articles(&more)),
                Err(e) => {
                    eprintln!("newslens: {e}");
                    return Ok(ExitCode::from(2));
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
    Ok(ExitCode::SUCCESS)
}

fn cmd_train_clusters(a: Args) -> Result<ExitCode, Usage> {
    let paths = a.paths();
    let conll = a.conll;
    let Some(out) = a.out else {
        return Err(Usage("train-clusters needs --out CLUSTERS".into()));
    };
    let mut errors = 0;
    let corpus = load_corpus(&paths, Ranking::default(), &mut errors);
    let mut sentences: Vec<Vec<&str>> = Vec::new();
    let docs: Vec<newslens::Document> = corpus.documents().collect();
    for d in &docs {
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
                return Ok(ExitCode::from(2));
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
        "wrote {}: {} words, {} bytes",
        out.display(),
        clusters.len(),
        text.len()
    );
    Ok(write_output(&out, text.as_bytes(), &done, errors))
}

/// `cv-ner TRAIN.conll --folds K`: cross-validation by document.
fn cmd_cv_ner(a: Args) -> Result<ExitCode, Usage> {
    let options = train_options(&a);
    let folds = a.folds.unwrap_or(5);
    let input = one_input(&a, "cv-ner", "TRAIN.conll")?;
    let docs = match read_conll(&input) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("newslens: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let folds = folds.clamp(2, docs.len().max(2));
    let (mut tagger, mut pipeline) = (eval::Counts::default(), eval::Counts::default());
    let mut out = String::new();
    let mut errors = String::new();
    for fold in 0..folds {
        let (test, train) = eval::split_fold(&docs, folds, fold);
        let model = ner::train(&train, &options);
        let t = eval::tagger_counts(&model, &test);
        let p = eval::pipeline_counts(&model, &test, &[]);
        if a.errors.is_some() {
            for e in eval::pipeline_errors(&model, &test) {
                let got: Vec<String> = (e.got.iter())
                    .map(|(t, k)| format!("{t} {}", k.as_str()))
                    .collect();
                errors.push_str(&format!(
                    "{}\t{}\t{}\t{}\t{}\t{}\n",
                    fold + 1,
                    if e.missed { "missed" } else { "spurious" },
                    e.kind.as_str(),
                    e.text.replace('\t', " "),
                    got.join("; ").replace('\t', " "),
                    e.context.replace('\t', " ")
                ));
            }
        }
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
        &format!(
            "{}: {folds}-fold cross-validation by document, the tagger alone",
            input.display()
        ),
        &tagger,
    ));
    out.push_str(&score_lines(
        "the whole pipeline, each fold's documents alone",
        &pipeline,
    ));
    if let Some(path) = &a.errors {
        if let Err(e) = std::fs::write(path, errors) {
            eprintln!("newslens: {}: {e}", path.display());
            return Ok(ExitCode::from(2));
        }
    }
    print!("{out}");
    Ok(ExitCode::SUCCESS)
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

fn cmd_entities(a: Args) -> Result<ExitCode, Usage> {
    let paths = a.paths();
    if paths.is_empty() {
        return Err(Usage("entities needs at least one PATH".into()));
    }
    if a.json && a.csv {
        return Err(Usage("entities takes --json or --csv, not both".into()));
    }
    let mut errors = 0;
    let mut corpus = load_corpus(&paths, Ranking::default(), &mut errors);
    if let Some(file) = &a.curation {
        let curation = std::fs::read_to_string(file)
            .map_err(|e| e.to_string())
            .and_then(|t| {
                serde_json::from_str::<newslens::Curation>(&t).map_err(|e| e.to_string())
            });
        match curation {
            Ok(c) => {
                let report = corpus.set_curation(c);
                if report.stale > 0 {
                    eprintln!(
                        "newslens: {}: {} of {} changes name an entity these articles do not                          have; they were skipped",
                        file.display(),
                        report.stale,
                        report.stale + report.applied
                    );
                }
            }
            Err(e) => {
                eprintln!("newslens: {}: not a curation file: {e}", file.display());
                return Ok(ExitCode::from(2));
            }
        }
    }
    let mut out = std::io::stdout().lock();
    if a.csv {
        let ok = write!(out, "{}", corpus.entities_csv(None)).is_ok();
        return Ok(if !ok || errors > 0 {
            ExitCode::from(2)
        } else {
            ExitCode::SUCCESS
        });
    }
    // One pass over the corpus (the tagger's word cache serves every article).
    let index = corpus.entities();
    let docs: Vec<newslens::Document> = corpus.documents().collect();
    let linked: Vec<Vec<newslens::Mention>> = (docs.iter()).map(|d| index.mentions(d.id)).collect();
    let ok = if a.json {
        let items: Vec<EntitiesJson<'_>> = (docs.iter())
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
        for (d, ms) in docs.iter().zip(&linked) {
            text.push_str(&format!("== {}\n", d.name));
            for m in ms {
                let t = &d.article.source()[m.span.range()];
                let arrow = if *t == *m.entity {
                    String::new()
                } else {
                    format!(" -> {}", m.entity)
                };
                text.push_str(&format!("{:<7} {t}{arrow}\n", m.label.as_str()));
            }
        }
        write!(out, "{text}").is_ok()
    };
    Ok(if !ok || errors > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// A hit as `search` prints it: its rank, headline, file and score, then its snippet with the
/// words the query matched in brackets.
fn hit_text(rank: usize, title: &str, name: &str, hit: &newslens::Hit) -> String {
    let marked: String = (hit.snippet.segments().into_iter())
        .map(|(t, hl)| if hl { format!("[{t}]") } else { t.to_string() })
        .collect();
    format!(
        "{:>2}. {title}  ({name}, score {:.2})\n    {marked}\n",
        rank + 1,
        hit.score
    )
}

/// `newslens search --archive`: the first results of `query` from a published archive, read
/// as the archive page reads it (round by round, only the files the module asks for), with
/// what each round read: the files and their sizes as served (gzip).
fn search_archive(dir: &Path, query: &str, limit: usize, json: bool) -> ExitCode {
    use std::io::Read;
    let read = |name: &str| -> Result<(usize, Vec<u8>), String> {
        let file = dir.join(name);
        let raw = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        if !raw.starts_with(&[0x1f, 0x8b]) {
            return Ok((raw.len(), raw));
        }
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(&raw[..])
            .read_to_end(&mut bytes)
            .map_err(|e| format!("{}: {e}", file.display()))?;
        Ok((raw.len(), bytes))
    };
    let fail = |e: String| {
        eprintln!("newslens: {e}");
        ExitCode::from(2)
    };
    let (manifest_bytes, mut archive) = match read("manifest")
        .and_then(|(n, b)| Archive::open(&b).map(|a| (n, a)).map_err(|e| e.to_string()))
    {
        Ok(opened) => opened,
        Err(e) => return fail(e),
    };
    let kb = |n: usize| n as f64 / 1024.0;
    let mut rounds = Vec::new();
    let (mut files, mut bytes) = (0, 0);
    // As the page's reader: a query takes three to nine rounds; more is a damaged archive.
    let answer = loop {
        let needs = match archive.attempt(query, limit, true) {
            Ok(answer) => break answer,
            Err(needs) if rounds.len() < 16 => needs,
            Err(_) => {
                return fail(format!(
                    "{}: the archive kept asking for more files: it may be damaged",
                    dir.display()
                ))
            }
        };
        let mut round = (Vec::new(), 0);
        for name in needs {
            let (served, file) = match read(&name) {
                Ok(f) => f,
                Err(e) => return fail(e),
            };
            if let Err(e) = archive.add_file(&name, &file) {
                return fail(format!("{}: {name}: {e}", dir.display()));
            }
            round.1 += served;
            round.0.push(name);
        }
        files += round.0.len();
        bytes += round.1;
        rounds.push(round);
    };
    let (results, exact) = answer;
    let view = archive.results_view(&results);
    let mut out = std::io::stdout().lock();
    let written = if json {
        let fetched: Vec<serde_json::Value> = (rounds.iter())
            .map(|(names, b)| serde_json::json!({"files": names, "bytes": b}))
            .collect();
        let json = serde_json::json!({
            "total": view.total,
            "exact": exact,
            "hits": view.hits,
            "manifest_bytes": manifest_bytes,
            "rounds": fetched,
        });
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&json).unwrap_or_default()
        )
    } else {
        let mut text = String::new();
        for (k, (names, b)) in rounds.iter().enumerate() {
            text.push_str(&format!(
                "round {}: {:.1} KB  {}\n",
                k + 1,
                kb(*b),
                names.join(" ")
            ));
        }
        text.push_str(&format!(
            "fetched {files} files, {:.1} KB as served (the manifest, {:.1} KB, apart)\n",
            kb(bytes),
            kb(manifest_bytes)
        ));
        let at_least = if exact { "" } else { "at least " };
        text.push_str(&format!(
            "{at_least}{} of {} articles match\n",
            view.total,
            archive.len()
        ));
        for (rank, v) in view.hits.iter().enumerate() {
            let Some(h) = results.hits.iter().find(|h| h.doc == v.id) else {
                continue;
            };
            text.push_str(&hit_text(rank, &v.title, v.name, h));
        }
        out.write_all(text.as_bytes())
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(format!("writing the results: {e}")),
    }
}

/// `newslens publish`: the articles as a sharded archive in a directory (see `newslens::Archive`).
fn cmd_publish(a: Args) -> Result<ExitCode, Usage> {
    let paths = a.paths();
    let Some(out) = a.out.clone() else {
        return Err(Usage("publish needs --out DIR".into()));
    };
    if paths.is_empty() {
        return Err(Usage("publish needs at least one PATH".into()));
    }
    let started = std::time::Instant::now();
    match publish(&paths, &out, &a) {
        Ok((articles, files, bytes, errors)) => {
            eprintln!(
                "newslens: published {articles} articles to {} in {:.1} s: {files} files, {:.1} MB (gzip); peak memory {}",
                out.display(),
                started.elapsed().as_secs_f64(),
                bytes as f64 / 1e6,
                peak_memory().map_or("unknown".to_string(), |m| format!("{:.0} MB", m as f64 / 1e6)),
            );
            Ok(if errors > 0 {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            })
        }
        Err(e) => {
            eprintln!("newslens: {e}");
            Ok(ExitCode::from(2))
        }
    }
}

/// The process's peak resident memory, where the system tells it (Linux).
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Writes the archive: (articles, files, bytes written, inputs that failed).
fn publish(paths: &[PathBuf], out: &Path, a: &Args) -> Result<(usize, usize, u64, usize), String> {
    use newslens::{PublishOptions, Publisher};
    use std::io::{BufReader, BufWriter, Read};
    let shown = out.display();
    let _lock = prepare_out(out)?;
    let mut options = PublishOptions::default();
    if let Some(b) = a.batch {
        options.batch = b;
    }
    if let Some(d) = a.pair_df {
        options.pair_df = d;
    }
    let mut publisher = Publisher::new(options);
    let mut writer = ArchiveWriter {
        out: out.to_path_buf(),
        files: 0,
        bytes: 0,
    };
    let runs_dir = out.join(".runs");
    std::fs::create_dir_all(&runs_dir).map_err(|e| format!("{}: {e}", runs_dir.display()))?;
    let mut runs: Vec<PathBuf> = Vec::new();
    let mut flush = |publisher: &mut Publisher, writer: &mut ArchiveWriter| -> Result<(), String> {
        let batch = publisher.flush();
        for (name, bytes) in &batch.files {
            writer.write(name, bytes)?;
        }
        let path = runs_dir.join(runs.len().to_string());
        let file = std::fs::File::create(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut w = BufWriter::new(file);
        for (term, postings) in &batch.run {
            for part in [term.as_bytes(), postings.as_slice()] {
                w.write_all(&(part.len() as u64).to_le_bytes())
                    .and_then(|()| w.write_all(part))
                    .map_err(|e| format!("{}: {e}", path.display()))?;
            }
        }
        w.flush().map_err(|e| format!("{}: {e}", path.display()))?;
        runs.push(path);
        Ok(())
    };
    let mut errors = 0;
    for (file, name) in collect_named(paths, &mut errors) {
        let bytes = match std::fs::read(&file) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("newslens: {}: {e}", file.display());
                errors += 1;
                continue;
            }
        };
        let parsed = match parse(&bytes, Format::detect(&name, &bytes)) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("newslens: {}: {e}", file.display());
                errors += 1;
                continue;
            }
        };
        for article in parsed.articles {
            if !publisher.has_room(article.source().len()) {
                // The batch's text is at the corpus limit: end it, and start the next one.
                flush(&mut publisher, &mut writer)?;
            }
            publisher
                .add(&name, article)
                .map_err(|e| format!("{name}: {e}"))?;
            if publisher.batch_full() {
                flush(&mut publisher, &mut writer)?;
            }
        }
    }
    let articles = publisher.len();
    flush(&mut publisher, &mut writer)?;
    // Merge the runs term by term: each run is sorted by term.
    let mut readers: Vec<BufReader<std::fs::File>> = runs
        .iter()
        .map(|p| std::fs::File::open(p).map(BufReader::new))
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{}: {e}", runs_dir.display()))?;
    let next = |r: &mut BufReader<std::fs::File>| -> Option<(String, Vec<u8>)> {
        let mut part = || -> Option<Vec<u8>> {
            let mut len = [0u8; 8];
            r.read_exact(&mut len).ok()?;
            let mut buf = vec![0u8; u64::from_le_bytes(len) as usize];
            r.read_exact(&mut buf).ok()?;
            Some(buf)
        };
        let term = String::from_utf8(part()?).ok()?;
        Some((term, part()?))
    };
    let mut heads: Vec<Option<(String, Vec<u8>)>> = readers.iter_mut().map(next).collect();
    while let Some(term) = heads.iter().flatten().map(|(t, _)| t).min().cloned() {
        let mut parts = Vec::new();
        for (i, head) in heads.iter_mut().enumerate() {
            if head.as_ref().is_some_and(|(t, _)| *t == term) {
                if let Some((_, p)) = head.take() {
                    parts.push(p);
                }
                *head = next(&mut readers[i]);
            }
        }
        let parts: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        for (name, bytes) in publisher
            .add_term(&term, &parts)
            .map_err(|e| format!("{shown}: {e}"))?
        {
            writer.write(&name, &bytes)?;
        }
    }
    for (name, bytes) in publisher.finish() {
        writer.write(&name, &bytes)?;
    }
    drop(readers);
    std::fs::remove_dir_all(&runs_dir).map_err(|e| format!("{}: {e}", runs_dir.display()))?;
    if let Some(page) = &a.page {
        copy_page(page, out)?;
    }
    Ok((articles, writer.files, writer.bytes, errors))
}

/// The lock file a `publish` holds in the archive's directory while it writes there.
const LOCK: &str = ".lock";

/// The archive's directory, held by this run: created, or emptied of a previous archive;
/// anything else in it is left alone and refused. A second `publish` into the same directory
/// while this one runs is refused (the lock file, created atomically, is removed when the
/// returned guard is dropped: on success, on error and on a panic).
fn prepare_out(out: &Path) -> Result<PublishLock, String> {
    let shown = out.display();
    if out.exists() {
        let entries: Vec<PathBuf> = std::fs::read_dir(out)
            .map_err(|e| format!("{shown}: {e}"))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        if !entries.is_empty()
            && !out.join(newslens::ARCHIVE_MANIFEST).exists()
            && !out.join(LOCK).exists()
        {
            return Err(format!(
                "{shown} is not empty and holds no archive: give an empty or new directory"
            ));
        }
    }
    std::fs::create_dir_all(out).map_err(|e| format!("{shown}: {e}"))?;
    let lock = PublishLock::take(out)?;
    for dir in ["w", "t", "p", "h", "d", "r", "e", "x", ".runs", "pkg"] {
        let d = out.join(dir);
        if d.exists() {
            std::fs::remove_dir_all(&d).map_err(|e| format!("{}: {e}", d.display()))?;
        }
    }
    Ok(lock)
}

/// `DIR/.lock`, held while a `publish` writes into DIR.
struct PublishLock {
    path: PathBuf,
}

impl PublishLock {
    fn take(out: &Path) -> Result<PublishLock, String> {
        use std::io::ErrorKind;
        let path = out.join(LOCK);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                // Who holds it, for the message another run gives.
                let _ = writeln!(f, "{}", std::process::id());
                Ok(PublishLock { path })
            }
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                let holder = std::fs::read_to_string(&path).unwrap_or_default();
                let holder = holder.trim();
                Err(format!(
                    "another publish is writing {} (its lock {} names process {}); \
                     wait for it to finish, or delete the lock if no publish is running",
                    out.display(),
                    path.display(),
                    if holder.is_empty() { "?" } else { holder },
                ))
            }
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }
}

impl Drop for PublishLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Writes archive files, gzip-compressed, under a directory.
struct ArchiveWriter {
    out: PathBuf,
    files: usize,
    bytes: u64,
}

impl ArchiveWriter {
    fn write(&mut self, name: &str, bytes: &[u8]) -> Result<(), String> {
        use flate2::{write::GzEncoder, Compression};
        let path = self.out.join(name);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        let mut gz = GzEncoder::new(Vec::with_capacity(bytes.len() / 3), Compression::best());
        gz.write_all(bytes).map_err(|e| format!("{name}: {e}"))?;
        let packed = gz.finish().map_err(|e| format!("{name}: {e}"))?;
        std::fs::write(&path, &packed).map_err(|e| format!("{}: {e}", path.display()))?;
        self.files += 1;
        self.bytes += packed.len() as u64;
        Ok(())
    }
}

/// The files under `paths`, each with its name in the archive: its path under the PATH it was
/// found in (a PATH that is a file: its file name), so no local directory leaks into it.
fn collect_named(paths: &[PathBuf], errors: &mut usize) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    for root in paths {
        for file in collect(std::slice::from_ref(root), errors) {
            let name = if root.is_dir() {
                file.strip_prefix(root).unwrap_or(&file).to_path_buf()
            } else {
                file.file_name()
                    .map(PathBuf::from)
                    .unwrap_or_else(|| file.clone())
            };
            let name = name.to_string_lossy().replace('\\', "/");
            out.push((file, name));
        }
    }
    out
}

/// Copies the archive page of a built site (`make site` builds it in `www/`) into the archive's
/// directory, as its `index.html`, set to open the archive beside it.
fn copy_page(page: &Path, out: &Path) -> Result<(), String> {
    let files = [
        ("archive.html", "index.html"),
        ("archive.js", "archive.js"),
        ("archive-reader.js", "archive-reader.js"),
        ("style.css", "style.css"),
        ("pkg/newslens.js", "pkg/newslens.js"),
        ("pkg/newslens_bg.wasm", "pkg/newslens_bg.wasm"),
    ];
    if !page.join("pkg/newslens_bg.wasm").exists() {
        return Err(format!(
            "{}: no built page here (pkg/newslens_bg.wasm): run `make site` and give its www/",
            page.display()
        ));
    }
    for (from, to) in files {
        let target = out.join(to);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        std::fs::copy(page.join(from), &target)
            .map_err(|e| format!("{}: {e}", page.join(from).display()))?;
    }
    // The page opens the archive named in `archive.json` beside it.
    std::fs::write(out.join("archive.json"), "{\"archive\": \".\"}\n")
        .map_err(|e| format!("{}: {e}", out.display()))
}
