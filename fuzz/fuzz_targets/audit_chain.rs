//! Fuzz target `audit_chain`: the invariants of `hedui_fuzz_checks::audit`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| hedui_fuzz_checks::audit::check(data));
