use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::i18n::{Key, use_i18n};

/// One entry of the main navigation. `public` entries show to everyone; the
/// accounts area adds entries that show only for the caller's active role.
struct NavItem {
    href: &'static str,
    label: Key,
}

const PUBLIC_NAV: &[NavItem] = &[NavItem {
    href: "/",
    label: Key::NavDirectory,
}];

/// Page frame: header with the brand, navigation and language switch; the page;
/// a footer. Phone first: the navigation wraps under the brand on narrow screens.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let nav = PUBLIC_NAV
        .iter()
        .map(|item| {
            let href = item.href;
            let current = move || (location.pathname.get() == href).then_some("page");
            view! {
                <li>
                    <a href=href aria-current=current>
                        {i18n.t(item.label)}
                    </a>
                </li>
            }
        })
        .collect_view();

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
                <ul>{nav}</ul>
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
