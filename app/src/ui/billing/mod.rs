//! Billing pages: the manager's month run, a household's bills and
//! payments, the printable receipt, arrears and the trial balance.

mod account;
mod arrears;
mod ledger;
mod receipt;
mod run;

pub use account::HouseholdBillsPage;
pub use arrears::ArrearsPage;
pub use ledger::LedgerPage;
pub use receipt::ReceiptPage;
pub use run::BillingPage;

use leptos::prelude::*;

use crate::api::billing::ExportCsv;
use crate::domain::billing::{Account, ArrearsStage, PaymentMethod, RunState};
use crate::i18n::{Key, use_i18n};

pub fn method_label(m: PaymentMethod) -> Key {
    match m {
        PaymentMethod::Cash => Key::BillingMethodCash,
        PaymentMethod::WeChat => Key::BillingMethodWechat,
        PaymentMethod::Alipay => Key::BillingMethodAlipay,
        PaymentMethod::BankTransfer => Key::BillingMethodBank,
    }
}

pub fn stage_label(s: ArrearsStage) -> Key {
    match s {
        ArrearsStage::Reminder => Key::BillingStageReminder,
        ArrearsStage::CommitteeUrging => Key::BillingStageCommittee,
        ArrearsStage::Mediation => Key::BillingStageMediation,
        ArrearsStage::LegalAction => Key::BillingStageLegal,
    }
}

pub fn account_label(a: Account) -> Key {
    match a {
        Account::Receivable => Key::BillingAccountReceivable,
        Account::FeeIncome => Key::BillingAccountFeeIncome,
        Account::ServiceIncome => Key::BillingAccountServiceIncome,
        Account::LateFeeIncome => Key::BillingAccountLateFeeIncome,
        Account::Adjustments => Key::BillingAccountAdjustments,
        Account::Cash => Key::BillingAccountCash,
        Account::WeChat => Key::BillingAccountWechat,
        Account::Alipay => Key::BillingAccountAlipay,
        Account::Bank => Key::BillingAccountBank,
    }
}

pub fn run_state_label(s: RunState) -> Key {
    match s {
        RunState::Running => Key::BillingRunRunning,
        RunState::Done => Key::BillingRunDone,
        RunState::Failed => Key::BillingRunFailed,
    }
}

/// Fetches a CSV export and offers it as a download link.
#[component]
pub fn CsvExport(
    company: i64,
    what: &'static str,
    #[prop(into)] month: Signal<String>,
    label: Key,
) -> impl IntoView {
    let i18n = use_i18n();
    let export = ServerAction::<ExportCsv>::new();
    let v = export.value();
    let file = move || {
        let m = month.get();
        if what == "bills" {
            format!("{what}-{m}.csv")
        } else {
            format!("{what}.csv")
        }
    };
    view! {
        <span class="csv-export">
            <button
                type="button"
                class="btn btn-secondary"
                data-testid=format!("export-{what}")
                on:click=move |_| {
                    export.dispatch(ExportCsv { company, what: what.to_owned(), month: month.get_untracked() });
                }
            >
                {i18n.t(label)}
            </button>
            {move || match v.get() {
                Some(Ok(csv)) => Some(view! {
                    <a
                        class="btn btn-link"
                        download=file()
                        data-testid=format!("download-{what}")
                        href=format!("data:text/csv;charset=utf-8,{}", crate::api::encode_component(&csv))
                    >
                        {i18n.t(Key::BillingDownload)}
                    </a>
                }.into_any()),
                Some(Err(e)) => Some(view! { <span class="field-error" role="alert">{i18n.t(e.message())}</span> }.into_any()),
                None => None,
            }}
        </span>
    }
}
