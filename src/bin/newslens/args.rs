//! One argument parser for every command (`lexopt` underneath): each command names the options
//! it takes, `--help` prints that command's help, `--limit 5` and `--limit=5` are the same, a
//! value that is not a number is an error, and paths stay `OsString`s (a file name need not be
//! UTF-8; only queries, formats and ranking settings must be).

use std::ffi::OsString;
use std::path::PathBuf;

/// A command: its name, how it is called, what it does and the options it takes.
pub struct Command {
    pub name: &'static str,
    pub synopsis: &'static str,
    pub summary: &'static str,
    pub about: &'static str,
    pub options: &'static [&'static str],
}

/// Every option: its name (without `--`), the value it takes (`""` for a flag), and what it does.
const OPTIONS: &[(&str, &str, &str)] = &[
    ("corpus", "PATH...", "The articles to index: files or directories (read recursively)."),
    ("index", "FILE", "Load a binary index written by `newslens index` instead of articles."),
    ("archive", "DIR", "Search a published archive (`newslens publish`) instead, reading only the files the query's first results need, as the archive page does, and print them round by round with their sizes as served: what a reader's browser fetches."),
    ("queries", "FILE", "One query per line: `qid<TAB>text`."),
    ("format", "FORMAT", "The output format: trec (`qid Q0 docid rank score tag`)."),
    ("limit", "N", "How many hits to print (search: 10, batch: 100)."),
    ("ranking", "K=V,...", "Ranking parameters: k1, b, title, subtitle, caption, body, credit, coord, proximity, prefix, fuzzy1, fuzzy2, known_fuzzy, feedback, feedback_docs, feedback_terms. Several settings separated by `;` give one run each, tagged r1, r2, ... (batch; the corpus is read once)."),
    ("out", "FILE", "Where to write the output."),
    ("json", "", "Print JSON instead of a summary."),
    ("csv", "", "Print the corpus's entities as CSV (entity, label, aliases, mentions, articles, first, last)."),
    ("curation", "FILE", "Apply these corrections to the entities first: the JSON the page exports ({\"changes\": [{\"op\": \"merge\" | \"split\" | \"rename\" | \"relabel\" | \"hide\", ...}]})."),
    ("model", "MODEL", "The tagger to evaluate (default: the bundled one)."),
    ("inside", "PATH", "Also link the documents inside a corpus of these articles (repeatable)."),
    ("inside-conll", "FILE", "... and of these CoNLL files' documents (repeatable)."),
    ("conll", "FILE", "Also learn from the words of this CoNLL file, its labels unused (repeatable)."),
    ("epochs", "N", "Training passes over the data."),
    ("runs", "N", "Training runs with different shuffles, averaged."),
    ("seed", "N", "The first run's shuffle seed."),
    ("prune", "W", "Drop features whose largest weight is below W."),
    ("folds", "K", "How many folds (default 5)."),
    ("errors", "FILE", "Also write the whole pipeline's errors on each held-out fold to FILE, a line each: fold, missed or spurious, type, the name, what the pipeline made of those words, the text around."),
    ("batch", "N", "Articles indexed, recognised and linked together (default 20000): the memory bound, and the reach of entity linking."),
    ("pair-df", "N", "Index two adjacent words also as a pair when one of them is in at least N articles (default 4096; 0: no pairs): a phrase of common words then fetches where they meet, not each word's postings."),
    ("page", "DIR", "Also copy the built page (`make site` writes target/site) into the archive's directory, set to open it."),
];

/// The commands, in the order the help lists them.
pub const COMMANDS: &[Command] = &[
    Command {
        name: "parse",
        summary: "Print the parts of each article: title, dateline, authors, paragraphs...",
        synopsis: "newslens parse PATH... [--json]",
        about: "Read articles (plain text, HTML, JSON Lines; files or directories) and print their parts: title, publisher, subtitle, dateline, published, authors, language, captions, paragraphs, credits.",
        options: &["json"],
    },
    Command {
        name: "search",
        summary: "Index articles (or load an index) and run one query",
        synopsis: "newslens search [--corpus] PATH... QUERY [--limit N] [--json] [--ranking K=V,...]\n    newslens search --index FILE QUERY [--limit N] [--json]\n    newslens search --archive DIR QUERY [--limit N] [--json]",
        about: "Index the articles under PATH... (or load an index) and run QUERY, the last argument. The query language: words, \"phrases\", -exclude, OR, prefix*, title:word, person:\"Name\", org:Name, place:Name; the last word also matches as a prefix.",
        options: &["corpus", "index", "archive", "limit", "json", "ranking"],
    },
    Command {
        name: "batch",
        summary: "Run a file of queries and print a TREC run",
        synopsis: "newslens batch --corpus DOCS.jsonl --queries QUERIES.tsv [--format trec] [--limit N]\n                   [--ranking K=V,...[;K=V,...]]",
        about: "Run one query per line of QUERIES.tsv and print a TREC run: `qid Q0 docid rank score newslens` (docid: the record's id, else the file name).",
        options: &["corpus", "queries", "format", "limit", "ranking"],
    },
    Command {
        name: "index",
        summary: "Write the binary index the page and `search --index` load",
        synopsis: "newslens index PATH... --out FILE",
        about: "Parse, index and recognise the articles under PATH... and write the compact binary index (articles and entities included) to FILE, for the page or `search --index` to load.",
        options: &["out"],
    },
    Command {
        name: "publish",
        summary: "Write a sharded archive that a static host serves and the page searches",
        synopsis: "newslens publish PATH... --out DIR [--batch N] [--pair-df N] [--page DIR]",
        about: "Parse, index, recognise and link the articles under PATH... and write them to DIR as a published archive: a manifest, word and term shards, postings, and article records in small chunks, each file gzip-compressed. Any static host serves it; the page (or `Corpus.open`-style readers of the module) fetches only the files a query needs. Memory is bounded by the batch, not the archive; the same input gives the same files.",
        options: &["out", "batch", "pair-df", "page"],
    },
    Command {
        name: "entities",
        summary: "Print the people, organisations, places, dates... each article names",
        synopsis: "newslens entities PATH... [--json | --csv] [--curation FILE]",
        about: "Recognise and link the people, organisations, places, dates, nationalities and events each article names; --json prints [{\"file\", \"id\", \"mentions\": [{\"start\", \"end\", \"text\", \"label\", \"entity\"}]}].",
        options: &["json", "csv", "curation"],
    },
    Command {
        name: "train-ner",
        summary: "Train the entity tagger on a CoNLL-2003 file",
        synopsis: "newslens train-ner TRAIN.conll --out MODEL [--epochs N] [--runs N] [--seed N] [--prune W]",
        about: "Train the entity tagger on a CoNLL-2003 file (word POS chunk tag; IOB1).",
        options: &["out", "epochs", "runs", "seed", "prune"],
    },
    Command {
        name: "eval-ner",
        summary: "Score the entity tagger and the whole pipeline on a CoNLL-2003 file",
        synopsis: "newslens eval-ner TEST.conll [--model MODEL] [--inside PATH]... [--inside-conll FILE]...",
        about: "Tag a CoNLL-2003 file and print strict exact-span precision, recall and F1 (as conlleval computes them) per type, for PER/LOC/ORG and for all four types: the tagger alone, then the whole pipeline with each document as an article (first sentence the headline), alone and linked inside a corpus of other articles.",
        options: &["model", "inside", "inside-conll"],
    },
    Command {
        name: "cv-ner",
        summary: "Cross-validate the tagger by document",
        synopsis: "newslens cv-ner TRAIN.conll [--folds K] [--epochs N] [--runs N] [--seed N] [--prune W] [--errors FILE]",
        about: "Cross-validate the tagger by document on a CoNLL-2003 file: the tagger alone and the whole pipeline on each held-out fold.",
        options: &["folds", "epochs", "runs", "seed", "prune", "errors"],
    },
    Command {
        name: "train-clusters",
        summary: "Learn the tagger's word clusters from unlabelled text",
        synopsis: "newslens train-clusters PATH... [--conll FILE]... --out CLUSTERS",
        about: "Learn the tagger's word clusters from unlabelled text: the articles under PATH... and the words of CoNLL files.",
        options: &["conll", "out"],
    },
];

/// The commands' names and synopses, and how to get each one's help.
pub fn usage() -> String {
    let mut s = String::from("newslens — search and entity explorer for news archives\n\nUSAGE:\n");
    for c in COMMANDS {
        s.push_str(&format!("    {}\n", c.synopsis));
    }
    s.push_str("\nCOMMANDS:\n");
    for c in COMMANDS {
        s.push_str(&format!("    {:<15} {}\n", c.name, c.summary));
    }
    s.push_str(
        "\n    newslens COMMAND --help    that command's options\n    newslens --version\n\n\
         Errors go to standard error and make the exit code 2; one bad file does not stop the others.",
    );
    s
}

/// One command's help: how it is called, what it does, its options.
pub fn help(c: &Command) -> String {
    let mut s = format!(
        "USAGE:\n    {}\n\n{}\n\nOPTIONS:\n",
        c.synopsis,
        wrap(c.about, 0, 96)
    );
    for name in c.options {
        if let Some((_, value, what)) = OPTIONS.iter().find(|(n, _, _)| n == name) {
            let head = if value.is_empty() {
                format!("--{name}")
            } else {
                format!("--{name} {value}")
            };
            s.push_str(&format!("    {head}\n{}\n", wrap(what, 12, 96)));
        }
    }
    s.push_str("    -h, --help\n            Print this help.");
    s
}

/// Wraps `text` into lines of at most `width` columns, each indented by `indent` spaces.
fn wrap(text: &str, indent: usize, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && indent + line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(&format!("{:indent$}{line}\n", ""));
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&format!("{:indent$}{line}", ""));
    out
}

/// What a command was given. Options a command does not take are refused before this is
/// filled, so each command reads only its own.
#[derive(Debug, Default)]
pub struct Args {
    /// Arguments that are not options, in order.
    pub positional: Vec<OsString>,
    pub corpus: Vec<PathBuf>,
    pub index: Option<PathBuf>,
    pub archive: Option<PathBuf>,
    pub queries: Option<PathBuf>,
    pub format: Option<String>,
    pub limit: Option<usize>,
    pub ranking: Option<String>,
    pub out: Option<PathBuf>,
    pub json: bool,
    pub csv: bool,
    pub curation: Option<PathBuf>,
    pub model: Option<PathBuf>,
    pub inside: Vec<PathBuf>,
    pub inside_conll: Vec<PathBuf>,
    pub conll: Vec<PathBuf>,
    pub epochs: Option<usize>,
    pub runs: Option<usize>,
    pub seed: Option<u64>,
    pub prune: Option<f32>,
    pub folds: Option<usize>,
    pub errors: Option<PathBuf>,
    pub batch: Option<usize>,
    pub pair_df: Option<usize>,
    pub page: Option<PathBuf>,
}

impl Args {
    /// The positional arguments as paths.
    pub fn paths(&self) -> Vec<PathBuf> {
        self.positional.iter().map(PathBuf::from).collect()
    }
}

/// The outcome of reading a command's arguments.
#[derive(Debug)]
pub enum Parsed {
    Run(Box<Args>),
    /// `--help` was given.
    Help,
}

/// Reads `raw` (the arguments after the command's name) for command `c`.
pub fn parse(c: &Command, raw: impl IntoIterator<Item = OsString>) -> Result<Parsed, String> {
    use lexopt::Arg;
    let mut p = lexopt::Parser::from_args(raw);
    let mut a = Args::default();
    loop {
        let arg = p.next().map_err(|e| e.to_string())?;
        let name = match arg {
            None => break,
            Some(Arg::Short('h') | Arg::Long("help")) => return Ok(Parsed::Help),
            Some(Arg::Value(v)) => {
                a.positional.push(v);
                continue;
            }
            Some(Arg::Short(s)) => return Err(format!("unknown option '-{s}'")),
            Some(Arg::Long(l)) => l.to_string(),
        };
        if !c.options.contains(&name.as_str()) {
            return Err(if OPTIONS.iter().any(|(n, _, _)| *n == name) {
                format!("{} takes no option '--{name}'", c.name)
            } else {
                format!("unknown option '--{name}'")
            });
        }
        match name.as_str() {
            "json" => a.json = true,
            "csv" => a.csv = true,
            "curation" => a.curation = Some(path(&mut p, &name)?),
            "corpus" => {
                for v in p
                    .values()
                    .map_err(|_| "--corpus needs at least one PATH".to_string())?
                {
                    a.corpus.push(v.into());
                }
            }
            "index" => a.index = Some(path(&mut p, &name)?),
            "archive" => a.archive = Some(path(&mut p, &name)?),
            "queries" => a.queries = Some(path(&mut p, &name)?),
            "out" => a.out = Some(path(&mut p, &name)?),
            "model" => a.model = Some(path(&mut p, &name)?),
            "inside" => a.inside.push(path(&mut p, &name)?),
            "inside-conll" => a.inside_conll.push(path(&mut p, &name)?),
            "conll" => a.conll.push(path(&mut p, &name)?),
            "format" => a.format = Some(text(&mut p, &name)?),
            "ranking" => a.ranking = Some(text(&mut p, &name)?),
            "limit" => a.limit = Some(number(&mut p, &name)?),
            "epochs" => a.epochs = Some(number(&mut p, &name)?),
            "runs" => a.runs = Some(number(&mut p, &name)?),
            "seed" => a.seed = Some(number(&mut p, &name)?),
            "prune" => a.prune = Some(number(&mut p, &name)?),
            "folds" => a.folds = Some(number(&mut p, &name)?),
            "errors" => a.errors = Some(path(&mut p, &name)?),
            "batch" => a.batch = Some(number(&mut p, &name)?),
            "pair-df" => a.pair_df = Some(number(&mut p, &name)?),
            "page" => a.page = Some(path(&mut p, &name)?),
            _ => return Err(format!("unknown option '--{name}'")),
        }
    }
    Ok(Parsed::Run(Box::new(a)))
}

fn path(p: &mut lexopt::Parser, name: &str) -> Result<PathBuf, String> {
    p.value()
        .map(PathBuf::from)
        .map_err(|_| format!("--{name} needs a value"))
}

fn text(p: &mut lexopt::Parser, name: &str) -> Result<String, String> {
    let v = p.value().map_err(|_| format!("--{name} needs a value"))?;
    v.into_string()
        .map_err(|v| format!("--{name}: '{}' is not valid UTF-8", v.to_string_lossy()))
}

fn number<T: std::str::FromStr>(p: &mut lexopt::Parser, name: &str) -> Result<T, String> {
    let v = p.value().map_err(|_| format!("--{name} needs a number"))?;
    let s = v.to_string_lossy();
    s.parse()
        .map_err(|_| format!("--{name} needs a number, not '{s}'"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn command(name: &str) -> &'static Command {
        COMMANDS.iter().find(|c| c.name == name).unwrap()
    }

    fn run(name: &str, args: &[&str]) -> Result<Args, String> {
        match parse(command(name), args.iter().map(OsString::from))? {
            Parsed::Run(a) => Ok(*a),
            Parsed::Help => Err("help".into()),
        }
    }

    #[test]
    fn values_joined_or_apart_are_the_same() {
        for args in [&["--limit", "5", "q"][..], &["--limit=5", "q"]] {
            let a = run("search", args).unwrap();
            assert_eq!(a.limit, Some(5), "{args:?}");
            assert_eq!(a.positional, ["q"]);
        }
    }

    #[test]
    fn corpus_takes_the_values_up_to_the_next_option() {
        let a = run("search", &["--corpus", "a", "b", "--limit", "3", "query"]).unwrap();
        assert_eq!(a.corpus, [PathBuf::from("a"), PathBuf::from("b")]);
        assert_eq!(a.positional, ["query"]);
    }

    #[test]
    fn refusals() {
        for (cmd, args, says) in [
            (
                "search",
                &["--limit", "ten"][..],
                "--limit needs a number, not 'ten'",
            ),
            ("cv-ner", &["x", "--prune"], "--prune needs a number"),
            (
                "train-ner",
                &["x", "--epochs", "-1"],
                "--epochs needs a number",
            ),
            ("parse", &["--bogus"], "unknown option '--bogus'"),
            (
                "parse",
                &["--limit", "3"],
                "parse takes no option '--limit'",
            ),
            ("index", &["--out"], "--out needs a value"),
            ("parse", &["-x"], "unknown option '-x'"),
        ] {
            let e = run(cmd, args).unwrap_err();
            assert!(e.contains(says), "{cmd} {args:?}: {e}");
        }
    }

    #[test]
    fn help_is_asked_for_anywhere() {
        assert!(matches!(
            parse(command("batch"), ["x", "-h"].map(OsString::from)),
            Ok(Parsed::Help)
        ));
    }

    #[test]
    fn every_command_documents_every_option_it_takes() {
        for c in COMMANDS {
            for o in c.options {
                assert!(OPTIONS.iter().any(|(n, _, _)| n == o), "{} --{o}", c.name);
                assert!(help(c).contains(&format!("--{o}")), "{} --{o}", c.name);
            }
        }
    }
}
