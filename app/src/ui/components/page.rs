//! What every signed-in page shares: the session, loading a page's data with
//! its failures told properly (sign in, change password, 403, 404), and forms
//! whose errors land on the field they concern.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::api::AppError;
use crate::domain::access::{Caller, Role};
use crate::i18n::{Key, use_i18n};
use crate::ui::components::ErrorNotice;

/// The signed-in caller, loaded once per page load by the app shell.
#[derive(Clone, Copy)]
pub struct SessionContext(pub Resource<Result<Option<Caller>, AppError>>);

pub fn use_session() -> Option<SessionContext> {
    use_context::<SessionContext>()
}

/// Loads the page's data before rendering, and renders either the data or
/// the page for its failure.
#[component]
pub fn Loaded<T, V, F>(resource: Resource<Result<T, AppError>>, view: F) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    V: IntoView + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
{
    let i18n = use_i18n();
    view! {
        <Suspense fallback=move || {
            view! { <p class="loading">{i18n.t(Key::CommonLoading)}</p> }
        }>
            {
                let view = view.clone();
                move || {
                    let view = view.clone();
                    Suspend::new(async move {
                        match resource.await {
                            Ok(data) => view(data).into_any(),
                            Err(error) => view! { <ErrorPage error /> }.into_any(),
                        }
                    })
                }
            }
        </Suspense>
    }
}

/// The whole page when loading failed. Signing in and changing a one-time
/// password are sent to their pages (a redirect on the server, a navigation in
/// the browser); a refusal is a translated 403 page.
#[component]
pub fn ErrorPage(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    let redirect = match &error {
        AppError::Unauthenticated => Some(login_path()),
        AppError::PasswordChangeRequired => Some("/account/password".to_owned()),
        _ => None,
    };
    if let Some(path) = redirect.clone() {
        #[cfg(feature = "ssr")]
        leptos_axum::redirect(&path);
        #[cfg(not(feature = "ssr"))]
        Effect::new(move |_| go(&path));
    }
    match error {
        AppError::Unauthenticated => view! {
            <Title text=i18n.t(Key::ErrorSignInTitle) />
            <section class="notice-page">
                <h1>{i18n.t(Key::ErrorSignInTitle)}</h1>
                <p>{i18n.t(Key::ErrorUnauthenticated)}</p>
                <a class="btn btn-primary" href=redirect>{i18n.t(Key::ErrorSignInLink)}</a>
            </section>
        }
        .into_any(),
        AppError::Forbidden | AppError::PasswordChangeRequired => view! {
            <Title text=i18n.t(Key::ErrorForbiddenTitle) />
            <section class="notice-page" data-testid="forbidden">
                <p class="notice-code" aria-hidden="true">"403"</p>
                <h1>{i18n.t(Key::ErrorForbiddenTitle)}</h1>
                <p>{i18n.t(error.message())}</p>
                <a class="btn btn-primary" href="/">{i18n.t(Key::NotFoundHome)}</a>
            </section>
        }
        .into_any(),
        AppError::NotFound => view! {
            <Title text=i18n.t(Key::NotFoundTitle) />
            <section class="notice-page">
                <p class="notice-code" aria-hidden="true">"404"</p>
                <h1>{i18n.t(Key::NotFoundTitle)}</h1>
                <p>{i18n.t(Key::ErrorNotFound)}</p>
                <a class="btn btn-primary" href="/">{i18n.t(Key::NotFoundHome)}</a>
            </section>
        }
        .into_any(),
        error => {
            let reference = failure_reference();
            view! { <ErrorNotice error reference /> }.into_any()
        }
    }
}

/// The request that rendered this page on the server: its path, and the id
/// the server gave it. Sent along with the page, so the browser shows the
/// same reference when it takes the page over.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRequest {
    pub path: String,
    pub id: Option<String>,
}

/// Makes the page's request known to the failures shown on it.
pub fn provide_page_request() {
    let page = SharedValue::new(|| {
        #[cfg(feature = "ssr")]
        {
            PageRequest {
                path: use_context::<axum::http::request::Parts>()
                    .map(|parts| parts.uri.path().to_owned())
                    .unwrap_or_default(),
                id: crate::api::request_id(),
            }
        }
        #[cfg(not(feature = "ssr"))]
        PageRequest::default()
    })
    .into_inner();
    provide_context(page);
}

/// The id of the request whose failure this page shows: the server's
/// rendering of this very path. A page the browser loaded later itself has
/// no id to show (its request is in the log by time and route).
fn failure_reference() -> Option<String> {
    let page = use_context::<PageRequest>()?;
    let here = leptos_router::hooks::use_location()
        .pathname
        .get_untracked();
    page.id.filter(|_| here == page.path)
}

/// The sign-in page, coming back here afterwards.
fn login_path() -> String {
    let here = leptos_router::hooks::use_location();
    let path = here.pathname.get_untracked();
    let search = here.search.get_untracked();
    let back = if search.is_empty() {
        path
    } else {
        format!("{path}?{search}")
    };
    format!("/login?next={}", crate::api::encode_component(&back))
}

/// A full page load of `path`: after signing in or out, or switching roles,
/// every part of the page must be rendered afresh for the new caller.
pub fn go(path: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().assign(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

/// A local path only, so `next` cannot send anyone to another site.
pub fn safe_next(next: &str) -> Option<String> {
    crate::domain::accounts::local_path(next).map(str::to_owned)
}

/// The inline error of `field` from a form's last answer.
pub fn field_error<T, S>(value: S, field: &'static str) -> Signal<Option<Key>>
where
    T: Send + Sync + 'static,
    S: With<Value = Option<Result<T, AppError>>> + Copy + Send + Sync + 'static,
{
    Signal::derive(move || {
        value.with(|v| match v {
            Some(Err(AppError::Invalid { field: f, message })) if f == field => Some(*message),
            _ => None,
        })
    })
}

/// A form's error that belongs to no field, as a notice.
pub fn form_error<T, S>(value: S) -> impl IntoView
where
    T: Send + Sync + 'static,
    S: With<Value = Option<Result<T, AppError>>> + Copy + Send + Sync + 'static,
{
    move || {
        value.with(|v| match v {
            Some(Err(AppError::Invalid { .. })) | None | Some(Ok(_)) => None,
            Some(Err(error)) => Some(view! { <ErrorNotice error=error.clone() /> }),
        })
    }
}

/// The numeric `:id` of the route; anything else is a page that does not exist.
pub fn route_id() -> Option<i64> {
    leptos_router::hooks::use_params_map()
        .with_untracked(|p| p.get("id"))
        .and_then(|id| id.parse().ok())
}

/// Opens the browser's print dialog (posters, contracts).
pub fn print_page() {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().print();
    }
}

/// Bumped after any change on a page, so its data reloads.
#[derive(Clone, Copy)]
pub struct Refresh(pub RwSignal<u32>);

impl Refresh {
    /// A new counter, provided to the page's forms.
    pub fn provide() -> RwSignal<u32> {
        let version = RwSignal::new(0u32);
        provide_context(Refresh(version));
        version
    }
}

/// Reloads the page's data once `value` (a form's last answer) is a success.
pub fn refresh_on_success<T, S>(value: S)
where
    T: Send + Sync + 'static,
    S: With<Value = Option<Result<T, AppError>>> + Copy + Send + Sync + 'static,
{
    if let Some(Refresh(version)) = use_context::<Refresh>() {
        Effect::new(move |_| {
            if value.with(|v| matches!(v, Some(Ok(_)))) {
                version.update(|n| *n += 1);
            }
        });
    }
}

pub fn role_label(role: Role) -> Key {
    match role {
        Role::Resident => Key::RoleResident,
        Role::Staff => Key::RoleStaff,
        Role::Manager => Key::RoleManager,
        Role::Cashier => Key::RoleCashier,
        Role::Committee => Key::RoleCommittee,
        Role::Party => Key::RoleParty,
        Role::Admin => Key::RoleAdmin,
    }
}
