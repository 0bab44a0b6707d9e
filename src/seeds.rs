//! The bundled corpus: the five seed articles shipped with the page, compiled in.

/// The bundled articles as `(file name, text)`, in file-name order. The texts are the files in
/// `www/corpus/`, byte for byte.
pub const SEEDS: &[(&str, &str)] = &[
    (
        "000_ab660a9d3fc4741e.txt",
        include_str!("../www/corpus/000_ab660a9d3fc4741e.txt"),
    ),
    (
        "001_9e555bc4dc5744ed.txt",
        include_str!("../www/corpus/001_9e555bc4dc5744ed.txt"),
    ),
    (
        "002_2f6a7b956e41b23b.txt",
        include_str!("../www/corpus/002_2f6a7b956e41b23b.txt"),
    ),
    (
        "003_cee1d3df3da35a1a.txt",
        include_str!("../www/corpus/003_cee1d3df3da35a1a.txt"),
    ),
    (
        "004_ab0d8695525b1b3e.txt",
        include_str!("../www/corpus/004_ab0d8695525b1b3e.txt"),
    ),
];
