//! Monthly accounts: the estate's accounts page (months, charts, roll-ups,
//! expenses), the month's statement with its review, and the estate's
//! notice board (公示) for residents.

mod accounts;
pub mod chart;
mod notices;
mod statement;

pub use accounts::AccountsPage;
pub use notices::NoticesPage;
pub use statement::StatementPage;

use leptos::prelude::*;

use crate::domain::billing::BillLineKind;
use crate::domain::contracts::Percent;
use crate::domain::statements::{ExpenseCategory, StatementFigures, StatementState};
use crate::i18n::{I18n, Key, use_i18n};
use crate::ui::components::{Badge, MoneyText, Tone};

pub fn state_badge(state: StatementState) -> impl IntoView {
    let i18n = use_i18n();
    let (tone, key) = match state {
        StatementState::Submitted => (Tone::Info, Key::AccountsStateSubmitted),
        StatementState::Queried => (Tone::Warning, Key::AccountsStateQueried),
        StatementState::ChairSigned => (Tone::Warning, Key::AccountsStateChairSigned),
        StatementState::Disclosed => (Tone::Success, Key::AccountsStateDisclosed),
    };
    view! { <Badge tone>{i18n.t(key)}</Badge> }
}

pub fn category_label(c: ExpenseCategory) -> Key {
    match c {
        ExpenseCategory::Wages => Key::AccountsCategoryWages,
        ExpenseCategory::Supplies => Key::AccountsCategorySupplies,
        ExpenseCategory::Repairs => Key::AccountsCategoryRepairs,
        ExpenseCategory::Utilities => Key::AccountsCategoryUtilities,
        ExpenseCategory::MaintenanceFund => Key::AccountsCategoryMaintenanceFund,
        ExpenseCategory::Other => Key::AccountsCategoryOther,
    }
}

fn kind_label(k: BillLineKind) -> Key {
    match k {
        BillLineKind::AreaFee => Key::AccountsIncomeAreaFee,
        BillLineKind::Service => Key::AccountsIncomeService,
        BillLineKind::Cancellation => Key::AccountsIncomeCancellation,
        BillLineKind::LateFee => Key::AccountsIncomeLateFee,
        BillLineKind::Adjustment => Key::AccountsIncomeAdjustment,
    }
}

/// "甲、乙、丙" or "A, B, C", as the reader's language joins a list.
pub fn list(i18n: I18n, items: impl IntoIterator<Item = String>) -> String {
    items
        .into_iter()
        .reduce(|a, b| i18n.fill(Key::AccountsListJoin, &[("a", &a), ("b", &b)]))
        .unwrap_or_default()
}

/// A roll-up's label: a year as it is, "2026-Q3" worded for the reader.
pub fn period_label(i18n: I18n, label: &str) -> String {
    match label.split_once("-Q") {
        Some((year, q)) => i18n.fill(Key::AccountsQuarter, &[("year", year), ("q", q)]),
        None => label.to_owned(),
    }
}

pub fn percent_text(p: Option<Percent>) -> String {
    p.map_or_else(|| "—".to_owned(), |p| p.to_string())
}

/// A money cell with its test id, so tests can read figures by name.
fn money_row(
    i18n: I18n,
    label: Key,
    money: crate::domain::Money,
    id: &'static str,
) -> impl IntoView {
    view! {
        <tr>
            <th scope="row">{i18n.t(label)}</th>
            <td class="num" data-testid=id><MoneyText money /></td>
        </tr>
    }
}

/// Everything a statement says, in the order Civil Code art. 943 lists the
/// items an owner is owed.
#[component]
pub fn FiguresView(f: StatementFigures) -> impl IntoView {
    let i18n = use_i18n();
    let rating = f
        .work
        .average_rating()
        .map_or_else(|| "—".to_owned(), |r| format!("{r} / 5"));
    view! {
        <div class="figures" data-testid="figures">
            <section>
                <h2>{i18n.t(Key::AccountsIncomeTitle)}</h2>
                <table class="table">
                    <tbody>
                        {f.income.iter().map(|l| view! {
                            <tr><th scope="row">{i18n.t(kind_label(l.kind))}</th><td class="num"><MoneyText money=l.billed /></td></tr>
                        }).collect_view()}
                        {money_row(i18n, Key::AccountsBilled, f.billed(), "billed")}
                        {money_row(i18n, Key::AccountsCollected, f.collected, "collected")}
                        <tr>
                            <th scope="row">{i18n.t(Key::AccountsCollectionRate)}</th>
                            <td class="num" data-testid="collection-rate">{percent_text(f.collection_rate())}</td>
                        </tr>
                    </tbody>
                </table>
            </section>
            <section>
                <h2>{i18n.t(Key::AccountsExpensesTitle)}</h2>
                <table class="table">
                    <tbody>
                        {f.expenses.iter().filter(|e| e.category.is_running_cost()).map(|e| view! {
                            <tr><th scope="row">{i18n.t(category_label(e.category))}</th><td class="num"><MoneyText money=e.amount /></td></tr>
                        }).collect_view()}
                        {money_row(i18n, Key::AccountsRunningCosts, f.running_costs(), "running-costs")}
                        {money_row(i18n, Key::AccountsBalance, f.balance(), "balance")}
                        {f.commission_amount().map(|c| view! {
                            {money_row(i18n, Key::AccountsCommission, c, "commission")}
                            <tr><td colspan="2" class="muted">{i18n.fill(Key::AccountsCommissionRule, &[("rate", &percent_text(f.commission))])}</td></tr>
                        })}
                        {f.owners_remainder().map(|r| money_row(i18n, Key::AccountsOwnersRemainder, r, "owners-remainder"))}
                    </tbody>
                </table>
            </section>
            <section>
                <h2>{i18n.t(Key::AccountsArrearsTitle)}</h2>
                <p data-testid="arrears">
                    {i18n.fill(Key::AccountsArrearsLine, &[
                        ("amount", &i18n.money(f.arrears)),
                        ("n", &f.households_in_arrears.to_string()),
                        ("of", &f.households.to_string()),
                    ])}
                </p>
            </section>
            <section>
                <h2>{i18n.t(Key::AccountsSavingTitle)}</h2>
                <p class="saving" data-testid="saving">{i18n.fill(Key::AccountsSavingLine, &[("amount", &i18n.money(f.saving()))])}</p>
                <table class="table table-cards">
                    <thead><tr>
                        <th scope="col">{i18n.t(Key::AccountsService)}</th>
                        <th scope="col" class="num">{i18n.t(Key::AccountsOurPrice)}</th>
                        <th scope="col" class="num">{i18n.t(Key::AccountsMarketPrice)}</th>
                        <th scope="col" class="num">{i18n.t(Key::AccountsSaving)}</th>
                    </tr></thead>
                    <tbody>
                        {f.savings.iter().map(|s| view! {
                            <tr>
                                <th scope="row">{i18n.name(&s.name)}</th>
                                <td class="num" data-label=i18n.t(Key::AccountsOurPrice)><MoneyText money=s.billed /></td>
                                <td class="num" data-label=i18n.t(Key::AccountsMarketPrice)><MoneyText money=s.market /></td>
                                <td class="num" data-label=i18n.t(Key::AccountsSaving)><MoneyText money=s.saving() /></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
            <h2 class="art943">{i18n.t(Key::AccountsDisclosureItems)}</h2>
            <section>
                <h3>{i18n.t(Key::AccountsServicesAndStaff)}</h3>
                <p>{if f.staff.is_empty() { i18n.t(Key::AccountsNoStaff).to_owned() } else { list(i18n, f.staff.clone()) }}</p>
            </section>
            <section>
                <h3>{i18n.t(Key::AccountsFeeItems)}</h3>
                <table class="table table-cards">
                    <thead><tr>
                        <th scope="col">{i18n.t(Key::AccountsService)}</th>
                        <th scope="col" class="num">{i18n.t(Key::AccountsOurPrice)}</th>
                        <th scope="col" class="num">{i18n.t(Key::AccountsMarketPrice)}</th>
                        <th scope="col">{i18n.t(Key::AccountsBasis)}</th>
                    </tr></thead>
                    <tbody>
                        {f.fee_items.iter().map(|l| view! {
                            <tr>
                                <th scope="row">{i18n.name(&l.name)}</th>
                                <td class="num" data-label=i18n.t(Key::AccountsOurPrice)><MoneyText money=l.price /></td>
                                <td class="num" data-label=i18n.t(Key::AccountsMarketPrice)><MoneyText money=l.market /></td>
                                <td data-label=i18n.t(Key::AccountsBasis)>{l.basis.clone()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
            <section>
                <h3>{i18n.t(Key::AccountsPerformance)}</h3>
                <ul class="facts" data-testid="performance">
                    <li>{i18n.fill(Key::AccountsOrdersDone, &[("n", &f.work.orders_done.to_string())])}</li>
                    <li>{i18n.fill(Key::AccountsVisitsDone, &[("done", &f.work.visits_done.to_string()), ("planned", &f.work.visits_planned.to_string())])}</li>
                    <li>{i18n.fill(Key::AccountsRating, &[("rating", &rating), ("n", &f.work.ratings.to_string())])}</li>
                    <li>{i18n.fill(Key::AccountsComplaints, &[("n", &f.work.complaints.to_string()), ("answered", &f.work.complaints_answered.to_string())])}</li>
                </ul>
            </section>
            <section>
                <h3>{i18n.t(Key::AccountsMaintenanceFund)}</h3>
                <Entries entries=f.maintenance_fund.clone() total=f.maintenance_fund_used() testid="maintenance-fund" />
            </section>
            <section>
                <h3>{i18n.t(Key::AccountsCommonIncome)}</h3>
                <p class="muted">{i18n.t(Key::AccountsCommonIncomeHelp)}</p>
                <Entries entries=f.common_income.clone() total=f.common_income_total() testid="common-income" />
            </section>
        </div>
    }
}

#[component]
pub fn Entries(
    entries: Vec<crate::domain::statements::EntryLine>,
    total: crate::domain::Money,
    testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    if entries.is_empty() {
        return view! { <p class="empty" data-testid=testid>{i18n.t(Key::AccountsNone)}</p> }
            .into_any();
    }
    view! {
        <table class="table" data-testid=testid>
            <tbody>
                {entries.into_iter().map(|e| view! {
                    <tr>
                        <td>{i18n.date(e.on)}</td>
                        <th scope="row">{e.description}</th>
                        <td class="num"><MoneyText money=e.amount /></td>
                    </tr>
                }).collect_view()}
            </tbody>
            <tfoot><tr><th scope="row" colspan="2">{i18n.t(Key::BillingTotal)}</th><td class="num"><MoneyText money=total /></td></tr></tfoot>
        </table>
    }
    .into_any()
}
