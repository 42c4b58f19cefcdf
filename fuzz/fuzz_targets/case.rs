//! Fuzz target `case`: the invariants of `hedui_fuzz_checks::case`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| hedui_fuzz_checks::case::check(data));
