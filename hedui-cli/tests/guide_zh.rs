//! The shell samples of the Chinese guide (`docs/zh/*.md`) run against the built `hedui`: each
//! page's ```sh blocks, in order, in one `bash -euo pipefail` in an empty directory with `hedui`
//! first on PATH. A sample that fails (any command, `set -e`) fails the test. The Python samples
//! of the same pages run in the Python suite (`hedui-py/tests/test_guide_zh.py`). A page whose
//! samples name the workbook `核对案件.xlsx` (the one its Python samples fill in) finds a
//! workbook of sample cases by that name in the directory.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failure should stop the test loudly"
)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

/// The workbook the Excel page's shell sample reads.
const WORKBOOK: &str = "核对案件.xlsx";

/// The fenced blocks of a Markdown text: (language tag, body).
fn blocks(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut open: Option<(String, String)> = None;
    for line in text.lines() {
        match open.take() {
            None => {
                if let Some(tag) = line.strip_prefix("```") {
                    open = Some((tag.trim().to_owned(), String::new()));
                }
            }
            Some((tag, mut body)) => {
                if line.trim_end() == "```" {
                    out.push((tag, body));
                } else {
                    body.push_str(line);
                    body.push('\n');
                    open = Some((tag, body));
                }
            }
        }
    }
    assert!(open.is_none(), "a fenced block is not closed");
    out
}

fn guide() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/zh");
    let mut pages: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    pages
}

#[test]
fn every_sample_is_tagged_sh_python_or_text() {
    let mut counts = (0, 0);
    for page in guide() {
        for (tag, _) in blocks(&fs::read_to_string(&page).unwrap()) {
            match tag.as_str() {
                "sh" => counts.0 += 1,
                "python" => counts.1 += 1,
                "text" => {}
                other => panic!("{}: a fenced block tagged `{other}`", page.display()),
            }
        }
    }
    // the guide has samples of both kinds; a broken extraction finds none
    assert!(counts.0 >= 7 && counts.1 >= 7, "{counts:?}");
}

#[test]
fn the_shell_samples_of_the_guide_run() {
    let hedui = PathBuf::from(env!("CARGO_BIN_EXE_hedui"));
    let bin = hedui.parent().unwrap();
    let path = std::env::join_paths(std::iter::once(bin.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let mut ran = 0;
    for page in guide() {
        let script: Vec<String> = blocks(&fs::read_to_string(&page).unwrap())
            .into_iter()
            .filter(|(tag, _)| tag == "sh")
            .map(|(_, body)| body)
            .collect();
        if script.is_empty() {
            continue;
        }
        let dir = tempfile::tempdir().unwrap();
        if script.iter().any(|s| s.contains(WORKBOOK)) {
            let (book, _) = common::office_workbook(dir.path(), 5);
            fs::rename(book, dir.path().join(WORKBOOK)).unwrap();
        }
        let out = Command::new("bash")
            .args(["-euo", "pipefail", "-c", &script.join("\n")])
            .current_dir(dir.path())
            .env("PATH", &path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}: a shell sample failed ({})\nstdout:\n{}\nstderr:\n{}",
            page.display(),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        ran += script.len();
    }
    assert!(ran >= 7, "{ran} shell samples ran");
}

#[test]
fn a_failing_sample_fails_the_run() {
    // the harness itself: a sample whose command fails is a failure, also inside a pipeline
    for script in ["hedui id 110105194912310021\n", "false | cat\n"] {
        let hedui = PathBuf::from(env!("CARGO_BIN_EXE_hedui"));
        let status = Command::new("bash")
            .args(["-euo", "pipefail", "-c", script])
            .env(
                "PATH",
                format!(
                    "{}:{}",
                    hedui.parent().unwrap().display(),
                    std::env::var("PATH").unwrap_or_default()
                ),
            )
            .output()
            .unwrap()
            .status;
        assert!(!status.success(), "{script}");
    }
    let parsed = blocks("a\n```sh\necho 1\n```\n```python\nx = 1\n```\n");
    assert_eq!(
        parsed,
        vec![
            ("sh".to_owned(), "echo 1\n".to_owned()),
            ("python".to_owned(), "x = 1\n".to_owned())
        ]
    );
}
