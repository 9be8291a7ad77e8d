use leptos::prelude::*;

use crate::api::AppError;
use crate::i18n::use_i18n;

/// A failed request, told in the page language; never the technical detail.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="notice notice-error" role="alert">
            {i18n.t(error.message())}
        </div>
    }
}
