//! The `newslens` binary: output shape, exit codes, one bad file not stopping the others.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

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

#[test]
fn parse_json_has_every_field_with_offsets_into_the_file() {
    let out = bin()
        .args(["parse", "--json"])
        .arg(corpus())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let items = v.as_array().unwrap();
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
