//! The languages the UI speaks, and names that exist in both.

use serde::{Deserialize, Serialize};

/// Simplified Chinese is the default; English is on request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// Name of the cookie that remembers a person's choice.
    pub const COOKIE: &'static str = "hongye_lang";

    /// BCP 47 tag, as used in `<html lang>` and the cookie.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Reads a tag; anything unknown is `None` so callers fall back to the default.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        match tag.trim() {
            "zh-CN" | "zh" | "zh-Hans" => Some(Lang::Zh),
            "en" | "en-US" | "en-GB" => Some(Lang::En),
            _ => None,
        }
    }

    /// Finds the language cookie in a `Cookie` request header.
    pub fn from_cookie_header(header: &str) -> Option<Lang> {
        header.split(';').find_map(|pair| {
            let (name, value) = pair.split_once('=')?;
            (name.trim() == Self::COOKIE)
                .then(|| Lang::from_tag(value))
                .flatten()
        })
    }

    /// The language the toggle switches to.
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }
}

/// A proper noun (a street, a company) kept in Chinese and in its English form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LocalizedName {
    pub zh: String,
    pub en: String,
}

impl LocalizedName {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The name in `lang`; an empty English form falls back to the Chinese one.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En if !self.en.is_empty() => &self.en,
            _ => &self.zh,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_is_found_among_others() {
        assert_eq!(
            Lang::from_cookie_header("a=1; hongye_lang=en; b=2"),
            Some(Lang::En)
        );
        assert_eq!(
            Lang::from_cookie_header("hongye_lang=zh-CN"),
            Some(Lang::Zh)
        );
    }

    #[test]
    fn an_unknown_or_missing_language_gives_none() {
        assert_eq!(Lang::from_cookie_header("hongye_lang=fr"), None);
        assert_eq!(Lang::from_cookie_header("other=en"), None);
        assert_eq!(Lang::from_cookie_header(""), None);
    }

    #[test]
    fn tags_round_trip() {
        for lang in [Lang::Zh, Lang::En] {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
            assert_eq!(lang.other().other(), lang);
        }
    }

    #[test]
    fn an_english_name_falls_back_to_chinese_when_missing() {
        let name = LocalizedName::new("玉泉花园", "");
        assert_eq!(name.get(Lang::En), "玉泉花园");
        let name = LocalizedName::new("玉泉花园", "Yuquan Garden");
        assert_eq!(name.get(Lang::En), "Yuquan Garden");
        assert_eq!(name.get(Lang::Zh), "玉泉花园");
    }
}
