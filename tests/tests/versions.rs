//! One version everywhere, and a changelog in Keep a Changelog form.
//!
//! The Rust crates, the Python package (`hedui-py/pyproject.toml`) and the C library
//! (the header's `HEDUI_VERSION_*` macros, and `hedui.pc`, whose template takes the crate
//! version) carry the same version; the newest released section of CHANGELOG.md is that
//! version; the changelog has only the sections Keep a Changelog defines.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failure should stop the test loudly"
)]

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn toml_file(path: &str) -> toml::Table {
    read(path)
        .parse::<toml::Table>()
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn workspace_version() -> String {
    let root = toml_file("Cargo.toml");
    root["workspace"]["package"]["version"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// `x.y.z` as numbers.
fn semver(v: &str) -> Option<(u64, u64, u64)> {
    let mut parts = v.split('.').map(|p| p.parse::<u64>().ok());
    let version = (parts.next()??, parts.next()??, parts.next()??);
    parts.next().is_none().then_some(version)
}

#[test]
fn every_crate_has_the_workspace_version() {
    let version = workspace_version();
    assert!(semver(&version).is_some(), "workspace version `{version}`");
    let root = toml_file("Cargo.toml");
    for member in root["workspace"]["members"].as_array().unwrap() {
        let member = member.as_str().unwrap();
        let manifest = toml_file(&format!("{member}/Cargo.toml"));
        let v = &manifest["package"]["version"];
        let inherits = v
            .as_table()
            .and_then(|t| t.get("workspace"))
            .and_then(toml::Value::as_bool)
            == Some(true);
        assert!(
            inherits || v.as_str() == Some(version.as_str()),
            "{member}: version {v} is neither the workspace's nor {version}"
        );
    }
    // the path dependencies on hedui's own crates ask for this very version
    for (name, dep) in root["workspace"]["dependencies"].as_table().unwrap() {
        if name.starts_with("hedui-") {
            assert_eq!(
                dep.get("version").and_then(toml::Value::as_str),
                Some(version.as_str()),
                "workspace dependency {name}"
            );
        }
    }
}

#[test]
fn python_and_c_carry_the_same_version() {
    let version = workspace_version();
    // Python: maturin takes the version from hedui-py's Cargo.toml (checked above) when
    // pyproject.toml declares it dynamic; a fixed version must be the same
    let pyproject = toml_file("hedui-py/pyproject.toml");
    let project = pyproject["project"].as_table().unwrap();
    match project.get("version") {
        Some(v) => assert_eq!(v.as_str(), Some(version.as_str()), "pyproject version"),
        None => assert!(
            project["dynamic"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d.as_str() == Some("version")),
            "pyproject.toml has neither a version nor a dynamic one"
        ),
    }
    // Python: `hedui.__version__` is the crate version of hedui-py
    assert!(
        read("hedui-py/src/lib.rs").contains(r#"m.add("__version__", env!("CARGO_PKG_VERSION"))"#),
        "hedui-py/src/lib.rs no longer sets __version__ from the crate version"
    );
    // C: the installed hedui.pc takes the crate version from the template's placeholder
    // (scripts/install-c.sh fills it in; scripts/test-ffi.sh checks the installed copy)
    let pc = read("hedui-ffi/hedui.pc.in");
    let pc_version = pc
        .lines()
        .find_map(|l| l.strip_prefix("Version:"))
        .map(str::trim);
    assert!(
        pc_version == Some("@VERSION@") || pc_version == Some(version.as_str()),
        "hedui-ffi/hedui.pc.in: Version {pc_version:?} is neither @VERSION@ nor {version}"
    );
    // C: the header's version macros
    let header = read("hedui-ffi/include/hedui.h");
    let (major, minor, patch) = semver(&version).unwrap();
    for (name, want) in [
        ("MAJOR", major.to_string()),
        ("MINOR", minor.to_string()),
        ("PATCH", patch.to_string()),
        ("STRING", format!("\"{version}\"")),
    ] {
        let define = format!("#define HEDUI_VERSION_{name} ");
        let line = header.lines().find(|l| l.starts_with(&define));
        assert_eq!(
            line.map(|l| l[define.len()..].trim()),
            Some(want.as_str()),
            "hedui.h: HEDUI_VERSION_{name}"
        );
    }
}

/// What is wrong with a changelog's shape (empty when nothing is).
fn changelog_problems(text: &str, version: &str) -> Vec<String> {
    const TYPES: [&str; 6] = [
        "Added",
        "Changed",
        "Deprecated",
        "Removed",
        "Fixed",
        "Security",
    ];
    let mut problems = Vec::new();
    let mut lines = text.lines();
    if lines.next() != Some("# Changelog") {
        problems.push("the first line is not `# Changelog`".to_owned());
    }
    let mut releases: Vec<String> = Vec::new();
    let mut seen_types: Vec<&str> = Vec::new();
    for (n, line) in text.lines().enumerate().map(|(i, l)| (i + 1, l)) {
        if let Some(h2) = line.strip_prefix("## ") {
            seen_types.clear();
            if releases.is_empty() {
                if h2 != "[Unreleased]" {
                    problems.push(format!("line {n}: the first section is not `[Unreleased]`"));
                }
                releases.push(String::new());
                continue;
            }
            let released = h2
                .strip_prefix('[')
                .and_then(|r| r.split_once("] - "))
                .filter(|(v, date)| {
                    semver(v).is_some()
                        && date.len() == 10
                        && date.bytes().enumerate().all(|(i, b)| {
                            if i == 4 || i == 7 {
                                b == b'-'
                            } else {
                                b.is_ascii_digit()
                            }
                        })
                });
            match released {
                Some((v, _)) => releases.push(v.to_owned()),
                None => problems.push(format!(
                    "line {n}: `## {h2}` is not `## [x.y.z] - YYYY-MM-DD`"
                )),
            }
        } else if let Some(h3) = line.strip_prefix("### ") {
            if !TYPES.contains(&h3) {
                problems.push(format!(
                    "line {n}: `### {h3}` is not one of {}",
                    TYPES.join(", ")
                ));
            } else if seen_types.contains(&h3) {
                problems.push(format!("line {n}: a second `### {h3}` in the same release"));
            } else {
                seen_types.push(h3);
            }
        } else if line.starts_with("#### ") || line.starts_with("# ") && n > 1 {
            problems.push(format!(
                "line {n}: a heading Keep a Changelog does not have"
            ));
        }
        let issue_ref = line.split_whitespace().any(|w| {
            w.strip_prefix('#')
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
        });
        if issue_ref {
            problems.push(format!(
                "line {n}: an issue number; entries describe the software"
            ));
        }
    }
    // the newest release is the version the crates carry
    if let Some(newest) = releases.get(1)
        && newest != version
    {
        problems.push(format!(
            "the newest release is {newest}, the crates are at {version}"
        ));
    }
    let numbers: Vec<_> = releases.iter().skip(1).filter_map(|v| semver(v)).collect();
    if numbers.windows(2).any(|w| w[0] <= w[1]) {
        problems.push("releases are not listed newest first".to_owned());
    }
    problems
}

#[test]
fn the_changelog_keeps_the_keep_a_changelog_shape() {
    let problems = changelog_problems(&read("CHANGELOG.md"), &workspace_version());
    assert!(
        problems.is_empty(),
        "CHANGELOG.md:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_changelog_check_finds_each_kind_of_problem() {
    let good = "# Changelog\n\n## [Unreleased]\n\n### Added\n- a\n\n## [0.2.0] - 2026-12-01\n\n\
                ### Fixed\n- b\n\n## [0.1.0] - 2026-01-01\n\n### Added\n- c\n";
    assert!(changelog_problems(good, "0.2.0").is_empty());
    for (bad, version, expected) in [
        (good, "0.3.0", "the newest release is 0.2.0"),
        (
            &good.replace("### Fixed", "### Changed (accounts)")[..],
            "0.2.0",
            "is not one of",
        ),
        (
            &good.replace("### Fixed\n- b", "### Added\n- b\n### Added\n- d")[..],
            "0.2.0",
            "a second `### Added`",
        ),
        (
            &good.replace("[Unreleased]", "Unreleased")[..],
            "0.2.0",
            "not `[Unreleased]`",
        ),
        (
            &good.replace(" - 2026-12-01", "")[..],
            "0.2.0",
            "is not `## [x.y.z] - YYYY-MM-DD`",
        ),
        (
            &good.replace("- a", "- fixes #19")[..],
            "0.2.0",
            "an issue number",
        ),
        (
            &good.replace("[0.1.0] - 2026-01-01", "[0.3.0] - 2026-01-01")[..],
            "0.2.0",
            "newest first",
        ),
    ] {
        let problems = changelog_problems(bad, version);
        assert!(
            problems.iter().any(|p| p.contains(expected)),
            "{expected}: {problems:?}"
        );
    }
}
