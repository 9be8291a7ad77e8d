use app::domain::Lang;
use axum::Form;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct LanguageChoice {
    lang: String,
    #[serde(default)]
    back: String,
}

/// One year, in seconds: the choice outlives the browser session.
const COOKIE_MAX_AGE: u32 = 365 * 24 * 3600;

/// Remembers the chosen language in a cookie and returns to the page the person
/// was on. Only local paths are followed, so this cannot redirect off-site.
pub async fn set_language(Form(choice): Form<LanguageChoice>) -> Response {
    let lang = Lang::from_tag(&choice.lang).unwrap_or_default();
    let back = if choice.back.starts_with('/')
        && !choice.back.starts_with("//")
        && !choice.back.contains('\\')
    {
        choice.back
    } else {
        "/".to_owned()
    };
    let cookie = format!(
        "{}={}; Path=/; Max-Age={COOKIE_MAX_AGE}; SameSite=Lax",
        Lang::COOKIE,
        lang.tag()
    );
    match (HeaderValue::from_str(&cookie), HeaderValue::from_str(&back)) {
        (Ok(cookie), Ok(location)) => (
            StatusCode::SEE_OTHER,
            [(header::SET_COOKIE, cookie), (header::LOCATION, location)],
        )
            .into_response(),
        _ => (StatusCode::BAD_REQUEST, "bad request").into_response(),
    }
}
