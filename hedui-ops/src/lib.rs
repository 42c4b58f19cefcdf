//! # hedui-ops
//!
//! One operations layer for every hedui binding. Each operation a host can call — verify,
//! batch, authorization check, render, digest, coverage, recheck schedule, relief ledger,
//! audit chain, passwords, permissions, masking, report signatures — is written here once, as
//! a Rust function over serde request and response types, so that the C ABI, uniffi, Python
//! and the main job only adapt types. Nothing here decides anything: the rules live in
//! `hedui-core`.
//!
//! - [`failure`]: [`Failure`], the one error type of an operation, with the core's stable codes
//!   plus the few a binding call can add (`null_pointer`, `invalid_time`, ...).
//! - [`args`]: the built-in rulebook, the Beijing clock, time and date arguments.
//! - [`json`]: the one JSON adapter (text in, compact JSON out) for hosts that speak JSON.
//! - [`jsonl`]: the one JSONL reader (files and byte slices, line numbers, bad and long lines).
//! - [`tables`]: case documents from office tables (households, members, letters, answers)
//!   and back, with every bad row named by table, row and column.
//! - [`catalog`]: every operation once, with its name in C, uniffi and Python.
//! - one module per area: [`verify`], [`authorization`], [`query`], [`report`], [`appeal`],
//!   [`population`], [`identifier`], [`archive`], [`audit`], [`account`], [`lending`], [`security`].
//!
//! ```
//! use hedui_ops::{args, verify};
//!
//! let at = args::parse_time("issued_at", "2026-11-29T10:00:00+08:00")?;
//! let e = verify::verify_json(args::default_rulebook(), "{}", at).unwrap_err();
//! assert_eq!(e.code(), "input_json");
//! # Ok::<(), hedui_ops::Failure>(())
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod account;
pub mod appeal;
pub mod archive;
pub mod args;
pub mod audit;
pub mod authorization;
pub mod catalog;
#[cfg(feature = "columns")]
pub mod columns;
pub mod failure;
pub mod identifier;
pub mod json;
pub mod jsonl;
pub mod lending;
pub mod paper;
pub mod population;
pub mod query;
pub mod report;
pub mod security;
pub mod tables;
pub mod verify;

pub use failure::{Area, Failure};
