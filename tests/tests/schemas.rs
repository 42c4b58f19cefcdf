//! The checked-in schemas match the code; regenerate with `cargo run -p hedui-tests --bin schemas`.

#[test]
fn schemas_are_fresh() {
    let dir = hedui_tests::schemas::dir();
    for (name, content) in hedui_tests::schemas::all() {
        let on_disk = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
        assert!(
            on_disk == content,
            "schemas/{name} is stale: run `cargo run -p hedui-tests --bin schemas` and commit"
        );
    }
}
