//! Two factors: TOTP (RFC 6238, `totp-rs`) for every member. Enrolment hands out the secret as an
//! `otpauth://` URL (the SPA draws its QR code) and takes effect once a code from it is confirmed;
//! then ten one-time recovery codes are shown, once, and kept hashed. The secret is sealed at rest
//! (`auth::seal`). A code is accepted once: the last time step used is remembered (no replay).

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use totp_rs::{Algorithm, TOTP};
use utoipa::ToSchema;

use super::AuthUser;
use crate::audit::{Action, Category, Event};
use crate::client::ClientInfo;
use crate::db::{schema::*, transaction, DbConnection};
use crate::error::{ApiError, ApiResult};
use crate::orgs::service::org_ids_of_user;
use crate::time::now;

const SEAL_PURPOSE: &str = "supplier-portal/totp-secret/v1";
const ISSUER: &str = "Supplier Portal";
const STEP: u64 = 30;

#[derive(Debug, Serialize, ToSchema)]
pub struct TotpEnrolment {
    /// Scan this with an authenticator app (or show it as a QR code).
    pub otpauth_url: String,
    /// The same secret for typing in by hand (base32).
    pub secret: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TotpCode {
    /// A current 6-digit code (or, to turn two factors off, a recovery code).
    pub code: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecoveryCodes {
    /// One-time codes for when the authenticator is lost; shown this once.
    pub recovery_codes: Vec<String>,
}

fn totp(secret: Vec<u8>, account: &str) -> ApiResult<TOTP> {
    TOTP::new(Algorithm::SHA1, 6, 1, STEP, secret, Some(ISSUER.into()), account.into())
        .map_err(|e| ApiError::internal(anyhow::anyhow!("TOTP: {e}")))
}

fn unseal(kek: &[u8], user_id: &str, sealed: &str) -> ApiResult<Vec<u8>> {
    crate::auth::seal::unseal(kek, SEAL_PURPOSE, user_id.as_bytes(), sealed).map_err(|e| {
        ApiError::internal(anyhow::anyhow!("cannot unseal a TOTP secret ({e}); was PORTAL_KEY_ENCRYPTION_KEY changed?"))
    })
}

/// The time step a code belongs to (within one step of now), if it is valid.
fn matching_step(t: &TOTP, code: &str) -> Option<u64> {
    let code = code.trim().replace(' ', "");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok()?.as_secs() / STEP;
    [now.saturating_sub(1), now, now + 1].into_iter().find(|s| {
        let expected = t.generate(s * STEP);
        expected.len() == code.len() && bool::from(subtle::ConstantTimeEq::ct_eq(expected.as_bytes(), code.as_bytes()))
    })
}

fn hash_code(c: &str) -> String {
    crate::auth::secret::hash(&c.trim().to_ascii_lowercase().replace(' ', ""))
}

fn audit(conn: &mut DbConnection, user: &AuthUser, action: Action, client: &ClientInfo) -> ApiResult<()> {
    for org in org_ids_of_user(conn, &user.user_id)? {
        Event::new(Some(&org), Category::Auth, action, user.actor(), client).record(conn)?;
    }
    Ok(())
}

/// Whether the user signs in with a second factor.
pub fn enabled(conn: &mut DbConnection, user_id: &str) -> ApiResult<bool> {
    let at: Option<chrono::NaiveDateTime> = users::table.find(user_id).select(users::totp_enabled_at).first(conn)?;
    Ok(at.is_some())
}

/// Starts (or restarts) enrolment: a new pending secret, effective once confirmed.
pub fn enrol(conn: &mut DbConnection, kek: &[u8], user: &AuthUser) -> ApiResult<TotpEnrolment> {
    let secret = match totp_rs::Secret::generate_secret().to_bytes() {
        Ok(s) => s,
        Err(e) => return Err(ApiError::internal(anyhow::anyhow!("TOTP secret: {e:?}"))),
    };
    let t = totp(secret.clone(), &user.email)?;
    let sealed = crate::auth::seal::seal(kek, SEAL_PURPOSE, user.user_id.as_bytes(), &secret)
        .map_err(|e| ApiError::internal(anyhow::anyhow!("sealing the TOTP secret: {e}")))?;
    diesel::update(users::table.find(&user.user_id)).set(users::totp_pending_sealed.eq(Some(sealed))).execute(conn)?;
    Ok(TotpEnrolment { otpauth_url: t.get_url(), secret: t.get_secret_base32() })
}

/// Confirms enrolment with a code from the pending secret; answers the recovery codes (once).
pub fn confirm(
    conn: &mut DbConnection,
    kek: &[u8],
    user: &AuthUser,
    code: &str,
    client: &ClientInfo,
) -> ApiResult<RecoveryCodes> {
    let pending: Option<String> = users::table.find(&user.user_id).select(users::totp_pending_sealed).first(conn)?;
    let Some(pending) = pending else {
        return Err(ApiError::Conflict("no enrolment in progress: start with POST /api/v1/me/totp".into()));
    };
    let secret = unseal(kek, &user.user_id, &pending)?;
    let Some(step) = matching_step(&totp(secret, &user.email)?, code) else {
        return Err(ApiError::validation("code", "does not match: enter the current code of your authenticator app"));
    };
    let codes: Vec<String> = (0..10)
        .map(|_| {
            use rand::Rng;
            let mut r = rand::rngs::OsRng;
            let a: u32 = r.gen_range(0..0x10000);
            let b: u32 = r.gen_range(0..0x10000);
            let c: u32 = r.gen_range(0..0x10000);
            format!("{a:04x}-{b:04x}-{c:04x}")
        })
        .collect();
    transaction(conn, |c| {
        diesel::update(users::table.find(&user.user_id))
            .set((
                users::totp_sealed.eq(Some(&pending)),
                users::totp_pending_sealed.eq(None::<String>),
                users::totp_enabled_at.eq(Some(now())),
                users::totp_last_step.eq(step as i64),
            ))
            .execute(c)?;
        diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(&user.user_id))).execute(c)?;
        for code in &codes {
            diesel::insert_into(recovery_codes::table)
                .values((recovery_codes::user_id.eq(&user.user_id), recovery_codes::code_hash.eq(hash_code(code))))
                .execute(c)?;
        }
        audit(c, user, Action::AuthTotpEnable, client)
    })?;
    Ok(RecoveryCodes { recovery_codes: codes })
}

/// Checks a sign-in's second factor: a current code (each time step once) or an unused recovery
/// code (used up). Call inside the sign-in's transaction.
pub fn verify(conn: &mut DbConnection, kek: &[u8], user_id: &str, email: &str, code: &str) -> ApiResult<bool> {
    let (sealed, last): (Option<String>, i64) =
        users::table.find(user_id).select((users::totp_sealed, users::totp_last_step)).first(conn)?;
    let Some(sealed) = sealed else { return Ok(true) };
    if let Some(step) = matching_step(&totp(unseal(kek, user_id, &sealed)?, email)?, code) {
        if (step as i64) <= last {
            return Ok(false); // already used: a replay
        }
        diesel::update(users::table.find(user_id)).set(users::totp_last_step.eq(step as i64)).execute(conn)?;
        return Ok(true);
    }
    let used = diesel::update(
        recovery_codes::table
            .filter(recovery_codes::user_id.eq(user_id))
            .filter(recovery_codes::code_hash.eq(hash_code(code)))
            .filter(recovery_codes::used_at.is_null()),
    )
    .set(recovery_codes::used_at.eq(Some(now())))
    .execute(conn)?;
    Ok(used == 1)
}

/// Turns two factors off (with a current code or a recovery code).
pub fn disable(conn: &mut DbConnection, kek: &[u8], user: &AuthUser, code: &str, client: &ClientInfo) -> ApiResult<()> {
    transaction(conn, |c| {
        if !enabled(c, &user.user_id)? {
            return Err(ApiError::Conflict("two factors are not on".into()));
        }
        if !verify(c, kek, &user.user_id, &user.email, code)? {
            return Err(ApiError::validation("code", "does not match a current code or an unused recovery code"));
        }
        diesel::update(users::table.find(&user.user_id))
            .set((users::totp_sealed.eq(None::<String>), users::totp_enabled_at.eq(None::<chrono::NaiveDateTime>)))
            .execute(c)?;
        diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(&user.user_id))).execute(c)?;
        audit(c, user, Action::AuthTotpDisable, client)
    })
}
