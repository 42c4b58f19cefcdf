//! Shared helpers for hedui benches and the comparison runner.
#![forbid(unsafe_code)]
