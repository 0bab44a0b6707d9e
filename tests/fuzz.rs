//! The quick fuzzing pass of `make test`: every input saved under `fuzz/corpus/<target>/` (what
//! the fuzzers kept) and `fuzz/regressions/<target>/` (what they once broke) goes through the
//! same checks as the fuzz targets (`fuzz/src/lib.rs`). The fuzzers themselves run with
//! `make fuzz` (cargo-fuzz).
#![allow(clippy::unwrap_used, clippy::print_stderr)]

#[path = "../fuzz/src/lib.rs"]
mod bodies;

use std::path::Path;

fn replay(target: &str, body: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut n = 0;
    for kind in ["corpus", "regressions"] {
        let dir = root.join(kind).join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
        files.sort();
        for f in files {
            let data = std::fs::read(&f).unwrap();
            let outcome = std::panic::catch_unwind(|| body(&data));
            assert!(outcome.is_ok(), "{} fails", f.display());
            n += 1;
        }
    }
    assert!(n > 0, "no saved inputs for {target}");
}

#[test]
fn parse_inputs() {
    replay("parse", bodies::parse_any);
}

#[test]
fn search_inputs() {
    replay("search", bodies::search);
}

#[test]
fn entities_inputs() {
    replay("entities", bodies::entities);
}

#[test]
fn load_index_inputs() {
    replay("load_index", bodies::load_index);
}
