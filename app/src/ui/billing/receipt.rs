//! A printable receipt.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::AppError;
use crate::api::billing::get_receipt;
use crate::domain::billing::Receipt;
use crate::domain::time::to_china;
use crate::i18n::{Key, use_i18n};
use crate::ui::components::{Loaded, MoneyText, print_page, route_id};

use super::method_label;

#[component]
pub fn ReceiptPage() -> impl IntoView {
    let id = route_id();
    let receipt = Resource::new_blocking(
        move || id,
        |id| async move {
            match id {
                Some(id) => get_receipt(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! { <Loaded resource=receipt view=|r| view! { <ReceiptView r /> } /> }
}

#[component]
fn ReceiptView(r: Receipt) -> impl IntoView {
    let i18n = use_i18n();
    let p = r.payment;
    let when = to_china(p.paid_at);
    let title = if p.reversal_of.is_some() {
        Key::BillingReversalReceiptTitle
    } else {
        Key::BillingReceiptTitle
    };
    let settled = p
        .settled
        .iter()
        .map(|(m, a)| format!("{} {}", m.code(), i18n.money(*a)))
        .collect::<Vec<_>>()
        .join("、");
    view! {
        <Title text=format!("{} {}", i18n.t(title), p.receipt_no) />
        <article class="panel receipt" data-testid="receipt">
            <p class="eyebrow">{i18n.name(&r.company_name)}</p>
            <h1>{i18n.t(title)}</h1>
            <dl class="pairs">
                <dt>{i18n.t(Key::BillingReceiptNo)}</dt><dd data-testid="receipt-no">{p.receipt_no.clone()}</dd>
                <dt>{i18n.t(Key::BillingPaidAt)}</dt><dd>{format!("{} {}", i18n.date(when.date()), when.format("%H:%M"))}</dd>
                <dt>{i18n.t(Key::BillingHousehold)}</dt><dd>{format!("{} {}", i18n.name(&r.estate_name), r.label)}</dd>
                <dt>{i18n.t(Key::BillingAmount)}</dt><dd data-testid="receipt-amount"><MoneyText money=p.amount /></dd>
                <dt>{i18n.t(Key::BillingMethod)}</dt><dd>{i18n.t(method_label(p.method))} " " {p.reference.clone()}</dd>
                <dt>{i18n.t(Key::BillingSettled)}</dt><dd>{settled}</dd>
                {(!p.reason.is_empty()).then(|| view! { <dt>{i18n.t(Key::BillingReverseReason)}</dt><dd>{p.reason.clone()}</dd> })}
                <dt>{i18n.t(Key::BillingRecordedBy)}</dt><dd>{p.recorded_by.clone()}</dd>
            </dl>
            <p class="tools no-print">
                <button type="button" class="btn btn-primary" on:click=|_| print_page()>{i18n.t(Key::BillingPrint)}</button>
                <a class="btn btn-secondary" href=format!("/households/{}/bills", r.household.0)>{i18n.t(Key::BillingBillsTitle)}</a>
            </p>
        </article>
    }
}
