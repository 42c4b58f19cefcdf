//! docs/rules.md (R11's numbers) lists every policy floor of the rulebook with the bounds
//! `hedui_core::rulebook::floors` enforces; this test fails when the two drift apart.

use hedui_core::rulebook::{PolicyBound, floors};

/// `1000000` as `1,000,000`.
fn grouped(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn bounds_text(b: &PolicyBound) -> String {
    match b.max {
        Some(max) => format!("{}..={}", grouped(b.min), grouped(max)),
        None => format!("at least {}", grouped(b.min)),
    }
}

#[test]
fn rules_md_lists_every_policy_bound() {
    let rules =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/rules.md")).unwrap();
    for b in &floors::ALL {
        let row = rules
            .lines()
            .find(|l| l.starts_with(&format!("| `{}` |", b.field)) && l.matches('|').count() == 5)
            .unwrap_or_else(|| panic!("no row for `{}` in the R11 table", b.field));
        let cell = row.split('|').nth(3).unwrap().trim();
        assert!(
            cell.starts_with(&bounds_text(b)),
            "`{}`: docs say {cell:?}, code says {:?}",
            b.field,
            bounds_text(b)
        );
    }
    let stored = &floors::STORED_PBKDF2_ITERATIONS;
    assert!(
        rules.contains(&format!(
            "| stored hash iterations (not a field) | — | {} |",
            bounds_text(stored)
        )),
        "stored hash iterations"
    );
}
