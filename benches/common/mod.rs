//! What the native benchmarks (and `tests/bbc.rs`) share: the BBC articles from `../shared`.

use std::path::Path;

/// (path, raw bytes) of the 2,225 BBC articles in topic and name order, or `None` (with a
/// message) when `../shared/data/bbc` is absent.
pub fn bbc_files() -> Option<Vec<(String, Vec<u8>)>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/bbc");
    if !root.is_dir() {
        eprintln!("skipped: {} is absent", root.display());
        return None;
    }
    let mut files = Vec::new();
    for topic in ["business", "entertainment", "politics", "sport", "tech"] {
        let mut names: Vec<_> = std::fs::read_dir(root.join(topic))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        names.sort();
        for p in names {
            files.push((p.display().to_string(), std::fs::read(&p).unwrap()));
        }
    }
    Some(files)
}
