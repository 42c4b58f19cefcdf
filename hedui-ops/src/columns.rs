//! Reports, findings, differences, gaps and errors as Arrow tables, defined once (feature
//! `columns`).
//!
//! A batch run becomes five tables, each an Arrow [`RecordBatch`] per chunk of cases:
//!
//! - [`Table::Reports`]: one row per report: numbers, household, region, programme, purpose,
//!   agency, issue time, members, every aggregate, gap and offline-task counts, digest;
//! - [`Table::Findings`]: one row per member × category (what one category says about one
//!   member), the columns of Python's `reports_to_records` plus the region;
//! - [`Table::Differences`]: declared vs found per report and item;
//! - [`Table::Gaps`]: one row per category without an online answer, with its offline task
//!   (R7);
//! - [`Table::Errors`]: one row per rejected case: position, case id where known, code, area,
//!   rule, message; no whole resident ID ever appears (R11, minimum scope).
//!
//! Amounts are `Int64` fen, dates `Date32`, instants `Timestamp(µs, "+08:00")`, codes and
//! categories dictionary-encoded. Every schema carries [`SCHEMA_VERSION`] in its metadata
//! (`hedui.schema_version`) and the table name (`hedui.table`); [`describe`] prints them all
//! (committed as `schemas/tables.md`).
//!
//! [`TablesBuilder`] collects rows, [`TablesBuilder::finish`] hands a chunk's batches over,
//! and [`TableWriters`] writes chunk after chunk into one file per table, as Parquet or Arrow
//! IPC streams, without holding more than the open chunk (and, for Parquet, the open row
//! group and the metadata of the written ones).
//!
//! ```
//! use hedui_core::{Rulebook, batch::{BatchOptions, verify_chunk_cases}, sample::sample_case};
//! use hedui_ops::columns::TablesBuilder;
//!
//! let rulebook = Rulebook::default();
//! let lines: Vec<String> = (0..5)
//!     .map(|i| serde_json::to_string(&sample_case(2026, i, &rulebook).case).unwrap())
//!     .collect();
//! let opts = BatchOptions {
//!     rulebook: &rulebook,
//!     issued_at: time::macros::datetime!(2026-11-29 10:00 +08:00),
//!     render: false,
//!     parallel: false,
//! };
//! let mut tables = TablesBuilder::new();
//! for (n, result) in verify_chunk_cases(&lines, 1, &opts) {
//!     match result {
//!         Ok(done) => tables.push_case_report(&done),
//!         Err(e) => tables.push_error(n, None, &e),
//!     }
//! }
//! let t = tables.finish()?;
//! assert_eq!(t.reports.num_rows() + t.errors.num_rows(), 5);
//! # Ok::<(), arrow_schema::ArrowError>(())
//! ```

use std::fmt;
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::builder::{
    ArrayBuilder, BooleanBuilder, Date32Builder, Int32Builder, Int64Builder, ListBuilder,
    StringBuilder, StringDictionaryBuilder, TimestampMicrosecondBuilder,
};
use arrow_array::types::{Int8Type, Int32Type};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef, TimeUnit};
use bytes::Bytes;
use hedui_core::batch::{BatchError, CaseReport};
use hedui_core::report::{Finding, Gap};
use hedui_core::{Error, IncomeType, RegionCode, Report};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_writer::{
    ArrowWriterOptions, PageKey, PageStore, PageStoreArgs, PageStoreFactory,
};
use parquet::basic::Compression;
use parquet::errors::ParquetError;
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use time::{Date, OffsetDateTime};

use crate::failure::Failure;

/// Version of the table schemas, written into each schema's metadata
/// (`hedui.schema_version`). It changes whenever a column is added, removed, renamed or
/// retyped: 2 added `errors.path`.
pub const SCHEMA_VERSION: u32 = 2;

/// The zone of every timestamp column: instants are stored as UTC microseconds and shown on
/// the Beijing wall clock.
pub const TIMEZONE: &str = "+08:00";

/// Metadata key of the schema version.
pub const VERSION_KEY: &str = "hedui.schema_version";

/// Metadata key of the table name.
pub const TABLE_KEY: &str = "hedui.table";

/// What a column holds: its Arrow builder and type.
trait Kind {
    type Builder: ArrayBuilder + Default;
    fn data_type() -> DataType;
    fn finish(builder: &mut Self::Builder) -> ArrayRef {
        builder.finish()
    }
}

/// Text.
struct Utf8;
/// A value of a small closed set (a category, a status): dictionary with 8-bit keys.
struct Code;
/// A value of an open set that repeats (a region, an agency, an error code): dictionary
/// with 32-bit keys.
struct Label;
/// A count.
struct I32;
/// An amount in fen, an area, a position.
struct I64;
/// A flag.
struct Bool;
/// A calendar date.
struct Day;
/// An instant, microseconds, +08:00.
struct Instant;
/// A list of texts (masked IDs, methods).
struct Texts;

impl Kind for Utf8 {
    type Builder = StringBuilder;
    fn data_type() -> DataType {
        DataType::Utf8
    }
}

impl Kind for Code {
    type Builder = StringDictionaryBuilder<Int8Type>;
    fn data_type() -> DataType {
        DataType::Dictionary(Box::new(DataType::Int8), Box::new(DataType::Utf8))
    }
}

impl Kind for Label {
    type Builder = StringDictionaryBuilder<Int32Type>;
    fn data_type() -> DataType {
        DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))
    }
}

impl Kind for I32 {
    type Builder = Int32Builder;
    fn data_type() -> DataType {
        DataType::Int32
    }
}

impl Kind for I64 {
    type Builder = Int64Builder;
    fn data_type() -> DataType {
        DataType::Int64
    }
}

impl Kind for Bool {
    type Builder = BooleanBuilder;
    fn data_type() -> DataType {
        DataType::Boolean
    }
}

impl Kind for Day {
    type Builder = Date32Builder;
    fn data_type() -> DataType {
        DataType::Date32
    }
}

impl Kind for Instant {
    type Builder = TimestampMicrosecondBuilder;
    fn data_type() -> DataType {
        DataType::Timestamp(TimeUnit::Microsecond, Some(TIMEZONE.into()))
    }
    fn finish(builder: &mut Self::Builder) -> ArrayRef {
        Arc::new(builder.finish().with_timezone(TIMEZONE))
    }
}

impl Kind for Texts {
    type Builder = ListBuilder<StringBuilder>;
    fn data_type() -> DataType {
        DataType::List(Arc::new(Field::new_list_field(DataType::Utf8, true)))
    }
}

/// One column as [`describe`] lists it.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// Column name.
    pub name: &'static str,
    /// Whether the column can hold nulls.
    pub nullable: bool,
    /// What the column holds.
    pub doc: &'static str,
    data_type: fn() -> DataType,
}

impl Column {
    /// The column's Arrow type.
    pub fn data_type(&self) -> DataType {
        (self.data_type)()
    }

    fn field(&self) -> Field {
        Field::new(self.name, self.data_type(), self.nullable)
    }
}

macro_rules! nullable {
    () => {
        false
    };
    (null) => {
        true
    };
}

/// Declares a table once: its builder struct (one Arrow builder per column), its column list
/// (name, type, nullability, the doc comment as description) and `finish`, which hands the
/// columns over in declaration order.
macro_rules! table {
    (
        $(#[doc = $tdoc:literal])*
        struct $builder:ident {
            $(
                $(#[doc = $doc:literal])+
                $col:ident: $kind:ident $(| $null:ident)?,
            )+
        }
    ) => {
        $(#[doc = $tdoc])*
        #[derive(Default)]
        struct $builder {
            $($col: <$kind as Kind>::Builder,)+
        }

        impl fmt::Debug for $builder {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($builder)).finish_non_exhaustive()
            }
        }

        impl $builder {
            const COLUMNS: &'static [Column] = &[$(
                Column {
                    name: stringify!($col),
                    nullable: nullable!($($null)?),
                    doc: concat!($($doc),+),
                    data_type: <$kind as Kind>::data_type,
                },
            )+];

            fn finish(&mut self) -> Vec<ArrayRef> {
                vec![$(<$kind as Kind>::finish(&mut self.$col)),+]
            }
        }
    };
}

table! {
    /// `reports`: one row per report.
    struct ReportRows {
        /// Report number 报告编号.
        report_number: Utf8,
        /// Case id.
        case_id: Utf8,
        /// Household id in the assistance system.
        household_id: Utf8,
        /// Region of the household (GB/T 2260, 6 digits); null where the caller did not give it.
        region: Label | null,
        /// Programme, JSON name (`minimum_living_allowance`, ...).
        programme: Code,
        /// Purpose 核对事由, JSON name.
        purpose: Code,
        /// Verification agency id.
        agency_id: Label,
        /// Agency level (`county`, `city`, `province`, `ministry`).
        agency_level: Code,
        /// Entrusting unit 委托单位.
        entrusting_unit: Label,
        /// Entrustment number.
        entrustment_number: Utf8,
        /// Batch number, where the entrustment belongs to a batch.
        batch: Utf8 | null,
        /// Issue time of the report.
        issued_at: Instant,
        /// When the queries were sent.
        queries_sent_at: Instant,
        /// First day of the income window.
        income_window_from: Day,
        /// Last day of the income window.
        income_window_to: Day,
        /// Months in the income window.
        income_months: I32,
        /// Members on the report.
        members: I32,
        /// Co-resident members 共同生活的家庭成员 (those counted per capita).
        co_resident: I32,
        /// Bank deposits with a balance returned, fen.
        deposits_fen: I64,
        /// Deposits returned only as "over the limit: yes".
        deposits_over_limit: I32,
        /// Securities, funds and wealth products, fen.
        securities_fen: I64,
        /// Cash value of commercial insurance, fen.
        insurance_cash_value_fen: I64,
        /// Financial assets 金融资产: deposits + securities + insurance cash value, fen.
        financial_assets_fen: I64,
        /// Housing provident fund balance 住房公积金 (listed apart), fen.
        provident_fund_fen: I64,
        /// Properties 不动产.
        real_estate_count: I32,
        /// Residential properties.
        real_estate_residential: I32,
        /// Total floor area in hundredths of a square metre.
        real_estate_area_m2_x100: I64,
        /// Vehicles 车辆.
        vehicles: I32,
        /// Commercial vehicles 营运车辆.
        vehicles_commercial: I32,
        /// Business registrations 市场主体.
        businesses: I32,
        /// Registered capital of the businesses where returned, fen.
        business_capital_fen: I64,
        /// Wage income 工资性收入 over the window, fen.
        income_wages_fen: I64,
        /// Net business income 经营净收入 over the window, fen.
        income_business_net_fen: I64,
        /// Net property income 财产净收入 over the window, fen.
        income_property_net_fen: I64,
        /// Net transfer income 转移净收入 over the window, fen.
        income_transfer_net_fen: I64,
        /// Counted income over the window (exempt income excluded), fen.
        income_total_fen: I64,
        /// Co-resident members the per-capita figure divides by.
        income_members_counted: I32,
        /// Income per capita per month, fen (rounded half away from zero).
        income_per_capita_monthly_fen: I64,
        /// Exempt income 不计入家庭收入, listed apart, fen.
        exempt_income_fen: I64,
        /// Members in prison on the day the queries were sent.
        imprisoned: I32,
        /// Members with a death record.
        deceased: I32,
        /// Members on the public payroll.
        public_payroll: I32,
        /// Declared-vs-found items (rows of `differences`).
        differences: I32,
        /// Categories an upper level answered because the own level cannot (R6).
        sharing_gaps: I32,
        /// Categories without an online answer (rows of `gaps`, R7).
        gaps: I32,
        /// Offline tasks not yet investigated (gaps without offline results on file).
        offline_tasks_open: I32,
        /// Offline investigation results on file.
        offline_results: I32,
        /// SHA-256 of the report's canonical form, hex; null for an unsealed report.
        digest: Utf8 | null,
        /// Rulebook version the report was made under.
        rulebook_version: Label,
    }
}

table! {
    /// `findings`: one row per member × category.
    struct FindingRows {
        /// Report number.
        report_number: Utf8,
        /// Case id.
        case_id: Utf8,
        /// Household id.
        household_id: Utf8,
        /// Region of the household; null where the caller did not give it.
        region: Label | null,
        /// Programme, JSON name.
        programme: Code,
        /// Purpose, JSON name.
        purpose: Code,
        /// Verification agency id.
        agency_id: Label,
        /// Issue time of the report.
        issued_at: Instant,
        /// Data category, JSON name (`bank_deposits`, ...).
        category: Code,
        /// Data category, Chinese label.
        category_zh: Code,
        /// The member's masked resident ID.
        member: Utf8,
        /// The member's name; null when the member is not in the report's member list.
        member_name: Utf8 | null,
        /// Relation to the applicant, JSON name; null as `member_name`.
        relation: Code | null,
        /// Query status, JSON name (`returned`, `no_record`, ...).
        status: Code,
        /// Query status, Chinese label.
        status_zh: Code,
        /// Level that answered (or was asked); null when none was.
        level: Code | null,
        /// Feedback deadline; null when none applies.
        deadline: Day | null,
        /// The deadline crossed a year without holiday data (weekends only).
        deadline_estimated: Bool,
        /// When the answer came; null when none came.
        responded_at: Instant | null,
        /// Facts returned.
        facts: I32,
        /// Sum of the facts' main money figures (deposit and provident fund balances,
        /// securities value, insurance cash value, registered capital, counted income), fen;
        /// null when no fact carries an amount or the sum leaves the Int64 range.
        amount_fen: I64 | null,
        /// Sum of the exempt income, fen; null as `amount_fen`.
        exempt_fen: I64 | null,
        /// Rulebook version.
        rulebook_version: Label,
    }
}

table! {
    /// `differences`: declared vs found per report and item.
    struct DifferenceRows {
        /// Report number.
        report_number: Utf8,
        /// Case id.
        case_id: Utf8,
        /// Region of the household; null where the caller did not give it.
        region: Label | null,
        /// Item, JSON name (`financial_assets_fen`, `income_fen`, `real_estate_count`,
        /// `vehicle_count`).
        item: Code,
        /// Item, Chinese label.
        item_zh: Code,
        /// Declared value (fen or count, as the item says).
        declared: I64,
        /// Value found.
        found: I64,
        /// found − declared: a difference of facts, not a judgement.
        difference: I64,
    }
}

table! {
    /// `gaps`: one row per category without an online answer, with its offline task.
    struct GapRows {
        /// Report number.
        report_number: Utf8,
        /// Case id.
        case_id: Utf8,
        /// Region of the household; null where the caller did not give it.
        region: Label | null,
        /// Data category, JSON name.
        category: Code,
        /// Data category, Chinese label.
        category_zh: Code,
        /// Why there is no online answer, JSON name.
        reason: Code,
        /// Why, Chinese label.
        reason_zh: Code,
        /// Members concerned (masked resident IDs).
        members: Texts,
        /// Offline task id.
        task_id: Utf8,
        /// The entrusting unit the task is assigned to (never the agency).
        assigned_to: Label,
        /// Offline methods that fit (`field_visit`, `neighbour_interview`, `letter_evidence`).
        methods: Texts,
        /// Offline results for this category are on file.
        investigated: Bool,
    }
}

table! {
    /// `errors`: one row per rejected case.
    struct ErrorRows {
        /// 1-based position of the case in the input (its line number in a JSONL file).
        position: I64,
        /// Case id where the input was readable far enough (resident IDs in it masked).
        case_id: Utf8 | null,
        /// Stable error code (`docs/errors.md`).
        code: Label,
        /// Error area (`input`, `authorization`, ...); null for a code this build does not know.
        area: Code | null,
        /// Rule the error enforces (`R1` .. `R11`); null when it enforces none.
        rule: Code | null,
        /// Source clause of the rule; null as `rule`.
        clause: Code | null,
        /// Message, with every resident ID masked.
        message: Utf8,
        /// JSON path of the value that failed (`household.members[1].id`), resident IDs in it
        /// masked; null where the error has none (a line that is not JSON, a failed gate).
        path: Utf8 | null,
    }
}

/// The five tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Table {
    /// One row per report.
    Reports,
    /// One row per member × category.
    Findings,
    /// Declared vs found per report and item.
    Differences,
    /// One row per gap with its offline task.
    Gaps,
    /// One row per rejected case.
    Errors,
}

impl Table {
    /// Every table, in file order.
    pub const ALL: [Table; 5] = [
        Table::Reports,
        Table::Findings,
        Table::Differences,
        Table::Gaps,
        Table::Errors,
    ];

    /// The table's name (`reports`, ...), also its file name without extension.
    pub fn name(self) -> &'static str {
        match self {
            Table::Reports => "reports",
            Table::Findings => "findings",
            Table::Differences => "differences",
            Table::Gaps => "gaps",
            Table::Errors => "errors",
        }
    }

    /// What one row is.
    pub fn row(self) -> &'static str {
        match self {
            Table::Reports => "one report",
            Table::Findings => "what one data category says about one member",
            Table::Differences => "one declared item of a report against what was found",
            Table::Gaps => "one category without an online answer and its offline task (R7)",
            Table::Errors => "one rejected case",
        }
    }

    /// The columns, in order.
    pub fn columns(self) -> &'static [Column] {
        match self {
            Table::Reports => ReportRows::COLUMNS,
            Table::Findings => FindingRows::COLUMNS,
            Table::Differences => DifferenceRows::COLUMNS,
            Table::Gaps => GapRows::COLUMNS,
            Table::Errors => ErrorRows::COLUMNS,
        }
    }

    /// The Arrow schema, with [`SCHEMA_VERSION`] and the table name in its metadata.
    pub fn schema(self) -> SchemaRef {
        let fields: Vec<Field> = self.columns().iter().map(Column::field).collect();
        let metadata = [
            (VERSION_KEY.to_owned(), SCHEMA_VERSION.to_string()),
            (TABLE_KEY.to_owned(), self.name().to_owned()),
        ]
        .into_iter()
        .collect();
        Arc::new(Schema::new_with_metadata(fields, metadata))
    }
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One chunk of the five tables.
#[derive(Debug, Clone, PartialEq)]
pub struct Tables {
    /// [`Table::Reports`].
    pub reports: RecordBatch,
    /// [`Table::Findings`].
    pub findings: RecordBatch,
    /// [`Table::Differences`].
    pub differences: RecordBatch,
    /// [`Table::Gaps`].
    pub gaps: RecordBatch,
    /// [`Table::Errors`].
    pub errors: RecordBatch,
}

impl Tables {
    /// The batch of one table.
    pub fn get(&self, table: Table) -> &RecordBatch {
        match table {
            Table::Reports => &self.reports,
            Table::Findings => &self.findings,
            Table::Differences => &self.differences,
            Table::Gaps => &self.gaps,
            Table::Errors => &self.errors,
        }
    }
}

/// Collects reports and errors as rows of the five tables; [`TablesBuilder::finish`] hands a
/// chunk over and starts the next.
///
/// Text columns are Arrow `Utf8` (32-bit offsets): finish a chunk every few thousand reports
/// (see [`TablesBuilder::rows`]), as the main job does every 256 cases.
#[derive(Debug, Default)]
pub struct TablesBuilder {
    reports: ReportRows,
    findings: FindingRows,
    differences: DifferenceRows,
    gaps: GapRows,
    errors: ErrorRows,
    rows: usize,
}

/// An instant as microseconds since the Unix epoch (UTC), saturating far outside ±290,000
/// years (a report's instants are all in years 0–9999).
fn micros(t: OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos() / 1000).unwrap_or(i64::MAX)
}

/// A date as days since 1970-01-01.
fn days(d: Date) -> i32 {
    d.to_julian_day() - 2_440_588
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

fn count32(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// (amount, exempt) of a finding: null when no fact carries one, or when the sum leaves the
/// Int64 range.
fn sums(finding: &Finding) -> (Option<i64>, Option<i64>) {
    let (amount, exempt) = finding.money_sums();
    let fit = |v: Option<i128>| v.and_then(|v| i64::try_from(v).ok());
    (fit(amount), fit(exempt))
}

/// Whether `b` can be part of a resident ID (digits, and `X` as the check character).
fn id_char(b: u8) -> bool {
    b.is_ascii_digit() || b == b'X' || b == b'x'
}

/// `text` with every run of 15 or more digits (a resident ID, 15 or 18 characters, or
/// anything as long) masked as reports mask IDs: the first six and last two characters kept,
/// the rest `*` (个人信息保护法 Art 6, minimum scope; R11).
pub fn mask_ids(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        if bytes.get(i).copied().is_some_and(|b| b.is_ascii_digit()) {
            let start = i;
            while bytes.get(i).copied().is_some_and(id_char) {
                i += 1;
            }
            if i - start >= 15 {
                out.push_str(text.get(copied..start).unwrap_or_default());
                out.push_str(text.get(start..start + 6).unwrap_or_default());
                out.extend(std::iter::repeat_n('*', i - start - 8));
                out.push_str(text.get(i - 2..i).unwrap_or_default());
                copied = i;
            }
        } else {
            i += 1;
        }
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    out
}

/// The `case_id` of a case line, where the line is JSON with a string `case_id` at the top
/// (resident IDs in it masked): for the errors table, when the case itself was rejected.
pub fn case_id_of(line: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Head {
        case_id: Option<String>,
    }
    serde_json::from_slice::<Head>(line)
        .ok()
        .and_then(|h| h.case_id)
        .map(|id| mask_ids(&id))
}

impl TablesBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Nothing pushed since the last [`TablesBuilder::finish`].
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Reports and errors pushed since the last [`TablesBuilder::finish`].
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Adds a report without its household's region (the `region` columns are null): a
    /// report does not print the region; [`TablesBuilder::push_case_report`] has it.
    pub fn push_report(&mut self, report: &Report) {
        self.push(report, None);
    }

    /// Adds a report with its household's region.
    pub fn push_report_in(&mut self, report: &Report, region: RegionCode) {
        self.push(report, Some(&region.to_string()));
    }

    /// Adds a report as [`hedui_core::batch::verify_chunk_cases`] gives it, with its region.
    pub fn push_case_report(&mut self, case: &CaseReport) {
        self.push_report_in(&case.report, case.region);
    }

    fn push(&mut self, report: &Report, region: Option<&str>) {
        self.rows += 1;
        self.push_summary(report, region);
        self.push_findings(report, region);
        let h = &report.header;
        let d = &mut self.differences;
        for diff in &report.aggregates.differences {
            d.report_number.append_value(&report.report_number);
            d.case_id.append_value(&h.case_id);
            d.region.append_option(region);
            d.item.append_value(diff.item.as_str());
            d.item_zh.append_value(diff.item.label_zh());
            d.declared.append_value(diff.declared);
            d.found.append_value(diff.found);
            d.difference.append_value(diff.difference);
        }
        for gap in &report.gaps {
            self.push_gap(report, region, gap);
        }
    }

    fn push_summary(&mut self, report: &Report, region: Option<&str>) {
        let h = &report.header;
        let a = &report.aggregates;
        let r = &mut self.reports;
        r.report_number.append_value(&report.report_number);
        r.case_id.append_value(&h.case_id);
        r.household_id.append_value(&h.household_id);
        r.region.append_option(region);
        r.programme.append_value(h.programme.as_str());
        r.purpose.append_value(h.purpose.as_str());
        r.agency_id.append_value(&h.agency_id);
        r.agency_level.append_value(h.agency_level.as_str());
        r.entrusting_unit.append_value(&h.entrusting_unit);
        r.entrustment_number.append_value(&h.entrustment_number);
        r.batch.append_option(h.batch.as_deref());
        r.issued_at.append_value(micros(h.issued_at));
        r.queries_sent_at.append_value(micros(h.queries_sent_at));
        r.income_window_from
            .append_value(days(h.income_window_from));
        r.income_window_to.append_value(days(h.income_window_to));
        r.income_months.append_value(count32(a.income.months));
        r.members.append_value(count(report.members.len()));
        r.co_resident.append_value(count(
            report.members.iter().filter(|m| m.co_resident).count(),
        ));
        let f = &a.financial_assets;
        r.deposits_fen.append_value(f.deposits_fen);
        r.deposits_over_limit
            .append_value(count32(f.deposits_over_limit));
        r.securities_fen.append_value(f.securities_fen);
        r.insurance_cash_value_fen
            .append_value(f.insurance_cash_value_fen);
        r.financial_assets_fen.append_value(f.total_fen);
        r.provident_fund_fen.append_value(f.provident_fund_fen);
        r.real_estate_count
            .append_value(count32(a.real_estate.count));
        r.real_estate_residential
            .append_value(count32(a.real_estate.residential));
        r.real_estate_area_m2_x100
            .append_value(i64::try_from(a.real_estate.total_area_m2_x100).unwrap_or(i64::MAX));
        r.vehicles.append_value(count32(a.vehicles.count));
        r.vehicles_commercial
            .append_value(count32(a.vehicles.commercial));
        r.businesses.append_value(count32(a.businesses.count));
        r.business_capital_fen
            .append_value(a.businesses.registered_capital_fen);
        let income = |t: IncomeType| {
            a.income
                .by_type
                .iter()
                .filter(|i| i.income_type == t)
                .map(|i| i.amount_fen)
                .fold(0i64, i64::saturating_add)
        };
        r.income_wages_fen.append_value(income(IncomeType::Wages));
        r.income_business_net_fen
            .append_value(income(IncomeType::BusinessNet));
        r.income_property_net_fen
            .append_value(income(IncomeType::PropertyNet));
        r.income_transfer_net_fen
            .append_value(income(IncomeType::TransferNet));
        r.income_total_fen.append_value(a.income.total_fen);
        r.income_members_counted
            .append_value(count32(a.income.members_counted));
        r.income_per_capita_monthly_fen
            .append_value(a.income.per_capita_monthly_fen);
        r.exempt_income_fen.append_value(a.income.exempt_total_fen);
        r.imprisoned
            .append_value(count(a.status_records.imprisoned.len()));
        r.deceased
            .append_value(count(a.status_records.deceased.len()));
        r.public_payroll
            .append_value(count(a.status_records.public_payroll.len()));
        r.differences.append_value(count(a.differences.len()));
        r.sharing_gaps
            .append_value(count(report.sharing_gaps.len()));
        r.gaps.append_value(count(report.gaps.len()));
        r.offline_tasks_open.append_value(count(
            report.gaps.iter().filter(|g| !g.investigated).count(),
        ));
        r.offline_results
            .append_value(count(report.offline_results.len()));
        r.digest
            .append_option(report.integrity.as_ref().map(|i| i.digest.to_string()));
        r.rulebook_version.append_value(&h.rulebook_version);
    }

    fn push_findings(&mut self, report: &Report, region: Option<&str>) {
        let h = &report.header;
        let issued_at = micros(h.issued_at);
        let f = &mut self.findings;
        // the report's own columns once per report, each value repeated for its findings
        // (one dictionary lookup instead of one per row)
        let n = report.findings.len();
        f.report_number.append_value_n(&report.report_number, n);
        f.case_id.append_value_n(&h.case_id, n);
        f.household_id.append_value_n(&h.household_id, n);
        match region {
            Some(region) => f.region.append_values(region, n),
            None => f.region.append_nulls(n),
        }
        f.programme.append_values(h.programme.as_str(), n);
        f.purpose.append_values(h.purpose.as_str(), n);
        f.agency_id.append_values(&h.agency_id, n);
        f.issued_at.append_value_n(issued_at, n);
        f.rulebook_version.append_values(&h.rulebook_version, n);
        for finding in &report.findings {
            let member = report
                .members
                .iter()
                .find(|m| m.id_masked.as_str() == &*finding.member);
            let (amount, exempt) = sums(finding);
            f.category.append_value(finding.category.as_str());
            f.category_zh.append_value(finding.category.label_zh());
            f.member.append_value(&*finding.member);
            f.member_name.append_option(member.map(|m| m.name.as_str()));
            f.relation
                .append_option(member.map(|m| m.relation.as_str()));
            f.status.append_value(finding.status.as_str());
            f.status_zh.append_value(finding.status.label_zh());
            f.level.append_option(finding.level.map(|l| l.as_str()));
            f.deadline.append_option(finding.deadline.map(days));
            f.deadline_estimated
                .append_value(finding.deadline_estimated);
            f.responded_at
                .append_option(finding.responded_at.map(micros));
            f.facts.append_value(count(finding.facts.len()));
            f.amount_fen.append_option(amount);
            f.exempt_fen.append_option(exempt);
        }
    }

    fn push_gap(&mut self, report: &Report, region: Option<&str>, gap: &Gap) {
        let g = &mut self.gaps;
        g.report_number.append_value(&report.report_number);
        g.case_id.append_value(&report.header.case_id);
        g.region.append_option(region);
        g.category.append_value(gap.category.as_str());
        g.category_zh.append_value(gap.category.label_zh());
        g.reason.append_value(gap.reason.as_str());
        g.reason_zh.append_value(gap.reason.label_zh());
        g.members
            .append_value(gap.members.iter().map(|m| Some(m.as_str())));
        g.task_id.append_value(&gap.task.task_id);
        g.assigned_to.append_value(&gap.task.assigned_to);
        g.methods
            .append_value(gap.task.methods.iter().map(|m| Some(m.as_str())));
        g.investigated.append_value(gap.investigated);
    }

    /// Adds a rejected case at `position` (1-based), with its case id where known (see
    /// [`case_id_of`]). Area, rule and clause come from the error catalog by the error's code;
    /// resident IDs in the message and the case id are masked ([`mask_ids`]).
    pub fn push_error(&mut self, position: u64, case_id: Option<&str>, error: &BatchError) {
        let info = Error::catalog().find(|i| i.code == error.code);
        self.push_error_row(
            position,
            case_id,
            &error.code,
            info.map(|i| i.area.as_str()),
            info.and_then(|i| i.rule).map(|r| (r.id, r.clause)),
            &error.message,
            error.path.as_deref(),
        );
    }

    /// Adds a failed operation at `position` (1-based), as [`TablesBuilder::push_error`].
    pub fn push_failure(&mut self, position: u64, case_id: Option<&str>, failure: &Failure) {
        let (rule, path) = match failure {
            Failure::Core(e) => (e.info().rule.map(|r| (r.id, r.clause)), e.detail().path),
            _ => (None, None),
        };
        self.push_error_row(
            position,
            case_id,
            failure.code(),
            Some(failure.area().as_str()),
            rule,
            &failure.to_string(),
            path.as_deref(),
        );
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "one argument per column of the errors table"
    )]
    fn push_error_row(
        &mut self,
        position: u64,
        case_id: Option<&str>,
        code: &str,
        area: Option<&str>,
        rule: Option<(&str, &str)>,
        message: &str,
        path: Option<&str>,
    ) {
        self.rows += 1;
        let e = &mut self.errors;
        e.position
            .append_value(i64::try_from(position).unwrap_or(i64::MAX));
        e.case_id.append_option(case_id.map(mask_ids));
        e.code.append_value(code);
        e.area.append_option(area);
        e.rule.append_option(rule.map(|r| r.0));
        e.clause.append_option(rule.map(|r| r.1));
        e.message.append_value(mask_ids(message));
        e.path.append_option(path.map(mask_ids));
    }

    /// The batches of everything pushed since the last call; the builder is then empty and
    /// ready for the next chunk.
    ///
    /// # Errors
    /// [`ArrowError`] if a batch does not match its schema (a bug in hedui).
    pub fn finish(&mut self) -> Result<Tables, ArrowError> {
        self.rows = 0;
        Ok(Tables {
            reports: RecordBatch::try_new(Table::Reports.schema(), self.reports.finish())?,
            findings: RecordBatch::try_new(Table::Findings.schema(), self.findings.finish())?,
            differences: RecordBatch::try_new(
                Table::Differences.schema(),
                self.differences.finish(),
            )?,
            gaps: RecordBatch::try_new(Table::Gaps.schema(), self.gaps.finish())?,
            errors: RecordBatch::try_new(Table::Errors.schema(), self.errors.finish())?,
        })
    }
}

/// The file format of [`TableWriters`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Apache Parquet, Snappy-compressed, one row group per chunk (`DIR/<table>.parquet`).
    Parquet,
    /// Arrow IPC stream format, one record batch per chunk (`DIR/<table>.arrows`).
    ArrowIpc,
}

impl Format {
    /// The file extension: `parquet` or `arrows` (the IPC stream format's registered one).
    pub fn extension(self) -> &'static str {
        match self {
            Format::Parquet => "parquet",
            Format::ArrowIpc => "arrows",
        }
    }
}

/// Why tables could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// A file could not be created or written.
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The Arrow IPC writer failed.
    Arrow {
        /// The file.
        path: PathBuf,
        /// What arrow said.
        source: ArrowError,
    },
    /// The Parquet writer failed.
    Parquet {
        /// The file.
        path: PathBuf,
        /// What parquet said.
        source: ParquetError,
    },
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            WriteError::Arrow { path, source } => write!(f, "{}: {source}", path.display()),
            WriteError::Parquet { path, source } => write!(f, "{}: {source}", path.display()),
        }
    }
}

impl std::error::Error for WriteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WriteError::Io { source, .. } => Some(source),
            WriteError::Arrow { source, .. } => Some(source),
            WriteError::Parquet { source, .. } => Some(source),
        }
    }
}

enum Sink {
    Parquet(ArrowWriter<BufWriter<File>>),
    Ipc(arrow_ipc::writer::StreamWriter<BufWriter<File>>),
}

impl fmt::Debug for Sink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Sink::Parquet(_) => "Sink::Parquet",
            Sink::Ipc(_) => "Sink::Ipc",
        })
    }
}

/// Encoded size a Parquet file's open row group may reach before it is written out
/// ([`TableWriters::with_row_group_bytes`]): 128 MiB. The open row group's pages are spilled
/// to disk, so its size costs no memory; the row group that ends first at the parquet crate's
/// 1,048,576 rows is the usual case (`findings`: about 22,000 cases a group). Smaller row groups
/// made the main job's peak RSS grow with the run: at 1,000,000 cases 62.7 MiB with row groups
/// of 4 MiB against 57.5–59.3 MiB with these, and 97.6 MiB with the 1 MiB row groups kept on
/// the heap before (BENCHMARKS.md).
pub const ROW_GROUP_BYTES: usize = 128 << 20;

/// Largest Parquet data and dictionary page: 64 KiB (each column of an open row group buffers
/// one page; the default, 1 MiB, times a hundred columns would dominate the main job's memory).
const PAGE_BYTES: usize = 64 << 10;

/// Most rows in a Parquet data page: 4,096. A dictionary-encoded column buffers its page's
/// dictionary indices as 8-byte integers until the page is written, and the encoded indices
/// are so small that the page size limit is seldom reached: at the parquet crate's default,
/// 20,000 rows, about 160 KB per column, for a hundred columns.
const PAGE_ROWS: usize = 4096;

/// Where the Parquet writer keeps the finished pages of an open column chunk until its row
/// group is written out: an unnamed temporary file per column chunk in the output directory
/// (removed when the chunk is written), so that a row group's encoded pages are on disk, not
/// on the heap, and row groups can be large without the writer's memory growing with them.
#[derive(Debug)]
struct SpillPages {
    /// The output directory (the spilled pages go to the disk the tables go to, not to a
    /// temporary directory that may be in memory).
    dir: PathBuf,
}

impl PageStoreFactory for SpillPages {
    fn create(&self, _: &PageStoreArgs<'_>) -> Result<Box<dyn PageStore>, ParquetError> {
        Ok(Box::new(SpilledPages {
            file: tempfile::tempfile_in(&self.dir)?,
            end: 0,
            pages: Vec::new(),
        }))
    }
}

/// The pages of one column chunk in a temporary file ([`SpillPages`]): appended by `put`,
/// read back by `take` when the row group is written out.
struct SpilledPages {
    file: File,
    /// Length of the file.
    end: u64,
    /// Offset and length of every page put, in order.
    pages: Vec<(u64, usize)>,
}

impl PageStore for SpilledPages {
    fn put(&mut self, value: Bytes) -> Result<PageKey, ParquetError> {
        self.file.seek(SeekFrom::Start(self.end))?;
        self.file.write_all(&value)?;
        let key = PageKey::new(self.pages.len() as u64);
        self.pages.push((self.end, value.len()));
        self.end += value.len() as u64;
        Ok(key)
    }

    fn take(&mut self, key: PageKey) -> Result<Bytes, ParquetError> {
        let (offset, len) = usize::try_from(key.get())
            .ok()
            .and_then(|i| self.pages.get(i).copied())
            .ok_or_else(|| ParquetError::General(format!("no spilled page {}", key.get())))?;
        let mut buf = vec![0u8; len];
        self.file.seek(SeekFrom::Start(offset))?;
        self.file.read_exact(&mut buf)?;
        Ok(Bytes::from(buf))
    }
}

/// The Parquet writer's settings (see [`TableWriters`]).
fn parquet_properties() -> WriterProperties {
    WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_statistics_enabled(EnabledStatistics::None)
        .set_offset_index_disabled(true)
        .set_data_page_size_limit(PAGE_BYTES)
        .set_dictionary_page_size_limit(PAGE_BYTES)
        .set_data_page_row_count_limit(PAGE_ROWS)
        .set_created_by(format!("hedui {}", env!("CARGO_PKG_VERSION")))
        .build()
}

/// Writes [`Tables`] chunk by chunk into one file per table in a directory.
///
/// Arrow IPC: one record batch per chunk, written as it comes. Parquet (Snappy): each chunk
/// is encoded into the file's open row group as it comes, and the row group is written out
/// once its encoded size reaches [`ROW_GROUP_BYTES`] (or the parquet crate's 1,048,576 rows,
/// and at the end). While a row group is open its finished pages wait in a temporary file
/// in the output directory, not on the heap, so that the memory of the writer is the column
/// encoders' open pages (about 4,096 rows and at most 64 KiB each), whatever the row group
/// size. Every written row group leaves its metadata in memory until
/// [`TableWriters::finish`] writes the footer, and every row group written out frees and
/// reallocates all the column encoders: few, large row groups keep both small. The files
/// carry no min/max statistics and no page index: the tables are read whole by analysts'
/// tools, and the statistics cost about 10 MB of memory per 100,000 cases (BENCHMARKS.md).
#[derive(Debug)]
pub struct TableWriters {
    sinks: Vec<(Table, PathBuf, Sink)>,
    row_group_bytes: usize,
}

impl TableWriters {
    /// Creates `DIR/<table>.<ext>` for every table (the directory must exist), replacing
    /// files of the same names.
    ///
    /// # Errors
    /// [`WriteError`] when a file cannot be created or its header written.
    pub fn create(dir: &Path, format: Format) -> Result<Self, WriteError> {
        let mut sinks = Vec::with_capacity(Table::ALL.len());
        for table in Table::ALL {
            let path = dir.join(format!("{}.{}", table.name(), format.extension()));
            let file = File::create(&path).map_err(|source| WriteError::Io {
                path: path.clone(),
                source,
            })?;
            let out = BufWriter::new(file);
            let schema = table.schema();
            let sink = match format {
                Format::Parquet => {
                    let props = parquet_properties();
                    let options = ArrowWriterOptions::new()
                        .with_properties(props)
                        .with_page_store_factory(Arc::new(SpillPages {
                            dir: dir.to_path_buf(),
                        }));
                    Sink::Parquet(
                        ArrowWriter::try_new_with_options(out, schema, options).map_err(
                            |source| WriteError::Parquet {
                                path: path.clone(),
                                source,
                            },
                        )?,
                    )
                }
                Format::ArrowIpc => Sink::Ipc(
                    arrow_ipc::writer::StreamWriter::try_new(out, &schema).map_err(|source| {
                        WriteError::Arrow {
                            path: path.clone(),
                            source,
                        }
                    })?,
                ),
            };
            sinks.push((table, path, sink));
        }
        Ok(TableWriters {
            sinks,
            row_group_bytes: ROW_GROUP_BYTES,
        })
    }

    /// Writes a Parquet row group out once its encoded size reaches `bytes` (default
    /// [`ROW_GROUP_BYTES`]); `0` writes one row group per chunk. No effect on IPC.
    pub fn with_row_group_bytes(mut self, bytes: usize) -> Self {
        self.row_group_bytes = bytes;
        self
    }

    /// Writes one chunk: into the open row group (Parquet, written out when it is full) or
    /// as a record batch (IPC), for every table that has rows in it.
    ///
    /// # Errors
    /// [`WriteError`] when a file cannot be written.
    pub fn write(&mut self, tables: &Tables) -> Result<(), WriteError> {
        for (table, path, sink) in &mut self.sinks {
            let batch = tables.get(*table);
            if batch.num_rows() == 0 {
                continue;
            }
            match sink {
                Sink::Parquet(w) => {
                    let limit = self.row_group_bytes;
                    w.write(batch)
                        .and_then(|()| {
                            if w.in_progress_size() >= limit {
                                w.flush()
                            } else {
                                Ok(())
                            }
                        })
                        .map_err(|source| WriteError::Parquet {
                            path: path.clone(),
                            source,
                        })?
                }
                Sink::Ipc(w) => w.write(batch).map_err(|source| WriteError::Arrow {
                    path: path.clone(),
                    source,
                })?,
            }
        }
        Ok(())
    }

    /// Writes the files' footers and flushes them.
    ///
    /// # Errors
    /// [`WriteError`] when a file cannot be written.
    pub fn finish(self) -> Result<(), WriteError> {
        for (_, path, sink) in self.sinks {
            match sink {
                Sink::Parquet(w) => {
                    let mut out = w.into_inner().map_err(|source| WriteError::Parquet {
                        path: path.clone(),
                        source,
                    })?;
                    out.flush().map_err(|source| WriteError::Io {
                        path: path.clone(),
                        source,
                    })?;
                }
                Sink::Ipc(mut w) => {
                    w.finish().map_err(|source| WriteError::Arrow {
                        path: path.clone(),
                        source,
                    })?;
                    w.get_mut().flush().map_err(|source| WriteError::Io {
                        path: path.clone(),
                        source,
                    })?;
                }
            }
        }
        Ok(())
    }
}

/// The tables described in Markdown, the text of `schemas/tables.md`: for each table what a
/// row is and every column with its Arrow type, nullability and meaning.
pub fn describe() -> String {
    let mut out = format!(
        "# hedui tables, schema version {SCHEMA_VERSION}\n\n\
         Generated from `hedui_ops::columns` (`cargo run -p hedui-tests --bin schemas`); a test \
         fails when this file is stale.\n\n\
         Each schema's metadata holds `{VERSION_KEY}` = `{SCHEMA_VERSION}` and `{TABLE_KEY}` = \
         the table name. Amounts are Int64 fen, dates Date32, instants microseconds since the \
         epoch shown in `{TIMEZONE}`; masked resident IDs keep the first six and last two \
         characters.\n"
    );
    for table in Table::ALL {
        out.push_str(&format!(
            "\n## `{}`\n\nOne row: {}.\n\n| column | type | null | meaning |\n|---|---|---|---|\n",
            table.name(),
            table.row()
        ));
        for c in table.columns() {
            out.push_str(&format!(
                "| `{}` | {} | {} | {} |\n",
                c.name,
                c.data_type(),
                if c.nullable { "yes" } else { "no" },
                c.doc.split_whitespace().collect::<Vec<_>>().join(" ")
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use arrow_array::cast::AsArray;
    use arrow_array::types::{Date32Type, Int64Type, TimestampMicrosecondType};
    use arrow_array::{Array, DictionaryArray};
    use hedui_core::batch::{BatchOptions, verify_chunk_cases};
    use hedui_core::sample::sample_case;
    use hedui_core::{DataCategory, Rulebook};
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    use parquet::basic::PageType;
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use time::macros::datetime;

    use super::*;

    fn lines(n: u64) -> Vec<String> {
        let rulebook = Rulebook::default();
        (0..n)
            .map(|i| serde_json::to_string(&sample_case(2026, i, &rulebook).case).unwrap())
            .collect()
    }

    fn verified(lines: &[String]) -> Vec<(u64, Result<CaseReport, BatchError>)> {
        let rulebook = Rulebook::default();
        let opts = BatchOptions {
            rulebook: &rulebook,
            issued_at: datetime!(2026-11-29 10:00 +08:00),
            render: false,
            parallel: false,
        };
        verify_chunk_cases(lines, 1, &opts)
    }

    fn build(lines: &[String]) -> (Vec<CaseReport>, Tables) {
        let mut b = TablesBuilder::new();
        let mut reports = Vec::new();
        for (n, r) in verified(lines) {
            match r {
                Ok(c) => {
                    b.push_case_report(&c);
                    reports.push(c);
                }
                Err(e) => {
                    let id = lines
                        .get(usize::try_from(n - 1).unwrap())
                        .and_then(|l| case_id_of(l.as_bytes()));
                    b.push_error(n, id.as_deref(), &e);
                }
            }
        }
        (reports, b.finish().unwrap())
    }

    fn strings(batch: &RecordBatch, name: &str) -> Vec<Option<String>> {
        let col = batch.column_by_name(name).unwrap();
        arrow_cast_strings(col.as_ref())
    }

    /// A Utf8 or dictionary-of-Utf8 column as owned strings.
    fn arrow_cast_strings(col: &dyn Array) -> Vec<Option<String>> {
        match col.data_type() {
            DataType::Utf8 => col
                .as_string::<i32>()
                .iter()
                .map(|v| v.map(str::to_owned))
                .collect(),
            DataType::Dictionary(k, _) if **k == DataType::Int8 => {
                let d: &DictionaryArray<Int8Type> = col.as_dictionary();
                let values = d.values().as_string::<i32>();
                d.keys()
                    .iter()
                    .map(|k| k.map(|k| values.value(usize::try_from(k).unwrap()).to_owned()))
                    .collect()
            }
            DataType::Dictionary(_, _) => {
                let d: &DictionaryArray<Int32Type> = col.as_dictionary();
                let values = d.values().as_string::<i32>();
                d.keys()
                    .iter()
                    .map(|k| k.map(|k| values.value(usize::try_from(k).unwrap()).to_owned()))
                    .collect()
            }
            other => panic!("not a string column: {other}"),
        }
    }

    fn ints(batch: &RecordBatch, name: &str) -> Vec<Option<i64>> {
        let col = batch.column_by_name(name).unwrap();
        match col.data_type() {
            DataType::Int64 => col.as_primitive::<Int64Type>().iter().collect(),
            DataType::Int32 => col
                .as_primitive::<arrow_array::types::Int32Type>()
                .iter()
                .map(|v| v.map(i64::from))
                .collect(),
            other => panic!("not an integer column: {other}"),
        }
    }

    #[test]
    fn one_row_per_report_finding_difference_gap_and_error() {
        let lines = lines(120);
        let (reports, t) = build(&lines);
        let rejected = verified(&lines).iter().filter(|(_, r)| r.is_err()).count();
        assert!(
            rejected > 0 && !reports.is_empty(),
            "sample mixes good and bad"
        );
        assert_eq!(t.reports.num_rows(), reports.len());
        assert_eq!(t.errors.num_rows(), rejected);
        let findings: usize = reports.iter().map(|c| c.report.findings.len()).sum();
        let differences: usize = reports
            .iter()
            .map(|c| c.report.aggregates.differences.len())
            .sum();
        let gaps: usize = reports.iter().map(|c| c.report.gaps.len()).sum();
        assert_eq!(t.findings.num_rows(), findings);
        assert_eq!(t.differences.num_rows(), differences);
        assert_eq!(t.gaps.num_rows(), gaps);
        assert!(differences > 0 && gaps > 0, "the sample has both");
        // members × categories: every member has a finding in every category
        for c in &reports {
            assert_eq!(
                c.report.findings.len(),
                c.report.members.len() * DataCategory::ALL.len()
            );
        }
        for table in Table::ALL {
            let schema = t.get(table).schema();
            assert_eq!(schema, table.schema());
            assert_eq!(
                schema.metadata().get(VERSION_KEY).map(String::as_str),
                Some("2")
            );
            assert_eq!(
                schema.metadata().get(TABLE_KEY).map(String::as_str),
                Some(table.name())
            );
        }
    }

    #[test]
    fn report_rows_hold_the_report_values() {
        let (reports, t) = build(&lines(80));
        let numbers = strings(&t.reports, "report_number");
        let digests = strings(&t.reports, "digest");
        let regions = strings(&t.reports, "region");
        let deposits = ints(&t.reports, "deposits_fen");
        let income = ints(&t.reports, "income_total_fen");
        let wages = ints(&t.reports, "income_wages_fen");
        let per_capita = ints(&t.reports, "income_per_capita_monthly_fen");
        let members = ints(&t.reports, "members");
        let issued = t
            .reports
            .column_by_name("issued_at")
            .unwrap()
            .as_primitive::<TimestampMicrosecondType>();
        let from = t
            .reports
            .column_by_name("income_window_from")
            .unwrap()
            .as_primitive::<Date32Type>();
        for (i, c) in reports.iter().enumerate() {
            let r = &c.report;
            let a = &r.aggregates;
            assert_eq!(numbers[i].as_deref(), Some(r.report_number.as_str()));
            assert_eq!(
                digests[i],
                r.integrity.as_ref().map(|x| x.digest.to_string())
            );
            assert_eq!(regions[i], Some(c.region.to_string()));
            assert_eq!(deposits[i], Some(a.financial_assets.deposits_fen));
            assert_eq!(income[i], Some(a.income.total_fen));
            let w: i64 = a
                .income
                .by_type
                .iter()
                .filter(|x| x.income_type == IncomeType::Wages)
                .map(|x| x.amount_fen)
                .sum();
            assert_eq!(wages[i], Some(w));
            assert_eq!(per_capita[i], Some(a.income.per_capita_monthly_fen));
            assert_eq!(members[i], Some(i64::try_from(r.members.len()).unwrap()));
            assert_eq!(
                issued.value(i),
                r.header.issued_at.unix_timestamp() * 1_000_000
            );
            let d = time::Date::from_julian_day(from.value(i) + 2_440_588).unwrap();
            assert_eq!(d, r.header.income_window_from);
        }
        assert_eq!(
            issued.data_type(),
            &DataType::Timestamp(TimeUnit::Microsecond, Some("+08:00".into()))
        );
    }

    /// The report's own columns of the findings table (written once per report for all its
    /// findings) name, on every finding row, the report that finding belongs to.
    #[test]
    fn finding_rows_carry_their_reports_columns() {
        let (reports, t) = build(&lines(60));
        let per_row: Vec<&CaseReport> = reports
            .iter()
            .flat_map(|c| c.report.findings.iter().map(move |_| c))
            .collect();
        assert_eq!(t.findings.num_rows(), per_row.len());
        let regions: Vec<String> = reports.iter().map(|c| c.region.to_string()).collect();
        assert!(
            regions.iter().any(|r| *r != regions[0]),
            "the sample spans regions"
        );
        let issued = t
            .findings
            .column_by_name("issued_at")
            .unwrap()
            .as_primitive::<TimestampMicrosecondType>();
        let column = |name| strings(&t.findings, name);
        let (numbers, cases, households) = (
            column("report_number"),
            column("case_id"),
            column("household_id"),
        );
        let (region, programme, purpose) =
            (column("region"), column("programme"), column("purpose"));
        let (agency, version) = (column("agency_id"), column("rulebook_version"));
        for (i, c) in per_row.iter().enumerate() {
            let (r, h) = (&c.report, &c.report.header);
            assert_eq!(numbers[i].as_deref(), Some(r.report_number.as_str()));
            assert_eq!(cases[i].as_deref(), Some(h.case_id.as_str()));
            assert_eq!(households[i].as_deref(), Some(h.household_id.as_str()));
            assert_eq!(region[i], Some(c.region.to_string()));
            assert_eq!(programme[i].as_deref(), Some(h.programme.as_str()));
            assert_eq!(purpose[i].as_deref(), Some(h.purpose.as_str()));
            assert_eq!(agency[i].as_deref(), Some(h.agency_id.as_str()));
            assert_eq!(version[i].as_deref(), Some(h.rulebook_version.as_str()));
            assert_eq!(issued.value(i), micros(h.issued_at));
        }
    }

    #[test]
    fn finding_amounts_add_up_to_the_aggregates() {
        let (reports, t) = build(&lines(80));
        let numbers = strings(&t.findings, "report_number");
        let categories = strings(&t.findings, "category");
        let amounts = ints(&t.findings, "amount_fen");
        let mut by: BTreeMap<(String, String), i64> = BTreeMap::new();
        for i in 0..t.findings.num_rows() {
            if let Some(a) = amounts[i] {
                *by.entry((numbers[i].clone().unwrap(), categories[i].clone().unwrap()))
                    .or_default() += a;
            }
        }
        let sum = |n: &str, c: DataCategory| {
            by.get(&(n.to_owned(), c.as_str().to_owned()))
                .copied()
                .unwrap_or(0)
        };
        let mut nonzero = 0;
        for c in &reports {
            let r = &c.report;
            let f = &r.aggregates.financial_assets;
            let n = r.report_number.as_str();
            assert_eq!(sum(n, DataCategory::BankDeposits), f.deposits_fen, "{n}");
            assert_eq!(sum(n, DataCategory::Securities), f.securities_fen, "{n}");
            assert_eq!(
                sum(n, DataCategory::CommercialInsurance),
                f.insurance_cash_value_fen,
                "{n}"
            );
            assert_eq!(
                sum(n, DataCategory::HousingProvidentFund),
                f.provident_fund_fen,
                "{n}"
            );
            if f.total_fen != 0 {
                nonzero += 1;
            }
        }
        assert!(nonzero > 0, "some reports hold financial assets");
    }

    #[test]
    fn absent_fields_are_null() {
        let lines = lines(40);
        let mut b = TablesBuilder::new();
        let mut reports = Vec::new();
        for (_, r) in verified(&lines) {
            if let Ok(c) = r {
                b.push_report(&c.report);
                reports.push(c.report);
            }
        }
        let t = b.finish().unwrap();
        // no region given: null in every table that has the column
        for table in [
            Table::Reports,
            Table::Findings,
            Table::Differences,
            Table::Gaps,
        ] {
            let col = t.get(table).column_by_name("region").unwrap();
            assert_eq!(col.null_count(), col.len(), "{table}");
        }
        let batch = t.reports.column_by_name("batch").unwrap();
        let want = reports.iter().filter(|r| r.header.batch.is_none()).count();
        assert_eq!(batch.null_count(), want);
        let findings: Vec<&Finding> = reports.iter().flat_map(|r| &r.findings).collect();
        let deadline = t.findings.column_by_name("deadline").unwrap();
        let responded = t.findings.column_by_name("responded_at").unwrap();
        let level = t.findings.column_by_name("level").unwrap();
        let amount = t.findings.column_by_name("amount_fen").unwrap();
        let mut seen_null = 0;
        for (i, f) in findings.iter().enumerate() {
            assert_eq!(deadline.is_null(i), f.deadline.is_none());
            assert_eq!(responded.is_null(i), f.responded_at.is_none());
            assert_eq!(level.is_null(i), f.level.is_none());
            let has_money = f
                .facts
                .iter()
                .any(|x| x.money_fen().is_some_and(|(_, e)| !e));
            assert_eq!(amount.is_null(i), !has_money);
            seen_null += usize::from(amount.is_null(i));
        }
        assert!(seen_null > 0 && seen_null < findings.len());
    }

    #[test]
    fn errors_have_positions_codes_and_no_whole_resident_id() {
        let good = lines(3);
        let whole = "110101199003077777";
        let mut bad_id = serde_json::from_str::<serde_json::Value>(&good[0]).unwrap();
        let first = bad_id["household"]["members"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        // the same ID with a wrong check character
        let last = if first.ends_with('0') { '1' } else { '0' };
        let wrong = format!("{}{last}", &first[..17]);
        let bad_id_line = serde_json::to_string(&bad_id)
            .unwrap()
            .replace(&first, &wrong);
        bad_id["case_id"] = serde_json::Value::String(format!("case-{whole}"));
        let lines = vec![
            good[0].clone(),
            format!("{{\"case_id\": \"{whole}\"}}"),
            "{\"case_id\": \"broken\"".to_owned(),
            bad_id_line,
            "[]".to_owned(),
            good[1].clone(),
        ];
        let (_, t) = build(&lines);
        let positions = ints(&t.errors, "position");
        let codes = strings(&t.errors, "code");
        let got: Vec<(i64, String)> = positions
            .iter()
            .zip(&codes)
            .map(|(p, c)| (p.unwrap(), c.clone().unwrap()))
            .collect();
        assert_eq!(
            got,
            vec![
                (2, "input_json".to_owned()),
                (3, "input_json".to_owned()),
                (4, "id_resident_checksum".to_owned()),
                (5, "input_array_for_object".to_owned()),
            ]
        );
        // the JSON path of the bad field where the error has one (schema version 2)
        let paths = strings(&t.errors, "path");
        assert_eq!(paths[0], None, "a line that is not a case has no path");
        assert_eq!(paths[2].as_deref(), Some("household.members[0].id"));
        assert_eq!(
            t.errors
                .schema()
                .field_with_name("path")
                .unwrap()
                .data_type(),
            &DataType::Utf8
        );
        assert!(
            t.errors
                .schema()
                .field_with_name("path")
                .unwrap()
                .is_nullable()
        );
        let case_ids = strings(&t.errors, "case_id");
        assert_eq!(case_ids[0].as_deref(), Some("110101**********77"));
        assert_eq!(case_ids[1], None, "unreadable line: no case id");
        assert_eq!(strings(&t.errors, "area")[2].as_deref(), Some("input"));
        for table in Table::ALL {
            let batch = t.get(table);
            for (i, f) in batch.schema().fields().iter().enumerate() {
                if matches!(f.data_type(), DataType::Utf8 | DataType::Dictionary(..)) {
                    for v in arrow_cast_strings(batch.column(i).as_ref())
                        .iter()
                        .flatten()
                    {
                        assert!(
                            !v.contains(whole) && !v.contains(&wrong),
                            "{table}.{}: {v}",
                            f.name()
                        );
                    }
                }
            }
        }
        assert_eq!(t.reports.num_rows(), 2);
    }

    #[test]
    fn rule_errors_carry_rule_and_clause() {
        let lines = lines(200);
        let (_, t) = build(&lines);
        let rules = strings(&t.errors, "rule");
        let clauses = strings(&t.errors, "clause");
        let codes = strings(&t.errors, "code");
        let mut with_rule = 0;
        for i in 0..t.errors.num_rows() {
            let info = Error::catalog()
                .find(|e| Some(e.code) == codes[i].as_deref())
                .unwrap();
            assert_eq!(rules[i].as_deref(), info.rule.map(|r| r.id));
            assert_eq!(clauses[i].as_deref(), info.rule.map(|r| r.clause));
            with_rule += usize::from(rules[i].is_some());
        }
        assert!(with_rule > 0, "the sample has rule errors");
    }

    #[test]
    fn mask_ids_masks_long_digit_runs_only() {
        assert_eq!(mask_ids("id 11010119900307777X."), "id 110101**********7X.");
        assert_eq!(mask_ids("110101199003077"), "110101*******77");
        assert_eq!(mask_ids("case 12345678901234 ok"), "case 12345678901234 ok");
        assert_eq!(
            mask_ids("户主 110101199003077777 号"),
            "户主 110101**********77 号"
        );
    }

    #[test]
    fn finish_resets_the_builder() {
        let lines = lines(10);
        let mut b = TablesBuilder::new();
        assert!(b.is_empty());
        for (n, r) in verified(&lines) {
            match r {
                Ok(c) => b.push_case_report(&c),
                Err(e) => b.push_error(n, None, &e),
            }
        }
        assert_eq!(b.rows(), 10);
        assert_eq!(
            b.finish().unwrap().reports.num_rows(),
            10 - { verified(&lines).iter().filter(|(_, r)| r.is_err()).count() }
        );
        assert!(b.is_empty());
        let empty = b.finish().unwrap();
        for table in Table::ALL {
            assert_eq!(empty.get(table).num_rows(), 0);
        }
    }

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("hedui-columns-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn chunks() -> Vec<Tables> {
        let all = lines(90);
        all.chunks(30).map(|c| build(c).1).collect()
    }

    fn concat(table: Table, batches: &[RecordBatch]) -> RecordBatch {
        arrow_select::concat::concat_batches(&table.schema(), batches).unwrap()
    }

    #[test]
    fn parquet_and_ipc_files_read_back_as_written() {
        let chunks = chunks();
        for format in [Format::Parquet, Format::ArrowIpc] {
            let dir = temp_dir(format.extension());
            let mut w = TableWriters::create(&dir, format)
                .unwrap()
                .with_row_group_bytes(0);
            for c in &chunks {
                w.write(c).unwrap();
            }
            w.finish().unwrap();
            for table in Table::ALL {
                let written: Vec<RecordBatch> =
                    chunks.iter().map(|c| c.get(table).clone()).collect();
                let path = dir.join(format!("{}.{}", table.name(), format.extension()));
                let file = File::open(&path).unwrap();
                let read: Vec<RecordBatch> = match format {
                    Format::Parquet => {
                        let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
                        // row group bytes 0: one row group per chunk that had rows
                        let groups = builder.metadata().num_row_groups();
                        let nonempty = written.iter().filter(|b| b.num_rows() > 0).count();
                        assert_eq!(groups, nonempty, "{table}");
                        // the version and table name travel in the file's schema
                        let meta = builder.schema().metadata().clone();
                        assert_eq!(&meta, table.schema().metadata(), "{table}");
                        builder.build().unwrap().map(Result::unwrap).collect()
                    }
                    Format::ArrowIpc => arrow_ipc::reader::StreamReader::try_new(file, None)
                        .unwrap()
                        .map(Result::unwrap)
                        .collect(),
                };
                let read: Vec<RecordBatch> = read
                    .into_iter()
                    .map(|b| {
                        assert_eq!(b.schema().fields(), table.schema().fields(), "{table}");
                        RecordBatch::try_new(table.schema(), b.columns().to_vec()).unwrap()
                    })
                    .collect();
                assert_eq!(
                    concat(table, &read),
                    concat(table, &written),
                    "{table} {format:?}"
                );
            }
            let _ = std::fs::remove_dir_all(&dir);
        }
    }

    #[test]
    fn parquet_row_groups_are_written_out_when_full() {
        let chunks = chunks();
        let groups = |limit: usize| {
            let dir = temp_dir(&format!("groups-{limit}"));
            let mut w = TableWriters::create(&dir, Format::Parquet)
                .unwrap()
                .with_row_group_bytes(limit);
            for c in &chunks {
                w.write(c).unwrap();
            }
            w.finish().unwrap();
            let file = File::open(dir.join("findings.parquet")).unwrap();
            let meta = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
            let n = meta.metadata().num_row_groups();
            let rows = meta.metadata().file_metadata().num_rows();
            let _ = std::fs::remove_dir_all(&dir);
            (n, rows)
        };
        let rows: usize = chunks.iter().map(|c| c.findings.num_rows()).sum();
        let rows = i64::try_from(rows).unwrap();
        assert_eq!(
            groups(ROW_GROUP_BYTES),
            (1, rows),
            "small data: one row group"
        );
        assert_eq!(
            groups(0),
            (chunks.len(), rows),
            "limit 0: a group per chunk"
        );
    }

    #[test]
    fn parquet_pages_of_an_open_row_group_are_on_disk_not_on_the_heap() {
        // one row group for the whole run, so that every finished page stays in the store
        let all = lines(400);
        let chunks: Vec<Tables> = all.chunks(100).map(|c| build(c).1).collect();
        let dir = temp_dir("spill");
        let mut w = TableWriters::create(&dir, Format::Parquet)
            .unwrap()
            .with_row_group_bytes(usize::MAX);
        for c in &chunks {
            w.write(c).unwrap();
        }
        let (_, _, sink) = w
            .sinks
            .iter()
            .find(|(t, _, _)| *t == Table::Findings)
            .unwrap();
        let Sink::Parquet(findings) = sink else {
            panic!("findings is written as Parquet")
        };
        // The same batches through the parquet crate's default page store (pages on the heap
        // until the row group is written out), with the same settings: its memory holds the
        // finished pages on top of the column encoders' buffers.
        let mut on_heap = ArrowWriter::try_new(
            Vec::new(),
            Table::Findings.schema(),
            Some(parquet_properties()),
        )
        .unwrap();
        for c in &chunks {
            on_heap.write(&c.findings).unwrap();
        }
        let spilled = findings.memory_size();
        let kept = on_heap.memory_size();
        assert!(
            spilled + (64 << 10) < kept,
            "{spilled} bytes in memory with the pages spilled, {kept} with the pages kept"
        );
        w.finish().unwrap();
        // the spilled pages come back into the file: the same rows, and no spill file is left
        let file = File::open(dir.join("findings.parquet")).unwrap();
        let read: Vec<RecordBatch> = ParquetRecordBatchReaderBuilder::try_new(file)
            .unwrap()
            .build()
            .unwrap()
            .map(|b| {
                let b = b.unwrap();
                RecordBatch::try_new(Table::Findings.schema(), b.columns().to_vec()).unwrap()
            })
            .collect();
        let written: Vec<RecordBatch> = chunks.iter().map(|c| c.findings.clone()).collect();
        assert_eq!(
            concat(Table::Findings, &read),
            concat(Table::Findings, &written)
        );
        // pages of about PAGE_ROWS rows (the default, 20,000, would put this whole run's
        // findings in one page per column, its dictionary indices buffered until then)
        let reader =
            SerializedFileReader::new(File::open(dir.join("findings.parquet")).unwrap()).unwrap();
        let group = reader.get_row_group(0).unwrap();
        assert!(group.metadata().num_rows() > i64::try_from(PAGE_ROWS).unwrap());
        let mut data_pages = 0;
        for (i, column) in group.metadata().columns().iter().enumerate() {
            if column.column_descr().max_rep_level() > 0 {
                continue;
            }
            for page in group.get_column_page_reader(i).unwrap() {
                let page = page.unwrap();
                if page.page_type() == PageType::DATA_PAGE {
                    data_pages += 1;
                    let values = usize::try_from(page.num_values()).unwrap();
                    // checked between the writer's batches of 1,024 values: a best-effort limit
                    assert!(
                        values <= PAGE_ROWS + 1024,
                        "{}: {values}",
                        column.column_path()
                    );
                }
            }
        }
        assert!(data_pages > 0);
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        let mut want: Vec<String> = Table::ALL
            .iter()
            .map(|t| format!("{}.parquet", t.name()))
            .collect();
        want.sort();
        assert_eq!(names, want);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn describe_lists_every_column() {
        let text = describe();
        for table in Table::ALL {
            assert!(text.contains(&format!("## `{}`", table.name())));
            for c in table.columns() {
                assert!(text.contains(&format!("| `{}` |", c.name)), "{}", c.name);
            }
        }
    }
}
