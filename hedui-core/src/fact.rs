//! Typed facts returned by data departments (docs/rules.md#data-categories). Money is integer fen.

#[cfg(feature = "schemas")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::category::DataCategory;
use crate::id::CreditCode;

/// The four national income types (docs/rules.md#data-categories).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum IncomeType {
    /// 工资性收入.
    Wages,
    /// 经营净收入.
    BusinessNet,
    /// 财产净收入.
    PropertyNet,
    /// 转移净收入.
    TransferNet,
}

impl IncomeType {
    /// All four, in report order.
    pub const ALL: [IncomeType; 4] = [
        IncomeType::Wages,
        IncomeType::BusinessNet,
        IncomeType::PropertyNet,
        IncomeType::TransferNet,
    ];

    /// Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            IncomeType::Wages => "工资性收入",
            IncomeType::BusinessNet => "经营净收入",
            IncomeType::PropertyNet => "财产净收入",
            IncomeType::TransferNet => "转移净收入",
        }
    }
}

/// Use of a property.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PropertyUsage {
    /// 住宅.
    Residential,
    /// 商业.
    Commercial,
    /// 其他.
    Other,
}

/// Role in a registered business.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum BusinessRole {
    /// 个体工商户经营者.
    SoleTrader,
    /// 法定代表人.
    LegalRepresentative,
    /// 股东.
    Shareholder,
}

impl BusinessRole {
    /// Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            BusinessRole::SoleTrader => "个体工商户经营者",
            BusinessRole::LegalRepresentative => "法定代表人",
            BusinessRole::Shareholder => "股东",
        }
    }
}

/// A marriage registration event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum MarriageEvent {
    /// 结婚登记.
    Married,
    /// 离婚登记.
    Divorced,
}

/// A real-estate transaction event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TransactionEvent {
    /// 取得 (bought, inherited, received).
    Acquired,
    /// 转让 (sold, given away).
    Transferred,
}

impl TransactionEvent {
    /// Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            TransactionEvent::Acquired => "取得",
            TransactionEvent::Transferred => "转让",
        }
    }
}

/// One fact about a member, tagged by `kind`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Fact {
    /// 户籍登记.
    HouseholdRegistration {
        /// Number of people on the registration.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        registered_members: Option<u32>,
        /// Registered address.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        address: Option<String>,
        /// The member's relation to the head of the registered household 与户主关系, as
        /// registered (e.g. `户主`, `配偶`, `子`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        relation_to_head: Option<String>,
        /// The registration was cancelled for death 死亡注销 on this date; the member's
        /// co-residence ends from it.
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            serialize_with = "crate::wire::date_option"
        )]
        #[cfg_attr(feature = "schemas", schemars(with = "Option<crate::schema::IsoDate>"))]
        death_on: Option<Date>,
    },
    /// A vehicle 车辆.
    Vehicle {
        /// Type (e.g. `car`, `truck`, `motorcycle`).
        vehicle_type: String,
        /// Commercial vehicle 营运车辆.
        commercial: bool,
        /// Registration date.
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            serialize_with = "crate::wire::date_option"
        )]
        #[cfg_attr(feature = "schemas", schemars(with = "Option<crate::schema::IsoDate>"))]
        registered_on: Option<Date>,
        /// Masked plate.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        plate_masked: Option<String>,
    },
    /// An income payment: wages, pension, benefit, allowance, business or property income.
    Income {
        /// What it is (e.g. `基本养老金`, `工资`).
        item: String,
        /// National income type.
        income_type: IncomeType,
        /// Payment date.
        #[serde(serialize_with = "crate::wire::date")]
        #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
        paid_on: Date,
        /// Amount in fen (negative for a net loss).
        amount_fen: i64,
        /// Exempt income 不计入家庭收入 (e.g. 优待抚恤金, disability subsidies, 高龄津贴).
        #[serde(default)]
        exempt: bool,
    },
    /// Employment or insured employment.
    Employment {
        /// Employer.
        employer: String,
        /// Contribution base in fen.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        contribution_base_fen: Option<i64>,
    },
    /// A property 不动产.
    RealEstate {
        /// Location.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        location: Option<String>,
        /// Floor area in hundredths of a square metre.
        area_m2_x100: u64,
        /// Use.
        usage: PropertyUsage,
        /// Acquisition date.
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            serialize_with = "crate::wire::date_option"
        )]
        #[cfg_attr(feature = "schemas", schemars(with = "Option<crate::schema::IsoDate>"))]
        acquired_on: Option<Date>,
    },
    /// A real-estate transaction 不动产交易: a property acquired or transferred.
    PropertyTransaction {
        /// Acquired or transferred.
        event: TransactionEvent,
        /// Registration date of the transaction.
        #[serde(serialize_with = "crate::wire::date")]
        #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
        on: Date,
        /// Price in fen, where registered.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        price_fen: Option<i64>,
    },
    /// Tax paid 已缴税款 (a payment to the tax office; not income).
    TaxPaid {
        /// Tax (e.g. `个人所得税`).
        tax: String,
        /// Payment date.
        #[serde(serialize_with = "crate::wire::date")]
        #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
        paid_on: Date,
        /// Amount in fen.
        amount_fen: i64,
    },
    /// A withdrawal from a housing provident fund account 公积金提取.
    ProvidentFundWithdrawal {
        /// Date.
        #[serde(serialize_with = "crate::wire::date")]
        #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
        on: Date,
        /// Amount in fen.
        amount_fen: i64,
        /// Reason registered (e.g. `购房`, `退休`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// Orphan status 孤儿 (民政): recognised from `since`, until `until` if it ended.
    OrphanStatus {
        /// Recognised since.
        #[serde(serialize_with = "crate::wire::date")]
        #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
        since: Date,
        /// Ended on (e.g. on coming of age).
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            serialize_with = "crate::wire::date_option"
        )]
        #[cfg_attr(feature = "schemas", schemars(with = "Option<crate::schema::IsoDate>"))]
        until: Option<Date>,
    },
    /// A business registration 市场主体.
    Business {
        /// Credit code of the business.
        credit_code: CreditCode,
        /// Name.
        name: String,
        /// The member's role.
        role: BusinessRole,
        /// Registered capital in fen.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        registered_capital_fen: Option<i64>,
        /// Status (e.g. `存续`, `注销`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<String>,
    },
    /// Housing provident fund account 住房公积金.
    ProvidentFund {
        /// Balance in fen.
        balance_fen: i64,
        /// Monthly contribution in fen.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        monthly_contribution_fen: Option<i64>,
    },
    /// A bank deposit 银行存款; some banks return only whether a limit is exceeded.
    Deposit {
        /// Bank.
        institution: String,
        /// Balance in fen.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        balance_fen: Option<i64>,
        /// Over the agreed limit (where only yes/no is returned).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        over_limit: Option<bool>,
    },
    /// Securities, funds or wealth products 证券、理财.
    Securities {
        /// Institution.
        institution: String,
        /// Market value in fen.
        market_value_fen: i64,
    },
    /// A commercial insurance policy 商业保险.
    InsurancePolicy {
        /// Insurer.
        insurer: String,
        /// Product.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        product: Option<String>,
        /// Cash value in fen.
        cash_value_fen: i64,
    },
    /// Imprisonment 服刑.
    Imprisonment {
        /// In prison since.
        #[serde(serialize_with = "crate::wire::date")]
        #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
        since: Date,
        /// Until (expected release).
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            serialize_with = "crate::wire::date_option"
        )]
        #[cfg_attr(feature = "schemas", schemars(with = "Option<crate::schema::IsoDate>"))]
        until: Option<Date>,
    },
    /// A marriage registration event.
    MarriageEvent {
        /// Married or divorced.
        event: MarriageEvent,
        /// Date.
        #[serde(serialize_with = "crate::wire::date")]
        #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
        on: Date,
    },
    /// A death / cremation record 殡葬.
    Death {
        /// Date.
        #[serde(serialize_with = "crate::wire::date")]
        #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
        on: Date,
    },
}

impl Fact {
    /// The main money figure of the fact in fen and whether it is exempt income: a deposit's
    /// balance, securities' market value, a policy's cash value, a provident fund balance, a
    /// business's registered capital, an income payment; `None` for facts without one (or a
    /// deposit reported without its balance). The tables and Python's records sum these per
    /// finding.
    pub fn money_fen(&self) -> Option<(i64, bool)> {
        match self {
            Fact::Deposit { balance_fen, .. } => balance_fen.map(|b| (b, false)),
            Fact::Securities {
                market_value_fen, ..
            } => Some((*market_value_fen, false)),
            Fact::InsurancePolicy { cash_value_fen, .. } => Some((*cash_value_fen, false)),
            Fact::ProvidentFund { balance_fen, .. } => Some((*balance_fen, false)),
            Fact::Business {
                registered_capital_fen,
                ..
            } => registered_capital_fen.map(|c| (c, false)),
            Fact::Income {
                amount_fen, exempt, ..
            } => Some((*amount_fen, *exempt)),
            _ => None,
        }
    }

    /// The fact's free-text fields as the department sent them, by field name: addresses,
    /// items, names of employers, businesses and institutions, statuses. R3 reads them for
    /// conclusion wording ([`crate::verify::Verification::report`]).
    pub fn texts(&self) -> impl Iterator<Item = (&'static str, &str)> {
        let fields: [(&'static str, Option<&String>); 2] = match self {
            Fact::HouseholdRegistration {
                address,
                relation_to_head,
                ..
            } => [
                ("address", address.as_ref()),
                ("relation_to_head", relation_to_head.as_ref()),
            ],
            Fact::TaxPaid { tax, .. } => [("tax", Some(tax)), ("", None)],
            Fact::ProvidentFundWithdrawal { reason, .. } => {
                [("reason", reason.as_ref()), ("", None)]
            }
            Fact::Vehicle {
                vehicle_type,
                plate_masked,
                ..
            } => [
                ("vehicle_type", Some(vehicle_type)),
                ("plate_masked", plate_masked.as_ref()),
            ],
            Fact::Income { item, .. } => [("item", Some(item)), ("", None)],
            Fact::Employment { employer, .. } => [("employer", Some(employer)), ("", None)],
            Fact::RealEstate { location, .. } => [("location", location.as_ref()), ("", None)],
            Fact::Business { name, status, .. } => {
                [("name", Some(name)), ("status", status.as_ref())]
            }
            Fact::Deposit { institution, .. } | Fact::Securities { institution, .. } => {
                [("institution", Some(institution)), ("", None)]
            }
            Fact::InsurancePolicy {
                insurer, product, ..
            } => [("insurer", Some(insurer)), ("product", product.as_ref())],
            Fact::ProvidentFund { .. }
            | Fact::PropertyTransaction { .. }
            | Fact::OrphanStatus { .. }
            | Fact::Imprisonment { .. }
            | Fact::MarriageEvent { .. }
            | Fact::Death { .. } => [("", None), ("", None)],
        };
        fields
            .into_iter()
            .filter_map(|(name, text)| text.map(|t| (name, t.as_str())))
    }

    /// The `kind` tag.
    pub fn kind(&self) -> &'static str {
        match self {
            Fact::HouseholdRegistration { .. } => "household_registration",
            Fact::Vehicle { .. } => "vehicle",
            Fact::Income { .. } => "income",
            Fact::Employment { .. } => "employment",
            Fact::RealEstate { .. } => "real_estate",
            Fact::PropertyTransaction { .. } => "property_transaction",
            Fact::TaxPaid { .. } => "tax_paid",
            Fact::ProvidentFundWithdrawal { .. } => "provident_fund_withdrawal",
            Fact::OrphanStatus { .. } => "orphan_status",
            Fact::Business { .. } => "business",
            Fact::ProvidentFund { .. } => "provident_fund",
            Fact::Deposit { .. } => "deposit",
            Fact::Securities { .. } => "securities",
            Fact::InsurancePolicy { .. } => "insurance_policy",
            Fact::Imprisonment { .. } => "imprisonment",
            Fact::MarriageEvent { .. } => "marriage_event",
            Fact::Death { .. } => "death",
        }
    }

    /// Whether this kind of fact belongs to `category`.
    pub fn fits(&self, category: DataCategory) -> bool {
        use DataCategory as C;
        matches!(
            (self, category),
            (Fact::HouseholdRegistration { .. }, C::HouseholdRegistration)
                | (Fact::Vehicle { .. }, C::Vehicles)
                | (
                    Fact::Income { .. },
                    C::SocialInsurance
                        | C::Tax
                        | C::PublicPayroll
                        | C::Orphans
                        | C::DisabilitySubsidies
                )
                | (
                    Fact::Employment { .. },
                    C::SocialInsurance | C::PublicPayroll
                )
                | (
                    Fact::RealEstate { .. } | Fact::PropertyTransaction { .. },
                    C::RealEstate
                )
                | (Fact::TaxPaid { .. }, C::Tax)
                | (
                    Fact::ProvidentFundWithdrawal { .. },
                    C::HousingProvidentFund
                )
                | (Fact::OrphanStatus { .. }, C::Orphans)
                | (Fact::Business { .. }, C::BusinessRegistration)
                | (Fact::ProvidentFund { .. }, C::HousingProvidentFund)
                | (Fact::Deposit { .. }, C::BankDeposits)
                | (Fact::Securities { .. }, C::Securities)
                | (Fact::InsurancePolicy { .. }, C::CommercialInsurance)
                | (Fact::Imprisonment { .. }, C::Prisoners)
                | (Fact::MarriageEvent { .. }, C::Marriage)
                | (Fact::Death { .. }, C::Funeral)
        )
    }

    /// Names of the fields this fact carries (checked against the agreement's allowed fields,
    /// the minimum scope of N §一(三)).
    pub fn fields(&self) -> Vec<&'static str> {
        let mut v: Vec<&'static str> = Vec::with_capacity(6);
        self.each_field(|name| v.push(name));
        v
    }

    /// Calls `f` with the name of each field this fact carries, in the order of
    /// [`fields`](Self::fields), without collecting them: every fact of every answer is
    /// checked against its agreement.
    pub(crate) fn each_field(&self, mut f: impl FnMut(&'static str)) {
        let mut opt = |present: bool, name: &'static str| {
            if present {
                f(name);
            }
        };
        match self {
            Fact::HouseholdRegistration {
                registered_members,
                address,
                relation_to_head,
                death_on,
            } => {
                opt(registered_members.is_some(), "registered_members");
                opt(address.is_some(), "address");
                opt(relation_to_head.is_some(), "relation_to_head");
                opt(death_on.is_some(), "death_on");
            }
            Fact::PropertyTransaction { price_fen, .. } => {
                opt(true, "event");
                opt(true, "on");
                opt(price_fen.is_some(), "price_fen");
            }
            Fact::TaxPaid { .. } => {
                for n in ["tax", "paid_on", "amount_fen"] {
                    opt(true, n);
                }
            }
            Fact::ProvidentFundWithdrawal { reason, .. } => {
                opt(true, "on");
                opt(true, "amount_fen");
                opt(reason.is_some(), "reason");
            }
            Fact::OrphanStatus { until, .. } => {
                opt(true, "since");
                opt(until.is_some(), "until");
            }
            Fact::Vehicle {
                registered_on,
                plate_masked,
                ..
            } => {
                opt(true, "vehicle_type");
                opt(true, "commercial");
                opt(registered_on.is_some(), "registered_on");
                opt(plate_masked.is_some(), "plate_masked");
            }
            Fact::Income { exempt, .. } => {
                for n in ["item", "income_type", "paid_on", "amount_fen"] {
                    opt(true, n);
                }
                opt(*exempt, "exempt");
            }
            Fact::Employment {
                contribution_base_fen,
                ..
            } => {
                opt(true, "employer");
                opt(contribution_base_fen.is_some(), "contribution_base_fen");
            }
            Fact::RealEstate {
                location,
                acquired_on,
                ..
            } => {
                opt(location.is_some(), "location");
                opt(true, "area_m2_x100");
                opt(true, "usage");
                opt(acquired_on.is_some(), "acquired_on");
            }
            Fact::Business {
                registered_capital_fen,
                status,
                ..
            } => {
                for n in ["credit_code", "name", "role"] {
                    opt(true, n);
                }
                opt(registered_capital_fen.is_some(), "registered_capital_fen");
                opt(status.is_some(), "status");
            }
            Fact::ProvidentFund {
                monthly_contribution_fen,
                ..
            } => {
                opt(true, "balance_fen");
                opt(
                    monthly_contribution_fen.is_some(),
                    "monthly_contribution_fen",
                );
            }
            Fact::Deposit {
                balance_fen,
                over_limit,
                ..
            } => {
                opt(true, "institution");
                opt(balance_fen.is_some(), "balance_fen");
                opt(over_limit.is_some(), "over_limit");
            }
            Fact::Securities { .. } => {
                opt(true, "institution");
                opt(true, "market_value_fen");
            }
            Fact::InsurancePolicy { product, .. } => {
                opt(true, "insurer");
                opt(product.is_some(), "product");
                opt(true, "cash_value_fen");
            }
            Fact::Imprisonment { until, .. } => {
                opt(true, "since");
                opt(until.is_some(), "until");
            }
            Fact::MarriageEvent { .. } => {
                opt(true, "event");
                opt(true, "on");
            }
            Fact::Death { .. } => opt(true, "on"),
        }
    }
}
