//! Writes the starting seeds of every fuzz target (`hedui_fuzz_checks::seeds::initial`) into
//! `DIR/<target>/<name>`, for a first fuzzing run:
//!
//! ```sh
//! cargo run -p hedui-fuzz-checks --example write_seeds -- fuzz/work
//! ```

fn main() -> std::io::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "fuzz/work".to_owned());
    for seed in hedui_fuzz_checks::seeds::initial() {
        let target = std::path::Path::new(&dir).join(seed.target);
        std::fs::create_dir_all(&target)?;
        std::fs::write(target.join(&seed.name), &seed.data)?;
    }
    Ok(())
}
