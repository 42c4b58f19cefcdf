//! Writes `schemas/*.schema.json` from the core types: `cargo run -p hedui-tests --bin schemas`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let dir = hedui_tests::schemas::dir();
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("cannot create {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    for (name, content) in hedui_tests::schemas::all() {
        if let Err(e) = std::fs::write(dir.join(name), content) {
            eprintln!("cannot write {name}: {e}");
            return ExitCode::FAILURE;
        }
        println!("wrote schemas/{name}");
    }
    ExitCode::SUCCESS
}
