//! Mail pages: the outbox for managers and administrators, one's own mail
//! settings (on the account page), and unsubscribing from a mail's link.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::mail::{
    RetryMail, SendTestMail, SetMailPreferences, Unsubscribe, get_mail_preferences, list_outbox,
};
use crate::domain::mail::{MailPreferences, MailStatus, OutboxEntry};
use crate::i18n::{Key, use_i18n};
use crate::ui::components::{Badge, Loaded, TextField, Tone, field_error, form_error};

fn status_label(s: MailStatus) -> (Key, Tone) {
    match s {
        MailStatus::Pending => (Key::OutboxStatusPending, Tone::Info),
        MailStatus::Sending => (Key::OutboxStatusSending, Tone::Info),
        MailStatus::Sent => (Key::OutboxStatusSent, Tone::Success),
        MailStatus::Failed => (Key::OutboxStatusFailed, Tone::Danger),
    }
}

#[component]
pub fn OutboxPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let status = move || query.with(|q| q.get("status").unwrap_or_default());
    let version = RwSignal::new(0u32);
    let entries = Resource::new_blocking(
        move || (status(), version.get()),
        |(status, _)| list_outbox(status),
    );
    let retry = ServerAction::<RetryMail>::new();
    let test = ServerAction::<SendTestMail>::new();
    Effect::new(move |_| {
        let done = retry.value().with(|v| matches!(v, Some(Ok(_))))
            || test.value().with(|v| matches!(v, Some(Ok(_))));
        if done {
            version.update(|n| *n += 1);
        }
    });
    let options = move || {
        let chosen = status();
        MailStatus::ALL
            .iter()
            .map(|s| {
                let selected = s.code() == chosen;
                view! { <option value=s.code() selected=selected>{i18n.t(status_label(*s).0)}</option> }
            })
            .collect_view()
    };
    view! {
        <Title text=i18n.t(Key::OutboxTitle) />
        <h1>{i18n.t(Key::OutboxTitle)}</h1>
        <p class="lead">{i18n.t(Key::OutboxIntro)}</p>
        <div class="filters-row">
            <form method="get" action="/outbox" class="filters-row">
                <div class="field">
                    <label for="outbox-status">{i18n.t(Key::OutboxStatusLabel)}</label>
                    <select id="outbox-status" name="status">
                        <option value="">{i18n.t(Key::OutboxAll)}</option>
                        {options}
                    </select>
                </div>
                <button type="submit" class="btn btn-secondary">{i18n.t(Key::AuditApply)}</button>
            </form>
            <button
                type="button"
                class="btn btn-primary"
                data-testid="send-test-mail"
                on:click=move |_| {
                    test.dispatch(SendTestMail {});
                }
            >
                {i18n.t(Key::OutboxSendTest)}
            </button>
        </div>
        {move || test.value().with(|v| matches!(v, Some(Ok(_)))).then(|| view! {
            <p class="notice notice-success" role="status">{i18n.t(Key::OutboxTestQueued)}</p>
        })}
        {form_error(test.value())}
        {form_error(retry.value())}
        <section class="panel" aria-label=i18n.t(Key::OutboxTitle)>
            <Loaded resource=entries view={move |entries: Vec<OutboxEntry>| view! { <OutboxTable entries retry /> }} />
        </section>
    }
}

#[component]
fn OutboxTable(entries: Vec<OutboxEntry>, retry: ServerAction<RetryMail>) -> impl IntoView {
    let i18n = use_i18n();
    let empty = entries.is_empty();
    let rows = entries
        .into_iter()
        .map(|e| {
            let (label, tone) = status_label(e.status);
            let at = crate::domain::time::to_china(e.created_at).format("%Y-%m-%d %H:%M").to_string();
            let id = e.id;
            let failed = e.status == MailStatus::Failed;
            view! {
                <tr data-testid="outbox-entry">
                    <td data-label=i18n.t(Key::OutboxColAt)>{at}</td>
                    <td data-label=i18n.t(Key::OutboxColTo)>{e.to_address}</td>
                    <td data-label=i18n.t(Key::OutboxColSubject)>{e.subject}</td>
                    <td data-label=i18n.t(Key::OutboxColStatus)>
                        <Badge tone>{i18n.t(label)}</Badge>
                        {e.last_error.map(|err| view! { <p class="field-hint">{err}</p> })}
                    </td>
                    <td data-label=i18n.t(Key::OutboxColAttempts) class="num">{e.attempts}</td>
                    <td class="actions">
                        {failed.then(|| view! {
                            <button type="button" class="btn btn-secondary btn-small" on:click=move |_| {
                                retry.dispatch(RetryMail { id });
                            }>{i18n.t(Key::OutboxRetry)}</button>
                        })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        {empty.then(|| view! { <p class="empty">{i18n.t(Key::OutboxEmpty)}</p> })}
        <table class="table table-cards">
            <thead>
                <tr>
                    <th scope="col">{i18n.t(Key::OutboxColAt)}</th>
                    <th scope="col">{i18n.t(Key::OutboxColTo)}</th>
                    <th scope="col">{i18n.t(Key::OutboxColSubject)}</th>
                    <th scope="col">{i18n.t(Key::OutboxColStatus)}</th>
                    <th scope="col">{i18n.t(Key::OutboxColAttempts)}</th>
                    <th scope="col"><span class="visually-hidden">{i18n.t(Key::PeopleColActions)}</span></th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// One's own address and optional mails, on the account page.
#[component]
pub fn MailPreferencesPanel() -> impl IntoView {
    let i18n = use_i18n();
    let prefs = Resource::new_blocking(|| (), |_| get_mail_preferences());
    view! {
        <section class="panel panel-narrow" aria-labelledby="prefs-title">
            <h2 id="prefs-title">{i18n.t(Key::PrefsTitle)}</h2>
            <p>{i18n.t(Key::PrefsIntro)}</p>
            <Loaded resource=prefs view=|p| view! { <PreferencesForm p /> } />
        </section>
    }
}

#[component]
fn PreferencesForm(p: MailPreferences) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SetMailPreferences>::new();
    let value = save.value();
    view! {
        <ActionForm action=save attr:class="form" attr:data-testid="mail-preferences">
            <TextField
                name="email"
                label=Key::PrefsEmailLabel
                input_type="email"
                autocomplete="email"
                value=RwSignal::new(p.email.unwrap_or_default())
                error=field_error(value, "email")
            />
            <label class="check">
                <input type="checkbox" name="reminders" value="on" checked=p.reminders />
                {i18n.t(Key::PrefsRemindersLabel)}
            </label>
            <label class="check">
                <input type="checkbox" name="announcements" value="on" checked=p.announcements />
                {i18n.t(Key::PrefsAnnouncementsLabel)}
            </label>
            {form_error(value)}
            {move || value.with(|v| matches!(v, Some(Ok(_)))).then(|| view! {
                <p class="notice notice-success" role="status">{i18n.t(Key::CommonSaved)}</p>
            })}
            <button type="submit" class="btn btn-primary">{i18n.t(Key::PrefsSubmit)}</button>
        </ActionForm>
    }
}

/// From the link in a mail: asks first (a GET changes nothing), then turns the
/// kind of mail off.
#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let token = params.with_untracked(|p| p.get("token").unwrap_or_default());
    let category = params.with_untracked(|p| p.get("category").unwrap_or_default());
    let question = if category == "reminders" {
        Key::UnsubscribeConfirmReminders
    } else {
        Key::UnsubscribeConfirmAnnouncements
    };
    let unsubscribe = ServerAction::<Unsubscribe>::new();
    let done = move || unsubscribe.value().with(|v| matches!(v, Some(Ok(_))));
    view! {
        <Title text=i18n.t(Key::UnsubscribeTitle) />
        <section class="panel panel-narrow" aria-labelledby="unsubscribe-title">
            <h1 id="unsubscribe-title">{i18n.t(Key::UnsubscribeTitle)}</h1>
            <Show
                when=done
                fallback=move || {
                    let (token, category) = (token.clone(), category.clone());
                    view! {
                        <p>{i18n.t(question)}</p>
                        <ActionForm action=unsubscribe>
                            <input type="hidden" name="token" value=token />
                            <input type="hidden" name="category" value=category />
                            <button type="submit" class="btn btn-primary">{i18n.t(Key::UnsubscribeSubmit)}</button>
                        </ActionForm>
                        {form_error(unsubscribe.value())}
                    }
                }
            >
                <p class="notice notice-success" role="status" data-testid="unsubscribed">
                    {i18n.t(Key::UnsubscribeDone)}
                </p>
            </Show>
        </section>
    }
}
