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
