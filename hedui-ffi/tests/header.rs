//! The committed C header `include/hedui.h` must be what cbindgen (pinned version) generates
//! from the sources now, with the version macros (`HEDUI_VERSION_MAJOR`, `_MINOR`, `_PATCH`,
//! `HEDUI_VERSION_STRING`) taken from this crate's version, so a version bump without a new
//! header fails here. `HEDUI_BLESS=1 cargo test -p hedui-ffi --test header` rewrites it.

#![allow(clippy::unwrap_used, clippy::panic, reason = "test code")]

use std::path::Path;

#[test]
fn header_is_fresh() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).unwrap();
    config.after_includes = Some(format!(
        "{}\n\n{}",
        config.after_includes.unwrap_or_default(),
        version_macros()
    ));
    let bindings = cbindgen::Builder::new()
        .with_crate(crate_dir)
        .with_config(config)
        .generate()
        .unwrap();
    let mut generated = Vec::new();
    bindings.write(&mut generated);
    let path = crate_dir.join("include").join("hedui.h");
    if std::env::var_os("HEDUI_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read(&path).unwrap_or_default();
    if committed != generated {
        panic!(
            "{} is stale: run `HEDUI_BLESS=1 cargo test -p hedui-ffi --test header` and commit it",
            path.display()
        );
    }
}

/// The `#define`s of the crate's version, placed after the includes.
fn version_macros() -> String {
    format!(
        "/* The version of this header; hedui_version() gives the library's at run time. */\n\
         #define HEDUI_VERSION_MAJOR {}\n\
         #define HEDUI_VERSION_MINOR {}\n\
         #define HEDUI_VERSION_PATCH {}\n\
         #define HEDUI_VERSION_STRING \"{}\"",
        env!("CARGO_PKG_VERSION_MAJOR"),
        env!("CARGO_PKG_VERSION_MINOR"),
        env!("CARGO_PKG_VERSION_PATCH"),
        env!("CARGO_PKG_VERSION"),
    )
}

#[test]
fn header_defines_the_crate_version() {
    let header = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("include")
            .join("hedui.h"),
    )
    .unwrap();
    for line in version_macros()
        .lines()
        .filter(|l| l.starts_with("#define"))
    {
        assert!(
            header.lines().any(|l| l == line),
            "include/hedui.h lacks `{line}`"
        );
    }
}
