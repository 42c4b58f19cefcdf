//! The committed C header `include/hedui.h` must be what cbindgen (pinned version) generates
//! from the sources now. `HEDUI_BLESS=1 cargo test -p hedui-ffi --test header` rewrites it.

#![allow(clippy::unwrap_used, clippy::panic, reason = "test code")]

use std::path::Path;

#[test]
fn header_is_fresh() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).unwrap();
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
