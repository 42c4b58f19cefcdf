//! The operations catalog (`hedui_ops::catalog`) against what the bindings really have: the
//! README tables of names are the catalog's, every C symbol is in the header, every uniffi
//! name is exported, and every Python name is in the stubs.

#![allow(clippy::unwrap_used, clippy::panic, reason = "test code")]

use std::fs;
use std::path::{Path, PathBuf};

use hedui_ops::catalog::{OPERATIONS, Python, markdown_table};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn read(path: &str) -> String {
    fs::read_to_string(root().join(path)).unwrap()
}

#[test]
fn readme_tables_are_the_catalog() {
    let table = markdown_table();
    for readme in ["hedui-ffi/README.md", "hedui-py/README.md"] {
        assert!(
            read(readme).contains(&table),
            "{readme} does not hold the catalog's table of names; it is:\n{table}"
        );
    }
}

#[test]
fn every_c_symbol_is_declared_in_the_header() {
    let header = read("hedui-ffi/include/hedui.h");
    for o in OPERATIONS {
        for symbol in [o.c_symbol(), o.c_symbol_at()].into_iter().flatten() {
            assert!(
                header.contains(&format!(" {symbol}(")),
                "{symbol} ({}) is not in hedui.h",
                o.name
            );
        }
    }
}

#[test]
fn every_uniffi_name_is_exported() {
    let source = read("hedui-ffi/src/uniffi_api.rs");
    for o in OPERATIONS {
        for name in [o.uniffi_name(), o.uniffi_name_at()].into_iter().flatten() {
            let function = match name.split_once('.') {
                Some((_, method)) => method.to_owned(),
                None if name.ends_with("()") => "new".to_owned(),
                None => name.clone(),
            };
            assert!(
                source.contains(&format!("pub fn {function}(")),
                "uniffi {name} ({}) is not exported",
                o.name
            );
        }
    }
}

#[test]
fn every_python_name_is_in_the_stubs() {
    // the compiled module's stubs, and the package's Python modules (`cases_from_tables`)
    let mut stubs = read("hedui-py/python/hedui/_hedui.pyi");
    for entry in fs::read_dir(root().join("hedui-py/python/hedui")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "py") {
            stubs.push_str(&fs::read_to_string(path).unwrap());
        }
    }
    for o in OPERATIONS {
        let name = match o.python {
            Python::Named => o.python_name(),
            Python::Today(old) | Python::Kept(old) => old.to_owned(),
            Python::Missing => continue,
        };
        let wanted = match name.split_once('.') {
            Some((_, method)) => format!("def {method}("),
            None if name.ends_with("()") => format!("class {}", name.trim_end_matches("()")),
            None => format!("def {name}("),
        };
        assert!(
            stubs.contains(&wanted),
            "Python {name} ({}) is not in the stubs",
            o.name
        );
    }
}
