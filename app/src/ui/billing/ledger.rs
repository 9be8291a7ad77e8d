//! The trial balance: every account's debit or credit balance; the two
//! columns are equal because every entry is.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::AppError;
use crate::api::billing::get_trial_balance;
use crate::domain::billing::TrialBalance;
use crate::i18n::{Key, use_i18n};
use crate::ui::components::{Badge, Loaded, MoneyText, Tone, route_id};

use super::account_label;

#[component]
pub fn LedgerPage() -> impl IntoView {
    let id = route_id();
    let balance = Resource::new_blocking(
        move || id,
        |id| async move {
            match id {
                Some(id) => get_trial_balance(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! { <Loaded resource=balance view=|t| view! { <Ledger t /> } /> }
}

#[component]
fn Ledger(t: TrialBalance) -> impl IntoView {
    let i18n = use_i18n();
    let balanced = t.debit == t.credit;
    view! {
        <Title text=i18n.t(Key::BillingLedgerTitle) />
        <section class="panel" aria-labelledby="ledger-title">
            <p class="eyebrow"><a href=format!("/companies/{}/billing", t.company.0)>{i18n.t(Key::BillingTitle)}</a></p>
            <h1 id="ledger-title">{i18n.t(Key::BillingLedgerTitle)}</h1>
            <p>
                {if balanced {
                    view! { <Badge tone=Tone::Success>{i18n.t(Key::BillingBalanced)}</Badge> }.into_any()
                } else {
                    view! { <Badge tone=Tone::Danger>{i18n.t(Key::BillingUnbalanced)}</Badge> }.into_any()
                }}
            </p>
            <table class="table" data-testid="trial-balance">
                <thead>
                    <tr>
                        <th scope="col">{i18n.t(Key::BillingAccount)}</th>
                        <th scope="col" class="num">{i18n.t(Key::BillingDebit)}</th>
                        <th scope="col" class="num">{i18n.t(Key::BillingCredit)}</th>
                    </tr>
                </thead>
                <tbody>
                    {t.rows.into_iter().map(|r| view! {
                        <tr>
                            <th scope="row">{i18n.t(account_label(r.account))}</th>
                            <td class="num"><MoneyText money=r.debit /></td>
                            <td class="num"><MoneyText money=r.credit /></td>
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot>
                    <tr>
                        <th scope="row">{i18n.t(Key::BillingTotal)}</th>
                        <td class="num" data-testid="total-debit"><MoneyText money=t.debit /></td>
                        <td class="num" data-testid="total-credit"><MoneyText money=t.credit /></td>
                    </tr>
                </tfoot>
            </table>
        </section>
    }
}
