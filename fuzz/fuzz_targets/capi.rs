//! Fuzz target `capi`: the invariants of `hedui_fuzz_checks::capi`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| hedui_fuzz_checks::capi::check(data));
