//! Who verifies and why: agencies 核对机构 and their levels, and the purpose of a
//! verification. Leaf types that the sharing plan, the letters and the population rules share.

#[cfg(feature = "schemas")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::id::RegionCode;

/// Level of a verification agency 核对机构.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AgencyLevel {
    /// 县级.
    County,
    /// 市级.
    City,
    /// 省级.
    Province,
    /// 部级.
    Ministry,
}

impl std::fmt::Display for AgencyLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl AgencyLevel {
    /// All levels from own (county) upwards.
    pub const ALL: [AgencyLevel; 4] = [
        AgencyLevel::County,
        AgencyLevel::City,
        AgencyLevel::Province,
        AgencyLevel::Ministry,
    ];

    /// Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            AgencyLevel::County => "县级",
            AgencyLevel::City => "市级",
            AgencyLevel::Province => "省级",
            AgencyLevel::Ministry => "部级",
        }
    }

    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            AgencyLevel::County => "county",
            AgencyLevel::City => "city",
            AgencyLevel::Province => "province",
            AgencyLevel::Ministry => "ministry",
        }
    }
}

/// A verification agency 核对机构.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Agency {
    /// Agency id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Level.
    pub level: AgencyLevel,
    /// Region it serves.
    pub region: RegionCode,
}

/// Purpose of a verification 核对事由.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// 新申请.
    NewApplication,
    /// 定期复核 (R8).
    PeriodicRecheck,
    /// 申诉复核 (R9).
    AppealRecheck,
    /// 救急难先行救助后补核对 (R4).
    EmergencyFollowUp,
}

impl Purpose {
    /// The snake_case name used in JSON (`emergency_follow_up`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::NewApplication => "new_application",
            Purpose::PeriodicRecheck => "periodic_recheck",
            Purpose::AppealRecheck => "appeal_recheck",
            Purpose::EmergencyFollowUp => "emergency_follow_up",
        }
    }

    /// Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            Purpose::NewApplication => "新申请核对",
            Purpose::PeriodicRecheck => "定期复核",
            Purpose::AppealRecheck => "申诉复核",
            Purpose::EmergencyFollowUp => "先行救助后补核对",
        }
    }
}
