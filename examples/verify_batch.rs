//! The main job, kept under its old name: a thin wrapper that runs `hedui verify` with the
//! same arguments (the implementation is `hedui_cli::verify`).
//!
//! ```text
//! cargo run --release --example verify_batch -- --sample 1000 --out out
//! # is the same as
//! cargo run --release -p hedui-cli -- verify --sample 1000 --out out
//! ```

use std::ffi::OsString;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = [OsString::from("hedui"), OsString::from("verify")]
        .into_iter()
        .chain(std::env::args_os().skip(1));
    hedui_cli::main_with(args)
}
