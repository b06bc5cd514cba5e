//! Session JWTs: HS256 only, issuer, audience, expiry and a server-side session id pinned and
//! checked, zero leeway. The signature proves we issued it; the session row proves it still counts.

use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

pub const ISSUER: &str = "supplier-portal";
pub const ADMIN_AUDIENCE: &str = "supplier-portal:admin";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    /// The user (admin sessions) or the access token (portal sessions).
    pub sub: String,
    /// Server-side session id; revoking it invalidates the token at once.
    pub sid: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
}

#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl JwtKeys {
    pub fn new(secret: &[u8]) -> Self {
        Self { encoding: EncodingKey::from_secret(secret), decoding: DecodingKey::from_secret(secret) }
    }

    pub fn issue(&self, audience: &str, subject: &str, session_id: &str, ttl_secs: i64) -> anyhow::Result<String> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            iss: ISSUER.into(),
            aud: audience.into(),
            sub: subject.into(),
            sid: session_id.into(),
            iat: now,
            nbf: now,
            exp: now + ttl_secs,
        };
        Ok(encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?)
    }

    /// Verifies signature, algorithm, issuer, audience, nbf and exp (no leeway).
    pub fn verify(&self, token: &str, audience: &str) -> Result<Claims, jsonwebtoken::errors::Error> {
        let mut v = Validation::new(Algorithm::HS256);
        v.leeway = 0;
        v.validate_exp = true;
        v.validate_nbf = true;
        v.set_issuer(&[ISSUER]);
        v.set_audience(&[audience]);
        v.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
        decode::<Claims>(token, &self.decoding, &v).map(|d| d.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_rejections() {
        let keys = JwtKeys::new(&[7u8; 64]);
        let t = keys.issue(ADMIN_AUDIENCE, "u1", "s1", 60).unwrap();
        assert_eq!(keys.verify(&t, ADMIN_AUDIENCE).unwrap().sid, "s1");
        assert!(keys.verify(&t, "portal:x").is_err(), "audience is pinned");
        assert!(JwtKeys::new(&[8u8; 64]).verify(&t, ADMIN_AUDIENCE).is_err(), "key is pinned");
        let expired = keys.issue(ADMIN_AUDIENCE, "u1", "s1", -1).unwrap();
        assert!(keys.verify(&expired, ADMIN_AUDIENCE).is_err(), "no leeway");
    }
}
