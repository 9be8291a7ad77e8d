//! `data:` URLs (RFC 2397) with base64 content: how a receipt photo travels
//! from the browser in a form field and back into an `<img>`, with no file
//! upload route and no base64 crate in either bundle.

use serde::{Deserialize, Serialize};

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub fn encode_base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * k)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Standard base64 with padding; `None` for anything else.
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let text = text.as_bytes();
    if !text.len().is_multiple_of(4) {
        return None;
    }
    let value = |c: u8| ALPHABET.iter().position(|a| *a == c).map(|p| p as u32);
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let quads = text.len() / 4;
    for (q, chunk) in text.chunks(4).enumerate() {
        let pad = chunk.iter().rev().take_while(|c| **c == b'=').count();
        if pad > 2 || (pad > 0 && q + 1 != quads) {
            return None;
        }
        let mut n = 0u32;
        for (k, c) in chunk.iter().enumerate() {
            let v = if k >= 4 - pad { 0 } else { value(*c)? };
            n |= v << (18 - 6 * k);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Some(out)
}

/// A picture in a `data:` URL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataUrl {
    pub mime: String,
    pub bytes: Vec<u8>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    #[error("not a JPEG, PNG or WebP picture")]
    NotAPicture,
    #[error("the picture is too large")]
    TooLarge,
}

/// Receipt photos: the kinds a phone camera or a scanner gives.
pub const PHOTO_TYPES: [&str; 3] = ["image/jpeg", "image/png", "image/webp"];
/// The largest photo kept: a receipt is legible well below this.
pub const MAX_PHOTO_BYTES: usize = 1_000_000;

impl DataUrl {
    pub fn to_url(&self) -> String {
        format!("data:{};base64,{}", self.mime, encode_base64(&self.bytes))
    }

    /// A receipt photo from a form field.
    pub fn parse_photo(url: &str) -> Result<DataUrl, PhotoError> {
        let rest = url
            .trim()
            .strip_prefix("data:")
            .ok_or(PhotoError::NotAPicture)?;
        let (mime, data) = rest.split_once(";base64,").ok_or(PhotoError::NotAPicture)?;
        if !PHOTO_TYPES.contains(&mime) {
            return Err(PhotoError::NotAPicture);
        }
        if data.len() / 4 * 3 > MAX_PHOTO_BYTES + 3 {
            return Err(PhotoError::TooLarge);
        }
        let bytes = decode_base64(data).ok_or(PhotoError::NotAPicture)?;
        if bytes.len() > MAX_PHOTO_BYTES {
            return Err(PhotoError::TooLarge);
        }
        // The browser names the type from the file name: the bytes must agree.
        let looks_right = match mime {
            "image/jpeg" => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
            "image/png" => bytes.starts_with(&[0x89, b'P', b'N', b'G']),
            _ => bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP",
        };
        if !looks_right {
            return Err(PhotoError::NotAPicture);
        }
        Ok(DataUrl {
            mime: mime.to_owned(),
            bytes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_vectors() {
        // RFC 4648 §10.
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(encode_base64(plain.as_bytes()), coded);
            assert_eq!(decode_base64(coded).as_deref(), Some(plain.as_bytes()));
        }
        for bad in ["Zg=", "Zg===", "Z===", "Zm9v!A==", "Zg==Zg=="] {
            assert_eq!(decode_base64(bad), None, "{bad}");
        }
    }

    #[test]
    fn only_pictures_of_a_sensible_size_are_kept() {
        let photo = DataUrl {
            mime: "image/png".into(),
            bytes: vec![137, 80, 78, 71],
        };
        assert_eq!(DataUrl::parse_photo(&photo.to_url()), Ok(photo));
        assert_eq!(
            DataUrl::parse_photo("data:text/html;base64,PGI+"),
            Err(PhotoError::NotAPicture)
        );
        assert_eq!(DataUrl::parse_photo("hello"), Err(PhotoError::NotAPicture));
        let renamed = DataUrl {
            mime: "image/jpeg".into(),
            bytes: b"<html>".to_vec(),
        };
        assert_eq!(
            DataUrl::parse_photo(&renamed.to_url()),
            Err(PhotoError::NotAPicture)
        );
        let big = DataUrl {
            mime: "image/jpeg".into(),
            bytes: vec![0; MAX_PHOTO_BYTES + 1],
        };
        assert_eq!(
            DataUrl::parse_photo(&big.to_url()),
            Err(PhotoError::TooLarge)
        );
    }

    proptest! {
        #[test]
        fn base64_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            prop_assert_eq!(decode_base64(&encode_base64(&bytes)), Some(bytes));
        }
    }
}
