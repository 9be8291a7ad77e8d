//! Arrears: who owes what, by how long overdue, per estate, and each
//! household's step on the escalation ladder. There is deliberately no
//! way here to cut off any utility (民法典 art. 944).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::AppError;
use crate::api::billing::{EscalateArrears, get_arrears};
use crate::domain::billing::{ArrearsList, ArrearsStage};
use crate::i18n::{Key, use_i18n};
use crate::ui::components::{
    Loaded, MoneyText, Refresh, field_error, form_error, refresh_on_success, route_id,
};

use super::{CsvExport, stage_label};

/// Rows shown at first, and added by each "more".
const PAGE: usize = 50;

#[component]
pub fn ArrearsPage() -> impl IntoView {
    let id = route_id();
    let version = Refresh::provide();
    let estate = RwSignal::new(0i64);
    let list = Resource::new_blocking(
        move || (id, estate.get(), version.get()),
        |(id, estate, _)| async move {
            match id {
                Some(id) => get_arrears(id, estate).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let escalate = ServerAction::<EscalateArrears>::new();
    refresh_on_success(escalate.value());
    view! { <Loaded resource=list view=move |l| view! { <Arrears l estate escalate /> } /> }
}

#[component]
fn Arrears(
    l: ArrearsList,
    estate: RwSignal<i64>,
    escalate: ServerAction<EscalateArrears>,
) -> impl IntoView {
    let i18n = use_i18n();
    let company = l.company.0;
    let ev = escalate.value();
    let buckets = [
        Key::BillingAgeCurrent,
        Key::BillingAge30,
        Key::BillingAge60,
        Key::BillingAge90,
    ];
    // A long list is shown a page at a time: a phone (and its battery) need
    // not lay out a thousand rows at once.
    let all = l.rows.len();
    let shown = RwSignal::new(PAGE.min(all));
    let none = l.rows.is_empty();
    let can_escalate = l.can_escalate;
    let rows = StoredValue::new(l.rows);
    view! {
        <Title text=i18n.t(Key::BillingArrearsTitle) />
        <section class="panel" aria-labelledby="arrears-title">
            <p class="eyebrow"><a href=format!("/companies/{company}/billing")>{i18n.t(Key::BillingTitle)}</a></p>
            <h1 id="arrears-title">{i18n.t(Key::BillingArrearsTitle)}</h1>
            <p class="muted">{i18n.t(Key::BillingArrearsHelp)}</p>
            <div class="field">
                <label for="arrears-estate">{i18n.t(Key::BillingEstate)}</label>
                <select id="arrears-estate" on:change=move |e| estate.set(event_target_value(&e).parse().unwrap_or(0))>
                    <option value="0" selected=l.estate.is_none()>{i18n.t(Key::BillingAllEstates)}</option>
                    {l.estates.iter().map(|(id, name)| view! {
                        <option value=id.0 selected=l.estate == Some(*id)>{i18n.name(name)}</option>
                    }).collect_view()}
                </select>
            </div>
            <p class="tools"><CsvExport company what="arrears" month=Signal::derive(String::new) label=Key::BillingExportArrears /></p>
            {form_error(ev)}
            {if none {
                view! { <p class="empty">{i18n.t(Key::BillingNoArrears)}</p> }.into_any()
            } else {
                view! {
                    <table class="table table-cards" data-testid="arrears">
                        <thead>
                            <tr>
                                <th scope="col">{i18n.t(Key::BillingHousehold)}</th>
                                {buckets.iter().map(|k| view! { <th scope="col" class="num">{i18n.t(*k)}</th> }).collect_view()}
                                <th scope="col" class="num">{i18n.t(Key::BillingTotal)}</th>
                                <th scope="col">{i18n.t(Key::BillingStage)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {move || rows.with_value(|rows| rows.iter().take(shown.get()).map(|r| {
                                let household = r.household.0;
                                let next = ArrearsStage::after(r.stage);
                                view! {
                                    <tr data-testid="arrears-row" data-household=household>
                                        <th scope="row">
                                            <a href=format!("/households/{household}/bills")>{format!("{} {}", i18n.name(&r.estate_name), r.label)}</a>
                                            <br /><span class="muted">{i18n.fill(Key::BillingSince, &[("month", &r.oldest.code())])}</span>
                                        </th>
                                        {r.buckets.iter().zip(buckets).enumerate().map(|(i, (m, k))| view! {
                                            <td class="num" data-label=i18n.t(k) data-bucket=i><MoneyText money=*m /></td>
                                        }).collect_view()}
                                        <td class="num" data-label=i18n.t(Key::BillingTotal)><MoneyText money=r.total /></td>
                                        <td data-label=i18n.t(Key::BillingStage)>
                                            {r.stage.map(|s| i18n.t(stage_label(s))).unwrap_or("—")}
                                            {r.stage_on.map(|d| format!(" · {}", i18n.date(d)))}
                                            {(can_escalate && next.is_some()).then(|| view! {
                                                <ActionForm action=escalate attr:class="form form-inline">
                                                    <input type="hidden" name="household" value=household />
                                                    <input type="text" name="note" aria-label=i18n.t(Key::BillingStepNote) placeholder=i18n.t(Key::BillingStepNote) />
                                                    <button type="submit" class="btn btn-secondary">
                                                        {next.map(|s| i18n.fill(Key::BillingNextStep, &[("stage", i18n.t(stage_label(s)))]))}
                                                    </button>
                                                </ActionForm>
                                            })}
                                        </td>
                                    </tr>
                                }
                            }).collect_view())}
                        </tbody>
                        <tfoot>
                            <tr>
                                <th scope="row">{i18n.t(Key::BillingTotal)}</th>
                                {l.totals.iter().map(|m| view! { <td class="num"><MoneyText money=*m /></td> }).collect_view()}
                                <td class="num" data-testid="arrears-total"><MoneyText money=l.totals.iter().copied().sum() /></td>
                                <td></td>
                            </tr>
                        </tfoot>
                    </table>
                    {move || (shown.get() < all).then(|| view! {
                        <p class="tools">
                            <button type="button" class="btn btn-secondary" data-testid="arrears-more" on:click=move |_| shown.update(|n| *n = (*n + PAGE).min(all))>
                                {i18n.fill(Key::BillingShowMore, &[("shown", &shown.get().to_string()), ("total", &all.to_string())])}
                            </button>
                        </p>
                    })}
                }.into_any()
            }}
            <p class="field-error" role="alert">{move || field_error(ev, "note").get().map(|k| i18n.t(k))}</p>
        </section>
    }
}
