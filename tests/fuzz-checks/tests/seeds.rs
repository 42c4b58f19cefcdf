//! Every seed of the fuzz corpora (`fuzz/corpus/<target>/`, minimised with `cargo fuzz cmin`,
//! with the inputs of every crash found) through the invariant check its fuzz target runs, in
//! a plain `cargo test` on stable: a seed that breaks an invariant, or a crash that comes
//! back, fails here without a fuzzer.

use std::path::PathBuf;

use hedui_fuzz_checks::TARGETS;

fn corpus(target: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target)
}

#[test]
fn every_seed_keeps_its_invariants() {
    for target in TARGETS {
        let dir = corpus(target.name);
        let mut seeds: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|entry| entry.map(|e| e.path()))
            .collect::<Result<_, _>>()
            .unwrap();
        seeds.sort();
        assert!(
            seeds.len() >= 5,
            "{}: only {} seeds",
            target.name,
            seeds.len()
        );
        for seed in seeds {
            let data = std::fs::read(&seed).unwrap();
            let outcome = std::panic::catch_unwind(|| (target.check)(&data));
            assert!(
                outcome.is_ok(),
                "{} breaks an invariant of {}",
                seed.display(),
                target.name
            );
        }
    }
}

#[test]
fn every_target_has_a_fuzz_target_file() {
    for target in TARGETS {
        let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../fuzz/fuzz_targets")
            .join(format!("{}.rs", target.name));
        let text =
            std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert!(
            text.contains(&format!(
                "hedui_fuzz_checks::{}::check",
                module(target.name)
            )),
            "{} does not run the shared check",
            file.display()
        );
    }
}

/// The module of a target's check.
fn module(target: &str) -> &str {
    match target {
        "audit_chain" => "audit",
        "relief_ledger" => "relief",
        other => other,
    }
}

#[test]
fn the_starting_seeds_keep_their_invariants_and_reach_every_target() {
    let seeds = hedui_fuzz_checks::seeds::initial();
    for target in TARGETS {
        assert!(
            seeds.iter().filter(|s| s.target == target.name).count() >= 5,
            "{} has few starting seeds",
            target.name
        );
    }
    for seed in &seeds {
        let target = TARGETS.iter().find(|t| t.name == seed.target).unwrap();
        (target.check)(&seed.data);
    }
}

/// The inputs that stopped a fuzz run (docs/reliability.md, "Runs"), by content.
#[test]
fn the_inputs_of_the_crashes_found_keep_their_invariants() {
    use hedui_fuzz_checks::{audit, identifiers};
    // hedui: a run of digits touching a letter or a Chinese character was shown whole in an
    // error (a credit-code-shaped text, an ID in free text)
    identifiers::check(b"\x01Y12345678901234567");
    identifiers::check("\u{2}身份证号141030197803100016".as_bytes());
    identifiers::check("\u{0}H141030197803100016".as_bytes());
    // the check: JSON's `\u0000` escapes in a serialized detail read as digits
    let mut nul_then_digits = b"\x023604261".to_vec();
    nul_then_digits.extend([0u8; 18]);
    nul_then_digits.extend(b"99101010071");
    identifiers::check(&nul_then_digits);
    // the check: "\n" is the empty audit chain with its optional final newline
    audit::check(b"\0\n");
    // every crash input kept in the corpora
    let mut crashes = 0;
    for target in TARGETS {
        for entry in std::fs::read_dir(corpus(target.name)).unwrap() {
            let path = entry.unwrap().path();
            if path
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("crash-")
            {
                (target.check)(&std::fs::read(&path).unwrap());
                crashes += 1;
            }
        }
    }
    assert!(crashes >= 2, "the crash inputs are kept in fuzz/corpus/");
}
