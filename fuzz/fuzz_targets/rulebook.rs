//! Fuzz target `rulebook`: the invariants of `hedui_fuzz_checks::rulebook`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| hedui_fuzz_checks::rulebook::check(data));
