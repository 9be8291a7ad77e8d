use leptos::prelude::*;
use leptos_router::hooks::use_location;

use super::page::{SessionContext, go, role_label, use_session};
use crate::api::accounts::Logout;
use crate::domain::access::{Caller, Role, Scope};
use crate::i18n::{Key, use_i18n};

/// One entry of the main navigation.
struct NavItem {
    href: String,
    label: Key,
}

/// The navigation for the caller: the public directory for everyone; each
/// role's own pages once signed in.
fn nav_items(caller: Option<&Caller>) -> Vec<NavItem> {
    let item = |href: &str, label| NavItem {
        href: href.to_owned(),
        label,
    };
    let mut items = vec![item("/", Key::NavDirectory)];
    let Some(caller) = caller else {
        items.push(item("/login", Key::NavLogin));
        return items;
    };
    items.push(NavItem {
        href: caller.home_path(),
        label: Key::NavHome,
    });
    let role = caller.role();
    match caller.grant.as_ref().map(|g| (g.role, g.scope)) {
        Some((Role::Resident, Scope::Household(h))) => {
            items.push(item(&format!("/households/{h}/book"), Key::NavBook));
            items.push(item(&format!("/households/{h}/orders"), Key::NavOrders));
            items.push(item(&format!("/households/{h}/bills"), Key::NavBills));
            items.push(item(
                &format!("/households/{h}/volunteer"),
                Key::NavVolunteer,
            ));
        }
        Some((Role::Staff, _)) => items.push(item("/jobs", Key::NavJobs)),
        Some((Role::Committee, Scope::Estate(e))) => {
            items.push(item(&format!("/estates/{e}/accounts"), Key::NavAccounts));
        }
        Some((Role::Manager, Scope::Company(c))) => {
            items.push(item(&format!("/companies/{c}/orders"), Key::NavOrders));
            items.push(item(&format!("/companies/{c}/schedule"), Key::NavSchedule));
            items.push(item(&format!("/companies/{c}/billing"), Key::NavBilling));
        }
        Some((Role::Cashier, Scope::Company(c))) => {
            items.push(item(&format!("/companies/{c}/arrears"), Key::NavArrears));
            items.push(item(&format!("/companies/{c}/billing"), Key::NavBilling));
        }
        _ => {}
    }
    if matches!(
        role,
        Some(Role::Staff | Role::Manager | Role::Cashier | Role::Party | Role::Admin)
    ) {
        items.push(item("/estates", Key::NavEstates));
    }
    if matches!(
        role,
        Some(Role::Manager | Role::Committee | Role::Party | Role::Admin)
    ) {
        items.push(item("/decisions", Key::NavDecisions));
    }
    if role == Some(Role::Party) {
        items.push(item("/volunteers", Key::NavVolunteers));
    }
    if matches!(role, Some(Role::Manager | Role::Party | Role::Admin)) {
        items.push(item("/roster", Key::NavRoster));
    }
    if matches!(role, Some(Role::Party | Role::Admin)) {
        items.push(item("/audit", Key::NavAudit));
    }
    if matches!(role, Some(Role::Manager | Role::Admin)) {
        items.push(item("/outbox", Key::NavOutbox));
    }
    if role == Some(Role::Admin) {
        items.push(item("/admin/people", Key::NavPeople));
    }
    items.push(item("/account", Key::NavAccount));
    items
}

/// Page frame: header with the brand, navigation and language switch; the page;
/// a footer. Phone first: the navigation wraps under the brand on narrow screens.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let nav = move |caller: Option<Caller>| {
        let signed_in = caller.is_some();
        let acting = caller.as_ref().and_then(|c| {
            c.grant.as_ref().map(|g| {
                format!(
                    "{} · {} · {}",
                    c.name,
                    i18n.t(role_label(g.role)),
                    i18n.name(&g.scope_name)
                )
            })
        });
        let links = nav_items(caller.as_ref())
            .into_iter()
            .map(|item| {
                let href = item.href.clone();
                let current = move || (location.pathname.get() == href).then_some("page");
                view! {
                    <li>
                        <a href=item.href aria-current=current>
                            {i18n.t(item.label)}
                        </a>
                    </li>
                }
            })
            .collect_view();
        view! {
            <ul>
                {links}
                {signed_in.then(|| view! { <li><LogoutButton /></li> })}
            </ul>
            {acting.map(|a| {
                view! {
                    <p class="acting-as" data-testid="acting-as">
                        <span class="visually-hidden">{i18n.t(Key::NavActingAs)}</span>
                        {a}
                    </p>
                }
            })}
        }
    };
    let session = use_session();

    view! {
        <a class="skip-link" href="#main">
            {i18n.t(Key::LayoutSkipToContent)}
        </a>
        <header class="site-header">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"红"</span>
                <span class="brand-text">
                    <span class="brand-name">{i18n.t(Key::AppName)}</span>
                    <span class="brand-tagline">{i18n.t(Key::AppTagline)}</span>
                </span>
            </a>
            <nav class="site-nav" aria-label=i18n.t(Key::NavLabel)>
                <Suspense fallback=move || nav(None)>
                    {move || Suspend::new(async move {
                        let caller = match session {
                            Some(SessionContext(resource)) => resource.await.ok().flatten(),
                            None => None,
                        };
                        nav(caller)
                    })}
                </Suspense>
            </nav>
            <LanguageSwitch />
        </header>
        <main id="main" class="site-main" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <p>{i18n.t(Key::LayoutFooter)}</p>
        </footer>
    }
}

/// Signs out on the server, then loads the sign-in page afresh.
#[component]
fn LogoutButton() -> impl IntoView {
    let i18n = use_i18n();
    let logout = ServerAction::<Logout>::new();
    Effect::new(move |_| {
        if logout.value().get().is_some() {
            go("/login");
        }
    });
    view! {
        <ActionForm action=logout attr:class="logout-form">
            <button type="submit" class="btn btn-ghost btn-small" data-testid="logout">
                {i18n.t(Key::NavLogout)}
            </button>
        </ActionForm>
    }
}

/// A plain form, so it works before the page is interactive and without
/// JavaScript: the server sets the language cookie and sends the person back.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let other = i18n.lang.other();
    let back = move || {
        let search = location.search.get();
        if search.is_empty() {
            location.pathname.get()
        } else {
            format!("{}?{search}", location.pathname.get())
        }
    };
    view! {
        <form class="lang-switch" method="post" action="/lang">
            <input type="hidden" name="lang" value=other.tag() />
            <input type="hidden" name="back" value=back />
            <button
                type="submit"
                class="btn btn-ghost"
                lang=other.tag()
                data-testid="lang-switch"
                aria-label=i18n.t(Key::LayoutSwitchLanguageLabel)
            >
                {i18n.t(Key::LayoutSwitchLanguage)}
            </button>
        </form>
    }
}
