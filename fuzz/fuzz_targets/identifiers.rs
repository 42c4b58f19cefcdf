//! Fuzz target `identifiers`: the invariants of `hedui_fuzz_checks::identifiers`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| hedui_fuzz_checks::identifiers::check(data));
