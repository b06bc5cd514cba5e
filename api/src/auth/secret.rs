//! Random bearer secrets with a recognisable prefix (so secret scanners find leaked ones),
//! stored only as SHA-256 and compared in constant time.

use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// A freshly generated secret (`secrecy`: zeroised on drop, never printed by Debug); shown to
/// its owner once, never logged.
#[derive(Debug)]
pub struct PlainSecret(secrecy::SecretString);

impl PlainSecret {
    /// `prefix` + 32 random bytes (256 bits) in URL-safe base64.
    pub fn generate(prefix: &str) -> Self {
        use base64::Engine;
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        PlainSecret(format!("{prefix}{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)).into())
    }
    pub fn expose(&self) -> &str {
        secrecy::ExposeSecret::expose_secret(&self.0)
    }
    pub fn hash(&self) -> String {
        hash(self.expose())
    }
    /// A short, non-secret hint to tell tokens apart in lists (`spt_…a1b2`).
    pub fn hint(&self) -> String {
        let plain = self.expose();
        let tail: String = plain.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
        let prefix = plain.split('_').next().unwrap_or("");
        format!("{prefix}_…{tail}")
    }
}

pub fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Whether a presented secret equals the configured one (compared as digests, in constant time).
pub fn matches(given: &str, expected: &str) -> bool {
    digest_eq(&hash(given), &hash(expected))
}

/// Constant-time comparison of two hex digests.
pub fn digest_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_prefixed_random_and_hashed() {
        let a = PlainSecret::generate("spt_");
        let b = PlainSecret::generate("spt_");
        assert!(a.expose().starts_with("spt_") && a.expose().len() > 40);
        assert_ne!(a.expose(), b.expose());
        assert!(digest_eq(&a.hash(), &hash(a.expose())));
        assert!(!digest_eq(&a.hash(), &b.hash()));
        assert!(a.hint().starts_with("spt_…"));
        assert!(!format!("{a:?}").contains(a.expose()), "Debug never shows the secret");
    }
}

/// Lifetime choices for access tokens and API keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub enum ExpiresIn {
    #[serde(rename = "30d")]
    Days30,
    #[serde(rename = "90d")]
    Days90,
    #[serde(rename = "180d")]
    Days180,
    #[serde(rename = "1y")]
    Year,
    #[serde(rename = "never")]
    Never,
}

impl ExpiresIn {
    /// The expiry instant counted from `now`, or `None` for never.
    pub fn expires_at(self, now: chrono::NaiveDateTime) -> Option<chrono::NaiveDateTime> {
        let days = match self {
            ExpiresIn::Days30 => 30,
            ExpiresIn::Days90 => 90,
            ExpiresIn::Days180 => 180,
            ExpiresIn::Year => 365,
            ExpiresIn::Never => return None,
        };
        Some(now + chrono::Duration::days(days))
    }
}
