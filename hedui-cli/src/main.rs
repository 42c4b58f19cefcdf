//! The `hedui` command (see the `hedui_cli` crate docs and README's CLI section).

use std::process::ExitCode;

fn main() -> ExitCode {
    hedui_cli::main_with(std::env::args_os())
}
