//! Password hashing (argon2id with the library's default cost) and session
//! tokens. Callers are already off the async runtime (`run_service`), so the
//! deliberate slowness of hashing blocks no request handling.

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

use crate::error::AppError;

pub fn hash(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| {
            tracing::error!(error = %e, "password hashing failed");
            AppError::Internal
        })
}

/// Checks a password against a stored hash. With no account (`None`) it checks
/// against a fixed dummy hash, so an unknown login costs the same time as a
/// wrong password and timing reveals nothing.
pub fn verify(stored: Option<&str>, password: &str) -> bool {
    let dummy = dummy_hash();
    let (hash, real) = match stored {
        Some(h) => (h, true),
        None => (dummy.as_str(), false),
    };
    let matches = PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or_else(|e| {
            tracing::error!(error = %e, "stored password hash unreadable");
            false
        });
    real && matches
}

fn dummy_hash() -> &'static String {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(b"no such account", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

/// Random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    OsRng.fill_bytes(&mut bytes);
    bytes
}

/// A new session token (256 random bits, hex) and the hash stored for it.
pub fn new_session_token() -> (String, String) {
    let token = hex(&random_bytes::<32>());
    let stored = token_hash(&token);
    (token, stored)
}

/// A one-time token for a form (128 random bits, hex): the same form sent
/// twice is recognised by it.
pub fn new_form_token() -> String {
    hex(&random_bytes::<16>())
}

/// What the database keeps of a token: its SHA-256, so a copy of the database
/// does not hand out live sessions.
pub fn token_hash(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

/// SHA-256 in lower-case hex (session tokens, frozen statements).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// A fresh one-time password for an administrator to hand over.
pub fn new_one_time_password() -> Result<String, AppError> {
    // 64 bytes leave ample room for the rejection sampling of 12 characters.
    crate::domain::accounts::one_time_password(&random_bytes::<64>(), 12).ok_or_else(|| {
        tracing::error!("ran out of random bytes for a one-time password");
        AppError::Internal
    })
}
