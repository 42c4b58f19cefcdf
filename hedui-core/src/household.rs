//! Households 家庭 and their members: the subject 核对对象 of a verification.

#[cfg(feature = "schemas")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::id::{RegionCode, ResidentId};

/// An assistance programme 救助项目.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Programme {
    /// 最低生活保障 (低保): minimum living allowance.
    MinimumLivingAllowance,
    /// 特困人员救助供养 (特困): destitute persons support.
    DestitutePersons,
    /// 临时救助: temporary assistance.
    TemporaryAssistance,
    /// 低保边缘家庭: low-income margin households.
    LowIncomeMargin,
    /// 刚性支出困难家庭: households in hardship from essential spending.
    EssentialSpendingHardship,
}

impl Programme {
    /// Every programme.
    pub const ALL: [Programme; 5] = [
        Programme::MinimumLivingAllowance,
        Programme::DestitutePersons,
        Programme::TemporaryAssistance,
        Programme::LowIncomeMargin,
        Programme::EssentialSpendingHardship,
    ];

    /// Chinese name printed in reports.
    pub fn label_zh(self) -> &'static str {
        match self {
            Programme::MinimumLivingAllowance => "最低生活保障",
            Programme::DestitutePersons => "特困人员救助供养",
            Programme::TemporaryAssistance => "临时救助",
            Programme::LowIncomeMargin => "低保边缘家庭",
            Programme::EssentialSpendingHardship => "刚性支出困难家庭",
        }
    }

    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Programme::MinimumLivingAllowance => "minimum_living_allowance",
            Programme::DestitutePersons => "destitute_persons",
            Programme::TemporaryAssistance => "temporary_assistance",
            Programme::LowIncomeMargin => "low_income_margin",
            Programme::EssentialSpendingHardship => "essential_spending_hardship",
        }
    }
}

/// Relation of a member to the applicant 与申请人关系.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Relation {
    /// 申请人本人.
    Applicant,
    /// 配偶.
    Spouse,
    /// 子女.
    Child,
    /// 父母.
    Parent,
    /// 祖父母、外祖父母.
    Grandparent,
    /// 孙子女、外孙子女.
    Grandchild,
    /// 兄弟姐妹.
    Sibling,
    /// 儿媳、女婿.
    ChildInLaw,
    /// 其他共同生活的家庭成员.
    Other,
}

impl Relation {
    /// Chinese name printed in reports.
    pub fn label_zh(self) -> &'static str {
        match self {
            Relation::Applicant => "申请人",
            Relation::Spouse => "配偶",
            Relation::Child => "子女",
            Relation::Parent => "父母",
            Relation::Grandparent => "祖父母/外祖父母",
            Relation::Grandchild => "孙子女/外孙子女",
            Relation::Sibling => "兄弟姐妹",
            Relation::ChildInLaw => "儿媳/女婿",
            Relation::Other => "其他",
        }
    }

    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Applicant => "applicant",
            Relation::Spouse => "spouse",
            Relation::Child => "child",
            Relation::Parent => "parent",
            Relation::Grandparent => "grandparent",
            Relation::Grandchild => "grandchild",
            Relation::Sibling => "sibling",
            Relation::ChildInLaw => "child_in_law",
            Relation::Other => "other",
        }
    }
}

/// Civil capacity 民事行为能力 of a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CivilCapacity {
    /// 完全民事行为能力.
    Full,
    /// 限制民事行为能力.
    Limited,
    /// 无民事行为能力.
    None,
}

/// A person outside the household, identified by name and resident ID (a guardian, a
/// supporter's spouse).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Resident ID.
    pub id: ResidentId,
    /// Full name.
    pub name: String,
}

/// A co-resident or registered member of the household 家庭成员.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// Resident ID.
    pub id: ResidentId,
    /// Full name.
    pub name: String,
    /// Relation to the applicant.
    pub relation: Relation,
    /// Civil capacity.
    pub capacity: CivilCapacity,
    /// Whether the member lives with the household 共同生活 (default true); every co-resident
    /// member must sign the authorization.
    #[serde(default = "yes")]
    pub co_resident: bool,
    /// Legal guardian 监护人, required when the member lacks full civil capacity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guardian: Option<Person>,
}

fn yes() -> bool {
    true
}

/// Kind of legal support duty 法定义务.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum SupportDuty {
    /// 赡养: children supporting parents.
    Elder,
    /// 扶养: between spouses (and siblings in some cases).
    Spousal,
    /// 抚养: parents supporting children.
    Child,
}

/// A legal supporter 法定赡养、扶养、抚养义务人 who does not live in the household.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Supporter {
    /// Resident ID.
    pub id: ResidentId,
    /// Full name.
    pub name: String,
    /// The duty.
    pub duty: SupportDuty,
    /// The supporter's spouse, who must also sign where the programme counts support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spouse: Option<Person>,
}

/// A household 家庭 whose economic status is verified.
///
/// The household document lists who lives together; the authorization names who signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Household {
    /// The household's id in the assistance system.
    pub id: String,
    /// Region of household registration or residence (GB/T 2260).
    pub region: RegionCode,
    /// The programme applied for or received.
    pub programme: Programme,
    /// Members; exactly one has relation [`Relation::Applicant`].
    pub members: Vec<Member>,
    /// Legal supporters outside the household.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supporters: Vec<Supporter>,
}

impl Household {
    /// The applicant, if exactly one member is marked as applicant.
    pub fn applicant(&self) -> Option<&Member> {
        let mut it = self
            .members
            .iter()
            .filter(|m| m.relation == Relation::Applicant);
        let first = it.next()?;
        if it.next().is_some() {
            None
        } else {
            Some(first)
        }
    }

    /// The member with this resident ID.
    pub fn member(&self, id: &ResidentId) -> Option<&Member> {
        self.members.iter().find(|m| &m.id == id)
    }

    /// Whether `id` is a member of this household.
    pub fn has_member(&self, id: &ResidentId) -> bool {
        self.member(id).is_some()
    }
}

/// What makes an authorization lapse (R1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LapseKind {
    /// 家庭成员变化: the household's membership changed.
    MembershipChange,
    /// 重新申请: the household applied again.
    Reapplication,
    /// 申请被拒: the application was refused.
    Refusal,
}

impl LapseKind {
    /// Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            LapseKind::MembershipChange => "家庭成员变化",
            LapseKind::Reapplication => "重新申请",
            LapseKind::Refusal => "申请被拒",
        }
    }
}

// Debug output goes to logs and panic messages: it names no one. Resident IDs are masked
// (their own Debug), names are left out.

impl std::fmt::Debug for Person {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Person")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Member {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Member")
            .field("id", &self.id)
            .field("relation", &self.relation)
            .field("capacity", &self.capacity)
            .field("co_resident", &self.co_resident)
            .field("guardian", &self.guardian)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Supporter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Supporter")
            .field("id", &self.id)
            .field("duty", &self.duty)
            .field("spouse", &self.spouse)
            .finish_non_exhaustive()
    }
}
