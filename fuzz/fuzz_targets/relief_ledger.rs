//! Fuzz target `relief_ledger`: the invariants of `hedui_fuzz_checks::relief`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| hedui_fuzz_checks::relief::check(data));
