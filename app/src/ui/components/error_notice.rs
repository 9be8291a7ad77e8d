use leptos::prelude::*;

use crate::api::AppError;
use crate::i18n::{Key, fill, use_i18n};

/// A failed request, told in the page language; never the technical detail.
/// A failure on our side names the request (`reference`) so the office can
/// find it in the server's log.
#[component]
pub fn ErrorNotice(
    error: AppError,
    #[prop(default = None)] reference: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let reference = reference
        .filter(|_| matches!(error, AppError::Internal | AppError::Unavailable))
        .map(|id| {
            view! {
                <p class="notice-reference" data-testid="request-reference">
                    {fill(i18n.t(Key::ErrorReference), &[("id", &id)])}
                </p>
            }
        });
    view! {
        <div class="notice notice-error" role="alert">
            {i18n.t(error.message())}
            {reference}
        </div>
    }
}
