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

/// The identifier patterns of `case.schema.json` say what the parsers say (GB 11643, GB
/// 32100): a resident ID's province is one of [`hedui_core::ResidentId::PROVINCES`] and a
/// credit code has digits in positions 3–8.
#[test]
fn identifier_patterns_follow_the_parsers() {
    use hedui_core::{CreditCode, ResidentId};
    let dir = hedui_tests::schemas::dir();
    let case: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("case.schema.json")).unwrap())
            .unwrap();
    let validator = |def: &str| {
        let mut schema = serde_json::json!({ "$ref": format!("#/$defs/{def}") });
        schema["$defs"] = case["$defs"].clone();
        jsonschema::validator_for(&schema).unwrap()
    };
    let resident = validator("ResidentId");
    for p in 0..=99u8 {
        let body = format!("{p:02}102619780310001");
        let id = format!("{body}{}", ResidentId::check_char(&body).unwrap());
        let legacy = format!("{p:02}1026780310001");
        for text in [id, legacy] {
            assert_eq!(
                resident.is_valid(&serde_json::json!(text)),
                ResidentId::parse(&text).is_ok(),
                "{text}"
            );
        }
    }
    let credit = validator("CreditCode");
    for pos in 0..17 {
        for c in ['0', 'A'] {
            let mut body: Vec<char> = "91110000600037341".chars().collect();
            body[pos] = c;
            let body: String = body.into_iter().collect();
            let code = format!("{body}{}", CreditCode::check_char(&body).unwrap());
            assert_eq!(
                credit.is_valid(&serde_json::json!(code)),
                CreditCode::parse(&code).is_ok(),
                "{code}"
            );
        }
    }
}
