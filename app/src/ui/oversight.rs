//! The Party oversight dashboard (/party) and one estate's figures under it
//! (/party/estates/:id). Filters travel in the address, so a view can be
//! bookmarked, shared and printed as it is.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::AppError;
use crate::api::oversight::{get_dashboard, get_estate_oversight};
use crate::domain::oversight::{
    Dashboard, EstateOversight, Kpis, Period, PriceWarning, TrendPoint,
};
use crate::i18n::{I18n, Key, use_i18n};
use crate::ui::components::{Loaded, MoneyText, route_id};
use crate::ui::statements::chart::{BarChart, Series};

/// A query parameter, or `None` when absent or empty.
fn param(name: &'static str) -> impl Fn() -> Option<String> + Copy {
    let query = use_query_map();
    move || query.with(|q| q.get(name).filter(|v| !v.trim().is_empty()))
}

#[component]
pub fn PartyPage() -> impl IntoView {
    let i18n = use_i18n();
    let (unit, from, to) = (param("unit"), param("from"), param("to"));
    let dashboard = Resource::new_blocking(
        move || (unit(), from(), to()),
        |(unit, from, to)| get_dashboard(unit, from, to),
    );
    view! {
        <Title text=i18n.t(Key::PartyTitle) />
        <Loaded resource=dashboard view=|d| view! { <DashboardView d /> } />
    }
}

/// "87.5" from 875 tenths.
fn tenths_text(tenths: i64) -> String {
    format!("{}.{}", tenths.div_euclid(10), tenths.rem_euclid(10))
}

fn percent(value: Option<i64>) -> String {
    value.map_or_else(|| "—".to_owned(), |t| format!("{}%", tenths_text(t)))
}

fn plain(value: Option<i64>) -> String {
    value.map_or_else(|| "—".to_owned(), tenths_text)
}

fn hours(i18n: I18n, minutes: Option<i64>) -> String {
    match minutes.and_then(|m| crate::domain::oversight::tenths(m, 60, 1)) {
        Some(t) => i18n.fill(Key::OversightHours, &[("n", &tenths_text(t))]),
        None => "—".to_owned(),
    }
}

fn on_time(k: &Kpis) -> String {
    format!("{} / {}", k.statements_on_time, k.statements_due)
}

/// The period filter; with grid units to choose from, the unit filter too.
#[component]
fn Filters(
    action: String,
    period: Period,
    units: Vec<crate::domain::oversight::GridUnit>,
    unit: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let has_units = !units.is_empty();
    let options = units
        .into_iter()
        .map(|u| {
            let selected = unit.as_deref() == Some(u.code.as_str());
            let indent = if u.depth > 0 { "\u{3000}" } else { "" };
            view! { <option value=u.code selected=selected>{indent}{i18n.name(&u.name)}</option> }
        })
        .collect_view();
    view! {
        <form method="get" action=action class="filters-row" data-testid="oversight-filters">
            {has_units.then(|| view! {
                <label class="field">
                    <span class="field-label">{i18n.t(Key::OversightUnit)}</span>
                    <select name="unit" class="input">
                        <option value="">{i18n.t(Key::OversightWholeScope)}</option>
                        {options}
                    </select>
                </label>
            })}
            <label class="field">
                <span class="field-label">{i18n.t(Key::OversightFrom)}</span>
                <input class="input" type="month" name="from" value=period.from />
            </label>
            <label class="field">
                <span class="field-label">{i18n.t(Key::OversightTo)}</span>
                <input class="input" type="month" name="to" value=period.to />
            </label>
            <button type="submit" class="btn btn-secondary">{i18n.t(Key::OversightApply)}</button>
        </form>
    }
}

/// The headline figures as tiles.
#[component]
fn Tiles(k: Kpis) -> impl IntoView {
    let i18n = use_i18n();
    let tile = |label: Key, value: String, testid: &'static str| {
        view! {
            <div class="stat" data-testid=testid>
                <span class="stat-value">{value}</span>
                <span class="stat-label">{i18n.t(label)}</span>
            </div>
        }
    };
    view! {
        <div class="stats stats-dense">
            {tile(Key::OversightHouseholds, k.households.to_string(), "kpi-households")}
            {tile(Key::OversightOrders, k.orders.to_string(), "kpi-orders")}
            {tile(Key::OversightCompletion, percent(k.completion), "kpi-completion")}
            {tile(Key::OversightResponse, hours(i18n, k.median_response_minutes), "kpi-response")}
            {tile(Key::OversightRating, plain(k.rating), "kpi-rating")}
            {tile(Key::OversightComplaints, plain(k.complaints_per_100), "kpi-complaints")}
            {tile(Key::OversightCollection, percent(k.collection), "kpi-collection")}
            {tile(Key::OversightArrears, i18n.money(k.arrears), "kpi-arrears")}
            {tile(Key::OversightSaving, i18n.money(k.saving), "kpi-saving")}
            {tile(Key::OversightAboveMarket, k.prices_above_market.to_string(), "kpi-above-market")}
            {tile(Key::OversightStatements, on_time(&k), "kpi-statements")}
        </div>
    }
}

/// The figures of one row of the table, as cells.
#[component]
fn KpiCells(k: Kpis) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <td class="num" data-label=i18n.t(Key::OversightHouseholds)>{k.households}</td>
        <td class="num" data-label=i18n.t(Key::OversightOrders)>{k.orders}</td>
        <td class="num" data-label=i18n.t(Key::OversightCompletion)>{percent(k.completion)}</td>
        <td class="num" data-label=i18n.t(Key::OversightResponse)>{hours(i18n, k.median_response_minutes)}</td>
        <td class="num" data-label=i18n.t(Key::OversightRating)>{plain(k.rating)}</td>
        <td class="num" data-label=i18n.t(Key::OversightComplaints)>{plain(k.complaints_per_100)}</td>
        <td class="num" data-label=i18n.t(Key::OversightCollection)>{percent(k.collection)}</td>
        <td class="num" data-label=i18n.t(Key::OversightArrears)><MoneyText money=k.arrears /></td>
        <td class="num" data-label=i18n.t(Key::OversightSaving)><MoneyText money=k.saving /></td>
        <td class="num" data-label=i18n.t(Key::OversightAboveMarket)>
            {if k.prices_above_market > 0 {
                view! { <span class="badge badge-warning">{k.prices_above_market}</span> }.into_any()
            } else {
                "0".into_any()
            }}
        </td>
        <td class="num" data-label=i18n.t(Key::OversightStatements)>{on_time(&k)}</td>
    }
}

fn kpi_headers(i18n: I18n) -> impl IntoView {
    [
        Key::OversightHouseholds,
        Key::OversightOrders,
        Key::OversightCompletion,
        Key::OversightResponse,
        Key::OversightRating,
        Key::OversightComplaints,
        Key::OversightCollection,
        Key::OversightArrears,
        Key::OversightSaving,
        Key::OversightAboveMarket,
        Key::OversightStatements,
    ]
    .into_iter()
    .map(|k| view! { <th scope="col" class="num">{i18n.t(k)}</th> })
    .collect_view()
}

/// Orders, rates and complaints per month.
#[component]
fn Trend(trend: Vec<TrendPoint>) -> impl IntoView {
    let i18n = use_i18n();
    let labels: Vec<String> = trend.iter().map(|p| p.month.clone()).collect();
    let orders = trend.iter().map(|p| vec![p.orders]).collect();
    let rates = trend
        .iter()
        .map(|p| vec![p.completion.unwrap_or(0), p.collection.unwrap_or(0)])
        .collect();
    let complaints = trend.iter().map(|p| vec![p.complaints]).collect();
    view! {
        <div class="charts">
            <BarChart
                title=i18n.t(Key::OversightChartOrders).to_owned()
                series=vec![Series { class: "bar-income", legend: i18n.t(Key::OversightOrders).to_owned() }]
                labels=labels.clone()
                values=orders
                describe=Box::new(|n| n.to_string())
                testid="chart-orders"
            />
            <BarChart
                title=i18n.t(Key::OversightChartRates).to_owned()
                series=vec![
                    Series { class: "bar-rate", legend: i18n.t(Key::OversightCompletion).to_owned() },
                    Series { class: "bar-saving", legend: i18n.t(Key::OversightCollection).to_owned() },
                ]
                labels=labels.clone()
                values=rates
                describe=Box::new(|t| format!("{}%", tenths_text(t)))
                testid="chart-rates"
            />
            <BarChart
                title=i18n.t(Key::OversightChartComplaints).to_owned()
                series=vec![Series { class: "bar-expense", legend: i18n.t(Key::OversightComplaintsCount).to_owned() }]
                labels=labels
                values=complaints
                describe=Box::new(|n| n.to_string())
                testid="chart-complaints"
            />
        </div>
    }
}

#[component]
fn Warnings(company: String, warnings: Vec<PriceWarning>) -> impl IntoView {
    let i18n = use_i18n();
    warnings
        .into_iter()
        .map(|w| {
            let text = i18n.fill(
                Key::OversightAboveMarketLine,
                &[
                    ("company", &company),
                    ("service", &i18n.name(&w.service)),
                    ("ours", &i18n.money(w.ours)),
                    ("market", &i18n.money(w.market)),
                ],
            );
            view! { <li data-testid="price-warning"><span class="badge badge-warning">{i18n.t(Key::OversightAboveMarketBadge)}</span> " " {text}</li> }
        })
        .collect_view()
}

fn period_query(p: &Period) -> String {
    format!("from={}&to={}", p.from, p.to)
}

#[component]
fn DashboardView(d: Dashboard) -> impl IntoView {
    let i18n = use_i18n();
    let query = period_query(&d.period);
    let period_text = i18n.fill(
        Key::OversightPeriodText,
        &[("from", &d.period.from), ("to", &d.period.to)],
    );
    let warnings = d
        .companies
        .iter()
        .filter(|c| !c.price_warnings.is_empty())
        .map(
            |c| view! { <Warnings company=i18n.name(&c.name) warnings=c.price_warnings.clone() /> },
        )
        .collect_view();
    let any_warning = d.companies.iter().any(|c| !c.price_warnings.is_empty());
    let rows = d
        .companies
        .into_iter()
        .map(|c| {
            let attention = c.kpis.needs_attention();
            let estates = c
                .estates
                .into_iter()
                .map(|e| {
                    let href = format!("/party/estates/{}?{query}", e.id);
                    view! {
                        <tr class="sub-row" data-testid="overseen-estate">
                            <th scope="row" data-label=i18n.t(Key::OversightEstate)>
                                <a href=href data-testid="estate-link">{i18n.name(&e.name)}</a>
                            </th>
                            <KpiCells k=e.kpis />
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <tr class="group-row" data-testid="overseen-company" data-attention=attention.to_string()>
                    <th scope="row" data-label=i18n.t(Key::PartyColCompany)>
                        <a href=format!("/companies/{}", c.id)>{i18n.name(&c.name)}</a>
                        <span class="muted">" · " {i18n.name(&c.community)}</span>
                        {attention.then(|| view! { " " <span class="badge badge-warning">{i18n.t(Key::OversightAttention)}</span> })}
                    </th>
                    <KpiCells k=c.kpis />
                </tr>
                {estates}
            }
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="party-title" data-testid="party-overview">
            <p class="eyebrow">{i18n.t(Key::PartyTitle)}</p>
            <h1 id="party-title">{i18n.name(&d.scope)}</h1>
            <p class="tools">
                <a class="btn btn-ghost btn-small" href="/roster">{i18n.t(Key::RosterTitle)}</a>
                <a class="btn btn-ghost btn-small" href="/audit">{i18n.t(Key::AuditTitle)}</a>
            </p>
            <Filters action="/party".to_owned() period=d.period.clone() units=d.units unit=d.unit />
            <p class="muted" data-testid="oversight-period">{period_text}</p>
            <Tiles k=d.total />
            <Trend trend=d.trend />
            <h2>{i18n.t(Key::PartyCompanies)}</h2>
            <div class="table-scroll">
                <table class="table table-cards oversight-table">
                    <thead>
                        <tr>
                            <th scope="col">{i18n.t(Key::PartyColCompany)}</th>
                            {kpi_headers(i18n)}
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {any_warning.then(|| view! {
                <h2>{i18n.t(Key::OversightWarnings)}</h2>
                <ul class="plain-list">{warnings}</ul>
            })}
            <p class="muted small">{i18n.t(Key::OversightDefinitions)}</p>
        </section>
    }
}

#[component]
pub fn OversightEstatePage() -> impl IntoView {
    let id = route_id();
    let (from, to) = (param("from"), param("to"));
    let estate = Resource::new_blocking(
        move || (id, from(), to()),
        |(id, from, to)| async move {
            match id {
                Some(id) => get_estate_oversight(id, from, to).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! { <Loaded resource=estate view=|e| view! { <EstateView e /> } /> }
}

#[component]
fn EstateView(e: EstateOversight) -> impl IntoView {
    let i18n = use_i18n();
    let name = i18n.name(&e.name);
    let id = e.id;
    let back = format!("/party?{}", period_query(&e.period));
    let company = e.company.clone();
    let months = e
        .trend
        .iter()
        .rev()
        .map(|p| {
            view! {
                <tr data-testid="oversight-month">
                    <th scope="row">{p.month.clone()}</th>
                    <td class="num" data-label=i18n.t(Key::OversightOrders)>{p.orders}</td>
                    <td class="num" data-label=i18n.t(Key::OversightCompletion)>{percent(p.completion)}</td>
                    <td class="num" data-label=i18n.t(Key::OversightCollection)>{percent(p.collection)}</td>
                    <td class="num" data-label=i18n.t(Key::OversightComplaintsCount)>{p.complaints}</td>
                    <td class="num" data-label=i18n.t(Key::OversightSaving)><MoneyText money=p.saving /></td>
                </tr>
            }
        })
        .collect_view();
    let company_name = company
        .as_ref()
        .map(|(_, n)| i18n.name(n))
        .unwrap_or_default();
    view! {
        <Title text=name.clone() />
        <section class="panel" aria-labelledby="estate-oversight-title" data-testid="estate-oversight">
            <p class="eyebrow"><a href=back>{i18n.t(Key::OversightBack)}</a></p>
            <h1 id="estate-oversight-title">{name}</h1>
            <dl class="pairs">
                <dt>{i18n.t(Key::PartyColCompany)}</dt>
                <dd>{company.map(|(c, n)| view! { <a href=format!("/companies/{c}")>{i18n.name(&n)}</a> })}</dd>
                <dt>{i18n.t(Key::PartyColCommunity)}</dt>
                <dd>{i18n.name(&e.community)}</dd>
            </dl>
            <p class="tools">
                <a class="btn btn-secondary btn-small" href=format!("/estates/{id}")>{i18n.t(Key::OversightEstatePage)}</a>
                <a class="btn btn-secondary btn-small" href=format!("/estates/{id}/accounts")>{i18n.t(Key::OversightAccounts)}</a>
                <a class="btn btn-ghost btn-small" href=format!("/estates/{id}/notices")>{i18n.t(Key::OversightNotices)}</a>
            </p>
            <Filters action=format!("/party/estates/{id}") period=e.period.clone() units=Vec::new() unit=None />
            <Tiles k=e.kpis />
            <Trend trend=e.trend.clone() />
            <h2>{i18n.t(Key::OversightByMonth)}</h2>
            <table class="table table-cards">
                <thead>
                    <tr>
                        <th scope="col">{i18n.t(Key::OversightMonth)}</th>
                        <th scope="col" class="num">{i18n.t(Key::OversightOrders)}</th>
                        <th scope="col" class="num">{i18n.t(Key::OversightCompletion)}</th>
                        <th scope="col" class="num">{i18n.t(Key::OversightCollection)}</th>
                        <th scope="col" class="num">{i18n.t(Key::OversightComplaintsCount)}</th>
                        <th scope="col" class="num">{i18n.t(Key::OversightSaving)}</th>
                    </tr>
                </thead>
                <tbody>{months}</tbody>
            </table>
            {(!e.price_warnings.is_empty()).then(|| view! {
                <h2>{i18n.t(Key::OversightWarnings)}</h2>
                <ul class="plain-list"><Warnings company=company_name warnings=e.price_warnings /></ul>
            })}
            <p class="muted small">{i18n.t(Key::OversightDefinitions)}</p>
        </section>
    }
}
