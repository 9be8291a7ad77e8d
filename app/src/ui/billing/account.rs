//! A household's bills with their lines, its payments and receipts, what it
//! saved this year; the cashier's payment form, the manager's reversal and
//! correction forms.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::AppError;
use crate::api::billing::{AddAdjustment, RecordPayment, ReversePayment, get_household_account};
use crate::domain::billing::{BillView, HouseholdAccount, PaymentMethod, PaymentView};
use crate::domain::time::to_china;
use crate::i18n::{Key, use_i18n};
use crate::ui::components::{
    Badge, Loaded, MoneyText, Refresh, SelectField, TextField, Tone, field_error, form_error,
    refresh_on_success, route_id,
};

use super::method_label;

#[component]
pub fn HouseholdBillsPage() -> impl IntoView {
    let id = route_id();
    let version = Refresh::provide();
    let account = Resource::new_blocking(
        move || (id, version.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_household_account(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    // Made here, outside the part that reloads, so their answers stay shown.
    let pay = ServerAction::<RecordPayment>::new();
    refresh_on_success(pay.value());
    let reverse = ServerAction::<ReversePayment>::new();
    refresh_on_success(reverse.value());
    let adjust = ServerAction::<AddAdjustment>::new();
    refresh_on_success(adjust.value());
    view! { <Loaded resource=account view=move |a| view! { <Account a pay reverse adjust /> } /> }
}

#[component]
fn Account(
    a: HouseholdAccount,
    pay: ServerAction<RecordPayment>,
    reverse: ServerAction<ReversePayment>,
    adjust: ServerAction<AddAdjustment>,
) -> impl IntoView {
    let i18n = use_i18n();
    let household = a.household.0;
    let owes = a.balance > crate::domain::Money::ZERO;
    let open: Vec<(String, String)> =
        std::iter::once(("0".to_owned(), i18n.t(Key::BillingOldestFirst).to_owned()))
            .chain(
                a.bills
                    .iter()
                    .filter(|b| b.outstanding > crate::domain::Money::ZERO)
                    .map(|b| {
                        (
                            b.id.0.to_string(),
                            format!("{} · {}", b.month.code(), i18n.money(b.outstanding)),
                        )
                    }),
            )
            .collect();
    view! {
        <Title text=i18n.t(Key::BillingBillsTitle) />
        <section class="panel" aria-labelledby="bills-title">
            <p class="eyebrow"><a href=format!("/households/{household}")>{format!("{} {}", i18n.name(&a.estate_name), a.label)}</a></p>
            <h1 id="bills-title">{i18n.t(Key::BillingBillsTitle)}</h1>
            <dl class="pairs">
                <dt>{i18n.t(if owes { Key::BillingOwed } else { Key::BillingBalance })}</dt>
                <dd data-testid="balance"><MoneyText money=a.balance /></dd>
                <dt>{i18n.fill(Key::BillingSavedThisYear, &[("year", &a.year.to_string())])}</dt>
                <dd data-testid="saved"><MoneyText money=a.saved_this_year /></dd>
            </dl>
        </section>
        {a.can_record_payment.then(|| view! { <PaymentForm household token=a.form_token.clone() open pay /> })}
        <section class="panel" aria-labelledby="bill-list-title">
            <h2 id="bill-list-title">{i18n.t(Key::BillingBillList)}</h2>
            {if a.bills.is_empty() {
                view! { <p class="empty">{i18n.t(Key::BillingNoBills)}</p> }.into_any()
            } else {
                a.bills.into_iter().map(|b| view! { <Bill b /> }).collect_view().into_any()
            }}
        </section>
        <section class="panel" aria-labelledby="payments-title">
            <h2 id="payments-title">{i18n.t(Key::BillingPaymentsTitle)}</h2>
            <Payments payments=a.payments can_reverse=a.can_reverse reverse />
        </section>
        {a.can_adjust.then(|| {
            let pending = a.pending_adjustments.clone();
            view! {
                <section class="panel" aria-labelledby="adjust-title">
                    <h2 id="adjust-title">{i18n.t(Key::BillingAdjustTitle)}</h2>
                    <p class="muted">{i18n.t(Key::BillingAdjustHelp)}</p>
                    <ul class="plain" data-testid="pending-adjustments">
                        {pending.into_iter().map(|p| view! {
                            <li><MoneyText money=p.amount /> " · " {p.reason}</li>
                        }).collect_view()}
                    </ul>
                    <AdjustForm household adjust />
                </section>
            }
        })}
    }
}

#[component]
fn Bill(b: BillView) -> impl IntoView {
    let i18n = use_i18n();
    let (tone, key) = if b.outstanding <= crate::domain::Money::ZERO {
        (Tone::Success, Key::BillingPaidUp)
    } else if b.paid > crate::domain::Money::ZERO {
        (Tone::Warning, Key::BillingPartlyPaid)
    } else {
        (Tone::Warning, Key::BillingUnpaid)
    };
    view! {
        <article class="bill" data-testid="bill" data-month=b.month.code()>
            <h3>
                {i18n.fill(Key::BillingBillOf, &[("month", &b.month.code())])} " "
                <Badge tone>{i18n.t(key)}</Badge>
            </h3>
            <p class="muted">{i18n.fill(Key::BillingDueOn, &[("date", &i18n.date(b.due_on))])}</p>
            <table class="table bill-lines">
                <thead>
                    <tr>
                        <th scope="col">{i18n.t(Key::BillingLineItem)}</th>
                        <th scope="col">{i18n.t(Key::BillingLineDetail)}</th>
                        <th scope="col" class="num">{i18n.t(Key::BillingLineMarket)}</th>
                        <th scope="col" class="num">{i18n.t(Key::BillingLineAmount)}</th>
                    </tr>
                </thead>
                <tbody>
                    {b.lines.into_iter().map(|l| view! {
                        <tr>
                            <th scope="row">{i18n.name(&l.name)}</th>
                            <td>{l.detail}</td>
                            <td class="num"><MoneyText money=l.market /></td>
                            <td class="num"><MoneyText money=l.amount /></td>
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot>
                    <tr><th scope="row" colspan="3">{i18n.t(Key::BillingTotal)}</th><td class="num" data-testid="bill-total"><MoneyText money=b.total /></td></tr>
                    <tr><th scope="row" colspan="3">{i18n.t(Key::BillingPaid)}</th><td class="num"><MoneyText money=b.paid /></td></tr>
                    <tr><th scope="row" colspan="3">{i18n.t(Key::BillingOutstanding)}</th><td class="num" data-testid="bill-outstanding"><MoneyText money=b.outstanding /></td></tr>
                </tfoot>
            </table>
        </article>
    }
}

#[component]
fn Payments(
    payments: Vec<PaymentView>,
    can_reverse: bool,
    reverse: ServerAction<ReversePayment>,
) -> impl IntoView {
    let i18n = use_i18n();
    if payments.is_empty() {
        return view! { <p class="empty">{i18n.t(Key::BillingNoPayments)}</p> }.into_any();
    }
    let rv = reverse.value();
    view! {
        {form_error(rv)}
        <table class="table table-cards" data-testid="payments">
            <thead>
                <tr>
                    <th scope="col">{i18n.t(Key::BillingReceiptNo)}</th>
                    <th scope="col">{i18n.t(Key::BillingPaidAt)}</th>
                    <th scope="col">{i18n.t(Key::BillingMethod)}</th>
                    <th scope="col" class="num">{i18n.t(Key::BillingAmount)}</th>
                    <th scope="col">{i18n.t(Key::BillingSettled)}</th>
                    <th scope="col">{i18n.t(Key::BillingRecordedBy)}</th>
                </tr>
            </thead>
            <tbody>
                {payments.into_iter().map(|p| {
                    let when = to_china(p.paid_at);
                    let settled = p.settled.iter().map(|(m, a)| format!("{} {}", m.code(), i18n.money(*a))).collect::<Vec<_>>().join("、");
                    let reversible = can_reverse && p.reversal_of.is_none() && p.reversed_by.is_none();
                    let id = p.id.0;
                    view! {
                        <tr data-testid="payment">
                            <th scope="row"><a href=format!("/receipts/{id}")>{p.receipt_no.clone()}</a></th>
                            <td data-label=i18n.t(Key::BillingPaidAt)>{format!("{} {}", i18n.date(when.date()), when.format("%H:%M"))}</td>
                            <td data-label=i18n.t(Key::BillingMethod)>{i18n.t(method_label(p.method))} " " {p.reference.clone()}</td>
                            <td data-label=i18n.t(Key::BillingAmount) class="num"><MoneyText money=p.amount /></td>
                            <td data-label=i18n.t(Key::BillingSettled)>
                                {settled}
                                {p.reversal_of.map(|_| view! { <p><Badge tone=Tone::Warning>{i18n.t(Key::BillingReversal)}</Badge> " " {p.reason.clone()}</p> })}
                                {p.reversed_by.map(|_| view! { <p><Badge tone=Tone::Neutral>{i18n.t(Key::BillingReversed)}</Badge></p> })}
                            </td>
                            <td data-label=i18n.t(Key::BillingRecordedBy)>
                                {p.recorded_by.clone()}
                                {reversible.then(|| view! {
                                    <ActionForm action=reverse attr:class="form form-inline">
                                        <input type="hidden" name="payment" value=id />
                                        <TextField name="reason" id=format!("reverse-reason-{id}") label=Key::BillingReverseReason error=field_error(rv, "reason") />
                                        <button type="submit" class="btn btn-danger">{i18n.t(Key::BillingReverse)}</button>
                                    </ActionForm>
                                })}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn PaymentForm(
    household: i64,
    token: String,
    open: Vec<(String, String)>,
    pay: ServerAction<RecordPayment>,
) -> impl IntoView {
    let i18n = use_i18n();
    let v = pay.value();
    let methods: Vec<(String, String)> = PaymentMethod::ALL
        .iter()
        .map(|m| (m.code().to_owned(), i18n.t(method_label(*m)).to_owned()))
        .collect();
    view! {
        <section class="panel" aria-labelledby="pay-title">
            <h2 id="pay-title">{i18n.t(Key::BillingRecordPayment)}</h2>
            <ActionForm action=pay attr:class="form" attr:data-testid="payment-form">
                <input type="hidden" name="household" value=household />
                <input type="hidden" name="form_token" value=token />
                <TextField name="amount" label=Key::BillingAmount input_type="text" error=field_error(v, "amount") required=true />
                <SelectField name="method" label=Key::BillingMethod options=methods selected="cash" error=field_error(v, "method") />
                <TextField name="reference" label=Key::BillingReference hint=Key::BillingReferenceHint error=field_error(v, "reference") />
                <SelectField name="bill" label=Key::BillingSettleBill options=open error=field_error(v, "bill") />
                {form_error(v)}
                <button type="submit" class="btn btn-primary">{i18n.t(Key::BillingRecordPayment)}</button>
            </ActionForm>
            {move || v.get().and_then(Result::ok).map(|r| view! {
                <p class="notice" role="status" data-testid="payment-recorded">
                    {i18n.fill(Key::BillingPaymentRecorded, &[("receipt", &r.receipt_no)])} " "
                    <a class="btn btn-secondary" href=format!("/receipts/{}", r.payment.0)>{i18n.t(Key::BillingPrintReceipt)}</a>
                </p>
            })}
        </section>
    }
}

#[component]
fn AdjustForm(household: i64, adjust: ServerAction<AddAdjustment>) -> impl IntoView {
    let i18n = use_i18n();
    let v = adjust.value();
    view! {
        <ActionForm action=adjust attr:class="form">
            <input type="hidden" name="household" value=household />
            <TextField name="amount" id="adjust-amount" label=Key::BillingAdjustAmount error=field_error(v, "amount") />
            <TextField name="reason" id="adjust-reason" label=Key::BillingAdjustReason error=field_error(v, "reason") />
            {form_error(v)}
            {move || matches!(v.get(), Some(Ok(()))).then(|| view! { <p class="notice" role="status">{i18n.t(Key::BillingAdjustSaved)}</p> })}
            <button type="submit" class="btn btn-secondary">{i18n.t(Key::BillingAdjustSave)}</button>
        </ActionForm>
    }
}
