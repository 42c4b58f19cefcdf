//! Shared helpers for the hedui example programs.
#![forbid(unsafe_code)]
