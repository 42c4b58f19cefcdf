//! Rendering a report as Chinese Markdown for printing 打印版核对报告.

use std::fmt::Write as _;

use crate::fact::Fact;
use crate::report::{QueryChannel, Report};

/// Formats fen as yuan with two decimals (`123456` → `1234.56`).
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// Formats an instant on the Beijing wall clock as `YYYY-MM-DD HH:MM`.
pub(crate) fn at(t: time::OffsetDateTime) -> String {
    let b = t.to_offset(crate::calendar::BEIJING);
    format!("{} {:02}:{:02}", b.date(), b.hour(), b.minute())
}

/// Facts of one finding in Chinese; income payments of the same item are summed into one line.
pub(crate) fn facts_zh(facts: &[Fact], m: Money) -> Vec<String> {
    let mut out = Vec::new();
    let mut income: Vec<(
        &str,
        crate::fact::IncomeType,
        bool,
        i64,
        u32,
        time::Date,
        time::Date,
    )> = Vec::new();
    for f in facts {
        if let Fact::Income {
            item,
            income_type,
            paid_on,
            amount_fen,
            exempt,
        } = f
        {
            if let Some(e) = income
                .iter_mut()
                .find(|e| e.0 == item && e.1 == *income_type && e.2 == *exempt)
            {
                e.3 = e.3.saturating_add(*amount_fen);
                e.4 += 1;
                e.5 = e.5.min(*paid_on);
                e.6 = e.6.max(*paid_on);
            } else {
                income.push((
                    item,
                    *income_type,
                    *exempt,
                    *amount_fen,
                    1,
                    *paid_on,
                    *paid_on,
                ));
            }
        } else {
            out.push(fact_zh(f, m));
        }
    }
    for (item, t, exempt, sum, n, first, last) in income {
        out.push(format!(
            "{}：{item} {n} 笔合计 {} 元（{first} 至 {last}）{}",
            t.label_zh(),
            m.yuan(sum),
            if exempt {
                "，不计入家庭收入"
            } else {
                ""
            }
        ));
    }
    out
}

pub(crate) fn area(x100: u64) -> String {
    format!("{}.{:02}", x100 / 100, x100 % 100)
}

fn fact_zh(f: &Fact, m: Money) -> String {
    match f {
        Fact::HouseholdRegistration {
            registered_members,
            address,
            relation_to_head,
            death_on,
        } => format!(
            "户籍登记：{}人{}{}{}",
            registered_members.map_or_else(|| "-".to_owned(), |n| n.to_string()),
            address
                .as_deref()
                .map(|a| format!("，{a}"))
                .unwrap_or_default(),
            relation_to_head
                .as_deref()
                .map(|r| format!("，与户主关系：{r}"))
                .unwrap_or_default(),
            death_on
                .map(|d| format!("，{d} 因死亡注销户籍"))
                .unwrap_or_default()
        ),
        Fact::PropertyTransaction {
            event,
            on,
            price_fen,
        } => format!(
            "不动产交易：{on} {}{}",
            event.label_zh(),
            price_fen
                .map(|p| format!("，成交价 {} 元", m.yuan(p)))
                .unwrap_or_default()
        ),
        Fact::TaxPaid {
            tax,
            paid_on,
            amount_fen,
        } => format!("已缴税款：{tax} {} 元（{paid_on}）", m.yuan(*amount_fen)),
        Fact::ProvidentFundWithdrawal {
            on,
            amount_fen,
            reason,
        } => format!(
            "公积金提取：{on} {} 元{}",
            m.yuan(*amount_fen),
            reason
                .as_deref()
                .map(|r| format!("（{r}）"))
                .unwrap_or_default()
        ),
        Fact::OrphanStatus { since, until } => format!(
            "孤儿认定：自{since}{}",
            until.map(|u| format!("至{u}")).unwrap_or_default()
        ),
        Fact::Vehicle {
            vehicle_type,
            commercial,
            registered_on,
            plate_masked,
        } => format!(
            "车辆：{vehicle_type}{}{}{}",
            if *commercial { "（营运）" } else { "" },
            plate_masked
                .as_deref()
                .map(|p| format!("，号牌{p}"))
                .unwrap_or_default(),
            registered_on
                .map(|d| format!("，登记于{d}"))
                .unwrap_or_default()
        ),
        Fact::Income {
            item,
            income_type,
            paid_on,
            amount_fen,
            exempt,
        } => format!(
            "{}：{item} {} 元（{paid_on}）{}",
            income_type.label_zh(),
            m.yuan(*amount_fen),
            if *exempt {
                "，不计入家庭收入"
            } else {
                ""
            }
        ),
        Fact::Employment {
            employer,
            contribution_base_fen,
        } => format!(
            "就业/参保单位：{employer}{}",
            contribution_base_fen
                .map(|b| format!("，缴费基数 {} 元", m.yuan(b)))
                .unwrap_or_default()
        ),
        Fact::RealEstate {
            location,
            area_m2_x100,
            usage,
            acquired_on,
        } => format!(
            "不动产：{} 平方米（{}）{}{}",
            area(*area_m2_x100),
            match usage {
                crate::fact::PropertyUsage::Residential => "住宅",
                crate::fact::PropertyUsage::Commercial => "商业",
                crate::fact::PropertyUsage::Other => "其他",
            },
            location
                .as_deref()
                .map(|l| format!("，{l}"))
                .unwrap_or_default(),
            acquired_on
                .map(|d| format!("，取得于{d}"))
                .unwrap_or_default()
        ),
        Fact::Business {
            credit_code,
            name,
            role,
            registered_capital_fen,
            status,
        } => format!(
            "市场主体：{name}（{credit_code}），{}{}{}",
            role.label_zh(),
            registered_capital_fen
                .map(|c| format!("，注册资本 {} 元", m.yuan(c)))
                .unwrap_or_default(),
            status
                .as_deref()
                .map(|s| format!("，{s}"))
                .unwrap_or_default()
        ),
        Fact::ProvidentFund {
            balance_fen,
            monthly_contribution_fen,
        } => format!(
            "公积金余额 {} 元{}",
            m.yuan(*balance_fen),
            monthly_contribution_fen
                .map(|c| format!("，月缴存 {} 元", m.yuan(c)))
                .unwrap_or_default()
        ),
        Fact::Deposit {
            institution,
            balance_fen,
            over_limit,
        } => match (balance_fen, over_limit) {
            (Some(b), _) => format!("存款：{institution} {} 元", m.yuan(*b)),
            (None, Some(true)) => format!("存款：{institution} 超过约定限额"),
            (None, Some(false)) => format!("存款：{institution} 未超过约定限额"),
            (None, None) => format!("存款：{institution}"),
        },
        Fact::Securities {
            institution,
            market_value_fen,
        } => {
            format!(
                "证券/理财：{institution} 市值 {} 元",
                m.yuan(*market_value_fen)
            )
        }
        Fact::InsurancePolicy {
            insurer,
            product,
            cash_value_fen,
        } => format!(
            "商业保险：{insurer}{} 现金价值 {} 元",
            product
                .as_deref()
                .map(|p| format!("「{p}」"))
                .unwrap_or_default(),
            m.yuan(*cash_value_fen)
        ),
        Fact::Imprisonment { since, until } => format!(
            "服刑：自{since}{}",
            until.map(|u| format!("至{u}")).unwrap_or_default()
        ),
        Fact::MarriageEvent { event, on } => format!(
            "婚姻登记：{}（{on}）",
            match event {
                crate::fact::MarriageEvent::Married => "结婚",
                crate::fact::MarriageEvent::Divorced => "离婚",
            }
        ),
        Fact::Death { on } => format!("死亡/火化记录：{on}"),
    }
}

/// Renders the report as Chinese Markdown. The text states facts only; the closing statement
/// says the report is not a determination (R3).
///
/// ```
/// use hedui_core::{Case, Rulebook, render_markdown, verify};
/// use time::macros::datetime;
///
/// let case = Case::from_json(include_str!("../data/sample-case.json"))?;
/// let report = verify(&case, &Rulebook::default(), datetime!(2026-11-29 10:00 +08:00))?;
/// let text = render_markdown(&report);
/// assert!(text.contains(&report.report_number));
/// assert!(text.contains(&report.statement));
/// # Ok::<(), hedui_core::Error>(())
/// ```
pub fn render_markdown(report: &Report) -> String {
    render_markdown_with(report, Money { shown: true })
}

/// How a rendering prints money: as it is, or `***` for a reader who may not see amounts
/// (a masked view, [`MaskPolicy::render_markdown`](crate::security::MaskPolicy::render_markdown)).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Money {
    /// Amounts printed as they are.
    pub(crate) shown: bool,
}

impl Money {
    pub(crate) fn yuan(self, fen: i64) -> String {
        if self.shown {
            yuan(fen)
        } else {
            "***".to_owned()
        }
    }
}

/// [`render_markdown`] with amounts printed as `money` says.
pub(crate) fn render_markdown_with(report: &Report, m: Money) -> String {
    let mut s = String::with_capacity(8192);
    header_table(&mut s, report);
    members_section(&mut s, report);
    findings_section(&mut s, report, m);
    source_wording_note(&mut s, report);
    aggregates_section(&mut s, &report.aggregates, m);
    exempt_by_rule_note(&mut s, report);
    gaps_section(&mut s, report);
    offline_results_section(&mut s, report);
    sharing_gaps_section(&mut s, report);
    closing_section(&mut s, report);
    s
}

/// The title and the table of the report's header: numbers, parties, purpose and times.
fn header_table(s: &mut String, report: &Report) {
    let h = &report.header;
    let _ = writeln!(s, "# 居民家庭经济状况核对报告\n");
    let _ = writeln!(s, "| 项目 | 内容 |\n|---|---|");
    let _ = writeln!(s, "| 报告编号 | {} |", report.report_number);
    let _ = writeln!(s, "| 委托书编号 | {} |", h.entrustment_number);
    let _ = writeln!(s, "| 授权书编号 | {} |", h.authorization_number);
    if let Some(b) = &h.batch {
        let _ = writeln!(s, "| 核对批次 | {b} |");
    }
    let _ = writeln!(
        s,
        "| 委托单位 | {}（{}） |",
        h.entrusting_unit, h.entrusting_unit_code
    );
    let _ = writeln!(
        s,
        "| 核对机构 | {}（{}） |",
        h.agency_name,
        h.agency_level.label_zh()
    );
    let _ = writeln!(s, "| 核对事由 | {} |", h.purpose.label_zh());
    let _ = writeln!(s, "| 救助项目 | {} |", h.programme.label_zh());
    let _ = writeln!(
        s,
        "| 收入核对期 | {} 至 {} |",
        h.income_window_from, h.income_window_to
    );
    let _ = writeln!(s, "| 查询发起时间 | {} |", at(h.queries_sent_at));
    if let Some(c) = &report.check_start {
        let _ = writeln!(
            s,
            "| 核对启动时限 | 申请受理 {}，{} 个工作日内应启动（{}{}），{} 启动，{} |",
            c.requested_on,
            c.limit_working_days,
            c.due_on,
            if c.due_estimated { "，估算" } else { "" },
            c.started_on,
            if c.within_limit {
                "在时限内"
            } else {
                "超出时限"
            }
        );
    }
    let _ = writeln!(
        s,
        "| 核对前检查 | {}，{} |",
        h.precheck_officer,
        at(h.precheck_at)
    );
    let _ = writeln!(s, "| 出具时间 | {} |", at(h.issued_at));
    if let Some(a) = &h.appeal {
        let _ = writeln!(
            s,
            "| 申诉复核 | 原报告 {}，复核原因：{} |",
            a.disputed_report, a.reason
        );
    }
    let _ = writeln!(s, "| 规则版本 | {} |\n", h.rulebook_version);
}

/// Section 一: the table of household members.
fn members_section(s: &mut String, report: &Report) {
    let _ = writeln!(
        s,
        "## 一、家庭成员\n\n| 姓名 | 身份证号 | 关系 | 年龄 | 性别 | 共同生活 |\n|---|---|---|---|---|---|"
    );
    for m in &report.members {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} |",
            m.name,
            m.id_masked,
            m.relation.label_zh(),
            m.age,
            m.sex.label_zh(),
            if m.co_resident { "是" } else { "否" }
        );
    }
}

/// How a finding's answer was obtained, after its status: nothing for a department query,
/// `（线下数据核对）` for the agency's own offline data comparison (N §一(二)).
fn channel_zh(channel: QueryChannel) -> String {
    if channel.is_department_query() {
        String::new()
    } else {
        format!("（{}）", channel.label_zh())
    }
}

/// Section 二: the table of findings, one row per category and member.
fn findings_section(s: &mut String, report: &Report, m: Money) {
    let _ = writeln!(
        s,
        "\n## 二、分类核对情况\n\n| 数据类别 | 成员 | 状态 | 反馈层级 | 反馈时限 | 反馈时间 | 核对信息 |\n|---|---|---|---|---|---|---|"
    );
    for (i, f) in report.findings.iter().enumerate() {
        let facts = facts_zh(&f.facts, m);
        let quoted = report
            .source_wording
            .iter()
            .any(|w| usize::try_from(w.finding).is_ok_and(|n| n == i));
        let _ = writeln!(
            s,
            "| {} | {} | {}{} | {} | {}{} | {} | {} |",
            f.category.label_zh(),
            f.member,
            f.status.label_zh(),
            channel_zh(f.channel),
            f.level.map_or("-", |l| l.label_zh()),
            f.deadline.map_or_else(|| "-".to_owned(), |d| d.to_string()),
            if f.deadline_estimated {
                "（估算）"
            } else {
                ""
            },
            f.responded_at.map_or_else(|| "-".to_owned(), at),
            if facts.is_empty() {
                "-".to_owned()
            } else if quoted {
                format!("{}（含部门原文，见表后说明）", facts.join("；"))
            } else {
                facts.join("；")
            }
        );
    }
}

/// The income payments a feed counted that the rules exempt by their kind, with each rule:
/// one line per finding and item (a monthly payment is overridden once per month).
fn exempt_by_rule_note(s: &mut String, report: &Report) {
    let mut printed: Vec<(u32, &str)> = Vec::new();
    for e in &report.exempt_by_rule {
        let finding = usize::try_from(e.finding)
            .ok()
            .and_then(|i| report.findings.get(i));
        let item = finding
            .and_then(|f| usize::try_from(e.fact).ok().and_then(|i| f.facts.get(i)))
            .and_then(|fact| match fact {
                Fact::Income { item, .. } => Some(item.as_str()),
                _ => None,
            });
        if let (Some(f), Some(item)) = (finding, item) {
            if printed.contains(&(e.finding, item)) {
                continue;
            }
            printed.push((e.finding, item));
            let _ = writeln!(
                s,
                "- 部门反馈计入家庭收入、按规定不计入的项目：{}（{}）{}（依据：{}）",
                f.category.label_zh(),
                f.member,
                item,
                e.source
            );
        }
    }
}

/// The departments' texts that read like a conclusion, printed as their words, in quotes
/// (R3 只核对，不认定: the report itself states none).
fn source_wording_note(s: &mut String, report: &Report) {
    if report.source_wording.is_empty() {
        return;
    }
    let _ = writeln!(
        s,
        "\n说明：下列文字为数据提供部门反馈的原文，照录如下，不是本报告的结论；本报告不作是否符合救助条件的认定。\n"
    );
    for w in &report.source_wording {
        let finding = usize::try_from(w.finding)
            .ok()
            .and_then(|i| report.findings.get(i));
        let text = finding
            .and_then(|f| usize::try_from(w.fact).ok().and_then(|i| f.facts.get(i)))
            .and_then(|fact| fact.texts().find(|(name, _)| *name == w.field))
            .map(|(_, text)| text);
        if let (Some(f), Some(text)) = (finding, text) {
            let _ = writeln!(
                s,
                "- {}（{}）部门原文：“{}”",
                f.category.label_zh(),
                f.member,
                text
            );
        }
    }
}

/// Section 三: the household's aggregates, status records and declared-vs-found differences.
fn aggregates_section(s: &mut String, a: &crate::report::Aggregates, m: Money) {
    let _ = writeln!(s, "\n## 三、汇总情况\n");
    asset_lines(s, a, m);
    income_lines(s, &a.income, m);
    status_lines(s, &a.status_records);
    differences_table(s, &a.differences, m);
}

/// The lines on financial assets, provident fund, real estate, vehicles and businesses.
fn asset_lines(s: &mut String, a: &crate::report::Aggregates, m: Money) {
    let fa = &a.financial_assets;
    let _ = writeln!(
        s,
        "- 金融资产合计 {} 元（存款 {} 元，证券/理财 {} 元，商业保险现金价值 {} 元）；仅反馈超限额情况的存款 {} 笔",
        m.yuan(fa.total_fen),
        m.yuan(fa.deposits_fen),
        m.yuan(fa.securities_fen),
        m.yuan(fa.insurance_cash_value_fen),
        fa.deposits_over_limit
    );
    let _ = writeln!(s, "- 住房公积金余额 {} 元", m.yuan(fa.provident_fund_fen));
    if fa.provident_fund_withdrawn_fen != 0 {
        let _ = writeln!(
            s,
            "- 收入核对期内住房公积金提取 {} 元",
            m.yuan(fa.provident_fund_withdrawn_fen)
        );
    }
    let _ = writeln!(
        s,
        "- 不动产 {} 处（住宅 {} 处），合计 {} 平方米",
        a.real_estate.count,
        a.real_estate.residential,
        area(a.real_estate.total_area_m2_x100)
    );
    if a.real_estate.transactions > 0 {
        let _ = writeln!(
            s,
            "- 收入核对期内不动产交易 {} 笔",
            a.real_estate.transactions
        );
    }
    let _ = writeln!(
        s,
        "- 车辆 {} 辆（营运车辆 {} 辆）",
        a.vehicles.count, a.vehicles.commercial
    );
    let _ = writeln!(
        s,
        "- 市场主体 {} 户，注册资本合计 {} 元",
        a.businesses.count,
        m.yuan(a.businesses.registered_capital_fen)
    );
}

/// The lines on income over the window: by type, total, per capita, and exempt items apart.
fn income_lines(s: &mut String, inc: &crate::report::IncomeSummary, m: Money) {
    let _ = writeln!(
        s,
        "- 核对期（{} 至 {}，{} 个月）家庭收入：",
        inc.window_from, inc.window_to, inc.months
    );
    for t in &inc.by_type {
        let _ = writeln!(
            s,
            "  - {} {} 元",
            t.income_type.label_zh(),
            m.yuan(t.amount_fen)
        );
    }
    let _ = writeln!(
        s,
        "  - 合计 {} 元；共同生活成员 {} 人，月人均 {} 元",
        m.yuan(inc.total_fen),
        inc.members_counted,
        m.yuan(inc.per_capita_monthly_fen)
    );
    if !inc.exempt.is_empty() {
        let items: Vec<String> = inc
            .exempt
            .iter()
            .map(|e| format!("{} {} 元", e.item, m.yuan(e.amount_fen)))
            .collect();
        let _ = writeln!(
            s,
            "- 不计入家庭收入的项目（单列）：{}，合计 {} 元",
            items.join("，"),
            m.yuan(inc.exempt_total_fen)
        );
    }
}

/// The lines naming members with imprisonment, death, public-payroll or orphan records, if
/// any.
fn status_lines(s: &mut String, st: &crate::report::StatusRecords) {
    if !st.imprisoned.is_empty() {
        let _ = writeln!(s, "- 服刑记录：{}", st.imprisoned.join("，"));
    }
    if !st.deceased.is_empty() {
        let _ = writeln!(s, "- 死亡/火化记录：{}", st.deceased.join("，"));
    }
    if !st.public_payroll.is_empty() {
        let _ = writeln!(s, "- 财政供养记录：{}", st.public_payroll.join("，"));
    }
    if !st.orphans.is_empty() {
        let _ = writeln!(s, "- 孤儿认定：{}", st.orphans.join("，"));
    }
}

/// The table of declared-vs-found differences, if the household declared anything.
fn differences_table(s: &mut String, differences: &[crate::report::Difference], m: Money) {
    if differences.is_empty() {
        return;
    }
    let _ = writeln!(
        s,
        "\n| 申报项目 | 申报值 | 核对值 | 差额 |\n|---|---|---|---|"
    );
    for d in differences {
        let money = matches!(
            d.item,
            crate::report::DeclaredItem::FinancialAssetsFen
                | crate::report::DeclaredItem::IncomeFen
        );
        let fmt = |v: i64| if money { m.yuan(v) } else { v.to_string() };
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} |",
            d.item.label_zh(),
            fmt(d.declared),
            fmt(d.found),
            fmt(d.difference)
        );
    }
}

/// Section 四: the gaps and their offline tasks, or "无。".
fn gaps_section(s: &mut String, report: &Report) {
    let _ = writeln!(s, "\n## 四、未获查询结果的事项及线下调查任务\n");
    if report.gaps.is_empty() {
        let _ = writeln!(s, "无。");
        return;
    }
    let _ = writeln!(
        s,
        "以下事项由委托单位采用线下方式调查核实，线上线下结果相结合，不影响社会救助业务办理。\n\n| 数据类别 | 原因 | 涉及成员 | 调查方式 | 任务编号 | 已有调查结果 |\n|---|---|---|---|---|---|"
    );
    for g in &report.gaps {
        let methods: Vec<&str> = g.task.methods.iter().map(|m| m.label_zh()).collect();
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} |",
            g.category.label_zh(),
            g.reason.label_zh(),
            g.members.join("，"),
            methods.join("、"),
            g.task.task_id,
            if g.investigated { "是" } else { "否" }
        );
    }
}

/// The offline results returned by the entrusting unit, closing section 四, if any.
fn offline_results_section(s: &mut String, report: &Report) {
    if report.offline_results.is_empty() {
        return;
    }
    let _ = writeln!(s, "\n线下调查结果：\n");
    for o in &report.offline_results {
        let _ = writeln!(
            s,
            "- {}（{}，{}）调查人：{}；在场成员签字：{}；{}；附件 {} 份",
            o.category.label_zh(),
            o.method.label_zh(),
            o.on,
            o.investigators.join("、"),
            if o.members_present.is_empty() {
                "-".to_owned()
            } else {
                o.members_present.join("，")
            },
            o.summary,
            o.attachment_digests.len()
        );
    }
}

/// Section 五: the data-sharing gaps met while planning, if any.
fn sharing_gaps_section(s: &mut String, report: &Report) {
    if report.sharing_gaps.is_empty() {
        return;
    }
    let _ = writeln!(s, "\n## 五、数据共享缺口（供管理参考）\n");
    for g in &report.sharing_gaps {
        let _ = writeln!(
            s,
            "- {}：本级（{}）{}，由{}补充查询",
            g.category.label_zh(),
            g.own_level.label_zh(),
            match g.own_availability {
                crate::sharing::Availability::Shared => "已共享",
                crate::sharing::Availability::NotShared => "未实现共享",
                crate::sharing::Availability::NoMeans => "不具备查询条件",
            },
            g.upper_level.label_zh()
        );
    }
}

/// The limits of use, the not-a-determination statement and the integrity block, if sealed.
fn closing_section(s: &mut String, report: &Report) {
    let _ = writeln!(
        s,
        "\n## 使用说明\n\n{}\n\n{}\n",
        report.limits_of_use, report.statement
    );
    if let Some(i) = &report.integrity {
        let _ = writeln!(s, "---\n校验：{} SHA-256 {}", i.canonical_form, i.digest);
        if let Some(sig) = &i.signature {
            let _ = writeln!(s, "签名：Ed25519 密钥 {}", sig.key_id);
        }
    }
}
