//! Every string a person reads comes from `app/locales/*.txt` through [`Key`];
//! `build.rs` checks both languages carry the same keys.

use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;

pub use crate::domain::Lang;
use crate::domain::{LocalizedName, Money};

include!(concat!(env!("OUT_DIR"), "/i18n_keys.rs"));

/// The text of `key` in `lang`.
pub fn text(lang: Lang, key: Key) -> &'static str {
    table(lang)[key as usize]
}

/// Fills `{name}` placeholders of a template.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// "¥1,234.50" in both languages (the yuan sign is the same).
pub fn format_money(lang: Lang, money: Money) -> String {
    fill(
        text(lang, Key::FormatMoney),
        &[("amount", &money.grouped())],
    )
}

/// "2026年11月27日" / "27 November 2026".
pub fn format_date(lang: Lang, date: NaiveDate) -> String {
    let month = month_name(lang, date.month());
    fill(
        text(lang, Key::FormatDate),
        &[
            ("y", &date.year().to_string()),
            ("m", &date.month().to_string()),
            ("month", month),
            ("d", &date.day().to_string()),
        ],
    )
}

fn month_name(lang: Lang, month: u32) -> &'static str {
    const MONTHS: [Key; 12] = [
        Key::Month1,
        Key::Month2,
        Key::Month3,
        Key::Month4,
        Key::Month5,
        Key::Month6,
        Key::Month7,
        Key::Month8,
        Key::Month9,
        Key::Month10,
        Key::Month11,
        Key::Month12,
    ];
    let index = (month.clamp(1, 12) - 1) as usize;
    text(lang, MONTHS[index])
}

/// The language of the current page, provided once by the app shell.
#[derive(Clone, Copy, Debug)]
pub struct I18n {
    pub lang: Lang,
}

impl I18n {
    pub fn t(self, key: Key) -> &'static str {
        text(self.lang, key)
    }

    pub fn fill(self, key: Key, args: &[(&str, &str)]) -> String {
        fill(self.t(key), args)
    }

    pub fn money(self, money: Money) -> String {
        format_money(self.lang, money)
    }

    pub fn date(self, date: NaiveDate) -> String {
        format_date(self.lang, date)
    }

    pub fn name(self, name: &LocalizedName) -> String {
        name.get(self.lang).to_owned()
    }
}

/// The page language. Falls back to the default outside the app (e.g. in tests).
pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or(I18n {
        lang: Lang::default(),
    })
}

/// Decides the page language: on the server from the cookie, in the browser from
/// the `<html lang>` the server rendered, so hydration sees the same text.
pub fn detect_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get_all(axum::http::header::COOKIE)
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .find_map(Lang::from_cookie_header)
            })
            .unwrap_or_default()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|e| e.get_attribute("lang"))
            .and_then(|tag| Lang::from_tag(&tag))
            .unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        Lang::default()
    }
}
