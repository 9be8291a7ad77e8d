//! Accounts: how people sign in, the password rules, login throttling and the
//! session lifetime. Parsing, not validating: a `LoginName` or `NewPassword` that
//! exists is valid.

use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::access::{PersonId, RoleGrant};

/// What a person types to sign in: a mainland mobile number or a username.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoginName {
    Phone(String),
    Username(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LoginNameError {
    #[error("empty")]
    Empty,
    #[error("neither a mobile number nor a username")]
    Malformed,
}

impl LoginName {
    /// Spaces and dashes in a phone number are ignored, as is a +86 prefix; a
    /// username is case-insensitive.
    pub fn parse(input: &str) -> Result<LoginName, LoginNameError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(LoginNameError::Empty);
        }
        let digits: String = trimmed
            .trim_start_matches("+86")
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .collect();
        if digits.len() == 11
            && digits.starts_with('1')
            && digits.chars().all(|c| c.is_ascii_digit())
        {
            return Ok(LoginName::Phone(digits));
        }
        let name = trimmed.to_lowercase();
        let valid_len = (3..=32).contains(&name.chars().count());
        let valid_chars = name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '.' | '-'));
        let starts_with_letter = name.starts_with(|c: char| c.is_ascii_lowercase());
        if valid_len && valid_chars && starts_with_letter {
            Ok(LoginName::Username(name))
        } else {
            Err(LoginNameError::Malformed)
        }
    }

    /// The normalised text, also the key login throttling counts by.
    pub fn as_str(&self) -> &str {
        match self {
            LoginName::Phone(s) | LoginName::Username(s) => s,
        }
    }
}

/// A password that meets the rules: 8 to 128 characters, not only digits, and
/// not the login name itself.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("too short")]
    TooShort,
    #[error("too long")]
    TooLong,
    #[error("only digits")]
    OnlyDigits,
    #[error("same as the login name")]
    SameAsLogin,
}

impl NewPassword {
    pub const MIN_CHARS: usize = 8;
    pub const MAX_CHARS: usize = 128;

    pub fn parse(input: &str, logins: &[&str]) -> Result<NewPassword, PasswordError> {
        let chars = input.chars().count();
        if chars < Self::MIN_CHARS {
            return Err(PasswordError::TooShort);
        }
        if chars > Self::MAX_CHARS {
            return Err(PasswordError::TooLong);
        }
        if input.chars().all(|c| c.is_ascii_digit()) {
            return Err(PasswordError::OnlyDigits);
        }
        if logins
            .iter()
            .any(|l| !l.is_empty() && l.eq_ignore_ascii_case(input))
        {
            return Err(PasswordError::SameAsLogin);
        }
        Ok(NewPassword(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Letters and digits that cannot be confused when read aloud or copied from
/// paper (no 0/O, 1/l/I).
const ONE_TIME_ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A one-time password from random bytes (one character per byte, by rejection
/// so every character is equally likely). Returns `None` if the bytes ran out.
pub fn one_time_password(random: &[u8], len: usize) -> Option<String> {
    let n = ONE_TIME_ALPHABET.len();
    let limit = 256 - (256 % n);
    let out: String = random
        .iter()
        .map(|&b| usize::from(b))
        .filter(|&b| b < limit)
        .take(len)
        .map(|b| char::from(ONE_TIME_ALPHABET[b % n]))
        .collect();
    (out.chars().count() == len).then_some(out)
}

/// How many failed logins are tolerated before a pause.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThrottlePolicy {
    pub window: Duration,
    pub per_account: u32,
    pub per_address: u32,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        ThrottlePolicy {
            window: Duration::minutes(15),
            per_account: 5,
            per_address: 30,
        }
    }
}

impl ThrottlePolicy {
    /// Whether another attempt may be made, given the failures inside the window.
    /// Counting by the typed name whether or not the account exists means the
    /// answer reveals nothing about which accounts exist.
    pub fn allows(&self, account_failures: u32, address_failures: u32) -> bool {
        account_failures < self.per_account && address_failures < self.per_address
    }
}

/// How long a session lives: it ends after `idle` without a request, and after
/// `absolute` in any case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionPolicy {
    pub idle: Duration,
    pub absolute: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            idle: Duration::minutes(30),
            absolute: Duration::hours(12),
        }
    }
}

impl SessionPolicy {
    pub fn is_live(
        &self,
        last_seen: NaiveDateTime,
        expires: NaiveDateTime,
        now: NaiveDateTime,
    ) -> bool {
        now < expires && now - last_seen < self.idle
    }
}

/// One person as the account administrator sees them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonSummary {
    pub id: PersonId,
    pub name: String,
    pub phone: Option<String>,
    pub username: Option<String>,
    pub disabled: bool,
    pub must_change_password: bool,
    pub grants: Vec<RoleGrant>,
}

/// Shown once to the administrator who created or reset an account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedPassword {
    pub person: PersonId,
    pub login: String,
    pub one_time_password: String,
}

/// How long a one-time password from the administrator works: three days to
/// pass it on and sign in; after that the administrator issues a new one.
pub const ONE_TIME_PASSWORD_HOURS: i64 = 72;

/// Whether a one-time password issued at `issued_at` no longer signs in.
pub fn one_time_password_expired(issued_at: NaiveDateTime, now: NaiveDateTime) -> bool {
    now - issued_at > Duration::hours(ONE_TIME_PASSWORD_HOURS)
}

/// Where to go after signing in, from `?next=`: a path on this site only, so
/// the link cannot send anyone elsewhere. One leading `/` not followed by
/// another, no backslash (browsers read it as `/`) and no control character
/// (browsers drop tabs and line breaks from a URL, so `/\t/evil.example`
/// would become `//evil.example`).
pub fn local_path(next: &str) -> Option<&str> {
    let rest = next.strip_prefix('/')?;
    let safe =
        !rest.starts_with('/') && !next.contains('\\') && !next.chars().any(char::is_control);
    safe.then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_one_time_password_works_for_72_hours() {
        let issued = chrono::NaiveDate::from_ymd_opt(2026, 12, 31)
            .and_then(|d| d.and_hms_opt(23, 0, 0))
            .expect("valid");
        assert!(!one_time_password_expired(issued, issued));
        assert!(!one_time_password_expired(
            issued,
            issued + Duration::hours(72)
        ));
        assert!(one_time_password_expired(
            issued,
            issued + Duration::hours(72) + Duration::seconds(1)
        ));
    }

    #[test]
    fn next_is_a_path_on_this_site_only() {
        for ok in ["/", "/households/5", "/estates/1?month=2026-11", "/a//b"] {
            assert_eq!(local_path(ok), Some(ok), "{ok:?}");
        }
        for bad in [
            "",
            "households/5",
            "//evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r//evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "https://evil.example/",
            "/\u{7f}/evil.example",
            "/\u{85}/evil.example",
        ] {
            assert_eq!(local_path(bad), None, "{bad:?}");
        }
    }

    proptest! {
        /// Whatever is accepted, a browser resolves on this site: after
        /// dropping what browsers drop, it still starts with exactly one `/`.
        #[test]
        fn an_accepted_next_stays_on_this_site(next in "[/\\\\\t\n\r\u{7f} a-z.:]{0,10}") {
            if let Some(path) = local_path(&next) {
                let seen: String = path.chars().filter(|c| !c.is_control()).collect::<String>().replace('\\', "/");
                prop_assert!(seen.starts_with('/') && !seen.starts_with("//"));
            }
        }
    }

    #[test]
    fn phones_and_usernames_are_told_apart() {
        assert_eq!(
            LoginName::parse(" +86 139-0888-1234 "),
            Ok(LoginName::Phone("13908881234".into()))
        );
        assert_eq!(
            LoginName::parse("Admin.Gucheng"),
            Ok(LoginName::Username("admin.gucheng".into()))
        );
        assert_eq!(LoginName::parse("  "), Err(LoginNameError::Empty));
        assert_eq!(LoginName::parse("12"), Err(LoginNameError::Malformed));
        assert_eq!(LoginName::parse("9abc"), Err(LoginNameError::Malformed));
        assert_eq!(LoginName::parse("和丽"), Err(LoginNameError::Malformed));
    }

    #[test]
    fn passwords_follow_the_rules() {
        assert_eq!(
            NewPassword::parse("short", &[]),
            Err(PasswordError::TooShort)
        );
        assert_eq!(
            NewPassword::parse("12345678901", &[]),
            Err(PasswordError::OnlyDigits)
        );
        assert_eq!(
            NewPassword::parse("Manager.Wenhui", &["manager.wenhui"]),
            Err(PasswordError::SameAsLogin)
        );
        assert_eq!(
            NewPassword::parse(&"x".repeat(129), &[]),
            Err(PasswordError::TooLong)
        );
        assert!(NewPassword::parse("玉泉花园2栋301", &[]).is_ok());
    }

    #[test]
    fn throttling_pauses_after_the_limits() {
        let p = ThrottlePolicy::default();
        assert!(p.allows(4, 29));
        assert!(!p.allows(5, 0));
        assert!(!p.allows(0, 30));
    }

    #[test]
    fn sessions_end_when_idle_or_old() {
        let p = SessionPolicy::default();
        let t0 = chrono::DateTime::from_timestamp(1_800_000_000, 0)
            .expect("valid")
            .naive_utc();
        let expires = t0 + p.absolute;
        assert!(p.is_live(t0, expires, t0 + Duration::minutes(29)));
        assert!(!p.is_live(t0, expires, t0 + Duration::minutes(31)));
        let recent = t0 + Duration::hours(12);
        assert!(!p.is_live(recent, expires, recent));
    }

    proptest! {
        #[test]
        fn one_time_passwords_use_only_the_plain_alphabet(bytes in proptest::collection::vec(any::<u8>(), 64)) {
            if let Some(p) = one_time_password(&bytes, 12) {
                prop_assert_eq!(p.chars().count(), 12);
                prop_assert!(p.bytes().all(|b| ONE_TIME_ALPHABET.contains(&b)));
                prop_assert!(NewPassword::parse(&p, &[]).is_ok());
            }
        }

        #[test]
        fn any_parsed_login_name_parses_to_itself(input in "\\PC{0,40}") {
            if let Ok(name) = LoginName::parse(&input) {
                prop_assert_eq!(LoginName::parse(name.as_str()), Ok(name.clone()));
            }
        }
    }
}
