//! Cross-crate tests for hedui live in `tests/`; this library only holds shared helpers.
#![forbid(unsafe_code)]

/// Path of the JSON corpus shared by the Rust, Python and C tests.
pub fn corpus_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}
