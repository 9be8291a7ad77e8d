//! The public landing page: every community service company of the district,
//! by street, with each company's two signboards a click away.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::directory::{get_company_profile, list_companies};
use crate::domain::org::{CompanyDirectory, CompanyId, CompanyListing, CompanyProfile, StreetId};
use crate::i18n::{I18n, Key, use_i18n};
use crate::ui::components::{Badge, ErrorNotice, TextField, Tone};

#[component]
pub fn LandingPage() -> impl IntoView {
    let i18n = use_i18n();
    // Blocking: the directory is in the first HTML, readable without JavaScript.
    let directory = Resource::new_blocking(|| (), |_| list_companies());

    view! {
        <Title text="" />
        <section class="hero">
            <h1>{i18n.t(Key::LandingTitle)}</h1>
            <p class="lead">{i18n.t(Key::LandingLead)}</p>
        </section>
        <Suspense fallback=move || {
            view! { <p class="loading">{i18n.t(Key::CommonLoading)}</p> }
        }>
            {move || Suspend::new(async move {
                match directory.await {
                    Ok(directory) => view! { <Directory directory /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Filters by street and by text run in the browser on the loaded directory.
#[component]
fn Directory(directory: CompanyDirectory) -> impl IntoView {
    let i18n = use_i18n();
    let street = RwSignal::new(None::<StreetId>);
    let query = RwSignal::new(String::new());
    let directory = StoredValue::new(directory);
    let district = directory.with_value(|d| i18n.name(&d.district));
    let company_count = directory.with_value(CompanyDirectory::company_count);
    let street_count = directory.with_value(|d| d.streets.len());

    let chip = move |id: Option<StreetId>, label: String, count: usize| {
        view! {
            <button
                type="button"
                class="chip"
                aria-pressed=move || if street.get() == id { "true" } else { "false" }
                on:click=move |_| street.set(id)
            >
                {label}
                <span class="chip-count">{count}</span>
            </button>
        }
    };
    let chips = directory.with_value(|d| {
        std::iter::once(chip(
            None,
            i18n.t(Key::LandingAllStreets).to_owned(),
            d.company_count(),
        ))
        .chain(
            d.streets
                .iter()
                .map(|s| chip(Some(s.id), i18n.name(&s.name), s.companies.len())),
        )
        .collect_view()
    });

    let shown = move || {
        let needle = query.get().trim().to_lowercase();
        directory.with_value(|d| {
            d.filtered(street.get())
                .into_iter()
                .map(|s| {
                    let companies: Vec<CompanyListing> = s
                        .companies
                        .iter()
                        .filter(|c| matches_query(c, &needle))
                        .cloned()
                        .collect();
                    (i18n.name(&s.name), companies)
                })
                .filter(|(_, companies)| !companies.is_empty())
                .collect::<Vec<_>>()
        })
    };

    view! {
        <section class="stats" aria-label=i18n.t(Key::LandingStatsLabel)>
            <div class="stat">
                <span class="stat-value">{district}</span>
                <span class="stat-label">{i18n.t(Key::LandingDistrict)}</span>
            </div>
            <div class="stat">
                <span class="stat-value" data-testid="street-count">{street_count}</span>
                <span class="stat-label">{i18n.t(Key::LandingStreets)}</span>
            </div>
            <div class="stat">
                <span class="stat-value" data-testid="company-count">{company_count}</span>
                <span class="stat-label">{i18n.t(Key::LandingCompanies)}</span>
            </div>
        </section>
        <section class="panel" aria-labelledby="directory-title">
            <h2 id="directory-title">{i18n.t(Key::LandingDirectoryTitle)}</h2>
            <div class="filters">
                <div class="chips" role="group" aria-label=i18n.t(Key::LandingFilterByStreet)>
                    {chips}
                </div>
                <TextField
                    name="company-search"
                    label=Key::LandingSearchLabel
                    input_type="search"
                    placeholder=Key::LandingSearchPlaceholder
                    value=query
                />
            </div>
            {move || {
                let groups = shown();
                if groups.is_empty() {
                    view! { <p class="empty">{i18n.t(Key::LandingNoMatch)}</p> }.into_any()
                } else {
                    groups
                        .into_iter()
                        .map(|(name, companies)| view! { <StreetGroup name companies /> })
                        .collect_view()
                        .into_any()
                }
            }}
        </section>
    }
}

fn matches_query(company: &CompanyListing, needle: &str) -> bool {
    needle.is_empty()
        || [&company.name, &company.community]
            .iter()
            .any(|n| n.zh.to_lowercase().contains(needle) || n.en.to_lowercase().contains(needle))
}

#[component]
fn StreetGroup(name: String, companies: Vec<CompanyListing>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="street-group" data-testid="street-group">
            <h3>{name}</h3>
            <table class="table table-cards">
                <thead>
                    <tr>
                        <th scope="col">{i18n.t(Key::LandingColCompany)}</th>
                        <th scope="col">{i18n.t(Key::LandingColCommunity)}</th>
                        <th scope="col">{i18n.t(Key::LandingColFounded)}</th>
                        <th scope="col">
                            <span class="visually-hidden">{i18n.t(Key::LandingColActions)}</span>
                        </th>
                    </tr>
                </thead>
                {companies
                    .into_iter()
                    .map(|company| view! { <CompanyRow company /> })
                    .collect_view()}
            </table>
        </section>
    }
}

/// A company and, on request, its two signboards fetched from the server.
#[component]
fn CompanyRow(company: CompanyListing) -> impl IntoView {
    let i18n = use_i18n();
    let id = company.id;
    let open = RwSignal::new(false);
    let load = Action::new(move |id: &CompanyId| get_company_profile(*id));
    let panel_id = format!("signboards-{id}");
    let toggle = move |_| {
        open.update(|o| *o = !*o);
        // Fetch on first opening, and again after a failed attempt.
        let loaded = matches!(load.value().get_untracked(), Some(Ok(_)));
        if open.get_untracked() && !loaded && !load.pending().get_untracked() {
            load.dispatch(id);
        }
    };

    view! {
        <tbody class="company" data-testid="company">
            <tr>
                <td data-label=i18n.t(Key::LandingColCompany)>
                    <span class="company-name">{i18n.name(&company.name)}</span>
                </td>
                <td data-label=i18n.t(Key::LandingColCommunity)>
                    {i18n.name(&company.community)}
                </td>
                <td data-label=i18n.t(Key::LandingColFounded)>
                    <time datetime=company.founded_on.to_string()>
                        {i18n.date(company.founded_on)}
                    </time>
                </td>
                <td class="actions">
                    <button
                        type="button"
                        class="btn btn-secondary btn-small"
                        aria-expanded=move || if open.get() { "true" } else { "false" }
                        aria-controls=panel_id.clone()
                        on:click=toggle
                    >
                        {i18n.t(Key::LandingShowSignboards)}
                    </button>
                </td>
            </tr>
            <tr class="detail-row" id=panel_id hidden=move || !open.get()>
                <td colspan="4">
                    {move || {
                        if load.pending().get() {
                            return view! { <p class="loading">{i18n.t(Key::CommonLoading)}</p> }
                                .into_any();
                        }
                        match load.value().get() {
                            Some(Ok(profile)) => signboards(i18n, profile).into_any(),
                            Some(Err(error)) => view! { <ErrorNotice error /> }.into_any(),
                            None => ().into_any(),
                        }
                    }}
                </td>
            </tr>
        </tbody>
    }
}

fn signboards(i18n: I18n, profile: CompanyProfile) -> impl IntoView {
    let party = match &profile.party_organization {
        Some(party) => view! {
            <dd>{i18n.name(&party.name)}</dd>
        }
        .into_any(),
        None => view! {
            <dd>
                <Badge tone=Tone::Warning>{i18n.t(Key::LandingNoPartyOrganization)}</Badge>
            </dd>
        }
        .into_any(),
    };
    view! {
        <div class="signboards" data-testid="signboards">
            <p class="signboards-title">{i18n.t(Key::LandingSignboardsTitle)}</p>
            <dl class="pairs">
                <dt>{i18n.t(Key::LandingCompanySignboard)}</dt>
                <dd>{i18n.name(&profile.name)}</dd>
                <dt>{i18n.t(Key::LandingPartySignboard)}</dt>
                {party}
                <dt>{i18n.t(Key::LandingGrid)}</dt>
                <dd>{format!("{} › {}", i18n.name(&profile.street), i18n.name(&profile.community))}</dd>
            </dl>
        </div>
    }
}
