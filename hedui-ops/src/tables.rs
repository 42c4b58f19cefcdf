//! Case documents from office tables, and back: operation `cases_from_tables` builds a
//! [`Case`] per household row from tables of households, members, supporters, authorization
//! letters and their signatures, entrustment letters, pre-checks, departments' answers and
//! their facts and offline investigations, joined by the case number (案件编号); operation
//! `cases_to_tables` writes cases into the same tables.
//!
//! The layout ([`TABLES`]) is the one definition: `docs/tables.md` and the Excel template
//! are generated from it. Every cell is text; a column's [`CellKind`] says how the text
//! becomes a value of the case document (a number, yes or no, a date, an instant, a list).
//! Every bad row gives a [`TableError`] that names the table, the row (as a spreadsheet
//! counts it: the header is row 1) and the column, with a stable code; the case the row
//! belongs to is then left out, every other case is still built. An error of the assembled
//! case document (a malformed resident ID, an unknown category) keeps the core's code and is
//! traced back from its JSON path to the cell it came from.

use std::collections::HashMap;

use hedui_core::{Case, Error, error::InputError};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::failure::Failure;
use crate::json;

/// How the text of a cell becomes a value of the case document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CellKind {
    /// Text as it is (codes, names, resident IDs, enum values such as `spouse`).
    Text,
    /// A whole number (`12`, also `12.0` as spreadsheets store numbers).
    Integer,
    /// Yes or no: `是`/`否`, `true`/`false`, `1`/`0`, `y`/`n`.
    Boolean,
    /// A date `YYYY-MM-DD` (a midnight time after it, as spreadsheets write dates, is dropped).
    Date,
    /// An instant in RFC 3339; a time without an offset (`2026-07-06 08:30`) is Beijing time.
    Instant,
    /// A list of text items separated by `;` or `；`.
    List,
    /// A list of people by operator id and name, each `OPERATOR_ID:NAME` (`：` too), separated
    /// by `;` or `；` (a field visit's investigators, R7).
    People,
}

/// One column of a case table.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Column {
    /// English column name.
    pub name: &'static str,
    /// Chinese header, as in the Excel template.
    pub header: &'static str,
    /// Where the value goes in the row's object of the case document (`guardian.id`); `None`
    /// for a join key that is not part of the document.
    pub field: Option<&'static str>,
    /// How the text becomes a value.
    pub kind: CellKind,
    /// Whether the case document needs a value (an empty cell is then an error).
    pub required: bool,
    /// What the column holds.
    pub doc: &'static str,
    /// The values an enumerated column takes (empty for any other column): a cell holds the
    /// code or the Chinese label (or one of its other names); a list column holds them
    /// separated by `;`.
    pub choices: &'static [Choice],
}

/// One value of an enumerated column: the case document's code, the Chinese label and the
/// other names offices write for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Choice {
    /// The code of the case document (`spouse`).
    pub code: &'static str,
    /// The Chinese label, as the report prints it where it prints one (`配偶`).
    pub label: &'static str,
    /// Other Chinese names read as the same value (`低保` for 最低生活保障).
    pub aliases: &'static [&'static str],
}

impl Choice {
    /// Whether `text` names this value: its code (in any case), its label or an alias.
    fn names(&self, text: &str) -> bool {
        self.code.eq_ignore_ascii_case(text) || self.label == text || self.aliases.contains(&text)
    }
}

/// How [`cases_to_tables_with`] writes the cells of enumerated columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Labels {
    /// The case document's codes (`spouse`).
    #[default]
    Codes,
    /// The Chinese labels (`配偶`), as an office fills the template.
    Chinese,
}

/// Where the rows of a table go in a case document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Anchor {
    Household,
    Members,
    Supporters,
    Authorization,
    Signatures,
    LapseEvents,
    Entrustment,
    PreCheck,
    Responses,
    Facts,
    Offline,
}

/// One table of the layout.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Table {
    /// English table name.
    pub name: &'static str,
    /// Chinese sheet name, as in the Excel template.
    pub sheet: &'static str,
    /// One row per what.
    pub doc: &'static str,
    /// The columns, the case number first.
    pub columns: &'static [Column],
    #[serde(skip)]
    anchor: Anchor,
}

const fn col(
    name: &'static str,
    header: &'static str,
    field: &'static str,
    kind: CellKind,
    required: bool,
    doc: &'static str,
) -> Column {
    Column {
        name,
        header,
        field: Some(field),
        kind,
        required,
        doc,
        choices: &[],
    }
}

impl Column {
    /// The column with the values it takes.
    const fn of(self, choices: &'static [Choice]) -> Column {
        Column { choices, ..self }
    }
}

const fn ch(code: &'static str, label: &'static str) -> Choice {
    Choice {
        code,
        label,
        aliases: &[],
    }
}

const fn cha(code: &'static str, label: &'static str, aliases: &'static [&'static str]) -> Choice {
    Choice {
        code,
        label,
        aliases,
    }
}

/// Agency levels 核对机构层级 (`AgencyLevel`, labels as the report prints them).
pub const AGENCY_LEVELS: &[Choice] = &[
    cha("county", "县级", &["县", "区县级"]),
    cha("city", "市级", &["市"]),
    cha("province", "省级", &["省"]),
    cha("ministry", "部级", &["部"]),
];

/// Programmes 救助项目.
pub const PROGRAMMES: &[Choice] = &[
    cha("minimum_living_allowance", "最低生活保障", &["低保"]),
    cha(
        "destitute_persons",
        "特困人员救助供养",
        &["特困", "特困供养"],
    ),
    ch("temporary_assistance", "临时救助"),
    cha("low_income_margin", "低保边缘家庭", &["低保边缘"]),
    cha(
        "essential_spending_hardship",
        "刚性支出困难家庭",
        &["刚性支出困难"],
    ),
];

/// Relations to the applicant 与申请人关系.
pub const RELATIONS: &[Choice] = &[
    cha("applicant", "申请人", &["本人", "申请人本人"]),
    ch("spouse", "配偶"),
    cha("child", "子女", &["子", "女", "儿子", "女儿"]),
    cha("parent", "父母", &["父亲", "母亲"]),
    cha(
        "grandparent",
        "祖父母/外祖父母",
        &["祖父母", "外祖父母", "祖父母、外祖父母"],
    ),
    cha(
        "grandchild",
        "孙子女/外孙子女",
        &["孙子女", "外孙子女", "孙子女、外孙子女"],
    ),
    ch("sibling", "兄弟姐妹"),
    cha("child_in_law", "儿媳/女婿", &["儿媳", "女婿", "儿媳、女婿"]),
    ch("other", "其他"),
];

/// Civil capacities 民事行为能力.
pub const CAPACITIES: &[Choice] = &[
    cha("full", "完全民事行为能力", &["完全"]),
    cha("limited", "限制民事行为能力", &["限制"]),
    cha("none", "无民事行为能力", &["无"]),
];

/// Support duties 义务类型.
pub const DUTIES: &[Choice] = &[
    ch("elder", "赡养"),
    ch("spousal", "扶养"),
    ch("child", "抚养"),
];

/// Events that make an authorization lapse 授权失效事件 (labels as the report prints them).
pub const LAPSE_KINDS: &[Choice] = &[
    ch("membership_change", "家庭成员变化"),
    ch("reapplication", "重新申请"),
    ch("refusal", "申请被拒"),
];

/// Purposes of an entrustment 核对事由 (labels as the report prints them).
pub const PURPOSES: &[Choice] = &[
    ch("new_application", "新申请核对"),
    ch("periodic_recheck", "定期复核"),
    ch("appeal_recheck", "申诉复核"),
    ch("emergency_follow_up", "先行救助后补核对"),
];

/// Data categories 数据类别 (labels as the report prints them).
pub const CATEGORIES: &[Choice] = &[
    ch("household_registration", "户籍"),
    ch("vehicles", "车辆"),
    ch("social_insurance", "社保"),
    ch("real_estate", "不动产"),
    ch("business_registration", "市场主体"),
    ch("tax", "税务"),
    cha("housing_provident_fund", "住房公积金", &["公积金"]),
    cha("bank_deposits", "银行存款", &["存款"]),
    cha("securities", "证券、理财", &["证券理财", "证券"]),
    ch("commercial_insurance", "商业保险"),
    ch("public_payroll", "财政供养"),
    ch("prisoners", "服刑人员"),
    ch("marriage", "婚姻"),
    ch("funeral", "殡葬"),
    ch("orphans", "孤儿"),
    ch("disability_subsidies", "残疾人两项补贴"),
];

/// Kinds of fact 事实类型 (every kind of the case document's facts).
pub const FACT_KINDS: &[Choice] = &[
    ch("household_registration", "户籍登记"),
    ch("vehicle", "车辆"),
    ch("income", "收入"),
    ch("employment", "就业参保"),
    ch("real_estate", "不动产"),
    ch("property_transaction", "不动产交易"),
    ch("tax_paid", "已缴税款"),
    ch("provident_fund_withdrawal", "公积金提取"),
    ch("orphan_status", "孤儿"),
    ch("business", "市场主体"),
    ch("provident_fund", "住房公积金"),
    ch("deposit", "银行存款"),
    ch("securities", "证券、理财"),
    ch("insurance_policy", "商业保险"),
    ch("imprisonment", "服刑"),
    ch("marriage_event", "婚姻登记"),
    ch("death", "死亡"),
];

/// The four national income types 收入类型 (labels as the report prints them).
pub const INCOME_TYPES: &[Choice] = &[
    cha("wages", "工资性收入", &["工资性"]),
    cha("business_net", "经营净收入", &["经营净"]),
    cha("property_net", "财产净收入", &["财产净"]),
    cha("transfer_net", "转移净收入", &["转移净"]),
];

/// Uses of a property 用途.
pub const USAGES: &[Choice] = &[
    ch("residential", "住宅"),
    ch("commercial", "商业"),
    ch("other", "其他"),
];

/// Roles in a business 身份 (labels as the report prints them).
pub const BUSINESS_ROLES: &[Choice] = &[
    cha("sole_trader", "个体工商户经营者", &["个体工商户"]),
    ch("legal_representative", "法定代表人"),
    ch("shareholder", "股东"),
];

/// Marriage registration events 婚姻事件.
pub const MARRIAGE_EVENTS: &[Choice] = &[
    cha("married", "结婚登记", &["结婚"]),
    cha("divorced", "离婚登记", &["离婚"]),
];

/// What the `event` column of facts holds: marriage events and property-transaction events.
pub const EVENTS: &[Choice] = &[
    cha("married", "结婚登记", &["结婚"]),
    cha("divorced", "离婚登记", &["离婚"]),
    ch("acquired", "取得"),
    ch("transferred", "转让"),
];

/// Offline investigation methods 核查方式 (labels as the report prints them).
pub const OFFLINE_METHODS: &[Choice] = &[
    ch("field_visit", "实地查看"),
    ch("neighbour_interview", "邻里访问"),
    ch("letter_evidence", "信函索证"),
];

use CellKind::{
    Boolean as B, Date as D, Instant as T, Integer as I, List as L, People as P, Text as X,
};

/// The case number column that joins every table but the households to its case.
const CASE_KEY: Column = Column {
    name: "case_id",
    header: "案件编号",
    field: None,
    kind: X,
    required: true,
    doc: "case number of the household row the row belongs to",
    choices: &[],
};

/// The answer number column that joins a fact to its answer.
const RESPONSE_KEY: Column = Column {
    name: "response_no",
    header: "反馈序号",
    field: None,
    kind: I,
    required: true,
    doc: "number of the answer within its case (1, 2, ...)",
    choices: &[],
};

/// Every table of the layout, in the order they are read.
#[rustfmt::skip]
pub const TABLES: &[Table] = &[
    Table {
        name: "households",
        sheet: "家庭",
        doc: "case (one household to verify)",
        anchor: Anchor::Household,
        columns: &[
            col("case_id", "案件编号", "case_id", X, true, "case number, the key of every table"),
            col("agency_id", "核对机构代码", "agency.id", X, true, "the verifying agency's id"),
            col("agency_name", "核对机构名称", "agency.name", X, true, "the agency's name"),
            col("agency_level", "核对机构层级", "agency.level", X, true, "the agency's level").of(AGENCY_LEVELS),
            col("agency_region", "核对机构行政区划代码", "agency.region", X, true, "the agency's 6-digit region code"),
            col("household_id", "家庭编号", "household.id", X, true, "household id"),
            col("region", "行政区划代码", "household.region", X, true, "the household's 6-digit region code"),
            col("programme", "救助项目", "household.programme", X, true, "the programme applied for").of(PROGRAMMES),
            col("queries_sent_at", "查询发出时间", "queries_sent_at", T, true, "when the queries went out"),
            col("declared_financial_assets_fen", "申报金融资产（分）", "declaration.financial_assets_fen", I, false, "declared financial assets in fen"),
            col("declared_income_fen", "申报收入（分）", "declaration.income_fen", I, false, "declared income over the window in fen"),
            col("declared_real_estate_count", "申报房产数", "declaration.real_estate_count", I, false, "declared properties"),
            col("declared_vehicle_count", "申报车辆数", "declaration.vehicle_count", I, false, "declared vehicles"),
        ],
    },
    Table {
        name: "members",
        sheet: "家庭成员",
        doc: "household member",
        anchor: Anchor::Members,
        columns: &[
            CASE_KEY,
            col("id", "身份证号", "id", X, true, "resident ID"),
            col("name", "姓名", "name", X, true, "full name"),
            col("relation", "与申请人关系", "relation", X, true, "relation to the applicant").of(RELATIONS),
            col("capacity", "民事行为能力", "capacity", X, true, "civil capacity").of(CAPACITIES),
            col("co_resident", "是否共同生活", "co_resident", B, false, "lives with the household (empty: yes)"),
            col("guardian_id", "监护人身份证号", "guardian.id", X, false, "guardian's resident ID, for a member without full capacity"),
            col("guardian_name", "监护人姓名", "guardian.name", X, false, "guardian's name"),
        ],
    },
    Table {
        name: "supporters",
        sheet: "赡养扶养抚养义务人",
        doc: "legal supporter living outside the household",
        anchor: Anchor::Supporters,
        columns: &[
            CASE_KEY,
            col("id", "身份证号", "id", X, true, "resident ID"),
            col("name", "姓名", "name", X, true, "full name"),
            col("duty", "义务类型", "duty", X, true, "the duty of support").of(DUTIES),
            col("spouse_id", "配偶身份证号", "spouse.id", X, false, "the supporter's spouse's resident ID"),
            col("spouse_name", "配偶姓名", "spouse.name", X, false, "the spouse's name"),
        ],
    },
    Table {
        name: "authorizations",
        sheet: "授权书",
        doc: "authorization letter 核对授权书 (at most one per case)",
        anchor: Anchor::Authorization,
        columns: &[
            CASE_KEY,
            col("number", "授权书编号", "number", X, true, "letter number"),
            col("household_id", "家庭编号", "household_id", X, true, "household the letter is for"),
            col("categories", "授权数据类别", "categories", L, true, "data categories authorized, separated by `;`").of(CATEGORIES),
            col("signed_on", "签署日期", "signed_on", D, true, "date signed"),
            col("letter_digest", "授权书摘要", "letter_digest", X, true, "SHA-256 of the scanned letter (64 hex digits)"),
        ],
    },
    Table {
        name: "signatures",
        sheet: "授权签字",
        doc: "signature on the authorization letter",
        anchor: Anchor::Signatures,
        columns: &[
            CASE_KEY,
            col("signer_id", "签字人身份证号", "signer.id", X, true, "signer's resident ID"),
            col("signer_name", "签字人姓名", "signer.name", X, true, "signer's name"),
            col("on_behalf_of", "代签成员身份证号", "on_behalf_of", X, false, "the member a guardian signed for"),
        ],
    },
    Table {
        name: "lapse_events",
        sheet: "授权失效事件",
        doc: "event that makes the authorization lapse",
        anchor: Anchor::LapseEvents,
        columns: &[
            CASE_KEY,
            col("kind", "事件类型", "kind", X, true, "what happened").of(LAPSE_KINDS),
            col("on", "日期", "on", D, true, "date of the event"),
        ],
    },
    Table {
        name: "entrustments",
        sheet: "委托书",
        doc: "entrustment letter 核对委托书 (at most one per case)",
        anchor: Anchor::Entrustment,
        columns: &[
            CASE_KEY,
            col("number", "委托书编号", "number", X, true, "letter number"),
            col("batch", "批次编号", "batch", X, false, "batch number 核对批次"),
            col("unit_name", "委托单位名称", "unit.name", X, true, "entrusting unit"),
            col("unit_credit_code", "委托单位统一社会信用代码", "unit.credit_code", X, true, "its credit code"),
            col("unit_region", "委托单位行政区划代码", "unit.region", X, true, "its region code"),
            col("agency_id", "受托核对机构代码", "agency_id", X, true, "agency the letter is addressed to"),
            col("purpose", "核对事由", "purpose", X, true, "why the check is entrusted").of(PURPOSES),
            col("programme", "救助项目", "programme", X, true, "programme").of(PROGRAMMES),
            col("household_id", "家庭编号", "household_id", X, true, "household named"),
            col("subjects", "核对对象身份证号", "subjects", L, true, "members to verify, separated by `;`"),
            col("authorization_number", "授权书编号", "authorization_number", X, true, "the authorization letter it rests on"),
            col("categories", "委托数据类别", "categories", L, true, "data categories requested, separated by `;`").of(CATEGORIES),
            col("issued_on", "出具日期", "issued_on", D, true, "date issued"),
            col("requested_on", "核对申请日期", "requested_on", D, false, "date the entrusting unit requested the check (Art 17 working-day limit)"),
            col("valid_until", "有效期至", "valid_until", D, false, "last day in force"),
            col("withdrawn_on", "撤回日期", "withdrawn_on", D, false, "date withdrawn"),
            col("letter_digest", "委托书摘要", "letter_digest", X, true, "SHA-256 of the scanned letter"),
            col("appeal_disputed_report", "申诉所涉报告编号", "appeal.disputed_report", X, false, "appeal recheck: the disputed report's number"),
            col("appeal_disputed_digest", "申诉所涉报告摘要", "appeal.disputed_digest", X, false, "its digest"),
            col("appeal_reason", "申诉理由", "appeal.reason", X, false, "the reason given"),
            col("relief_reference", "先行救助编号", "relief_reference", X, false, "emergency follow-up: the relief ledger entry"),
        ],
    },
    Table {
        name: "prechecks",
        sheet: "核对前检查",
        doc: "pre-check by the initiating agency (at most one per case)",
        anchor: Anchor::PreCheck,
        columns: &[
            CASE_KEY,
            col("entrustment_number", "委托书编号", "entrustment_number", X, true, "entrustment checked"),
            col("agency_id", "核对机构代码", "agency_id", X, true, "the initiating agency"),
            col("officer_id", "经办人工号", "officer.operator_id", X, true, "responsible officer's operator id"),
            col("officer_name", "经办人姓名", "officer.name", X, true, "the officer's name"),
            col("checked_at", "检查时间", "checked_at", T, true, "when"),
            col("authorization_valid", "授权有效", "authorization_valid", B, true, "authorization found valid"),
            col("business_compliant", "业务合规", "business_compliant", B, true, "request found compliant"),
            col("findings", "检查意见", "findings", L, false, "what the officer found, separated by `;`"),
        ],
    },
    Table {
        name: "responses",
        sheet: "部门反馈",
        doc: "a department's answer for one category about one member",
        anchor: Anchor::Responses,
        columns: &[
            CASE_KEY,
            RESPONSE_KEY,
            col("category", "数据类别", "category", X, true, "data category").of(CATEGORIES),
            col("level", "反馈层级", "level", X, true, "level whose channel answered").of(AGENCY_LEVELS),
            col("subject", "核对对象身份证号", "subject", X, true, "member the answer is about"),
            col("responded_at", "反馈时间", "responded_at", T, true, "when the answer arrived"),
            col("channel", "核对方式", "channel", X, false, "`offline_comparison` for the agency's own offline data comparison (线下数据核对); empty for a department query"),
        ],
    },
    Table {
        name: "facts",
        sheet: "反馈事实",
        doc: "one fact of an answer (an answer without fact rows means \"no record\")",
        anchor: Anchor::Facts,
        columns: &[
            CASE_KEY,
            RESPONSE_KEY,
            col("kind", "事实类型", "kind", X, true, "the kind of fact; fill only the columns of that kind").of(FACT_KINDS),
            col("registered_members", "户籍登记人数", "registered_members", I, false, "household_registration: people on the registration"),
            col("address", "户籍地址", "address", X, false, "household_registration: registered address"),
            col("relation_to_head", "与户主关系", "relation_to_head", X, false, "household_registration: relation to the head of the registered household"),
            col("death_on", "死亡注销日期", "death_on", D, false, "household_registration: registration cancelled for death on"),
            col("vehicle_type", "车辆类型", "vehicle_type", X, false, "vehicle: type"),
            col("commercial", "营运车辆", "commercial", B, false, "vehicle: commercial"),
            col("registered_on", "登记日期", "registered_on", D, false, "vehicle: registration date"),
            col("plate_masked", "号牌（脱敏）", "plate_masked", X, false, "vehicle: masked plate"),
            col("item", "收入项目", "item", X, false, "income: what it is"),
            col("income_type", "收入类型", "income_type", X, false, "income: its national type").of(INCOME_TYPES),
            col("paid_on", "发放日期", "paid_on", D, false, "income, tax_paid: payment date"),
            col("amount_fen", "金额（分）", "amount_fen", I, false, "income, tax_paid, provident_fund_withdrawal: amount in fen"),
            col("tax", "税种", "tax", X, false, "tax_paid: the tax"),
            col("price_fen", "成交价格（分）", "price_fen", I, false, "property_transaction: price in fen"),
            col("reason", "提取原因", "reason", X, false, "provident_fund_withdrawal: reason"),
            col("exempt", "豁免收入", "exempt", B, false, "income: exempt"),
            col("employer", "工作单位", "employer", X, false, "employment: employer"),
            col("contribution_base_fen", "缴费基数（分）", "contribution_base_fen", I, false, "employment: contribution base in fen"),
            col("location", "坐落", "location", X, false, "real_estate: location"),
            col("area_m2_x100", "面积（0.01平方米）", "area_m2_x100", I, false, "real_estate: area in hundredths of m²"),
            col("usage", "用途", "usage", X, false, "real_estate: use").of(USAGES),
            col("acquired_on", "取得日期", "acquired_on", D, false, "real_estate: date acquired"),
            col("credit_code", "统一社会信用代码", "credit_code", X, false, "business: credit code"),
            col("name", "市场主体名称", "name", X, false, "business: name"),
            col("role", "身份", "role", X, false, "business: the member's role").of(BUSINESS_ROLES),
            col("registered_capital_fen", "注册资本（分）", "registered_capital_fen", I, false, "business: registered capital in fen"),
            col("status", "经营状态", "status", X, false, "business: status"),
            col("balance_fen", "余额（分）", "balance_fen", I, false, "provident_fund, deposit: balance in fen"),
            col("monthly_contribution_fen", "月缴存额（分）", "monthly_contribution_fen", I, false, "provident_fund: monthly contribution in fen"),
            col("institution", "机构", "institution", X, false, "deposit, securities: institution"),
            col("over_limit", "超出限额", "over_limit", B, false, "deposit: over the limit"),
            col("market_value_fen", "市值（分）", "market_value_fen", I, false, "securities: market value in fen"),
            col("insurer", "保险公司", "insurer", X, false, "insurance_policy: insurer"),
            col("product", "险种", "product", X, false, "insurance_policy: product"),
            col("cash_value_fen", "现金价值（分）", "cash_value_fen", I, false, "insurance_policy: cash value in fen"),
            col("since", "起始日期", "since", D, false, "imprisonment, orphan_status: since"),
            col("until", "截止日期", "until", D, false, "imprisonment, orphan_status: until"),
            col("event", "婚姻事件", "event", X, false, "marriage_event: the event; property_transaction: acquired or transferred (the header predates transactions and is kept so that filled templates still read)").of(EVENTS),
            col("on", "日期", "on", D, false, "marriage_event, death, property_transaction, provident_fund_withdrawal: date"),
        ],
    },
    Table {
        name: "offline_results",
        sheet: "线下核查",
        doc: "offline investigation returned by the entrusting unit (R7)",
        anchor: Anchor::Offline,
        columns: &[
            CASE_KEY,
            col("category", "数据类别", "category", X, true, "category investigated").of(CATEGORIES),
            col("method", "核查方式", "method", X, true, "how it was investigated").of(OFFLINE_METHODS),
            col("on", "日期", "on", D, true, "date"),
            col("investigators", "调查人员", "investigators", P, true, "investigators as `OPERATOR_ID:NAME` (operator id, then name), separated by `;`"),
            col("members_present", "在场成员身份证号", "members_present", L, false, "members present, separated by `;`"),
            col("signatures", "签字成员身份证号", "signatures", L, false, "members present who signed the record, separated by `;`"),
            col("summary", "核查情况", "summary", X, true, "what was found"),
            col("attachment_digests", "附件摘要", "attachment_digests", L, false, "SHA-256 of attachments, separated by `;`"),
        ],
    },
];

/// The layout's table named `name` (English) or `sheet` (Chinese).
pub fn table(name: &str) -> Option<&'static Table> {
    let name = name.trim();
    TABLES.iter().find(|t| t.name == name || t.sheet == name)
}

/// A table as text cells: its name, its header row and its rows (`None` for an empty cell).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawTable {
    /// The table's English name or Chinese sheet name.
    pub name: String,
    /// Column headers (English names or Chinese headers).
    pub headers: Vec<String>,
    /// Rows, each as long as `headers` (a shorter row has empty cells at its end).
    pub rows: Vec<Vec<Option<String>>>,
}

/// An error of a table row, where it was found.
#[derive(Debug, Clone)]
pub struct TableError {
    /// The error, with its stable code.
    pub error: Error,
    /// The table's English name (as given, for a table the layout does not have).
    pub table: String,
    /// The table's Chinese sheet name, where the layout has the table.
    pub sheet: Option<&'static str>,
    /// The row as a spreadsheet counts it (the header is row 1, the first data row 2).
    pub row: Option<u64>,
    /// The column's English name, where one column is at fault.
    pub column: Option<String>,
    /// The column's Chinese header.
    pub header: Option<&'static str>,
    /// The case number of the row, where it has one.
    pub case_id: Option<String>,
    /// The JSON path in the case document, for an error of the assembled case.
    pub path: Option<String>,
}

impl TableError {
    /// Stable code: the core's.
    pub fn code(&self) -> &'static str {
        self.error.code()
    }

    /// The core's error detail plus `table`, `sheet`, `row`, `column`, `header`, `case_id`
    /// (and the JSON `path` of an error of the assembled case), as a JSON object.
    pub fn detail(&self) -> Value {
        let mut detail = self.error.detail();
        // the assembled case is a hidden copy: name the field, not a column of its text
        if let std::borrow::Cow::Owned(m) =
            crate::failure::message_at_path(&detail.message, detail.path.as_deref())
        {
            detail.message = m;
        }
        let mut v = serde_json::to_value(detail).unwrap_or(Value::Null);
        if let Value::Object(m) = &mut v {
            m.insert("table".into(), self.table.clone().into());
            m.insert("sheet".into(), self.sheet.into());
            m.insert("row".into(), self.row.into());
            m.insert("column".into(), self.column.clone().into());
            m.insert("header".into(), self.header.into());
            m.insert("case_id".into(), self.case_id.clone().into());
            if self.path.is_some() {
                m.insert("path".into(), self.path.clone().into());
            }
        }
        v
    }
}

/// What operation `cases_from_tables` returns.
#[derive(Debug, Default)]
pub struct TableCases {
    /// One case per household row whose rows are all good, in household row order.
    pub cases: Vec<Case>,
    /// Every bad row, table by table in layout order, rows in order.
    pub errors: Vec<TableError>,
}

/// Where a value of a draft case came from.
#[derive(Debug, Clone, Copy)]
struct Loc {
    table: &'static Table,
    row: u64,
    column: Option<&'static Column>,
}

/// A case being assembled.
#[derive(Debug)]
struct Draft {
    doc: Map<String, Value>,
    /// JSON path → cell or row (a row's path has no column).
    locs: HashMap<String, Loc>,
    /// Answer number → index in `responses`.
    responses: HashMap<i64, usize>,
    failed: bool,
}

/// Reads the text of a cell as its column's kind; `Ok(None)` for an empty cell.
fn cell_value(kind: CellKind, text: Option<&str>) -> Result<Option<Value>, String> {
    let text = text.map(str::trim).unwrap_or("");
    if kind == CellKind::People {
        let mut people = Vec::new();
        for item in text
            .split([';', '；'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let (id, name) = item
                .split_once([':', '：'])
                .map(|(i, n)| (i.trim(), n.trim()))
                .filter(|(i, n)| !i.is_empty() && !n.is_empty())
                .ok_or_else(|| format!("`{item}` is not OPERATOR_ID:NAME"))?;
            let mut person = Map::new();
            person.insert("operator_id".into(), Value::String(id.to_owned()));
            person.insert("name".into(), Value::String(name.to_owned()));
            people.push(Value::Object(person));
        }
        return Ok(Some(Value::Array(people)));
    }
    if kind == CellKind::List {
        let items: Vec<Value> = text
            .split([';', '；'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| Value::String(s.to_owned()))
            .collect();
        return Ok(Some(Value::Array(items)));
    }
    if text.is_empty() {
        return Ok(None);
    }
    let v = match kind {
        CellKind::Text | CellKind::List | CellKind::People => Value::String(text.to_owned()),
        CellKind::Integer => Value::from(integer(text)?),
        CellKind::Boolean => Value::Bool(boolean(text)?),
        CellKind::Date => Value::String(
            text.strip_suffix(" 00:00:00")
                .or_else(|| text.strip_suffix("T00:00:00"))
                .unwrap_or(text)
                .to_owned(),
        ),
        CellKind::Instant => Value::String(instant(text)),
    };
    Ok(Some(v))
}

/// An enumerated column's value as the case document's codes: each text (one, or each item
/// of a list) is a code, a label or an alias of one of `choices`; other columns' values are
/// kept as they are.
fn choose(choices: &[Choice], v: Value) -> Result<Value, String> {
    if choices.is_empty() {
        return Ok(v);
    }
    let one = |text: &str| {
        choices
            .iter()
            .find(|c| c.names(text))
            .map(|c| Value::String(c.code.to_owned()))
            .ok_or_else(|| format!("`{text}` is not one of {}", accepted(choices)))
    };
    match v {
        Value::String(s) => one(&s),
        Value::Array(items) => items
            .iter()
            .map(|i| match i {
                Value::String(s) => one(s),
                other => Ok(other.clone()),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        other => Ok(other),
    }
}

/// The values a column accepts, for an error message: `配偶 (spouse), 子女 (child), ...`.
fn accepted(choices: &[Choice]) -> String {
    choices
        .iter()
        .map(|c| format!("{} ({})", c.label, c.code))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A code of the case document as its Chinese label (each item of a list), for an
/// enumerated column; anything else as it is.
fn relabel(choices: &[Choice], v: &Value) -> Value {
    let one = |s: &str| {
        Value::String(
            choices
                .iter()
                .find(|c| c.code == s)
                .map_or(s, |c| c.label)
                .to_owned(),
        )
    };
    match v {
        Value::String(s) => one(s),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|i| match i {
                    Value::String(s) => one(s),
                    other => other.clone(),
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

fn integer(text: &str) -> Result<i64, String> {
    if let Ok(n) = text.parse::<i64>() {
        return Ok(n);
    }
    // a spreadsheet's number: `12.0`, within the range a double holds exactly
    match text.parse::<f64>() {
        Ok(f) if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 => Ok(f as i64),
        _ => Err(format!("`{text}` is not a whole number")),
    }
}

fn boolean(text: &str) -> Result<bool, String> {
    match text.to_lowercase().as_str() {
        "是" | "true" | "1" | "y" | "yes" => Ok(true),
        "否" | "false" | "0" | "n" | "no" => Ok(false),
        _ => Err(format!("`{text}` is not yes or no (是/否, true/false)")),
    }
}

/// An instant's text: a date and time without an offset is Beijing time (`+08:00`).
fn instant(text: &str) -> String {
    let mut t = text.replacen(' ', "T", 1);
    let has_offset = t.get(10..).is_some_and(|rest| {
        rest.ends_with('Z') || rest.ends_with('z') || rest.contains('+') || rest.contains('-')
    });
    if has_offset || t.len() < 16 {
        return t;
    }
    if t.len() == 16 {
        t.push_str(":00");
    }
    t.push_str("+08:00");
    t
}

/// Sets `value` at the dotted `field` of `obj`, making the objects on the way.
fn put(obj: &mut Map<String, Value>, field: &str, value: Value) {
    match field.split_once('.') {
        None => {
            obj.insert(field.to_owned(), value);
        }
        Some((head, rest)) => {
            let inner = obj
                .entry(head.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if !inner.is_object() {
                *inner = Value::Object(Map::new());
            }
            if let Value::Object(inner) = inner {
                put(inner, rest, value);
            }
        }
    }
}

/// The object at the dotted `path` of `obj`, made where missing.
fn object_at<'a>(obj: &'a mut Map<String, Value>, path: &str) -> &'a mut Map<String, Value> {
    let mut cur = obj;
    for part in path.split('.') {
        let slot = cur
            .entry(part.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        if !slot.is_object() {
            *slot = Value::Object(Map::new());
        }
        let Value::Object(next) = slot else {
            unreachable!("made an object just above")
        };
        cur = next;
    }
    cur
}

/// The array `key` of `obj`, made where missing.
fn array_at<'a>(obj: &'a mut Map<String, Value>, key: &str) -> &'a mut Vec<Value> {
    let slot = obj
        .entry(key.to_owned())
        .or_insert_with(|| Value::Array(Vec::new()));
    if !slot.is_array() {
        *slot = Value::Array(Vec::new());
    }
    match slot {
        Value::Array(a) => a,
        _ => unreachable!("made an array just above"),
    }
}

/// The columns of a raw table, matched to the layout: for each header, the column or the
/// header itself when the layout has no such column.
fn match_columns(def: &'static Table, headers: &[String]) -> Vec<Result<&'static Column, String>> {
    headers
        .iter()
        .map(|h| {
            let h = h.trim();
            def.columns
                .iter()
                .find(|c| c.name == h || c.header == h)
                .ok_or_else(|| h.to_owned())
        })
        .collect()
}

/// Operation `cases_from_tables`: one case per household row, assembled from the rows of
/// every table with its case number, and checked as a case document ([`Case::from_json`]).
/// Tables may be given by English name or Chinese sheet name, columns by English name or
/// Chinese header, in any order; tables other than `households` may be left out.
pub fn cases_from_tables(tables: &[RawTable]) -> TableCases {
    let mut errors = Vec::new();
    let mut given: Vec<(&'static Table, &RawTable)> = Vec::new();
    for t in tables {
        match table(&t.name) {
            Some(def) if given.iter().any(|(d, _)| d.name == def.name) => {
                errors.push(TableError {
                    error: Error::Input(InputError::TableDuplicateRow {
                        table: def.name.to_owned(),
                        key: t.name.clone(),
                    }),
                    table: def.name.to_owned(),
                    sheet: Some(def.sheet),
                    row: None,
                    column: None,
                    header: None,
                    case_id: None,
                    path: None,
                });
            }
            Some(def) => given.push((def, t)),
            None => errors.push(TableError {
                error: Error::Input(InputError::TableUnknown {
                    table: t.name.clone(),
                }),
                table: t.name.clone(),
                sheet: None,
                row: None,
                column: None,
                header: None,
                case_id: None,
                path: None,
            }),
        }
    }
    given.sort_by_key(|(def, _)| TABLES.iter().position(|t| t.name == def.name));

    let mut order: Vec<String> = Vec::new();
    let mut drafts: HashMap<String, Draft> = HashMap::new();
    for (def, raw) in given {
        read_table(def, raw, &mut order, &mut drafts, &mut errors);
    }

    let mut cases = Vec::with_capacity(order.len());
    for id in order {
        let Some(draft) = drafts.remove(&id) else {
            continue;
        };
        if draft.failed {
            continue;
        }
        let text = Value::Object(draft.doc).to_string();
        match Case::from_json(&text) {
            Ok(case) => cases.push(case),
            Err(e) => errors.push(locate(e, &id, &draft.locs)),
        }
    }
    TableCases { cases, errors }
}

/// Reads the rows of one table into the drafts.
fn read_table(
    def: &'static Table,
    raw: &RawTable,
    order: &mut Vec<String>,
    drafts: &mut HashMap<String, Draft>,
    errors: &mut Vec<TableError>,
) {
    let columns = match_columns(def, &raw.headers);
    let key_index = columns
        .iter()
        .position(|c| c.as_ref().is_ok_and(|c| c.name == CASE_KEY.name));
    let response_index = columns
        .iter()
        .position(|c| c.as_ref().is_ok_and(|c| c.name == RESPONSE_KEY.name));
    for (i, cells) in raw.rows.iter().enumerate() {
        let row = u64::try_from(i).unwrap_or(u64::MAX).saturating_add(2);
        let here = |error: InputError, column: Option<&'static Column>, case_id: Option<&str>| {
            TableError {
                error: Error::Input(error),
                table: def.name.to_owned(),
                sheet: Some(def.sheet),
                row: Some(row),
                column: column.map(|c| c.name.to_owned()),
                header: column.map(|c| c.header),
                case_id: case_id.map(str::to_owned),
                path: None,
            }
        };
        let cell = |j: usize| cells.get(j).and_then(|c| c.as_deref());
        if cells
            .iter()
            .all(|c| c.as_deref().is_none_or(|s| s.trim().is_empty()))
        {
            continue; // a blank row, as spreadsheets leave them
        }
        let case_id = key_index
            .and_then(cell)
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let Some(case_id) = case_id else {
            errors.push(here(
                InputError::TableMissingKey {
                    table: def.name.to_owned(),
                    column: CASE_KEY.name.to_owned(),
                },
                def.columns.first(),
                None,
            ));
            continue;
        };
        // the row's own cells
        let mut obj = Map::new();
        let mut cell_locs: Vec<(&'static str, &'static Column)> = Vec::new();
        let mut bad = false;
        for (j, c) in columns.iter().enumerate() {
            let text = cell(j);
            match c {
                Err(header) => {
                    if text.is_some_and(|t| !t.trim().is_empty()) {
                        errors.push(TableError {
                            column: Some(header.clone()),
                            ..here(
                                InputError::TableUnknownColumn {
                                    table: def.name.to_owned(),
                                    column: header.clone(),
                                },
                                None,
                                Some(case_id),
                            )
                        });
                        bad = true;
                    }
                }
                Ok(c) => {
                    let Some(field) = c.field else { continue };
                    match cell_value(c.kind, text)
                        .and_then(|v| v.map(|v| choose(c.choices, v)).transpose())
                    {
                        Ok(Some(v)) => {
                            put(&mut obj, field, v);
                            cell_locs.push((field, c));
                        }
                        Ok(None) => {}
                        Err(message) => {
                            errors.push(here(
                                InputError::TableCell {
                                    table: def.name.to_owned(),
                                    column: c.name.to_owned(),
                                    message,
                                },
                                Some(c),
                                Some(case_id),
                            ));
                            bad = true;
                        }
                    }
                }
            }
        }
        let loc = |column| Loc {
            table: def,
            row,
            column,
        };
        if def.anchor == Anchor::Household {
            if drafts.contains_key(case_id) {
                errors.push(here(
                    InputError::TableDuplicateRow {
                        table: def.name.to_owned(),
                        key: case_id.to_owned(),
                    },
                    def.columns.first(),
                    Some(case_id),
                ));
                if let Some(d) = drafts.get_mut(case_id) {
                    d.failed = true;
                }
                continue;
            }
            let mut locs = HashMap::new();
            locs.insert(String::new(), loc(None));
            for (field, c) in &cell_locs {
                locs.insert((*field).to_owned(), loc(Some(*c)));
            }
            array_at(object_at(&mut obj, "household"), "members");
            order.push(case_id.to_owned());
            drafts.insert(
                case_id.to_owned(),
                Draft {
                    doc: obj,
                    locs,
                    responses: HashMap::new(),
                    failed: bad,
                },
            );
            continue;
        }
        let Some(draft) = drafts.get_mut(case_id) else {
            errors.push(here(
                InputError::TableOrphanRow {
                    table: def.name.to_owned(),
                    message: format!("no household row has case number `{case_id}`"),
                },
                def.columns.first(),
                Some(case_id),
            ));
            continue;
        };
        if bad {
            draft.failed = true;
        }
        let response_no = match response_index.map(|j| cell_value(CellKind::Integer, cell(j))) {
            Some(Ok(Some(Value::Number(n)))) => n.as_i64(),
            Some(Err(message)) => {
                errors.push(here(
                    InputError::TableCell {
                        table: def.name.to_owned(),
                        column: RESPONSE_KEY.name.to_owned(),
                        message,
                    },
                    Some(&RESPONSE_KEY),
                    Some(case_id),
                ));
                draft.failed = true;
                continue;
            }
            _ => None,
        };
        let placed = place(def.anchor, draft, obj, response_no);
        let path = match placed {
            Ok(path) => path,
            Err(problem) => {
                let (error, column) = match problem {
                    Problem::Duplicate(key) => (
                        InputError::TableDuplicateRow {
                            table: def.name.to_owned(),
                            key,
                        },
                        def.columns.first(),
                    ),
                    Problem::Orphan(message) => (
                        InputError::TableOrphanRow {
                            table: def.name.to_owned(),
                            message,
                        },
                        def.columns.first(),
                    ),
                    Problem::MissingKey => (
                        InputError::TableMissingKey {
                            table: def.name.to_owned(),
                            column: RESPONSE_KEY.name.to_owned(),
                        },
                        Some(&RESPONSE_KEY),
                    ),
                };
                errors.push(here(error, column, Some(case_id)));
                draft.failed = true;
                continue;
            }
        };
        draft.locs.insert(path.clone(), loc(None));
        for (field, c) in cell_locs {
            draft.locs.insert(format!("{path}.{field}"), loc(Some(c)));
        }
    }
}

/// Why a row could not be placed in its case.
enum Problem {
    Duplicate(String),
    Orphan(String),
    MissingKey,
}

/// The case's authorization letter, which signatures and lapse events need.
fn authorization(doc: &mut Map<String, Value>) -> Result<&mut Map<String, Value>, Problem> {
    match doc.get_mut("authorization") {
        Some(Value::Object(a)) => Ok(a),
        _ => Err(Problem::Orphan(
            "the case has no authorization row".to_owned(),
        )),
    }
}

/// Puts a row's object where its table's rows go; returns its JSON path.
fn place(
    anchor: Anchor,
    draft: &mut Draft,
    mut obj: Map<String, Value>,
    response_no: Option<i64>,
) -> Result<String, Problem> {
    let doc = &mut draft.doc;
    let push = |list: &mut Vec<Value>, prefix: &str, obj| {
        list.push(Value::Object(obj));
        format!("{prefix}[{}]", list.len() - 1)
    };
    let single = |doc: &mut Map<String, Value>, key: &str, obj: Map<String, Value>| {
        if doc.contains_key(key) {
            return Err(Problem::Duplicate(key.to_owned()));
        }
        doc.insert(key.to_owned(), Value::Object(obj));
        Ok(key.to_owned())
    };
    Ok(match anchor {
        Anchor::Household => String::new(),
        Anchor::Members => push(
            array_at(object_at(doc, "household"), "members"),
            "household.members",
            obj,
        ),
        Anchor::Supporters => push(
            array_at(object_at(doc, "household"), "supporters"),
            "household.supporters",
            obj,
        ),
        Anchor::Authorization => {
            obj.insert("signatures".into(), Value::Array(Vec::new()));
            single(doc, "authorization", obj)?
        }
        Anchor::Signatures => push(
            array_at(authorization(doc)?, "signatures"),
            "authorization.signatures",
            obj,
        ),
        Anchor::LapseEvents => push(
            array_at(authorization(doc)?, "lapse_events"),
            "authorization.lapse_events",
            obj,
        ),
        Anchor::Entrustment => single(doc, "entrustment", obj)?,
        Anchor::PreCheck => single(doc, "precheck", obj)?,
        Anchor::Responses => {
            let no = response_no.ok_or(Problem::MissingKey)?;
            if draft.responses.contains_key(&no) {
                return Err(Problem::Duplicate(format!("response_no {no}")));
            }
            obj.insert("facts".into(), Value::Array(Vec::new()));
            let list = array_at(doc, "responses");
            draft.responses.insert(no, list.len());
            push(list, "responses", obj)
        }
        Anchor::Facts => {
            let no = response_no.ok_or(Problem::MissingKey)?;
            let index = *draft.responses.get(&no).ok_or_else(|| {
                Problem::Orphan(format!("the case has no answer with response_no {no}"))
            })?;
            let prefix = format!("responses[{index}].facts");
            let response = array_at(doc, "responses")
                .get_mut(index)
                .and_then(Value::as_object_mut)
                .ok_or_else(|| Problem::Orphan(format!("no answer {no}")))?;
            push(array_at(response, "facts"), &prefix, obj)
        }
        Anchor::Offline => push(array_at(doc, "offline_results"), "offline_results", obj),
    })
}

/// Traces an error of an assembled case back to the row and cell its JSON path came from.
fn locate(error: Error, case_id: &str, locs: &HashMap<String, Loc>) -> TableError {
    let path = error.detail().path;
    let mut found = None;
    if let Some(p) = &path {
        let mut p = p.as_str();
        loop {
            if let Some(loc) = locs.get(p) {
                found = Some(*loc);
                break;
            }
            match p.rfind(['.', '[']) {
                Some(cut) => p = p.get(..cut).unwrap_or(""),
                None if !p.is_empty() => p = "",
                None => break,
            }
        }
    }
    let mut loc = found.or_else(|| locs.get("").copied());
    // `missing field `x``: the column that should have held it
    if let Some(l) = loc.as_mut().filter(|l| l.column.is_none()) {
        let message = error.to_string();
        if let Some(name) = message
            .split("missing field `")
            .nth(1)
            .and_then(|rest| rest.split('`').next())
        {
            l.column = l.table.columns.iter().find(|c| {
                c.field
                    .is_some_and(|f| f == name || f.split('.').next() == Some(name))
            });
        }
    }
    TableError {
        table: loc.map_or("households", |l| l.table.name).to_owned(),
        sheet: loc.map(|l| l.table.sheet),
        row: loc.map(|l| l.row),
        column: loc.and_then(|l| l.column).map(|c| c.name.to_owned()),
        header: loc.and_then(|l| l.column).map(|c| c.header),
        case_id: Some(case_id.to_owned()),
        path,
        error,
    }
}

/// The text of a value in a cell: lists joined by `;`, yes or no as `是`/`否`.
fn cell_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(if *b { "是" } else { "否" }.to_owned()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => Some(
            items
                .iter()
                .map(|i| match i {
                    Value::String(s) => s.clone(),
                    Value::Object(o) => match (o.get("operator_id"), o.get("name")) {
                        (Some(Value::String(id)), Some(Value::String(name))) if o.len() == 2 => {
                            format!("{id}:{name}")
                        }
                        _ => i.to_string(),
                    },
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join(";"),
        ),
        Value::Object(_) => Some(v.to_string()),
    }
}

/// The value at the dotted `field` of `obj`.
fn get<'a>(obj: &'a Value, field: &str) -> Option<&'a Value> {
    field.split('.').try_fold(obj, |v, part| v.get(part))
}

/// One row of `def` from the object `obj` of case `case_id` (answer number `no` where the
/// table has one).
fn row_of(
    def: &Table,
    obj: &Value,
    case_id: &str,
    no: Option<usize>,
    labels: Labels,
) -> Vec<Option<String>> {
    def.columns
        .iter()
        .map(|c| match c.field {
            Some(field) => get(obj, field).and_then(|v| {
                if labels == Labels::Chinese && !c.choices.is_empty() {
                    cell_text(&relabel(c.choices, v))
                } else {
                    cell_text(v)
                }
            }),
            None if c.name == CASE_KEY.name => Some(case_id.to_owned()),
            None => no.map(|n| n.to_string()),
        })
        .collect()
}

fn items(v: Option<&Value>) -> impl Iterator<Item = &Value> {
    v.and_then(Value::as_array).into_iter().flatten()
}

/// Operation `cases_to_tables`: the cases as the layout's tables (every table, with the
/// English column names as headers), in the order [`cases_from_tables`] reads them back to
/// the same cases.
///
/// # Errors
/// [`InputError::TableUncovered`] for a case with a value that no column holds (it would be
/// lost), with the JSON path of the first such value.
pub fn cases_to_tables(cases: &[Case]) -> Result<Vec<RawTable>, Error> {
    cases_to_tables_with(cases, Labels::Codes)
}

/// [`cases_to_tables`], with the cells of enumerated columns (relation, programme, category,
/// ...) written as `labels` says: the codes, or the Chinese labels an office fills in
/// (`配偶`, `最低生活保障`, `户籍;车辆`). [`cases_from_tables`] reads either back to the same
/// cases.
///
/// # Errors
/// As [`cases_to_tables`].
pub fn cases_to_tables_with(cases: &[Case], labels: Labels) -> Result<Vec<RawTable>, Error> {
    let mut out: Vec<RawTable> = TABLES
        .iter()
        .map(|t| RawTable {
            name: t.name.to_owned(),
            headers: t.columns.iter().map(|c| c.name.to_owned()).collect(),
            rows: Vec::new(),
        })
        .collect();
    for case in cases {
        let v = serde_json::to_value(case).map_err(|e| {
            Error::Input(InputError::Inconsistent {
                message: e.to_string(),
            })
        })?;
        let id = case.case_id.as_str();
        let mut one: Vec<RawTable> = out
            .iter()
            .map(|t| RawTable {
                name: t.name.clone(),
                headers: t.headers.clone(),
                rows: Vec::new(),
            })
            .collect();
        for (def, raw) in TABLES.iter().zip(one.iter_mut()) {
            let rows = &mut raw.rows;
            match def.anchor {
                Anchor::Household => rows.push(row_of(def, &v, id, None, labels)),
                Anchor::Members => rows.extend(
                    items(get(&v, "household.members")).map(|o| row_of(def, o, id, None, labels)),
                ),
                Anchor::Supporters => rows.extend(
                    items(get(&v, "household.supporters"))
                        .map(|o| row_of(def, o, id, None, labels)),
                ),
                Anchor::Authorization => {
                    rows.extend(get(&v, "authorization").map(|o| row_of(def, o, id, None, labels)));
                }
                Anchor::Signatures => rows.extend(
                    items(get(&v, "authorization.signatures"))
                        .map(|o| row_of(def, o, id, None, labels)),
                ),
                Anchor::LapseEvents => rows.extend(
                    items(get(&v, "authorization.lapse_events"))
                        .map(|o| row_of(def, o, id, None, labels)),
                ),
                Anchor::Entrustment => {
                    rows.extend(get(&v, "entrustment").map(|o| row_of(def, o, id, None, labels)));
                }
                Anchor::PreCheck => {
                    rows.extend(get(&v, "precheck").map(|o| row_of(def, o, id, None, labels)));
                }
                Anchor::Responses => rows.extend(
                    items(get(&v, "responses"))
                        .enumerate()
                        .map(|(i, o)| row_of(def, o, id, Some(i + 1), labels)),
                ),
                Anchor::Facts => {
                    for (i, r) in items(get(&v, "responses")).enumerate() {
                        rows.extend(
                            items(r.get("facts")).map(|o| row_of(def, o, id, Some(i + 1), labels)),
                        );
                    }
                }
                Anchor::Offline => rows.extend(
                    items(get(&v, "offline_results")).map(|o| row_of(def, o, id, None, labels)),
                ),
            }
        }
        // nothing may be lost: the rows must read back to the same case
        let back = cases_from_tables(&one);
        let same = back.errors.is_empty()
            && back
                .cases
                .first()
                .and_then(|c| serde_json::to_value(c).ok())
                .is_some_and(|b| b == v);
        if !same {
            let back = back
                .cases
                .first()
                .and_then(|c| serde_json::to_value(c).ok());
            let path = first_difference(&v, back.as_ref().unwrap_or(&Value::Null), String::new());
            return Err(Error::Input(InputError::TableUncovered {
                path: hedui_core::error::mask_resident_ids(&path).into_owned(),
            }));
        }
        for (all, part) in out.iter_mut().zip(one) {
            all.rows.extend(part.rows);
        }
    }
    Ok(out)
}

/// The JSON path of the first value of `a` that `b` does not have the same.
fn first_difference(a: &Value, b: &Value, at: String) -> String {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                let here = if at.is_empty() {
                    k.clone()
                } else {
                    format!("{at}.{k}")
                };
                match y.get(k) {
                    Some(w) if w == v => {}
                    Some(w) => return first_difference(v, w, here),
                    None => return here,
                }
            }
            at
        }
        (Value::Array(x), Value::Array(y)) => {
            for (i, v) in x.iter().enumerate() {
                let here = format!("{at}[{i}]");
                match y.get(i) {
                    Some(w) if w == v => {}
                    Some(w) => return first_difference(v, w, here),
                    None => return here,
                }
            }
            at
        }
        _ => at,
    }
}

/// An object whose keys keep the order they were written in (a table's columns, the tables
/// of a request), read from JSON and written back.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ordered<V>(pub Vec<(String, V)>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Ordered<V> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for Visit<V> {
            type Value = Ordered<V>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry::<String, V>()? {
                    out.push(entry);
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(Visit(std::marker::PhantomData))
    }
}

impl<V: Serialize> Serialize for Ordered<V> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// A cell of a table given as JSON: text, or a number or yes/no as a spreadsheet exports it
/// (read as its text); `null` is an empty cell.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum JsonCell {
    /// Text as it is.
    Text(String),
    /// A number, read as its decimal text.
    Number(serde_json::Number),
    /// A boolean, read as `true` or `false`.
    Bool(bool),
}

/// A table as JSON: column (English name or Chinese header) → its cells from the top.
pub type JsonTable = Ordered<Vec<Option<JsonCell>>>;

/// The request of `case_tables_read`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseTablesReadRequest {
    /// Table (English name or Chinese sheet name) → its columns.
    pub tables: Ordered<JsonTable>,
}

/// The response of `case_tables_read`.
#[derive(Debug, Serialize)]
pub struct CaseTablesRead {
    /// One case per household row whose rows are all good, in household row order.
    pub cases: Vec<Case>,
    /// One error per bad row, as [`TableError::detail`] gives it.
    pub errors: Vec<Value>,
}

/// The request of `case_tables_write`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseTablesWriteRequest {
    /// The cases.
    pub cases: Vec<Case>,
    /// `codes` (the default) or `chinese`: how enumerated cells are written.
    #[serde(default)]
    pub labels: Labels,
}

/// The response of `case_tables_write`.
#[derive(Debug, Serialize)]
pub struct CaseTablesWritten {
    /// Every table of the layout, in layout order: English name → column (English name) →
    /// its cells from the top.
    pub tables: Ordered<Ordered<Vec<Option<String>>>>,
}

/// A table given as JSON columns as text rows (a shorter column has empty cells at its end).
fn raw_of(name: &str, columns: &JsonTable) -> RawTable {
    let n = columns.0.iter().map(|(_, c)| c.len()).max().unwrap_or(0);
    let text = |cell: &Option<JsonCell>| match cell {
        None => None,
        Some(JsonCell::Text(s)) => Some(s.clone()),
        Some(JsonCell::Number(x)) => Some(x.to_string()),
        Some(JsonCell::Bool(b)) => Some(b.to_string()),
    };
    RawTable {
        name: name.to_owned(),
        headers: columns.0.iter().map(|(h, _)| h.clone()).collect(),
        rows: (0..n)
            .map(|i| {
                columns
                    .0
                    .iter()
                    .map(|(_, c)| c.get(i).and_then(text))
                    .collect()
            })
            .collect(),
    }
}

/// Operation `case_tables_read`: [`cases_from_tables`] over tables given as JSON columns —
/// what a host without Arrow or a spreadsheet reader hands over (Python
/// `cases_from_tables`).
pub fn case_tables_read(request: &CaseTablesReadRequest) -> CaseTablesRead {
    let raw: Vec<RawTable> = request
        .tables
        .0
        .iter()
        .map(|(name, t)| raw_of(name, t))
        .collect();
    let out = cases_from_tables(&raw);
    CaseTablesRead {
        cases: out.cases,
        errors: out.errors.iter().map(TableError::detail).collect(),
    }
}

/// Operation `case_tables_write`: [`cases_to_tables_with`] as JSON columns (Python
/// `cases_to_tables`).
///
/// # Errors
/// As [`cases_to_tables`] (`table_uncovered`).
pub fn case_tables_write(request: &CaseTablesWriteRequest) -> Result<CaseTablesWritten, Error> {
    let tables = cases_to_tables_with(&request.cases, request.labels)?;
    Ok(CaseTablesWritten {
        tables: Ordered(
            tables
                .into_iter()
                .map(|t| {
                    let columns = t
                        .headers
                        .iter()
                        .enumerate()
                        .map(|(j, h)| {
                            let cells =
                                t.rows.iter().map(|r| r.get(j).cloned().flatten()).collect();
                            (h.clone(), cells)
                        })
                        .collect();
                    (t.name, Ordered(columns))
                })
                .collect(),
        ),
    })
}

/// [`case_tables_read`] through the JSON adapter: `{"tables": {"家庭": {"案件编号": [...],
/// ...}, ...}}` in, `{"cases": [...], "errors": [...]}` out.
///
/// # Errors
/// `input_json` when `request_json` is not a [`CaseTablesReadRequest`] (a cell that is an
/// array or an object among them); a bad row is an error of the response, not of the call.
pub fn case_tables_read_json(request_json: &str) -> Result<Vec<u8>, Failure> {
    json::call("case tables", request_json, |r: CaseTablesReadRequest| {
        Ok(case_tables_read(&r))
    })
}

/// [`case_tables_write`] through the JSON adapter: `{"cases": [...], "labels": "chinese"}` in,
/// `{"tables": {"households": {"case_id": [...], ...}, ...}}` out.
///
/// # Errors
/// `input_json` when `request_json` is not a [`CaseTablesWriteRequest`], then as
/// [`case_tables_write`].
pub fn case_tables_write_json(request_json: &str) -> Result<Vec<u8>, Failure> {
    json::call(
        "case tables write",
        request_json,
        |r: CaseTablesWriteRequest| case_tables_write(&r).map_err(Failure::Core),
    )
}

/// Arrow record batches in and out: what the Python package hands over from pandas, polars
/// and pyarrow, and what the Spark path can give.
#[cfg(feature = "tables")]
pub mod arrow {
    use std::sync::Arc;

    use arrow_array::cast::AsArray;
    use arrow_array::types::{
        Int8Type, Int16Type, Int32Type, Int64Type, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
    };
    use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
    use arrow_schema::{DataType, Field, Schema, TimeUnit};
    use hedui_core::{Error, error::InputError};
    use time::{Date, OffsetDateTime, UtcOffset, format_description::well_known::Rfc3339};

    use super::RawTable;

    fn column_type(table: &str, column: &str, t: &DataType) -> Error {
        Error::Input(InputError::TableColumnType {
            table: table.to_owned(),
            column: column.to_owned(),
            data_type: t.to_string(),
        })
    }

    /// The offset of an Arrow timestamp's time zone: `+08:00`-style, UTC, or a zone of
    /// mainland China.
    fn zone_offset(tz: &str) -> Option<UtcOffset> {
        match tz {
            "UTC" | "Z" | "Etc/UTC" | "utc" => Some(UtcOffset::UTC),
            "Asia/Shanghai" | "Asia/Chongqing" | "Asia/Harbin" | "Asia/Urumqi" | "PRC" => {
                UtcOffset::from_hms(8, 0, 0).ok()
            }
            _ => {
                let fd = time::macros::format_description!(
                    "[offset_hour sign:mandatory]:[offset_minute]"
                );
                UtcOffset::parse(tz, &fd).ok()
            }
        }
    }

    /// The cells of one Arrow column as text.
    fn texts(
        table: &str,
        name: &str,
        a: &dyn Array,
        out: &mut Vec<Option<String>>,
    ) -> Result<(), Error> {
        let n = a.len();
        macro_rules! each {
            ($arr:expr, $f:expr) => {{
                let arr = $arr;
                for i in 0..n {
                    out.push(if arr.is_null(i) {
                        None
                    } else {
                        Some($f(arr.value(i)))
                    });
                }
            }};
        }
        let num = |v: f64| {
            if v.fract() == 0.0 && v.abs() < 9_007_199_254_740_992.0 {
                format!("{}", v as i64)
            } else {
                v.to_string()
            }
        };
        match a.data_type() {
            DataType::Null => out.extend(std::iter::repeat_n(None, n)),
            DataType::Utf8 => each!(a.as_string::<i32>(), str::to_owned),
            DataType::LargeUtf8 => each!(a.as_string::<i64>(), str::to_owned),
            DataType::Utf8View => each!(a.as_string_view(), str::to_owned),
            DataType::Boolean => each!(a.as_boolean(), |b: bool| b.to_string()),
            DataType::Int8 => each!(a.as_primitive::<Int8Type>(), |v: i8| v.to_string()),
            DataType::Int16 => each!(a.as_primitive::<Int16Type>(), |v: i16| v.to_string()),
            DataType::Int32 => each!(a.as_primitive::<Int32Type>(), |v: i32| v.to_string()),
            DataType::Int64 => each!(a.as_primitive::<Int64Type>(), |v: i64| v.to_string()),
            DataType::UInt8 => each!(a.as_primitive::<UInt8Type>(), |v: u8| v.to_string()),
            DataType::UInt16 => each!(a.as_primitive::<UInt16Type>(), |v: u16| v.to_string()),
            DataType::UInt32 => each!(a.as_primitive::<UInt32Type>(), |v: u32| v.to_string()),
            DataType::UInt64 => each!(a.as_primitive::<UInt64Type>(), |v: u64| v.to_string()),
            DataType::Float32 => each!(
                a.as_primitive::<arrow_array::types::Float32Type>(),
                |v: f32| num(f64::from(v))
            ),
            DataType::Float64 => {
                each!(a.as_primitive::<arrow_array::types::Float64Type>(), num)
            }
            DataType::Date32 => {
                let arr = a.as_primitive::<arrow_array::types::Date32Type>();
                for i in 0..n {
                    if arr.is_null(i) {
                        out.push(None);
                        continue;
                    }
                    let d = Date::from_julian_day(2_440_588 + arr.value(i))
                        .map_err(|_| column_type(table, name, a.data_type()))?;
                    out.push(Some(d.to_string()));
                }
            }
            DataType::Timestamp(unit, tz) => {
                let per_second: i128 = match unit {
                    TimeUnit::Second => 1_000_000_000,
                    TimeUnit::Millisecond => 1_000_000,
                    TimeUnit::Microsecond => 1_000,
                    TimeUnit::Nanosecond => 1,
                };
                let offset = match tz {
                    None => None,
                    Some(tz) => Some(
                        zone_offset(tz).ok_or_else(|| column_type(table, name, a.data_type()))?,
                    ),
                };
                let arr = a.as_primitive::<Int64Type>();
                let arr = arrow_array::PrimitiveArray::<Int64Type>::new(
                    arr.values().clone(),
                    arr.nulls().cloned(),
                );
                for i in 0..n {
                    if arr.is_null(i) {
                        out.push(None);
                        continue;
                    }
                    let t = OffsetDateTime::from_unix_timestamp_nanos(
                        i128::from(arr.value(i)) * per_second,
                    )
                    .map_err(|_| column_type(table, name, a.data_type()))?;
                    let text = match offset {
                        // a timestamp without a zone is a wall-clock time: Beijing time
                        None => {
                            let fd = time::macros::format_description!(
                                "[year]-[month]-[day]T[hour]:[minute]:[second]"
                            );
                            t.format(&fd)
                        }
                        Some(o) => t.to_offset(o).format(&Rfc3339),
                    }
                    .map_err(|_| column_type(table, name, a.data_type()))?;
                    out.push(Some(text));
                }
            }
            DataType::Dictionary(_, _) => {
                let dict = a
                    .as_any_dictionary_opt()
                    .ok_or_else(|| column_type(table, name, a.data_type()))?;
                let mut values = Vec::new();
                texts(table, name, dict.values().as_ref(), &mut values)?;
                let keys = dict.normalized_keys();
                for (i, k) in keys.iter().enumerate() {
                    out.push(if a.is_null(i) {
                        None
                    } else {
                        values.get(*k).cloned().flatten()
                    });
                }
            }
            other => return Err(column_type(table, name, other)),
        }
        Ok(())
    }

    /// A table named `name` from Arrow record batches of one schema: every cell as text
    /// (numbers, booleans, dates and timestamps written as the layout reads them).
    ///
    /// # Errors
    /// [`InputError::TableColumnType`] for a column of a type the reader does not take.
    pub fn from_batches(
        name: &str,
        schema: &Schema,
        batches: &[RecordBatch],
    ) -> Result<RawTable, Error> {
        let headers: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
        let rows_n: usize = batches.iter().map(RecordBatch::num_rows).sum();
        let mut columns: Vec<Vec<Option<String>>> = Vec::with_capacity(headers.len());
        for (j, h) in headers.iter().enumerate() {
            let mut cells = Vec::with_capacity(rows_n);
            for b in batches {
                if let Some(a) = b.columns().get(j) {
                    texts(name, h, a.as_ref(), &mut cells)?;
                }
            }
            columns.push(cells);
        }
        let mut iters: Vec<_> = columns.into_iter().map(Vec::into_iter).collect();
        let rows = (0..rows_n)
            .map(|_| iters.iter_mut().map(|c| c.next().flatten()).collect())
            .collect();
        Ok(RawTable {
            name: name.to_owned(),
            headers,
            rows,
        })
    }

    /// A table as one Arrow record batch of nullable text columns, headed as given.
    ///
    /// # Errors
    /// Arrow's, for a table whose rows are not as long as its header (never for the tables
    /// [`super::cases_to_tables`] makes).
    pub fn to_batch(t: &RawTable) -> Result<RecordBatch, arrow_schema::ArrowError> {
        let fields: Vec<Field> = t
            .headers
            .iter()
            .map(|h| Field::new(h, DataType::Utf8, true))
            .collect();
        let columns: Vec<ArrayRef> = (0..t.headers.len())
            .map(|j| {
                Arc::new(StringArray::from_iter(
                    t.rows.iter().map(|r| r.get(j).cloned().flatten()),
                )) as ArrayRef
            })
            .collect();
        RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hedui_core::{Rulebook, sample::sample_case};

    fn samples(n: u64) -> Vec<Case> {
        let rb = Rulebook::default();
        (0..n).map(|i| sample_case(2026, i, &rb).case).collect()
    }

    fn at() -> time::OffsetDateTime {
        time::macros::datetime!(2026-11-29 10:00 +08:00)
    }

    /// The report JSON of a case, or its error code.
    fn report(case: &Case) -> String {
        match hedui_core::verify(case, &Rulebook::default(), at()) {
            Ok(r) => serde_json::to_string(&r).unwrap(),
            Err(e) => e.code().to_owned(),
        }
    }

    #[test]
    fn sample_cases_round_trip_to_identical_reports() {
        let cases = samples(300);
        let tables = cases_to_tables(&cases).unwrap();
        let back = cases_from_tables(&tables);
        assert!(
            back.errors.is_empty(),
            "{:?}",
            back.errors.first().map(TableError::detail)
        );
        assert_eq!(back.cases.len(), cases.len());
        for (a, b) in cases.iter().zip(&back.cases) {
            assert_eq!(report(a), report(b));
            assert_eq!(
                serde_json::to_value(a).unwrap(),
                serde_json::to_value(b).unwrap()
            );
        }
        // the tables are not trivially empty: facts, supporters, lapse events all appear
        for name in ["facts", "supporters", "signatures", "responses"] {
            let t = tables.iter().find(|t| t.name == name).unwrap();
            assert!(!t.rows.is_empty(), "{name} has no rows");
        }
    }

    /// The tables of the first `n` sample cases, with headers in Chinese.
    fn chinese_tables(n: u64) -> Vec<RawTable> {
        let mut tables = cases_to_tables(&samples(n)).unwrap();
        for t in &mut tables {
            let def = table(&t.name).unwrap();
            t.name = def.sheet.to_owned();
            t.headers = def.columns.iter().map(|c| c.header.to_owned()).collect();
        }
        tables
    }

    fn cell_mut<'a>(
        tables: &'a mut [RawTable],
        sheet: &str,
        row: usize,
        header: &str,
    ) -> &'a mut Option<String> {
        let t = tables.iter_mut().find(|t| t.name == sheet).unwrap();
        let j = t.headers.iter().position(|h| h == header).unwrap();
        &mut t.rows[row][j]
    }

    #[test]
    fn chinese_sheets_and_headers_read_the_same() {
        let back = cases_from_tables(&chinese_tables(20));
        assert!(back.errors.is_empty());
        assert_eq!(back.cases.len(), 20);
    }

    #[test]
    fn a_bad_cell_names_table_row_column_and_spares_other_cases() {
        let mut tables = chinese_tables(10);
        *cell_mut(&mut tables, "反馈事实", 0, "金额（分）") = Some("12 元".into());
        let case_of_row = cell_mut(&mut tables, "反馈事实", 0, "案件编号").clone();
        *cell_mut(&mut tables, "家庭成员", 1, "是否共同生活") = Some("maybe".into());
        let back = cases_from_tables(&tables);
        assert_eq!(back.errors.len(), 2);
        let e = back.errors.iter().find(|e| e.table == "facts").unwrap();
        assert_eq!(e.code(), "table_cell");
        assert_eq!(
            (e.sheet, e.row, e.header),
            (Some("反馈事实"), Some(2), Some("金额（分）"))
        );
        assert_eq!(e.case_id, case_of_row);
        let e = back.errors.iter().find(|e| e.table == "members").unwrap();
        assert_eq!(
            (e.code(), e.row, e.column.as_deref()),
            ("table_cell", Some(3), Some("co_resident"))
        );
        // the other cases are still built (at most two cases lost)
        assert!(back.cases.len() >= 8);
        assert!(
            back.cases
                .iter()
                .all(|c| Some(c.case_id.as_str()) != case_of_row.as_deref())
        );
    }

    #[test]
    fn a_malformed_id_keeps_its_code_and_is_traced_to_its_cell() {
        let mut tables = chinese_tables(3);
        let id = cell_mut(&mut tables, "家庭成员", 1, "身份证号");
        let mut text = id.clone().unwrap();
        let last = text.pop().unwrap();
        text.push(if last == '0' { '1' } else { '0' });
        *id = Some(text);
        let back = cases_from_tables(&tables);
        assert_eq!(back.cases.len(), 2);
        let [e] = back.errors.as_slice() else {
            panic!("{:?}", back.errors)
        };
        assert!(e.code().starts_with("id_resident"), "{}", e.code());
        assert_eq!(
            (e.table.as_str(), e.row, e.header),
            ("members", Some(3), Some("身份证号"))
        );
        assert!(
            e.path.as_deref().unwrap().starts_with("household.members["),
            "{:?}",
            e.path
        );
    }

    #[test]
    fn a_missing_required_cell_names_its_column() {
        let mut tables = chinese_tables(2);
        *cell_mut(&mut tables, "授权书", 0, "签署日期") = None;
        let back = cases_from_tables(&tables);
        let [e] = back.errors.as_slice() else {
            panic!("{:?}", back.errors)
        };
        assert_eq!(e.code(), "input_json");
        assert_eq!(
            (e.table.as_str(), e.row, e.column.as_deref()),
            ("authorizations", Some(2), Some("signed_on"))
        );
        assert_eq!(back.cases.len(), 1);
    }

    #[test]
    fn orphans_duplicates_unknown_tables_and_columns_are_errors() {
        let mut tables = chinese_tables(3);
        *cell_mut(&mut tables, "家庭成员", 0, "案件编号") = Some("NO-SUCH-CASE".into());
        *cell_mut(&mut tables, "家庭成员", 2, "案件编号") = None;
        let t = tables.iter_mut().find(|t| t.name == "部门反馈").unwrap();
        t.headers.push("备注".into());
        t.rows[0].push(Some("see letter".into()));
        let dup = tables.iter().find(|t| t.name == "核对前检查").unwrap().rows[0].clone();
        tables
            .iter_mut()
            .find(|t| t.name == "核对前检查")
            .unwrap()
            .rows
            .push(dup);
        tables.push(RawTable {
            name: "notes".into(),
            ..RawTable::default()
        });
        let back = cases_from_tables(&tables);
        let codes: Vec<_> = back
            .errors
            .iter()
            .map(|e| (e.code(), e.table.as_str(), e.row))
            .collect();
        assert!(
            codes.contains(&("table_unknown", "notes", None)),
            "{codes:?}"
        );
        assert!(
            codes.contains(&("table_orphan_row", "members", Some(2))),
            "{codes:?}"
        );
        assert!(
            codes.contains(&("table_missing_key", "members", Some(4))),
            "{codes:?}"
        );
        assert!(
            codes.contains(&("table_unknown_column", "responses", Some(2))),
            "{codes:?}"
        );
        let prechecks = tables
            .iter()
            .find(|t| t.name == "核对前检查")
            .unwrap()
            .rows
            .len();
        assert!(
            codes.contains(&(
                "table_duplicate_row",
                "prechecks",
                Some(u64::try_from(prechecks).unwrap() + 1)
            )),
            "{codes:?}"
        );
        // no case with a bad row is built; the row-less third case may be
        assert!(back.cases.len() < 3);
    }

    #[test]
    fn cells_read_as_spreadsheets_write_them() {
        assert_eq!(
            cell_value(CellKind::Integer, Some("12.0")),
            Ok(Some(Value::from(12)))
        );
        assert!(cell_value(CellKind::Integer, Some("12.5")).is_err());
        assert_eq!(
            cell_value(CellKind::Boolean, Some("否")),
            Ok(Some(Value::Bool(false)))
        );
        assert_eq!(
            cell_value(CellKind::Date, Some("2026-07-04 00:00:00")),
            Ok(Some(Value::from("2026-07-04")))
        );
        assert_eq!(instant("2026-07-06 08:30"), "2026-07-06T08:30:00+08:00");
        assert_eq!(
            instant("2026-07-06 08:30:00+08:00"),
            "2026-07-06T08:30:00+08:00"
        );
        assert_eq!(instant("2026-07-06T00:30:00Z"), "2026-07-06T00:30:00Z");
        assert_eq!(
            cell_value(CellKind::List, Some("a；b; ")),
            Ok(Some(serde_json::json!(["a", "b"])))
        );
        assert_eq!(cell_value(CellKind::Text, Some("  ")), Ok(None));
        assert_eq!(
            cell_value(CellKind::People, Some("OP-1:钱某； OP-2：孙某")),
            Ok(Some(serde_json::json!([
                {"operator_id": "OP-1", "name": "钱某"},
                {"operator_id": "OP-2", "name": "孙某"}
            ])))
        );
        assert!(cell_value(CellKind::People, Some("钱某")).is_err());
    }

    #[test]
    fn chinese_labels_round_trip_to_the_same_cases() {
        let cases = samples(200);
        let tables = cases_to_tables_with(&cases, Labels::Chinese).unwrap();
        let back = cases_from_tables(&tables);
        assert!(
            back.errors.is_empty(),
            "{:?}",
            back.errors.first().map(TableError::detail)
        );
        assert_eq!(back.cases.len(), cases.len());
        for (a, b) in cases.iter().zip(&back.cases) {
            assert_eq!(
                serde_json::to_value(a).unwrap(),
                serde_json::to_value(b).unwrap()
            );
            assert_eq!(report(a), report(b));
        }
        // every enumerated cell holds a Chinese label, never a code
        let mut seen = 0;
        for t in &tables {
            let def = table(&t.name).unwrap();
            for (j, c) in def.columns.iter().enumerate() {
                if c.choices.is_empty() {
                    continue;
                }
                for text in t.rows.iter().filter_map(|r| r[j].as_deref()) {
                    for item in text.split(';').filter(|i| !i.is_empty()) {
                        assert!(
                            c.choices.iter().any(|ch| ch.label == item),
                            "{}.{}: `{item}` is not a label",
                            t.name,
                            c.name
                        );
                        seen += 1;
                    }
                }
            }
        }
        assert!(seen > 1000, "only {seen} enumerated cells");
        // and the codes' tables read back to the same cases too
        let codes = cases_to_tables(&cases).unwrap();
        assert_ne!(codes, tables);
        let again = cases_from_tables(&codes);
        assert!(again.errors.is_empty());
        assert_eq!(again.cases.len(), cases.len());
    }

    #[test]
    fn enum_cells_take_codes_labels_and_aliases() {
        let mut tables = chinese_tables(3);
        let sample = samples(3);
        *cell_mut(&mut tables, "家庭", 0, "救助项目") = Some("低保".into());
        *cell_mut(&mut tables, "家庭", 1, "救助项目") = Some("特困人员救助供养".into());
        *cell_mut(&mut tables, "家庭", 2, "核对机构层级") = Some("县级".into());
        *cell_mut(&mut tables, "家庭成员", 0, "与申请人关系") = Some("本人".into());
        *cell_mut(&mut tables, "家庭成员", 0, "民事行为能力") = Some(" 完全民事行为能力 ".into());
        *cell_mut(&mut tables, "授权书", 0, "授权数据类别") =
            Some("户籍；车辆; social_insurance;Tax".into());
        let back = cases_from_tables(&tables);
        assert!(
            back.errors.is_empty(),
            "{:?}",
            back.errors.first().map(TableError::detail)
        );
        let v: Vec<Value> = back
            .cases
            .iter()
            .map(|c| serde_json::to_value(c).unwrap())
            .collect();
        assert_eq!(v[0]["household"]["programme"], "minimum_living_allowance");
        assert_eq!(v[1]["household"]["programme"], "destitute_persons");
        assert_eq!(v[2]["agency"]["level"], "county");
        assert_eq!(v[0]["household"]["members"][0]["relation"], "applicant");
        assert_eq!(v[0]["household"]["members"][0]["capacity"], "full");
        assert_eq!(
            v[0]["authorization"]["categories"],
            serde_json::json!([
                "household_registration",
                "vehicles",
                "social_insurance",
                "tax"
            ])
        );
        // the sample's own values were codes: the first member is the applicant in each
        assert_eq!(
            serde_json::to_value(&sample[0]).unwrap()["household"]["members"][0]["relation"],
            "applicant"
        );
    }

    #[test]
    fn an_unknown_enum_value_names_its_cell_and_lists_what_is_accepted() {
        let mut tables = chinese_tables(4);
        *cell_mut(&mut tables, "家庭成员", 1, "与申请人关系") = Some("表哥".into());
        *cell_mut(&mut tables, "委托书", 2, "委托数据类别") = Some("户籍;彩票".into());
        let back = cases_from_tables(&tables);
        assert_eq!(back.errors.len(), 2, "{:?}", back.errors);
        let e = back.errors.iter().find(|e| e.table == "members").unwrap();
        assert_eq!(
            (e.code(), e.sheet, e.row, e.header),
            (
                "table_cell",
                Some("家庭成员"),
                Some(3),
                Some("与申请人关系")
            )
        );
        let message = e.error.to_string();
        assert!(message.contains("`表哥` is not one of"), "{message}");
        for c in RELATIONS {
            assert!(
                message.contains(&format!("{} ({})", c.label, c.code)),
                "{message}"
            );
        }
        let e = back
            .errors
            .iter()
            .find(|e| e.table == "entrustments")
            .unwrap();
        assert_eq!(
            (e.code(), e.row, e.column.as_deref()),
            ("table_cell", Some(4), Some("categories"))
        );
        assert!(e.error.to_string().contains("`彩票`"));
        assert_eq!(back.cases.len(), 2);
    }

    /// The variants serde knows for an enum, read from its "unknown variant" message.
    fn variants<T: serde::de::DeserializeOwned + std::fmt::Debug>(json: &str) -> Vec<String> {
        let e = serde_json::from_str::<T>(json).unwrap_err().to_string();
        let expected = e.split("expected").nth(1).unwrap_or_else(|| panic!("{e}"));
        expected
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect()
    }

    fn codes(choices: &[Choice]) -> Vec<String> {
        choices.iter().map(|c| c.code.to_owned()).collect()
    }

    fn label_of(choices: &[Choice], code: &str) -> &'static str {
        choices.iter().find(|c| c.code == code).unwrap().label
    }

    #[test]
    fn the_choices_are_the_core_enums_with_the_reports_labels() {
        use hedui_core::{
            AgencyLevel, BusinessRole, CivilCapacity, DataCategory, IncomeType, LapseKind,
            MarriageEvent, Programme, PropertyUsage, Purpose, Relation, SupportDuty,
            report::OfflineMethod,
        };
        let nope = "\"__nope__\"";
        assert_eq!(codes(AGENCY_LEVELS), variants::<AgencyLevel>(nope));
        assert_eq!(codes(PROGRAMMES), variants::<Programme>(nope));
        assert_eq!(codes(RELATIONS), variants::<Relation>(nope));
        assert_eq!(codes(CAPACITIES), variants::<CivilCapacity>(nope));
        assert_eq!(codes(DUTIES), variants::<SupportDuty>(nope));
        assert_eq!(codes(LAPSE_KINDS), variants::<LapseKind>(nope));
        assert_eq!(codes(PURPOSES), variants::<Purpose>(nope));
        assert_eq!(codes(CATEGORIES), variants::<DataCategory>(nope));
        assert_eq!(
            codes(FACT_KINDS),
            variants::<hedui_core::Fact>(r#"{"kind": "__nope__"}"#)
        );
        assert_eq!(codes(INCOME_TYPES), variants::<IncomeType>(nope));
        assert_eq!(codes(USAGES), variants::<PropertyUsage>(nope));
        assert_eq!(codes(BUSINESS_ROLES), variants::<BusinessRole>(nope));
        assert_eq!(codes(MARRIAGE_EVENTS), variants::<MarriageEvent>(nope));
        // the event column takes marriage events, then property-transaction events
        let transactions = variants::<hedui_core::TransactionEvent>(nope);
        assert_eq!(
            codes(EVENTS),
            [codes(MARRIAGE_EVENTS), transactions.clone()].concat()
        );
        for code in transactions {
            let t: hedui_core::TransactionEvent =
                serde_json::from_value(Value::from(code.clone())).unwrap();
            assert_eq!(label_of(EVENTS, &code), t.label_zh());
        }
        assert_eq!(codes(OFFLINE_METHODS), variants::<OfflineMethod>(nope));
        // where the report prints a label, the table takes the same one
        for l in AgencyLevel::ALL {
            assert_eq!(label_of(AGENCY_LEVELS, l.as_str()), l.label_zh());
        }
        for p in Programme::ALL {
            assert_eq!(label_of(PROGRAMMES, p.as_str()), p.label_zh());
        }
        for c in DataCategory::ALL {
            assert_eq!(label_of(CATEGORIES, c.as_str()), c.label_zh());
        }
        for t in IncomeType::ALL {
            let code = serde_json::to_value(t).unwrap();
            assert_eq!(label_of(INCOME_TYPES, code.as_str().unwrap()), t.label_zh());
        }
        for code in codes(RELATIONS) {
            let r: Relation = serde_json::from_value(Value::from(code.clone())).unwrap();
            assert_eq!(label_of(RELATIONS, &code), r.label_zh());
        }
        for (choices, label) in [
            (
                PURPOSES,
                Box::new(|c: &str| {
                    serde_json::from_value::<Purpose>(Value::from(c))
                        .unwrap()
                        .label_zh()
                }) as Box<dyn Fn(&str) -> &'static str>,
            ),
            (
                LAPSE_KINDS,
                Box::new(|c: &str| {
                    serde_json::from_value::<LapseKind>(Value::from(c))
                        .unwrap()
                        .label_zh()
                }),
            ),
            (
                BUSINESS_ROLES,
                Box::new(|c: &str| {
                    serde_json::from_value::<BusinessRole>(Value::from(c))
                        .unwrap()
                        .label_zh()
                }),
            ),
            (
                OFFLINE_METHODS,
                Box::new(|c: &str| {
                    serde_json::from_value::<OfflineMethod>(Value::from(c))
                        .unwrap()
                        .label_zh()
                }),
            ),
        ] {
            for c in choices {
                assert_eq!(c.label, label(c.code));
            }
        }
    }

    #[test]
    fn no_name_of_a_column_means_two_values() {
        for t in TABLES {
            for c in t.columns.iter().filter(|c| !c.choices.is_empty()) {
                let mut names: Vec<String> = Vec::new();
                for ch in c.choices {
                    names.push(ch.code.to_lowercase());
                    names.push(ch.label.to_owned());
                    names.extend(ch.aliases.iter().map(|a| (*a).to_owned()));
                    // a label must survive a list cell: no separator in it
                    assert!(!ch.label.contains([';', '；']), "{}", ch.label);
                }
                let n = names.len();
                names.sort();
                names.dedup();
                assert_eq!(names.len(), n, "{}.{} has a name twice", t.name, c.name);
            }
        }
    }

    #[test]
    fn json_operations_round_trip_and_report_bad_rows() {
        let cases = samples(12);
        let request = serde_json::json!({"cases": cases, "labels": "chinese"}).to_string();
        let written: Value =
            serde_json::from_slice(&case_tables_write_json(&request).unwrap()).unwrap();
        let tables = written["tables"].as_object().unwrap();
        let names: Vec<&str> = tables.keys().map(String::as_str).collect();
        let layout: Vec<&str> = TABLES.iter().map(|t| t.name).collect();
        if names != layout {
            // key order is kept in the text even where the parsed map sorts it
            let text = String::from_utf8(case_tables_write_json(&request).unwrap()).unwrap();
            let at: Vec<usize> = layout
                .iter()
                .map(|n| text.find(&format!("\"{n}\":{{")).unwrap())
                .collect();
            assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
        }
        assert!(
            tables["members"]["relation"]
                .as_array()
                .unwrap()
                .contains(&Value::from("申请人"))
        );
        // read back: the same cases, no errors
        let read = serde_json::json!({"tables": written["tables"]}).to_string();
        let back: Value = serde_json::from_slice(&case_tables_read_json(&read).unwrap()).unwrap();
        assert_eq!(back["errors"], serde_json::json!([]));
        assert_eq!(back["cases"], serde_json::to_value(&cases).unwrap());

        // a spreadsheet's numbers and a bad row, in Chinese names
        let mut t = written["tables"].clone();
        t["households"]["declared_income_fen"][0] = Value::from(1500.0);
        t["members"]["relation"][0] = Value::from("表哥");
        let read = serde_json::json!({"tables": t}).to_string();
        let back: Value = serde_json::from_slice(&case_tables_read_json(&read).unwrap()).unwrap();
        let errors = back["errors"].as_array().unwrap();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(
            (
                &errors[0]["code"],
                &errors[0]["sheet"],
                &errors[0]["row"],
                &errors[0]["header"]
            ),
            (
                &Value::from("table_cell"),
                &Value::from("家庭成员"),
                &Value::from(2),
                &Value::from("与申请人关系")
            )
        );
        assert_eq!(back["cases"].as_array().unwrap().len(), 11);

        // not the document: input_json, not a verdict
        for bad in [
            "{",
            r#"{"tables": {"家庭": {"案件编号": [["C1"]]}}}"#,
            r#"{"tables": {}, "extra": 1}"#,
        ] {
            let e = case_tables_read_json(bad).unwrap_err();
            assert_eq!(e.code(), "input_json", "{bad}");
        }
        for bad in [
            "{",
            r#"{"cases": [], "labels": "english"}"#,
            r#"{"cases": [{"case_id": 1}]}"#,
        ] {
            let e = case_tables_write_json(bad).unwrap_err();
            assert_eq!(e.code(), "input_json", "{bad}");
        }
    }

    #[cfg(feature = "tables")]
    #[test]
    fn arrow_batches_round_trip() {
        let tables = cases_to_tables(&samples(5)).unwrap();
        let again: Vec<RawTable> = tables
            .iter()
            .map(|t| {
                let b = arrow::to_batch(t).unwrap();
                arrow::from_batches(&t.name, &b.schema(), &[b.clone(), b.slice(0, 0)]).unwrap()
            })
            .collect();
        assert_eq!(again, tables);
    }
}
