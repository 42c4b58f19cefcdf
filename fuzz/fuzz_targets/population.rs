//! Fuzz target `population`: the invariants of `hedui_fuzz_checks::population`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| hedui_fuzz_checks::population::check(data));
