//! The `newslens` binary: output shape, exit codes, one bad file not stopping the others.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

#[path = "common/hostile_inputs.rs"]
mod hostile_inputs;

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_newslens"))
}

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("www/corpus")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("newslens-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs a command that must succeed.
fn succeeded(command: &mut Command) -> std::process::Output {
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// `newslens parse --json PATHS...`, which must succeed: its array of articles.
fn parse_json(paths: &[PathBuf]) -> Vec<Value> {
    let out = succeeded(bin().args(["parse", "--json"]).args(paths));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v.as_array().unwrap().clone()
}

#[test]
fn parse_json_has_every_field_with_offsets_into_the_file() {
    let items = &parse_json(&[corpus()]);
    assert_eq!(items.len(), 5);
    for item in items {
        for key in [
            "file",
            "title",
            "publisher",
            "subtitle",
            "dateline",
            "captions",
            "paragraphs",
            "credits",
        ] {
            assert!(item.get(key).is_some(), "missing {key}");
        }
        let file = std::fs::read(item["file"].as_str().unwrap()).unwrap();
        for p in item["paragraphs"]
            .as_array()
            .unwrap()
            .iter()
            .chain(item["captions"].as_array().unwrap())
        {
            let (s, e) = (
                p["start"].as_u64().unwrap() as usize,
                p["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(&file[s..e], p["text"].as_str().unwrap().as_bytes());
        }
    }
    assert_eq!(items[1]["dateline"], "PHNOM PENH");
    assert_eq!(
        items[2]["publisher"],
        "Cambodian Journalists Alliance Association"
    );
    assert_eq!(
        items[3]["captions"][0]["credits"],
        serde_json::json!(["Ma Chettra", "Chhorn Veasna"])
    );
    assert_eq!(
        items[0]["credits"],
        serde_json::json!(["Additional reporting by Ouch Sony"])
    );
}

#[test]
fn bad_files_are_reported_and_the_others_still_parse() {
    let dir = scratch("bad");
    std::fs::write(dir.join("a_empty.txt"), "").unwrap();
    std::fs::write(
        dir.join("b_binary.txt"),
        (0..2000u32).map(|i| (i % 7) as u8).collect::<Vec<_>>(),
    )
    .unwrap();
    std::fs::write(dir.join("c_good.txt"), "Good headline\n\nGood body.\n").unwrap();
    std::fs::write(dir.join("d_latin1.txt"), b"Caf\xe9 headline\n\nBody.\n").unwrap();
    let out = bin()
        .args(["parse", "--json"])
        .arg(&dir)
        .arg(dir.join("missing.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("a_empty.txt: no article text"), "{err}");
    assert!(
        err.contains("b_binary.txt: this looks like binary data"),
        "{err}"
    );
    assert!(err.contains("missing.txt"), "{err}");
    assert!(
        err.contains("d_latin1.txt: warning: not valid UTF-8"),
        "{err}"
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let titles: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Good headline", "Café headline"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn summary_output_and_usage_errors() {
    let out = bin()
        .arg("parse")
        .arg(corpus().join("001_9e555bc4dc5744ed.txt"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("dateline    PHNOM PENH"), "{text}");
    for args in [
        &[][..],
        &["frobnicate"][..],
        &["parse"][..],
        &["parse", "--bogus", "x"][..],
    ] {
        let out = bin().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("USAGE"),
            "{args:?}"
        );
    }
    assert!(bin().arg("--help").output().unwrap().status.success());
}

/// Hostile files and queries through every command that reads articles: each run ends with
/// exit 0 (or 2, naming the bad file), never a panic (101) or a signal, and the good article
/// is still found.
#[test]
fn hostile_files_and_queries_never_crash_the_commands() {
    let dir = scratch("hostile");
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let random: Vec<u8> = (0..100_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    std::fs::write(dir.join("random.txt"), &random).unwrap();
    std::fs::write(dir.join("random.html"), &random).unwrap();
    std::fs::write(dir.join("random.jsonl"), &random).unwrap();
    std::fs::write(
        dir.join("invalid.txt"),
        b"Bad \xff\xfe bytes\n\nCaf\xe9 \x80\x81 text.\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("nul.txt"),
        b"NUL headline\n\nText\0with\0NUL bytes in it.\n",
    )
    .unwrap();
    std::fs::write(dir.join("line.txt"), "word ".repeat(1024 * 1024)).unwrap(); // 5 MB, one line
    let nested = "<div>".repeat(100_000) + "deep text" + &"</div>".repeat(100_000);
    std::fs::write(dir.join("nested.html"), nested).unwrap();
    std::fs::write(
        dir.join("good.txt"),
        "Good headline\n\nThe zanzibarite story.\n",
    )
    .unwrap();
    // A command-line argument cannot hold a NUL.
    let mut queries: Vec<String> = hostile_inputs::queries()
        .into_iter()
        .filter(|q| !q.contains('\0'))
        .collect();
    queries.push("zanzibarite".to_string());
    for cmd in [&["parse", "--json"][..], &["entities", "--json"][..]] {
        let out = bin().args(cmd).arg(&dir).output().unwrap();
        let code = out.status.code();
        assert!(matches!(code, Some(0) | Some(2)), "{cmd:?}: exit {code:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("random.txt"), "{cmd:?}: {err}");
        serde_json::from_slice::<Value>(&out.stdout).unwrap();
    }
    // Indexed once (the hostile files included), then searched with every query.
    let index = dir.join("out.nlix");
    let out = bin()
        .arg("index")
        .arg(&dir)
        .arg("--out")
        .arg(&index)
        .output()
        .unwrap();
    assert!(matches!(out.status.code(), Some(0) | Some(2)));
    for q in &queries {
        let out = bin()
            .args(["search", "--json", "--index"])
            .arg(&index)
            .arg(q)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{q:.40}");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        if q == "zanzibarite" {
            assert_eq!(v["hits"][0]["title"], "Good headline", "{v}");
        }
    }
    let out = bin()
        .args(["search", "--corpus"])
        .arg(&dir)
        .arg("zanzibarite")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "the bad files are reported");
    // A damaged index is a clear error.
    let mut bytes = std::fs::read(&index).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x55;
    std::fs::write(&index, &bytes).unwrap();
    let out = bin()
        .args(["search", "--index"])
        .arg(&index)
        .arg("x")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the index file is damaged"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `newslens entities` over the bundled corpus, one `article<TAB>label<TAB>text<TAB>entity`
/// line per mention (article: the file name's first three characters), sorted.
fn cli_entity_lines() -> String {
    let out = bin()
        .args(["entities", "--json"])
        .arg(corpus())
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut lines = Vec::new();
    for item in v.as_array().unwrap() {
        let file = item["file"].as_str().unwrap();
        let name = std::path::Path::new(file)
            .file_name()
            .unwrap()
            .to_string_lossy();
        for m in item["mentions"].as_array().unwrap() {
            lines.push(format!(
                "{}\t{}\t{}\t{}",
                &name[..3],
                m["label"].as_str().unwrap(),
                m["text"].as_str().unwrap(),
                m["entity"].as_str().unwrap()
            ));
        }
    }
    lines.sort();
    lines.join("\n") + "\n"
}

/// The page test (`tests/web.rs`) checks the module's entities against the same file: the page
/// and the CLI name the same entities. `NEWSLENS_BLESS=1` rewrites it after a model change.
#[test]
fn cli_entities_of_the_bundled_corpus_match_what_the_page_test_expects() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed-entities.tsv");
    let got = cli_entity_lines();
    if std::env::var_os("NEWSLENS_BLESS").is_some() {
        std::fs::write(&path, &got).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap();
    assert!(got.lines().count() > 100);
    assert_eq!(
        got, want,
        "run with NEWSLENS_BLESS=1 after changing the model"
    );
}

/// `std::env::args` panicked on an argument that is not UTF-8. Paths are read as given now,
/// whatever their bytes; a query that is not UTF-8 is a usage error.
#[cfg(unix)]
#[test]
fn an_argument_that_is_not_utf8_is_a_path_or_a_usage_error_never_a_panic() {
    use std::os::unix::ffi::OsStrExt;
    let dir = scratch("not-utf8");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(std::ffi::OsStr::from_bytes(b"caf\xe9.txt"));
    std::fs::write(&file, "Headline\n\nBody text of the article.").unwrap();
    let out = bin().arg("parse").arg(&file).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("title       Headline"));
    let out = bin()
        .args(["search", "--corpus"])
        .arg(&dir)
        .arg(std::ffi::OsStr::from_bytes(b"\xff"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is not valid UTF-8"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Every command has its own help; the version is printed; `--limit=5` is `--limit 5`.
#[test]
fn help_per_command_version_and_joined_values() {
    for name in [
        "parse",
        "search",
        "batch",
        "index",
        "entities",
        "train-ner",
        "eval-ner",
        "cv-ner",
        "train-clusters",
    ] {
        let out = bin().args([name, "--help"]).output().unwrap();
        assert!(out.status.success(), "{name}");
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(
            help.contains(&format!("newslens {name} ")),
            "{name}: {help}"
        );
        assert!(help.contains("OPTIONS"), "{name}: {help}");
    }
    let out = bin().arg("--version").output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("newslens {}", env!("CARGO_PKG_VERSION"))
    );
    let hits = |limit: &[&str]| {
        let out = bin()
            .args(["search", "--json", "--corpus"])
            .arg(corpus())
            .args(limit)
            .arg("Kem Sokha")
            .output()
            .unwrap();
        assert!(out.status.success(), "{limit:?}");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["hits"].as_array().unwrap().len()
    };
    assert_eq!(hits(&["--limit=2"]), 2);
    assert_eq!(hits(&["--limit", "2"]), 2);
    assert!(hits(&[]) > 2);
}

/// A folder holding a link to its parent was read over and over, until the path grew too long.
#[cfg(unix)]
#[test]
fn a_link_back_to_a_parent_folder_is_read_once() {
    let dir = scratch("loop");
    let inner = dir.join("inner");
    std::fs::create_dir_all(&inner).unwrap();
    std::fs::write(inner.join("a.txt"), "Headline\n\nBody text of the article.").unwrap();
    let link = inner.join("up");
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(&dir, &link).unwrap();
    // Reached through the folder, the link and the path given: one article.
    assert_eq!(parse_json(&[dir.clone(), inner.join("a.txt")]).len(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `--epochs x` silently became the default number of epochs.
#[test]
fn a_bad_number_is_a_usage_error() {
    for args in [
        &["train-ner", "x.conll", "--out", "m.bin", "--epochs", "x"][..],
        &["cv-ner", "x.conll", "--folds", "five"],
        &["cv-ner", "x.conll", "--prune"],
        &["search", "--corpus", "x", "--limit", "ten", "q"],
    ] {
        let out = bin().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("needs a number"), "{args:?}: {err}");
    }
}

/// One presentation layer: `search --json` prints the core's results view, the same the module
/// hands to JavaScript (segments with their entities and highlights, no byte offsets).
#[test]
fn search_json_is_the_core_results_view() {
    let out = bin()
        .args(["search", "--json", "--corpus"])
        .arg(corpus())
        .arg("Sam Rainsy")
        .output()
        .unwrap();
    assert!(out.status.success());
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|f| f.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    let mut c = newslens::Corpus::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        c.add(
            path.display().to_string(),
            newslens::parse_text(&text).unwrap(),
        );
    }
    let results = c.search("Sam Rainsy", 10);
    // Through text, as the CLI prints it (an f32 score reads back as the same f64 that way).
    let want: Value =
        serde_json::from_str(&serde_json::to_string(&c.results_view(&results)).unwrap()).unwrap();
    assert_eq!(printed, want);
    let hit = &printed["hits"][0];
    assert!(hit["snippet"].as_array().unwrap().iter().any(
        |s| s["highlight"] == true && s["text"].as_str().is_some_and(|t| t.contains("Rainsy"))
    ));
    assert!(hit["snippet"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["label"] == "PERSON"));
}

/// `newslens entities --curation FILE` applies the page's exported corrections; `--csv` prints
/// the corpus's entities; a file that is not a curation is an error saying so.
#[test]
fn cli_entities_take_the_pages_curation_file() {
    let dir = scratch("curation");
    std::fs::create_dir_all(&dir).unwrap();
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("www/corpus");
    let file = dir.join("curation.json");
    std::fs::write(
        &file,
        r#"{"changes":[{"op":"rename","entity":{"name":"Kem Sokha","label":"PERSON"},"name":"KEM SOKHA (curated)"},
            {"op":"hide","entity":{"name":"Facebook","label":"ORG"}},
            {"op":"hide","entity":{"name":"Nobody At All","label":"ORG"}}]}"#,
    )
    .unwrap();
    let out = succeeded(
        bin()
            .args(["entities", "--csv", "--curation"])
            .arg(&file)
            .arg(&corpus),
    );
    let csv = String::from_utf8(out.stdout).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("entity,label,aliases,mentions,articles,first,last")
    );
    assert!(
        csv.lines()
            .any(|l| l.starts_with("KEM SOKHA (curated),PERSON,")),
        "{csv}"
    );
    assert!(!csv
        .lines()
        .any(|l| l.starts_with("Kem Sokha,") || l.starts_with("Facebook,")));
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 of 3 changes"));
    std::fs::write(&file, "{\"changes\": [{\"op\": \"explode\"}]}").unwrap();
    let out = bin()
        .args(["entities", "--curation"])
        .arg(&file)
        .arg(&corpus)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a curation file"));
}

#[test]
fn publishing_again_leaves_no_file_of_the_previous_archive() {
    let out = scratch("republish").join("archive");
    let publish = || {
        succeeded(bin().arg("publish").arg(corpus()).arg("--out").arg(&out));
    };
    publish();
    // Files a previous archive had and this one lacks, in every kind of directory.
    let stale: Vec<PathBuf> = ["w", "t", "p", "h", "d", "r", "e", "x"]
        .iter()
        .map(|d| out.join(d).join("999999"))
        .collect();
    for f in &stale {
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        std::fs::write(f, b"stale").unwrap();
    }
    publish();
    for f in &stale {
        assert!(!f.exists(), "{} survived publishing again", f.display());
    }
    assert!(out.join("manifest").exists());
    std::fs::remove_dir_all(out.parent().unwrap()).unwrap();
}

#[test]
fn a_second_publish_into_a_directory_being_written_is_refused() {
    let out = scratch("locked").join("archive");
    succeeded(bin().arg("publish").arg(corpus()).arg("--out").arg(&out));
    // A publish that finished leaves no lock behind.
    assert!(!out.join(".lock").exists());
    let manifest = std::fs::read(out.join("manifest")).unwrap();
    let listing = |dir: &PathBuf| {
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        names
    };
    let before = listing(&out);
    // Another run holding the directory (its lock, as a run writes it).
    std::fs::write(out.join(".lock"), "4242\n").unwrap();
    let refused = bin()
        .arg("publish")
        .arg(corpus())
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("another publish is writing") && err.contains("process 4242"),
        "{err}"
    );
    // Nothing of the archive there was touched.
    assert_eq!(std::fs::read(out.join("manifest")).unwrap(), manifest);
    let mut with_lock = listing(&out);
    with_lock.retain(|n| n != ".lock");
    assert_eq!(with_lock, before);
    // The lock gone, publishing works again.
    std::fs::remove_file(out.join(".lock")).unwrap();
    succeeded(bin().arg("publish").arg(corpus()).arg("--out").arg(&out));
    assert!(!out.join(".lock").exists());
    std::fs::remove_dir_all(out.parent().unwrap()).unwrap();
}

#[test]
fn a_publish_that_reports_failed_inputs_lets_go_of_its_directory() {
    let dir = scratch("failed-publish");
    let out = dir.join("archive");
    // An input that does not exist: the run writes what it has, then exits with an error.
    let missing = dir.join("no-such-folder");
    let failed = bin()
        .arg("publish")
        .arg(&missing)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(!failed.status.success());
    assert!(!out.join(".lock").exists());
    succeeded(bin().arg("publish").arg(corpus()).arg("--out").arg(&out));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `search --archive` answers from a published archive as `search` does from the articles
/// (the same hits, in order, with the same snippets), and says what it read, round by round.
#[test]
fn search_in_an_archive_gives_the_corpus_hits_and_what_was_fetched() {
    let out = scratch("search-archive").join("archive");
    succeeded(bin().arg("publish").arg(corpus()).arg("--out").arg(&out));
    let hits = |text: &str| -> Vec<String> {
        let from = text
            .lines()
            .position(|l| l.contains("articles match"))
            .unwrap();
        text.lines().skip(from + 1).map(String::from).collect()
    };
    for query in [
        "sokha",
        "\"rescue party\"",
        "cnrp -france",
        "person:\"Kem Sokha\"",
    ] {
        let corpus_out = succeeded(bin().arg("search").arg(corpus()).arg(query));
        let corpus_text = String::from_utf8_lossy(&corpus_out.stdout).to_string();
        let archive_out = succeeded(bin().arg("search").arg("--archive").arg(&out).arg(query));
        let text = String::from_utf8_lossy(&archive_out.stdout).to_string();
        assert!(!hits(&corpus_text).is_empty(), "{query}: {corpus_text}");
        // Names differ in the archive only by the directory they were published from.
        let names = |l: &String| l.replace(&format!("{}/", corpus().display()), "");
        let corpus_hits: Vec<String> = hits(&corpus_text).iter().map(names).collect();
        assert_eq!(hits(&text), corpus_hits, "{query}: {text}");
        assert!(text.starts_with("round 1: "), "{query}: {text}");
        assert!(text.contains("KB as served"), "{query}: {text}");
        let json = succeeded(
            bin()
                .args(["search", "--json", "--archive"])
                .arg(&out)
                .arg(query),
        );
        let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        assert!(
            v["rounds"].as_array().is_some_and(|r| !r.is_empty()),
            "{query}"
        );
    }
    // A directory that holds no archive is an error that says which file is missing.
    let none = bin()
        .arg("search")
        .arg("--archive")
        .arg(out.join("r"))
        .arg("x")
        .output()
        .unwrap();
    assert_eq!(none.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&none.stderr).contains("manifest"));
    std::fs::remove_dir_all(out.parent().unwrap()).unwrap();
}
