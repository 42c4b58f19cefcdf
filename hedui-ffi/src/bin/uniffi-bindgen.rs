//! uniffi's bindings generator, built against the uniffi version hedui-ffi uses:
//! `cargo run -p hedui-ffi --features cli --bin uniffi-bindgen -- generate --language python
//! --out-dir <dir> target/release/libhedui_ffi.so`.

fn main() {
    uniffi::uniffi_bindgen_main()
}
