//! An estate's monthly accounts: the last twelve months with their
//! statements, charts (income against expenses, savings, collection rate),
//! quarter and year roll-ups, and the chosen month's expenses and
//! common-area income, which the manager records here.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::AppError;
use crate::api::statements::{RecordCommonIncome, RecordExpense, get_accounts, get_expense_photo};
use crate::domain::statements::{AccountsOverview, ExpenseCategory, MonthTotals, SplitRule};
use crate::i18n::{Key, use_i18n};
use crate::ui::components::{
    Loaded, MoneyText, Refresh, field_error, form_error, refresh_on_success, route_id,
};

use super::chart::{BarChart, Series};
use super::{Entries, category_label, list, percent_text, period_label, state_badge};

#[component]
pub fn AccountsPage() -> impl IntoView {
    let id = route_id();
    let version = Refresh::provide();
    let month = RwSignal::new(String::new());
    let overview = Resource::new_blocking(
        move || (id, month.get(), version.get()),
        |(id, month, _)| async move {
            match id {
                Some(id) => get_accounts(id, month).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let expense = ServerAction::<RecordExpense>::new();
    let income = ServerAction::<RecordCommonIncome>::new();
    refresh_on_success(expense.value());
    refresh_on_success(income.value());
    view! { <Loaded resource=overview view=move |a| view! { <Accounts a month expense income /> } /> }
}

/// The months to pick entries from, newest first: the page's months and
/// the one shown, whichever it is.
fn picker_months(a: &AccountsOverview) -> Vec<String> {
    let mut months: Vec<String> = a.months.iter().map(|m| m.month.code()).collect();
    months.push(a.month.code());
    months.sort_unstable_by(|x, y| y.cmp(x));
    months.dedup();
    months
}

fn rule_label(r: SplitRule) -> Key {
    match r {
        SplitRule::Single => Key::AccountsRuleSingle,
        SplitRule::Households => Key::AccountsRuleHouseholds,
        SplitRule::FloorArea => Key::AccountsRuleFloorArea,
    }
}

#[component]
fn Accounts(
    a: AccountsOverview,
    month: RwSignal<String>,
    expense: ServerAction<RecordExpense>,
    income: ServerAction<RecordCommonIncome>,
) -> impl IntoView {
    let i18n = use_i18n();
    let estate = a.estate.0;
    let title = format!(
        "{} · {}",
        i18n.name(&a.estate_name),
        i18n.t(Key::AccountsTitle)
    );
    let labels: Vec<String> = a
        .months
        .iter()
        .map(|m| format!("{}", m.month.month))
        .collect();
    let money = move |fen: i64| i18n.money(crate::domain::Money::from_fen(fen));
    let income_chart = a
        .months
        .iter()
        .map(|m| vec![m.totals.collected.fen(), m.totals.expenses.fen()])
        .collect();
    let saving_chart = a
        .months
        .iter()
        .map(|m| vec![m.totals.saving.fen()])
        .collect();
    let rate_chart = a
        .months
        .iter()
        .map(|m| vec![m.totals.collection_rate().map_or(0, |p| p.basis_points())])
        .collect();
    let rollup = |rows: Vec<MonthTotals>, caption: Key, testid: &'static str| {
        view! {
            <table class="table table-cards" data-testid=testid>
                <caption>{i18n.t(caption)}</caption>
                <thead><tr>
                    <th scope="col">{i18n.t(Key::AccountsPeriod)}</th>
                    <th scope="col" class="num">{i18n.t(Key::AccountsBilled)}</th>
                    <th scope="col" class="num">{i18n.t(Key::AccountsCollected)}</th>
                    <th scope="col" class="num">{i18n.t(Key::AccountsRunningCosts)}</th>
                    <th scope="col" class="num">{i18n.t(Key::AccountsSaving)}</th>
                    <th scope="col" class="num">{i18n.t(Key::AccountsCollectionRate)}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|t| view! {
                        <tr>
                            <th scope="row">{period_label(i18n, &t.label)}</th>
                            <td class="num" data-label=i18n.t(Key::AccountsBilled)><MoneyText money=t.billed /></td>
                            <td class="num" data-label=i18n.t(Key::AccountsCollected)><MoneyText money=t.collected /></td>
                            <td class="num" data-label=i18n.t(Key::AccountsRunningCosts)><MoneyText money=t.expenses /></td>
                            <td class="num" data-label=i18n.t(Key::AccountsSaving)><MoneyText money=t.saving /></td>
                            <td class="num" data-label=i18n.t(Key::AccountsCollectionRate)>{percent_text(t.collection_rate())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        }
    };
    let chosen = a.month.code();
    let picker = picker_months(&a);
    let common_total = a.common_income.iter().map(|e| e.amount).sum();
    let can_record = a.can_record;
    let estates = a.estates.clone();
    let ev = expense.value();
    let iv = income.value();
    view! {
        <Title text=title.clone() />
        <section class="panel" aria-labelledby="accounts-title">
            <p class="eyebrow"><a href=format!("/estates/{estate}")>{i18n.name(&a.estate_name)}</a></p>
            <h1 id="accounts-title">{title}</h1>
            <p class="tools"><a class="btn btn-secondary" href=format!("/estates/{estate}/notices")>{i18n.t(Key::AccountsNoticesTitle)}</a></p>
            <table class="table table-cards" data-testid="months">
                <thead><tr>
                    <th scope="col">{i18n.t(Key::BillingMonth)}</th>
                    <th scope="col" class="num">{i18n.t(Key::AccountsBilled)}</th>
                    <th scope="col" class="num">{i18n.t(Key::AccountsCollected)}</th>
                    <th scope="col" class="num">{i18n.t(Key::AccountsRunningCosts)}</th>
                    <th scope="col" class="num">{i18n.t(Key::AccountsSaving)}</th>
                    <th scope="col" class="num">{i18n.t(Key::AccountsCollectionRate)}</th>
                    <th scope="col">{i18n.t(Key::AccountsStatement)}</th>
                </tr></thead>
                <tbody>
                    {a.months.iter().rev().map(|m| {
                        let code = m.month.code();
                        view! {
                            <tr data-testid="month-row" data-month=code.clone()>
                                <th scope="row">{code.clone()}</th>
                                <td class="num" data-label=i18n.t(Key::AccountsBilled)><MoneyText money=m.totals.billed /></td>
                                <td class="num" data-label=i18n.t(Key::AccountsCollected)><MoneyText money=m.totals.collected /></td>
                                <td class="num" data-label=i18n.t(Key::AccountsRunningCosts)><MoneyText money=m.totals.expenses /></td>
                                <td class="num" data-label=i18n.t(Key::AccountsSaving)><MoneyText money=m.totals.saving /></td>
                                <td class="num" data-label=i18n.t(Key::AccountsCollectionRate)>{percent_text(m.totals.collection_rate())}</td>
                                <td data-label=i18n.t(Key::AccountsStatement)>
                                    <a href=format!("/estates/{estate}/accounts/{code}")>
                                        {match m.state {
                                            Some(s) => view! { {state_badge(s)} " " {m.version.map(|v| i18n.fill(Key::AccountsVersion, &[("n", &v.to_string())]))} }.into_any(),
                                            None => view! { {i18n.t(Key::AccountsStateDraft)} }.into_any(),
                                        }}
                                    </a>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <div class="charts">
                <BarChart
                    title=i18n.t(Key::AccountsChartIncome).to_owned()
                    series=vec![
                        Series { class: "bar-income", legend: i18n.t(Key::AccountsCollected).to_owned() },
                        Series { class: "bar-expense", legend: i18n.t(Key::AccountsRunningCosts).to_owned() },
                    ]
                    labels=labels.clone()
                    values=income_chart
                    describe=Box::new(money)
                    testid="chart-income"
                />
                <BarChart
                    title=i18n.t(Key::AccountsChartSaving).to_owned()
                    series=vec![Series { class: "bar-saving", legend: i18n.t(Key::AccountsSaving).to_owned() }]
                    labels=labels.clone()
                    values=saving_chart
                    describe=Box::new(money)
                    testid="chart-saving"
                />
                <BarChart
                    title=i18n.t(Key::AccountsChartRate).to_owned()
                    series=vec![Series { class: "bar-rate", legend: i18n.t(Key::AccountsCollectionRate).to_owned() }]
                    labels=labels
                    values=rate_chart
                    describe=Box::new(|bp| crate::domain::contracts::Percent::from_basis_points(bp).to_string())
                    testid="chart-rate"
                />
            </div>
            {rollup(a.quarters, Key::AccountsQuarters, "quarters")}
            {rollup(a.years, Key::AccountsYears, "years")}
        </section>
        <section class="panel" aria-labelledby="entries-title">
            <h2 id="entries-title">{i18n.fill(Key::AccountsEntriesTitle, &[("month", &chosen)])}</h2>
            <div class="field">
                <label for="entries-month">{i18n.t(Key::BillingMonth)}</label>
                <select id="entries-month" on:change=move |e| month.set(event_target_value(&e))>
                    {picker.into_iter().map(|code| {
                        view! { <option value=code.clone() selected=code == chosen>{code.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
            {if a.expenses.is_empty() {
                view! { <p class="empty" data-testid="expenses">{i18n.t(Key::AccountsNoExpenses)}</p> }.into_any()
            } else {
                view! {
                    <table class="table table-cards" data-testid="expenses">
                        <thead><tr>
                            <th scope="col">{i18n.t(Key::AccountsSpentOn)}</th>
                            <th scope="col">{i18n.t(Key::AccountsCategory)}</th>
                            <th scope="col">{i18n.t(Key::AccountsDescription)}</th>
                            <th scope="col" class="num">{i18n.t(Key::AccountsShare)}</th>
                            <th scope="col">{i18n.t(Key::AccountsRule)}</th>
                        </tr></thead>
                        <tbody>
                            {a.expenses.into_iter().map(|e| view! {
                                <tr>
                                    <td data-label=i18n.t(Key::AccountsSpentOn)>{i18n.date(e.spent_on)}</td>
                                    <td data-label=i18n.t(Key::AccountsCategory)>{i18n.t(category_label(e.category))}</td>
                                    <th scope="row" data-label=i18n.t(Key::AccountsDescription)>
                                        {e.description.clone()}
                                        {e.has_photo.then(|| view! { <ShowPhoto estate expense=e.id.0 description=e.description.clone() /> })}
                                    </th>
                                    <td class="num" data-label=i18n.t(Key::AccountsShare)>
                                        <MoneyText money=e.share />
                                        {(e.share != e.amount).then(|| view! { <br /><span class="muted">{i18n.fill(Key::AccountsOfTotal, &[("amount", &i18n.money(e.amount))])}</span> })}
                                    </td>
                                    <td data-label=i18n.t(Key::AccountsRule)>
                                        {i18n.t(rule_label(e.rule))}
                                        {(!e.shared_with.is_empty()).then(|| view! {
                                            <br /><span class="muted">{i18n.fill(Key::AccountsSharedWith, &[("estates", &list(i18n, e.shared_with.iter().map(|n| i18n.name(n))))])}</span>
                                        })}
                                    </td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <h3>{i18n.t(Key::AccountsCommonIncome)}</h3>
            <Entries entries=a.common_income total=common_total testid="common-income" />
        </section>
        {can_record.then(|| view! {
            <section class="panel" aria-labelledby="expense-form-title">
                <h2 id="expense-form-title">{i18n.t(Key::AccountsRecordExpense)}</h2>
                <ActionForm action=expense attr:class="form" attr:data-testid="expense-form">
                    <input type="hidden" name="estate" value=estate />
                    <div class="field">
                        <label for="expense-date">{i18n.t(Key::AccountsSpentOn)}</label>
                        <input id="expense-date" type="date" name="spent_on" required />
                        <p class="field-error" role="alert">{move || field_error(ev, "spent_on").get().map(|k| i18n.t(k))}</p>
                    </div>
                    <div class="field">
                        <label for="expense-category">{i18n.t(Key::AccountsCategory)}</label>
                        <select id="expense-category" name="category">
                            {ExpenseCategory::ALL.iter().map(|c| view! { <option value=c.code()>{i18n.t(category_label(*c))}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="expense-description">{i18n.t(Key::AccountsDescription)}</label>
                        <input id="expense-description" type="text" name="description" />
                        <p class="field-error" role="alert">{move || field_error(ev, "description").get().map(|k| i18n.t(k))}</p>
                    </div>
                    <div class="field">
                        <label for="expense-amount">{i18n.t(Key::BillingAmount)}</label>
                        <input id="expense-amount" type="text" inputmode="decimal" name="amount" />
                        <p class="field-error" role="alert">{move || field_error(ev, "amount").get().map(|k| i18n.t(k))}</p>
                    </div>
                    <div class="field">
                        <label for="expense-rule">{i18n.t(Key::AccountsRule)}</label>
                        <select id="expense-rule" name="rule">
                            {SplitRule::ALL.iter().map(|r| view! { <option value=r.code()>{i18n.t(rule_label(*r))}</option> }).collect_view()}
                        </select>
                    </div>
                    <ReceiptPhoto error=Signal::derive(move || field_error(ev, "photo").get()) />
                    <fieldset class="field">
                        <legend>{i18n.t(Key::AccountsSplitOver)}</legend>
                        <SplitEstates estates />
                        <p class="field-error" role="alert">{move || field_error(ev, "estates").get().map(|k| i18n.t(k))}</p>
                    </fieldset>
                    <button type="submit" class="btn btn-primary">{i18n.t(Key::AccountsRecord)}</button>
                    {form_error(ev)}
                </ActionForm>
            </section>
            <section class="panel" aria-labelledby="income-form-title">
                <h2 id="income-form-title">{i18n.t(Key::AccountsRecordCommonIncome)}</h2>
                <ActionForm action=income attr:class="form" attr:data-testid="income-form">
                    <input type="hidden" name="estate" value=estate />
                    <div class="field">
                        <label for="income-date">{i18n.t(Key::AccountsReceivedOn)}</label>
                        <input id="income-date" type="date" name="received_on" required />
                        <p class="field-error" role="alert">{move || field_error(iv, "received_on").get().map(|k| i18n.t(k))}</p>
                    </div>
                    <div class="field">
                        <label for="income-source">{i18n.t(Key::AccountsSource)}</label>
                        <input id="income-source" type="text" name="source" />
                        <p class="field-error" role="alert">{move || field_error(iv, "source").get().map(|k| i18n.t(k))}</p>
                    </div>
                    <div class="field">
                        <label for="income-amount">{i18n.t(Key::BillingAmount)}</label>
                        <input id="income-amount" type="text" inputmode="decimal" name="amount" />
                        <p class="field-error" role="alert">{move || field_error(iv, "amount").get().map(|k| i18n.t(k))}</p>
                    </div>
                    <button type="submit" class="btn btn-primary">{i18n.t(Key::AccountsRecord)}</button>
                    {form_error(iv)}
                </ActionForm>
            </section>
        })}
    }
}

/// The company's estates as checkboxes; their ids travel as one
/// comma-separated field, kept in step with the boxes.
#[component]
fn SplitEstates(
    estates: Vec<(
        crate::domain::access::EstateId,
        crate::domain::LocalizedName,
    )>,
) -> impl IntoView {
    let i18n = use_i18n();
    let chosen = RwSignal::new(Vec::<i64>::new());
    view! {
        <input type="hidden" name="estates" prop:value=move || chosen.with(|c| c.iter().map(i64::to_string).collect::<Vec<_>>().join(",")) />
        {estates.into_iter().map(|(id, name)| {
            let id = id.0;
            view! {
                <label class="check">
                    <input type="checkbox" value=id on:change=move |e| {
                        let on = event_target_checked(&e);
                        chosen.update(|c| {
                            c.retain(|x| *x != id);
                            if on { c.push(id); }
                        });
                    } />
                    {i18n.name(&name)}
                </label>
            }
        }).collect_view()}
    }
}

/// The receipt photo field: the chosen picture is read in the browser and
/// travels as a `data:` URL in a hidden field, so the form stays one
/// ordinary form post. Too large a picture is refused before it is sent.
#[component]
fn ReceiptPhoto(error: Signal<Option<Key>>) -> impl IntoView {
    let i18n = use_i18n();
    let photo = RwSignal::new(String::new());
    let local_error = RwSignal::new(None::<Key>);
    let on_change = move |_e: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use leptos::wasm_bindgen::JsCast;
            let Some(input) = _e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            leptos::task::spawn_local(async move {
                match read_photo(&input).await {
                    Ok(url) => {
                        local_error.set(None);
                        photo.set(url);
                    }
                    Err(key) => {
                        local_error.set(Some(key));
                        photo.set(String::new());
                    }
                }
            });
        }
    };
    view! {
        <div class="field">
            <label for="expense-photo">{i18n.t(Key::AccountsPhoto)}</label>
            <input id="expense-photo" type="file" accept="image/jpeg,image/png,image/webp" on:change=on_change />
            <input type="hidden" name="photo" prop:value=move || photo.get() />
            <p class="muted">{i18n.t(Key::AccountsPhotoHelp)}</p>
            {move || (!photo.get().is_empty()).then(|| view! { <img class="receipt-photo" src=photo.get() alt=i18n.t(Key::AccountsPhoto) /> })}
            <p class="field-error" role="alert">{move || local_error.get().or(error.get()).map(|k| i18n.t(k))}</p>
        </div>
    }
}

#[cfg(feature = "hydrate")]
async fn read_photo(input: &web_sys::HtmlInputElement) -> Result<String, Key> {
    use crate::domain::data_url::{DataUrl, MAX_PHOTO_BYTES, PHOTO_TYPES};
    let Some(file) = input.files().and_then(|files| files.get(0)) else {
        return Ok(String::new());
    };
    if !PHOTO_TYPES.contains(&file.type_().as_str()) {
        return Err(Key::AccountsErrorPhoto);
    }
    if file.size() > MAX_PHOTO_BYTES as f64 {
        return Err(Key::AccountsErrorPhotoTooLarge);
    }
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| Key::AccountsErrorPhoto)?;
    let bytes = web_sys::js_sys::Uint8Array::new(&buffer).to_vec();
    Ok(DataUrl {
        mime: file.type_(),
        bytes,
    }
    .to_url())
}

/// A button that fetches an expense's receipt photo and shows it.
#[component]
fn ShowPhoto(estate: i64, expense: i64, description: String) -> impl IntoView {
    let i18n = use_i18n();
    let load = Action::new(move |_: &()| get_expense_photo(estate, expense));
    let alt = i18n.fill(Key::AccountsPhotoAlt, &[("description", &description)]);
    view! {
        <br />
        {move || match load.value().get() {
            Some(Ok(url)) => view! { <img class="receipt-photo" src=url alt=alt.clone() data-testid="receipt-photo" /> }.into_any(),
            Some(Err(e)) => view! { <span class="field-error">{i18n.t(e.message())}</span> }.into_any(),
            None => view! {
                <button type="button" class="btn btn-ghost btn-small" on:click=move |_| { load.dispatch(()); }>
                    {i18n.t(Key::AccountsShowPhoto)}
                </button>
            }.into_any(),
        }}
    }
}
