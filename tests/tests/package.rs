//! What `cargo package -p hedui-core` needs from the manifests, checked without the network:
//! no placeholder URLs anywhere, hedui-core's readme inside the crate and packaged, every
//! dependency of hedui-core resolvable from crates.io (a version, never a bare path), and the
//! sample case its doc examples read kept equal to the corpus case it copies.

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

fn toml_file(path: &str) -> toml::Table {
    std::fs::read_to_string(root().join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .parse::<toml::Table>()
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The problems of a package's URL fields (`repository`, `homepage`, `documentation`).
fn url_problems(package: &toml::Table) -> Vec<String> {
    ["repository", "homepage", "documentation"]
        .into_iter()
        .filter_map(|key| {
            let url = package.get(key)?.as_str()?;
            let host = url
                .split("://")
                .nth(1)
                .and_then(|rest| rest.split('/').next())
                .unwrap_or("");
            let placeholder = host.is_empty()
                || host == "localhost"
                || [
                    "example.invalid",
                    "example.com",
                    "example.org",
                    "example.net",
                ]
                .iter()
                .any(|p| host == *p || host.ends_with(&format!(".{p}")));
            placeholder.then(|| format!("{key} = {url:?} is a placeholder"))
        })
        .collect()
}

#[test]
fn no_manifest_has_a_placeholder_url() {
    let workspace = toml_file("Cargo.toml");
    let mut problems = url_problems(workspace["workspace"]["package"].as_table().unwrap());
    for member in workspace["workspace"]["members"].as_array().unwrap() {
        let member = member.as_str().unwrap();
        let manifest = toml_file(&format!("{member}/Cargo.toml"));
        problems.extend(
            url_problems(manifest["package"].as_table().unwrap())
                .into_iter()
                .map(|p| format!("{member}: {p}")),
        );
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_url_check_finds_placeholders() {
    let table = |url: &str| -> toml::Table { format!("repository = {url:?}").parse().unwrap() };
    assert_eq!(
        url_problems(&table("https://example.invalid/hedui")).len(),
        1
    );
    assert_eq!(url_problems(&table("https://git.example.com/x")).len(), 1);
    assert!(url_problems(&table("https://github.com/owner/hedui")).is_empty());
}

#[test]
fn hedui_core_is_packaged_with_its_readme_and_crates_io_dependencies() {
    let workspace = toml_file("Cargo.toml");
    let shared = workspace["workspace"]["dependencies"].as_table().unwrap();
    let manifest = toml_file("hedui-core/Cargo.toml");
    let package = manifest["package"].as_table().unwrap();

    let readme = package["readme"].as_str().unwrap();
    assert!(
        !readme.contains(".."),
        "readme {readme} is outside the crate"
    );
    assert!(root().join("hedui-core").join(readme).is_file());
    let include: Vec<&str> = package["include"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for needed in [readme, "data/sample-case.json", "src/**/*.rs"] {
        assert!(include.contains(&needed), "include lacks {needed}");
    }
    assert!(package.contains_key("license") || package.contains_key("license-file"));
    assert!(!package["keywords"].as_array().unwrap().is_empty());
    assert!(!package["categories"].as_array().unwrap().is_empty());

    // a dependency is published with a version: its own, or the workspace entry's
    for section in ["dependencies", "dev-dependencies", "build-dependencies"] {
        let Some(deps) = manifest.get(section).and_then(toml::Value::as_table) else {
            continue;
        };
        for (name, dep) in deps {
            let from_workspace = dep
                .get("workspace")
                .and_then(toml::Value::as_bool)
                .unwrap_or(false);
            let entry = if from_workspace { &shared[name] } else { dep };
            let has_version = entry.is_str() || entry.get("version").is_some();
            assert!(has_version, "hedui-core {section}.{name} has no version");
        }
    }
}

#[test]
fn the_doc_sample_case_is_the_corpus_case() {
    let copy = std::fs::read(root().join("hedui-core/data/sample-case.json")).unwrap();
    let corpus = std::fs::read(root().join("tests/corpus/cases/sample-good-1.json")).unwrap();
    assert!(
        copy == corpus,
        "hedui-core/data/sample-case.json differs from tests/corpus/cases/sample-good-1.json: \
         copy the corpus case over it"
    );
}
