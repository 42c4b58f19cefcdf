//! # hedui-core
//!
//! The rules of household economic-status verification 居民家庭经济状况核对 as a pure Rust
//! library: no I/O, no globals, no unsafe. It encodes the Linfen civil-affairs notice
//! 临市民函〔2024〕21号 (cited as **N §section**) and the national rules behind it, as rules
//! R1–R11 of the repository's docs/rules.md.
//!
//! The order of the process is in the types. An entrustment is issued only from a
//! [`CheckedAuthorization`] (R1 先授权，后委托), and an agency accepts an entrustment only with
//! a passing, recorded [`PreCheck`] (R2 无委托，不核对):
//!
//! ```
//! use hedui_core::*;
//! use time::macros::{date, datetime};
//!
//! let applicant: ResidentId = "360426199101010071".parse()?;
//! let household = Household {
//!     id: "H1".into(),
//!     region: "141002".parse()?,
//!     programme: Programme::MinimumLivingAllowance,
//!     members: vec![Member {
//!         id: applicant.clone(),
//!         name: "张三".into(),
//!         relation: Relation::Applicant,
//!         capacity: CivilCapacity::Full,
//!         co_resident: true,
//!         guardian: None,
//!     }],
//!     supporters: vec![],
//! };
//! let authorization = Authorization {
//!     number: "SQ-1".into(),
//!     household_id: "H1".into(),
//!     signatures: vec![Signature {
//!         signer: Person { id: applicant.clone(), name: "张三".into() },
//!         on_behalf_of: None,
//!     }],
//!     categories: DataCategory::ALL.to_vec(),
//!     signed_on: date!(2026 - 03 - 01),
//!     lapse_events: vec![],
//!     letter_digest: Sha256Digest::of(b"scanned authorization"),
//! };
//! let rulebook = Rulebook::default();
//! let checked = authorization.check(&household, date!(2026 - 03 - 02), &rulebook)?;
//! let agency = Agency {
//!     id: "A-141002".into(),
//!     name: "尧都区核对中心".into(),
//!     level: AgencyLevel::County,
//!     region: "141002".parse()?,
//! };
//! let entrustment = Entrustment::issue(&checked, EntrustmentRequest {
//!     number: "WT-1".into(),
//!     batch: None,
//!     unit: EntrustingUnit {
//!         name: "某街道办事处".into(),
//!         credit_code: "91110000600037341L".parse()?,
//!         region: "141002".parse()?,
//!     },
//!     agency_id: agency.id.clone(),
//!     purpose: Purpose::NewApplication,
//!     categories: vec![DataCategory::BankDeposits, DataCategory::RealEstate],
//!     issued_on: date!(2026 - 03 - 02),
//!     valid_until: None,
//!     letter_digest: Sha256Digest::of(b"scanned entrustment"),
//!     appeal: None,
//!     relief_reference: None,
//!     requested_on: None,
//! })?;
//! let officer = Officer { operator_id: "op-7".into(), name: "李四".into() };
//! let precheck = PreCheck::perform(
//!     &entrustment, Ok(&checked), &agency, officer, datetime!(2026-03-02 10:00 +08:00), &rulebook,
//! );
//! let accepted = AcceptedEntrustment::accept(
//!     &entrustment, checked, &precheck, &agency, datetime!(2026-03-03 09:00 +08:00), &rulebook,
//! )?;
//! assert_eq!(accepted.entrustment().categories.len(), 2);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The wrong order does not compile. An entrustment cannot be issued from an unchecked letter:
//!
//! ```compile_fail
//! use hedui_core::*;
//! fn skip_the_check(letter: &Authorization, request: EntrustmentRequest) {
//!     let _ = Entrustment::issue(letter, request); // expected `&CheckedAuthorization`
//! }
//! ```
//!
//! a checked authorization cannot be made up without [`Authorization::check`]:
//!
//! ```compile_fail
//! use hedui_core::*;
//! fn forge<'a>(a: &'a Authorization, h: &'a Household) -> CheckedAuthorization<'a> {
//!     CheckedAuthorization { authorization: a, household: h, on: time::macros::date!(2026 - 01 - 01) }
//! }
//! ```
//!
//! and a verification cannot start from an entrustment that was not accepted after a pre-check:
//!
//! ```compile_fail
//! use hedui_core::*;
//! fn no_precheck<'a>(e: &'a Entrustment, rb: &Rulebook, at: time::OffsetDateTime) -> Verification<'a> {
//!     Verification::start(e, at, rb) // expected `AcceptedEntrustment`
//! }
//! ```
//!
//! Records and security (R10, R11): the [`Archive`](crate::security::Archive) index finds every letter by digest, batch,
//! subject or report and names what is missing; every gate decision goes into an
//! [`AuditChain`](crate::security::AuditChain) whose HMAC links show any change; [`OperatorAccount`](crate::security::OperatorAccount)s are real-name,
//! registered, agency-only and password-checked; [`Permissions`](crate::security::Permissions) deny by default and mask what
//! each role sees; [`ReportSigner`](crate::security::ReportSigner) signs report digests with Ed25519. Salts and keys come from
//! the host: core draws no randomness and reads no clock.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod agency;
pub mod appeal;
mod authorization;
pub mod batch;
pub mod calendar;
mod category;
mod digest;
mod entrustment;
pub mod error;
mod fact;
mod hex;
mod household;
mod id;
pub mod paper;
pub mod population;
mod render;
pub mod report;
pub mod rulebook;
#[cfg(any(test, feature = "sample"))]
pub mod sample;
#[cfg(feature = "schemas")]
mod schema;
pub mod security;
pub mod sharing;
mod strict;
mod verify;
mod wire;

// The common path, from a household's letters to its report: everything else lives in the
// public modules above (`population`, `security`, `error`, `report`, ...).
pub use agency::{Agency, AgencyLevel, Purpose};
pub use authorization::{Authorization, CheckedAuthorization, LapseEvent, Signature};
pub use category::DataCategory;
pub use digest::{DigestAlgorithm, MacAlgorithm, Sha256Digest, SignatureAlgorithm};
pub use entrustment::{
    AcceptedEntrustment, AppealLink, Batch, EntrustingUnit, Entrustment, EntrustmentRequest,
    Officer, PreCheck,
};
pub use error::{Error, ErrorArea};
pub use fact::{BusinessRole, Fact, IncomeType, MarriageEvent, PropertyUsage, TransactionEvent};
pub use household::{
    CivilCapacity, Household, LapseKind, Member, Person, Programme, Relation, SupportDuty,
    Supporter,
};
pub use id::{CreditCode, RegionCode, RegionLevel, ResidentId, Sex};
pub use paper::render_html;
pub use render::{render_markdown, yuan};
pub use report::Report;
pub use rulebook::{Rulebook, VERDICT_PHRASES};
pub use verify::{
    Case, Declaration, Investigator, NOT_A_DETERMINATION, OfflineResult, QueryResponse,
    Verification, assemble, income_window, verify,
};

/// The crate's README (`hedui-core/README.md`, its page on crates.io), whose sample runs as a
/// doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct Readme;
