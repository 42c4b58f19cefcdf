//! Data categories 数据类别 queried in a verification (docs/rules.md#data-categories).

#[cfg(feature = "schemas")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A category of shared data about a household's income and assets (docs/rules.md#data-categories).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DataCategory {
    /// 户籍 (公安).
    HouseholdRegistration,
    /// 车辆 (公安 / 交通).
    Vehicles,
    /// 社保 (人社).
    SocialInsurance,
    /// 不动产 (住建 / 自然资源).
    RealEstate,
    /// 市场主体 (市场监管).
    BusinessRegistration,
    /// 税务.
    Tax,
    /// 公积金.
    HousingProvidentFund,
    /// 银行存款.
    BankDeposits,
    /// 证券、理财.
    Securities,
    /// 商业保险.
    CommercialInsurance,
    /// 财政供养.
    PublicPayroll,
    /// 服刑人员 (司法).
    Prisoners,
    /// 婚姻 (民政).
    Marriage,
    /// 殡葬 (民政).
    Funeral,
    /// 孤儿 (民政).
    Orphans,
    /// 残疾人两项补贴 (民政 / 残联).
    DisabilitySubsidies,
}

impl DataCategory {
    /// Every category, in the order of docs/rules.md#data-categories.
    pub const ALL: [DataCategory; 16] = [
        DataCategory::HouseholdRegistration,
        DataCategory::Vehicles,
        DataCategory::SocialInsurance,
        DataCategory::RealEstate,
        DataCategory::BusinessRegistration,
        DataCategory::Tax,
        DataCategory::HousingProvidentFund,
        DataCategory::BankDeposits,
        DataCategory::Securities,
        DataCategory::CommercialInsurance,
        DataCategory::PublicPayroll,
        DataCategory::Prisoners,
        DataCategory::Marriage,
        DataCategory::Funeral,
        DataCategory::Orphans,
        DataCategory::DisabilitySubsidies,
    ];

    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            DataCategory::HouseholdRegistration => "household_registration",
            DataCategory::Vehicles => "vehicles",
            DataCategory::SocialInsurance => "social_insurance",
            DataCategory::RealEstate => "real_estate",
            DataCategory::BusinessRegistration => "business_registration",
            DataCategory::Tax => "tax",
            DataCategory::HousingProvidentFund => "housing_provident_fund",
            DataCategory::BankDeposits => "bank_deposits",
            DataCategory::Securities => "securities",
            DataCategory::CommercialInsurance => "commercial_insurance",
            DataCategory::PublicPayroll => "public_payroll",
            DataCategory::Prisoners => "prisoners",
            DataCategory::Marriage => "marriage",
            DataCategory::Funeral => "funeral",
            DataCategory::Orphans => "orphans",
            DataCategory::DisabilitySubsidies => "disability_subsidies",
        }
    }

    /// Chinese name printed in reports.
    pub fn label_zh(self) -> &'static str {
        match self {
            DataCategory::HouseholdRegistration => "户籍",
            DataCategory::Vehicles => "车辆",
            DataCategory::SocialInsurance => "社保",
            DataCategory::RealEstate => "不动产",
            DataCategory::BusinessRegistration => "市场主体",
            DataCategory::Tax => "税务",
            DataCategory::HousingProvidentFund => "住房公积金",
            DataCategory::BankDeposits => "银行存款",
            DataCategory::Securities => "证券、理财",
            DataCategory::CommercialInsurance => "商业保险",
            DataCategory::PublicPayroll => "财政供养",
            DataCategory::Prisoners => "服刑人员",
            DataCategory::Marriage => "婚姻",
            DataCategory::Funeral => "殡葬",
            DataCategory::Orphans => "孤儿",
            DataCategory::DisabilitySubsidies => "残疾人两项补贴",
        }
    }

    /// The department that usually holds the data (docs/rules.md#data-categories).
    pub fn source_zh(self) -> &'static str {
        match self {
            DataCategory::HouseholdRegistration => "公安",
            DataCategory::Vehicles => "公安/交通",
            DataCategory::SocialInsurance => "人社",
            DataCategory::RealEstate => "住建/自然资源",
            DataCategory::BusinessRegistration => "市场监管",
            DataCategory::Tax => "税务",
            DataCategory::HousingProvidentFund => "公积金中心",
            DataCategory::BankDeposits => "银行",
            DataCategory::Securities => "证券机构/银行",
            DataCategory::CommercialInsurance => "保险机构",
            DataCategory::PublicPayroll => "财政/编制",
            DataCategory::Prisoners => "司法",
            DataCategory::Marriage | DataCategory::Funeral | DataCategory::Orphans => "民政",
            DataCategory::DisabilitySubsidies => "民政/残联",
        }
    }
}

impl std::fmt::Display for DataCategory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_serde() {
        for c in DataCategory::ALL {
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.as_str()));
            assert!(!c.label_zh().is_empty());
        }
    }
}
