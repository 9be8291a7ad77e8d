//! The manager's billing page: preview the month, issue it with progress
//! shown, earlier runs, and the ways to the arrears, the ledger and exports.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::AppError;
use crate::api::billing::{PreviewBills, StartBillRun, get_bill_run, get_billing};
use crate::domain::billing::{BillingOverview, RunPreview, RunState, RunStatus};
use crate::i18n::{Key, use_i18n};
use crate::ui::components::{
    Badge, Loaded, MoneyText, Refresh, TextField, Tone, field_error, form_error, route_id,
};

use super::{CsvExport, run_state_label};

/// How often the page asks how far a run has got.
const POLL_MS: u64 = 700;

#[component]
pub fn BillingPage() -> impl IntoView {
    let id = route_id();
    let version = Refresh::provide();
    let overview = Resource::new_blocking(
        move || (id, version.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_billing(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! { <Loaded resource=overview view=|o| view! { <Billing o /> } /> }
}

#[component]
fn Billing(o: BillingOverview) -> impl IntoView {
    let i18n = use_i18n();
    let company = o.company.0;
    let month = RwSignal::new(o.this_month.code());
    view! {
        <Title text=i18n.t(Key::BillingTitle) />
        <section class="panel" aria-labelledby="billing-title">
            <p class="eyebrow"><a href=format!("/companies/{company}")>{i18n.name(&o.company_name)}</a></p>
            <h1 id="billing-title">{i18n.t(Key::BillingTitle)}</h1>
            <p class="tools">
                <a class="btn btn-secondary" href=format!("/companies/{company}/arrears")>{i18n.t(Key::BillingArrearsTitle)}</a>
                <a class="btn btn-secondary" href=format!("/companies/{company}/ledger")>{i18n.t(Key::BillingLedgerTitle)}</a>
            </p>
            {o.can_run.then(|| view! { <MonthRun company month /> })}
        </section>
        <section class="panel" aria-labelledby="runs-title">
            <h2 id="runs-title">{i18n.t(Key::BillingRunsTitle)}</h2>
            <RunList runs=o.runs />
        </section>
        <section class="panel" aria-labelledby="export-title">
            <h2 id="export-title">{i18n.t(Key::BillingExportTitle)}</h2>
            <TextField name="export_month" label=Key::BillingMonth value=month hint=Key::BillingMonthHint />
            <p class="tools">
                <CsvExport company what="bills" month label=Key::BillingExportBills />
                <CsvExport company what="payments" month label=Key::BillingExportPayments />
                <CsvExport company what="arrears" month label=Key::BillingExportArrears />
            </p>
        </section>
    }
}

#[component]
fn MonthRun(company: i64, month: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let preview = ServerAction::<PreviewBills>::new();
    let start = ServerAction::<StartBillRun>::new();
    let pv = preview.value();
    let sv = start.value();
    // Which month's run to follow, once one was started from this page.
    let following: RwSignal<Option<String>> = RwSignal::new(None);
    let tick = RwSignal::new(0u32);
    Effect::new(move |_| {
        if matches!(sv.get(), Some(Ok(()))) {
            following.set(Some(month.get_untracked()));
        }
    });
    let status = Resource::new(
        move || (following.get(), tick.get()),
        move |(m, _)| async move {
            match m {
                Some(m) => get_bill_run(company, m).await.ok().flatten(),
                None => None,
            }
        },
    );
    Effect::new(move |_| {
        if let Some(Some(s)) = status.get()
            && s.state == RunState::Running
        {
            set_timeout(
                move || tick.update(|t| *t += 1),
                std::time::Duration::from_millis(POLL_MS),
            );
        }
    });
    view! {
        <form class="form" on:submit=move |ev| {
            ev.prevent_default();
            preview.dispatch(PreviewBills { company, month: month.get_untracked() });
        }>
            <TextField name="month" label=Key::BillingMonth value=month hint=Key::BillingMonthHint error=field_error(pv, "month") />
            {form_error(pv)}
            <button type="submit" class="btn btn-secondary" data-testid="preview-bills">{i18n.t(Key::BillingPreview)}</button>
        </form>
        {move || pv.get().and_then(Result::ok).map(|p| {
            let can_issue = p.to_issue > 0;
            let m = p.month.code();
            view! {
                <PreviewTable p />
                {can_issue.then(|| view! {
                    <p class="tools">
                        <button
                            type="button"
                            class="btn btn-primary"
                            data-testid="issue-bills"
                            disabled=move || start.pending().get()
                            on:click={
                                let m = m.clone();
                                move |_| {
                                    month.set(m.clone());
                                    start.dispatch(StartBillRun { company, month: m.clone() });
                                }
                            }
                        >
                            {i18n.fill(Key::BillingIssue, &[("month", &m)])}
                        </button>
                    </p>
                })}
            }
        })}
        {form_error(sv)}
        <Suspense fallback=|| ()>
            {move || status.get().flatten().map(|s| view! { <RunProgress s /> })}
        </Suspense>
    }
}

#[component]
fn PreviewTable(p: RunPreview) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table class="table table-cards" data-testid="bill-preview">
            <caption>{i18n.fill(Key::BillingPreviewCaption, &[("month", &p.month.code())])}</caption>
            <thead>
                <tr>
                    <th scope="col">{i18n.t(Key::BillingEstate)}</th>
                    <th scope="col">{i18n.t(Key::BillingHouseholds)}</th>
                    <th scope="col">{i18n.t(Key::BillingAlreadyBilled)}</th>
                    <th scope="col">{i18n.t(Key::BillingMissingArea)}</th>
                    <th scope="col">{i18n.t(Key::BillingToIssueTotal)}</th>
                </tr>
            </thead>
            <tbody>
                {p.estates.into_iter().map(|e| view! {
                    <tr>
                        <th scope="row">{i18n.name(&e.name)}</th>
                        <td data-label=i18n.t(Key::BillingHouseholds)>{e.households}</td>
                        <td data-label=i18n.t(Key::BillingAlreadyBilled)>{e.billed}</td>
                        <td data-label=i18n.t(Key::BillingMissingArea)>{e.missing_area}</td>
                        <td data-label=i18n.t(Key::BillingToIssueTotal)><MoneyText money=e.total /></td>
                    </tr>
                }).collect_view()}
            </tbody>
            <tfoot>
                <tr>
                    <th scope="row">{i18n.t(Key::BillingAllEstates)}</th>
                    <td colspan="3" data-testid="preview-to-issue">{i18n.fill(Key::BillingToIssue, &[("n", &p.to_issue.to_string())])}</td>
                    <td data-testid="preview-total"><MoneyText money=p.total /></td>
                </tr>
            </tfoot>
        </table>
    }
}

#[component]
fn RunProgress(s: RunStatus) -> impl IntoView {
    let i18n = use_i18n();
    let (tone, key) = match s.state {
        RunState::Running => (Tone::Info, Key::BillingRunRunning),
        RunState::Done => (Tone::Success, Key::BillingRunDone),
        RunState::Failed => (Tone::Danger, Key::BillingRunFailed),
    };
    view! {
        <div class="run-progress" role="status" data-testid="run-progress" data-state=s.state.code()>
            <progress max=s.total.max(1) value=s.done></progress>
            <p>
                <Badge tone>{i18n.t(key)}</Badge> " "
                {i18n.fill(Key::BillingProgress, &[
                    ("done", &s.done.to_string()),
                    ("total", &s.total.to_string()),
                    ("issued", &s.issued.to_string()),
                ])}
            </p>
        </div>
    }
}

#[component]
fn RunList(runs: Vec<RunStatus>) -> impl IntoView {
    let i18n = use_i18n();
    if runs.is_empty() {
        return view! { <p class="empty">{i18n.t(Key::BillingNoRuns)}</p> }.into_any();
    }
    view! {
        <table class="table table-cards" data-testid="bill-runs">
            <thead>
                <tr>
                    <th scope="col">{i18n.t(Key::BillingMonth)}</th>
                    <th scope="col">{i18n.t(Key::BillingRunState)}</th>
                    <th scope="col">{i18n.t(Key::BillingRunIssued)}</th>
                </tr>
            </thead>
            <tbody>
                {runs.into_iter().map(|r| view! {
                    <tr>
                        <th scope="row">{r.month.code()}</th>
                        <td data-label=i18n.t(Key::BillingRunState)>{i18n.t(run_state_label(r.state))}</td>
                        <td data-label=i18n.t(Key::BillingRunIssued)>{r.issued}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
