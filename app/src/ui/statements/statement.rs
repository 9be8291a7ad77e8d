//! One estate's statement for one month: the live draft until the manager
//! submits it, then the frozen figures with their hash, the review thread
//! (query, answer), the signatures and, once disclosed, the notice. Older
//! versions stay below the one that corrects them.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::AppError;
use crate::api::statements::{
    AnswerQuery, RaiseQuery, SecondSignStatement, SignStatement, SubmitStatement, get_statement,
};
use crate::domain::statements::{NoteKind, StatementPage as Page, StatementRecord};
use crate::domain::time::to_china;
use crate::i18n::{I18n, Key, use_i18n};
use crate::ui::components::{
    Refresh, field_error, form_error, print_page, refresh_on_success, route_id,
};

use super::{FiguresView, state_badge};

#[component]
pub fn StatementPage() -> impl IntoView {
    let id = route_id();
    let month = leptos_router::hooks::use_params_map()
        .with_untracked(|p| p.get("month"))
        .unwrap_or_default();
    let version = Refresh::provide();
    let page = Resource::new_blocking(
        move || (id, month.clone(), version.get()),
        |(id, month, _)| async move {
            match id {
                Some(id) => get_statement(id, month).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! { <crate::ui::components::Loaded resource=page view=|p| view! { <StatementView p /> } /> }
}

fn when(i18n: I18n, at: chrono::NaiveDateTime) -> String {
    let local = to_china(at);
    format!("{} {}", i18n.date(local.date()), local.format("%H:%M"))
}

#[component]
fn StatementView(p: Page) -> impl IntoView {
    let i18n = use_i18n();
    let submit = ServerAction::<SubmitStatement>::new();
    let answer = ServerAction::<AnswerQuery>::new();
    let query = ServerAction::<RaiseQuery>::new();
    let sign = ServerAction::<SignStatement>::new();
    let second = ServerAction::<SecondSignStatement>::new();
    refresh_on_success(submit.value());
    refresh_on_success(answer.value());
    refresh_on_success(query.value());
    refresh_on_success(sign.value());
    refresh_on_success(second.value());
    let estate = p.estate.0;
    let month = p.month.code();
    let month_correct = month.clone();
    let title = i18n.fill(
        Key::AccountsStatementTitle,
        &[("estate", &i18n.name(&p.estate_name)), ("month", &month)],
    );
    let rights = p.rights;
    let insider = p.insider;
    let mut versions = p.versions.into_iter();
    let latest = versions.next();
    let older: Vec<StatementRecord> = versions.collect();
    let statement = latest.as_ref().map(|l| l.id.0);
    let chair_post = p.chair_post.clone();
    let back = if insider {
        (format!("/estates/{estate}/accounts"), Key::AccountsTitle)
    } else {
        (
            format!("/estates/{estate}/notices"),
            Key::AccountsNoticesTitle,
        )
    };
    view! {
        <Title text=title.clone() />
        <article class="panel statement" data-testid="statement">
            <p class="eyebrow no-print"><a href=back.0>{i18n.t(back.1)}</a></p>
            <h1>{title}</h1>
            {match (&latest, &p.draft) {
                (None, Some(_)) => view! { <p class="badge badge-neutral" data-testid="state">{i18n.t(Key::AccountsStateDraft)}</p> }.into_any(),
                (None, None) => view! { <p class="empty">{i18n.t(Key::AccountsNotDisclosed)}</p> }.into_any(),
                (Some(l), _) => view! { <p data-testid="state">{state_badge(l.state)} " " {i18n.fill(Key::AccountsVersion, &[("n", &l.version.to_string())])}</p> }.into_any(),
            }}
            {p.chair.clone().map(|chair| view! {
                <p class="muted no-print">{i18n.fill(Key::AccountsChairIs, &[("name", &chair)])}</p>
            })}
            {chair_post.clone().filter(|_| latest.as_ref().is_none_or(|l| !l.state.is_signed())).map(|post| view! {
                <p class="notice notice-warning" data-testid="second-signer-rule">{i18n.fill(Key::AccountsSecondSignerWhy, &[("post", &post)])}</p>
            })}

            // Actions.
            {rights.submit.then(|| view! {
                <ActionForm action=submit attr:class="form form-inline no-print">
                    <input type="hidden" name="estate" value=estate />
                    <input type="hidden" name="month" value=month.clone() />
                    <input type="hidden" name="reason" value="" />
                    <button type="submit" class="btn btn-primary" data-testid="submit">{i18n.t(Key::AccountsSubmit)}</button>
                </ActionForm>
                {form_error(submit.value())}
            })}
            {statement.map(|statement| view! {
                {rights.sign.then(|| view! {
                    <ActionForm action=sign attr:class="form form-inline no-print">
                        <input type="hidden" name="statement" value=statement />
                        <button type="submit" class="btn btn-primary" data-testid="sign">{i18n.t(Key::AccountsSign)}</button>
                    </ActionForm>
                    {form_error(sign.value())}
                })}
                {rights.second_sign.then(|| view! {
                    <ActionForm action=second attr:class="form form-inline no-print">
                        <input type="hidden" name="statement" value=statement />
                        <button type="submit" class="btn btn-primary" data-testid="second-sign">{i18n.t(Key::AccountsSecondSign)}</button>
                    </ActionForm>
                    {form_error(second.value())}
                })}
                {rights.query.then(|| view! {
                    <ActionForm action=query attr:class="form no-print">
                        <input type="hidden" name="statement" value=statement />
                        <div class="field">
                            <label for="query-body">{i18n.t(Key::AccountsQueryLabel)}</label>
                            <textarea id="query-body" name="body" rows="3"></textarea>
                            <p class="field-error" role="alert">{move || field_error(query.value(), "body").get().map(|k| i18n.t(k))}</p>
                        </div>
                        <button type="submit" class="btn btn-secondary" data-testid="raise-query">{i18n.t(Key::AccountsRaiseQuery)}</button>
                    </ActionForm>
                    {form_error(query.value())}
                })}
                {rights.answer.then(|| view! {
                    <ActionForm action=answer attr:class="form no-print">
                        <input type="hidden" name="statement" value=statement />
                        <div class="field">
                            <label for="answer-body">{i18n.t(Key::AccountsAnswerLabel)}</label>
                            <textarea id="answer-body" name="body" rows="3"></textarea>
                            <p class="muted">{i18n.t(Key::AccountsAnswerHelp)}</p>
                            <p class="field-error" role="alert">{move || field_error(answer.value(), "body").get().map(|k| i18n.t(k))}</p>
                        </div>
                        <button type="submit" class="btn btn-primary" data-testid="answer">{i18n.t(Key::AccountsAnswer)}</button>
                    </ActionForm>
                    {form_error(answer.value())}
                })}
            })}

            {latest.map(|l| view! { <Version r=l latest=true /> })}
            {match (rights.correct, p.draft) {
                (true, Some(d)) => view! {
                    <details class="no-print correction">
                        <summary>{i18n.t(Key::AccountsCorrect)}</summary>
                        <p class="muted">{i18n.t(Key::AccountsCorrectHelp)}</p>
                        <ActionForm action=submit attr:class="form">
                            <input type="hidden" name="estate" value=estate />
                            <input type="hidden" name="month" value=month_correct />
                            <div class="field">
                                <label for="correct-reason">{i18n.t(Key::AccountsCorrectReason)}</label>
                                <textarea id="correct-reason" name="reason" rows="2"></textarea>
                                <p class="field-error" role="alert">{move || field_error(submit.value(), "reason").get().map(|k| i18n.t(k))}</p>
                            </div>
                            <button type="submit" class="btn btn-secondary" data-testid="correct">{i18n.t(Key::AccountsSubmitCorrection)}</button>
                        </ActionForm>
                        {form_error(submit.value())}
                        <FiguresView f=d />
                    </details>
                }.into_any(),
                (false, Some(d)) if statement.is_none() => view! { <FiguresView f=d /> }.into_any(),
                _ => ().into_any(),
            }}
            {(!older.is_empty()).then(|| view! {
                <section class="versions">
                    <h2>{i18n.t(Key::AccountsEarlierVersions)}</h2>
                    {older.into_iter().map(|r| view! {
                        <details data-testid="earlier-version">
                            <summary>{i18n.fill(Key::AccountsVersion, &[("n", &r.version.to_string())])} " " {state_badge(r.state)}</summary>
                            <Version r latest=false />
                        </details>
                    }).collect_view()}
                </section>
            })}
            <p class="tools no-print">
                <button type="button" class="btn btn-secondary" on:click=|_| print_page()>{i18n.t(Key::BillingPrint)}</button>
            </p>
        </article>
    }
}

/// One stored version: who did what when, the hash, the thread, the figures.
#[component]
fn Version(r: StatementRecord, latest: bool) -> impl IntoView {
    let i18n = use_i18n();
    let short = r.content_hash.chars().take(16).collect::<String>();
    view! {
        <dl class="pairs" data-testid=if latest { "latest" } else { "version" }>
            <dt>{i18n.t(Key::AccountsSubmittedBy)}</dt>
            <dd>{format!("{} · {}", r.submitted_by, when(i18n, r.submitted_at))}</dd>
            {r.signed_by.clone().zip(r.signed_at).map(|(by, at)| view! {
                <dt>{i18n.t(Key::AccountsSignedBy)}</dt><dd data-testid="signed-by">{format!("{by} · {}", when(i18n, at))}</dd>
            })}
            {r.second_reason.clone().map(|post| view! {
                <dt>{i18n.t(Key::AccountsSecondSigner)}</dt>
                <dd>
                    {match r.second_signed_by.clone().zip(r.second_signed_at) {
                        Some((by, at)) => format!("{by} · {}", when(i18n, at)),
                        None => i18n.t(Key::AccountsSecondAwaited).to_owned(),
                    }}
                    <br /><span class="muted">{i18n.fill(Key::AccountsSecondSignerWhy, &[("post", &post)])}</span>
                </dd>
            })}
            {r.disclosed_at.map(|at| view! {
                <dt>{i18n.t(Key::AccountsDisclosedAt)}</dt><dd data-testid="disclosed-at">{when(i18n, at)}</dd>
            })}
            {r.corrects.map(|_| view! {
                <dt>{i18n.t(Key::AccountsCorrects)}</dt><dd>{i18n.fill(Key::AccountsVersion, &[("n", &(r.version - 1).to_string())])}</dd>
            })}
            {r.corrected_by.map(|v| view! {
                <dt>{i18n.t(Key::AccountsCorrectedBy)}</dt><dd data-testid="corrected-by">{i18n.fill(Key::AccountsVersion, &[("n", &v.to_string())])}</dd>
            })}
            <dt>{i18n.t(Key::AccountsHash)}</dt>
            <dd>
                <code title=r.content_hash.clone() data-testid="hash">{short}</code>
                " "
                {if r.hash_verified {
                    view! { <span class="badge badge-success">{i18n.t(Key::AccountsHashVerified)}</span> }.into_any()
                } else {
                    view! { <span class="badge badge-danger">{i18n.t(Key::AccountsHashBroken)}</span> }.into_any()
                }}
                <br /><span class="muted">{i18n.t(Key::AccountsHashHelp)}</span>
            </dd>
        </dl>
        {(!r.notes.is_empty()).then(|| view! {
            <section class="thread">
                <h2>{i18n.t(Key::AccountsThread)}</h2>
                <ol data-testid="thread">
                    {r.notes.iter().map(|n| {
                        let kind = match n.kind {
                            NoteKind::Query => Key::AccountsNoteQuery,
                            NoteKind::Answer => Key::AccountsNoteAnswer,
                            NoteKind::Correction => Key::AccountsNoteCorrection,
                        };
                        view! {
                            <li class=format!("note note-{}", n.kind.code())>
                                <p class="muted">{format!("{} · {} · {}", i18n.t(kind), n.by, when(i18n, n.at))}</p>
                                <p>{n.body.clone()}</p>
                                {n.content_hash.clone().map(|h| view! {
                                    <p class="muted">{i18n.fill(Key::AccountsFiguresRefreshed, &[("hash", &h.chars().take(16).collect::<String>())])}</p>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ol>
            </section>
        })}
        <FiguresView f=r.figures />
    }
}
