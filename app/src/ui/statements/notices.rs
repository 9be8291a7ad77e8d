//! The estate's notice board (公示): every disclosed monthly statement, for
//! its residents as for everyone who oversees the estate.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::AppError;
use crate::api::statements::get_disclosures;
use crate::domain::statements::Disclosures;
use crate::domain::time::to_china;
use crate::i18n::{Key, use_i18n};
use crate::ui::components::{Loaded, route_id};

#[component]
pub fn NoticesPage() -> impl IntoView {
    let id = route_id();
    let list = Resource::new_blocking(
        move || id,
        |id| async move {
            match id {
                Some(id) => get_disclosures(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! { <Loaded resource=list view=|d| view! { <Notices d /> } /> }
}

#[component]
fn Notices(d: Disclosures) -> impl IntoView {
    let i18n = use_i18n();
    let estate = d.estate.0;
    let title = format!(
        "{} · {}",
        i18n.name(&d.estate_name),
        i18n.t(Key::AccountsNoticesTitle)
    );
    view! {
        <Title text=title.clone() />
        <section class="panel" aria-labelledby="notices-title">
            <h1 id="notices-title">{title}</h1>
            <p class="muted">{i18n.t(Key::AccountsNoticesHelp)}</p>
            {if d.items.is_empty() {
                view! { <p class="empty">{i18n.t(Key::AccountsNoNotices)}</p> }.into_any()
            } else {
                view! {
                    <ul class="cards" data-testid="notices">
                        {d.items.into_iter().map(|n| {
                            let month = n.month.code();
                            view! {
                                <li class="card" data-testid="notice" data-month=month.clone()>
                                    <a href=format!("/estates/{estate}/accounts/{month}")>
                                        {i18n.fill(Key::AccountsNoticeItem, &[("month", &month)])}
                                    </a>
                                    " " {i18n.fill(Key::AccountsVersion, &[("n", &n.version.to_string())])}
                                    <br />
                                    <span class="muted">{i18n.fill(Key::AccountsDisclosedOn, &[("date", &i18n.date(to_china(n.disclosed_at).date()))])}</span>
                                    {n.corrected_by.map(|v| view! {
                                        <br /><span class="badge badge-warning">{i18n.fill(Key::AccountsCorrectedByVersion, &[("n", &v.to_string())])}</span>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <crate::ui::decisions::DecisionNotices estate />
    }
}
