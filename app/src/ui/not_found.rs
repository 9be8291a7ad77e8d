use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::{Key, use_i18n};

/// Shown for any address the app does not know, with a 404 status.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    view! {
        <Title text=i18n.t(Key::NotFoundTitle) />
        <section class="notice-page">
            <p class="notice-code" aria-hidden="true">"404"</p>
            <h1>{i18n.t(Key::NotFoundTitle)}</h1>
            <p>{i18n.t(Key::NotFoundBody)}</p>
            <a class="btn btn-primary" href="/">{i18n.t(Key::NotFoundHome)}</a>
        </section>
    }
}
