//! OpenPGP signing keys of the CSAF provider (requirement 19/20: `<name>.json.asc`, public keys
//! under `openpgp/`). One active key per organisation, generated on first use or imported;
//! rotation retires the old key but keeps it published so earlier signatures stay verifiable.
//!
//! The secret key is stored sealed with AES-256-GCM under a key derived from
//! `PORTAL_KEY_ENCRYPTION_KEY` (or the generated `<data>/keyring.key`), bound to its fingerprint.
//! Signatures are made once per (document, key) and kept, so every replica serves the same bytes.

use diesel::prelude::*;
use pgp::composed::{
    ArmorOptions, Deserializable, DetachedSignature, KeyType, SecretKeyParamsBuilder, SignedSecretKey,
};
use pgp::crypto::{hash::HashAlgorithm, sym::SymmetricKeyAlgorithm};
use pgp::ser::Serialize as _;
use pgp::types::{CompressionAlgorithm, KeyDetails, KeyVersion, Password};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::audit::{Action, Actor, Category, Event};
use crate::client::ClientInfo;
use crate::db::{schema::*, DbConnection};
use crate::error::{ApiError, ApiResult};
use crate::portal::settings::Portal;
use crate::state::AppState;
use crate::time::{now, utc};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = signing_keys)]
pub struct KeyRow {
    pub id: String,
    pub org_id: String,
    pub fingerprint: String,
    pub algorithm: String,
    pub user_id: String,
    pub public_key: String,
    pub sealed_secret: String,
    pub created_by_name: String,
    pub created_at: chrono::NaiveDateTime,
    pub retired_at: Option<chrono::NaiveDateTime>,
}

/// A signing key as admins see it (never the secret).
#[derive(Debug, Serialize, ToSchema)]
pub struct SigningKeyView {
    pub id: String,
    /// v4 fingerprint, 40 upper-case hex digits.
    pub fingerprint: String,
    pub algorithm: String,
    pub user_id: String,
    pub active: bool,
    pub created_by: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub retired_at: Option<chrono::DateTime<chrono::Utc>>,
    /// ASCII-armoured public key.
    pub public_key: String,
}

/// Rotate the signing key: generate a new one, or import an existing (unprotected) secret key.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RotateSigningKey {
    /// ASCII-armoured OpenPGP secret key to import instead of generating one; it must be able to
    /// sign and must not be passphrase-protected.
    #[serde(default)]
    pub import_secret_key: Option<String>,
}

pub fn view(k: KeyRow) -> SigningKeyView {
    SigningKeyView {
        active: k.retired_at.is_none(),
        id: k.id,
        fingerprint: k.fingerprint,
        algorithm: k.algorithm,
        user_id: k.user_id,
        created_by: k.created_by_name,
        created_at: utc(k.created_at),
        retired_at: k.retired_at.map(utc),
        public_key: k.public_key,
    }
}

/// The purpose label the signing keys are sealed under (`auth::seal`).
const SEAL_PURPOSE: &str = "supplier-portal/openpgp-secret-key/v1";

/// Sealed with AES-256-GCM (`auth::seal`), the fingerprint as associated data.
fn seal(st: &AppState, fingerprint: &str, secret: &[u8]) -> ApiResult<String> {
    crate::auth::seal::seal(st.settings.kek(), SEAL_PURPOSE, fingerprint.as_bytes(), secret)
        .map_err(|e| ApiError::internal(anyhow::anyhow!("sealing the signing key failed: {e}")))
}

fn unseal(st: &AppState, k: &KeyRow) -> ApiResult<SignedSecretKey> {
    let fail = |why: &str| {
        ApiError::internal(anyhow::anyhow!(
            "cannot unseal the OpenPGP key {} ({why}); was PORTAL_KEY_ENCRYPTION_KEY changed?",
            k.fingerprint
        ))
    };
    let plain = crate::auth::seal::unseal(st.settings.kek(), SEAL_PURPOSE, k.fingerprint.as_bytes(), &k.sealed_secret)
        .map_err(|e| fail(&e.to_string()))?;
    SignedSecretKey::from_bytes(&plain[..]).map_err(|e| fail(&e.to_string()))
}

fn pgp_err(what: &str) -> impl Fn(pgp::errors::Error) -> ApiError + '_ {
    move |e| ApiError::internal(anyhow::anyhow!("{what}: {e}"))
}

/// A new v4 Ed25519 signing key (the "legacy" EdDSA encoding GnuPG ≥ 2.1 and the Go CSAF
/// tools verify).
fn generate(user_id: &str) -> ApiResult<SignedSecretKey> {
    let mut params = SecretKeyParamsBuilder::default();
    params
        .version(KeyVersion::V4)
        .key_type(KeyType::Ed25519Legacy)
        .can_certify(true)
        .can_sign(true)
        .primary_user_id(user_id.to_string())
        .preferred_hash_algorithms(vec![HashAlgorithm::Sha512, HashAlgorithm::Sha256].into())
        .preferred_symmetric_algorithms(vec![SymmetricKeyAlgorithm::AES256].into())
        .preferred_compression_algorithms(vec![CompressionAlgorithm::ZLIB].into());
    let params = params.build().map_err(|e| ApiError::internal(anyhow::anyhow!("OpenPGP key parameters: {e}")))?;
    params.generate(rand::thread_rng()).map_err(pgp_err("OpenPGP key generation"))
}

/// A readable name of the key's algorithm and size.
fn algorithm_name(key: &SignedSecretKey) -> String {
    use pgp::crypto::public_key::PublicKeyAlgorithm as A;
    match key.primary_key.algorithm() {
        A::EdDSALegacy | A::Ed25519 => "Ed25519".into(),
        A::RSA | A::RSASign => "RSA".into(),
        A::ECDSA => "ECDSA".into(),
        other => format!("{other:?}"),
    }
}

fn row_of(st: &AppState, org_id: &str, key: &SignedSecretKey, created_by: &str) -> ApiResult<KeyRow> {
    let fingerprint = format!("{:X}", key.fingerprint());
    let public_key = key.to_public_key().to_armored_string(ArmorOptions::default()).map_err(pgp_err("armor"))?;
    let secret = key.to_bytes().map_err(pgp_err("serialize"))?;
    let user_id = key.details.users.first().map(|u| String::from_utf8_lossy(u.id.id()).to_string()).unwrap_or_default();
    Ok(KeyRow {
        id: uuid::Uuid::new_v4().to_string(),
        org_id: org_id.into(),
        sealed_secret: seal(st, &fingerprint, &secret)?,
        fingerprint,
        algorithm: algorithm_name(key),
        user_id,
        public_key,
        created_by_name: created_by.into(),
        created_at: now(),
        retired_at: None,
    })
}

/// Inserts a key as the active one unless the organisation already has one (another replica
/// won the race); the unique partial index decides.
fn insert_active(conn: &mut DbConnection, k: &KeyRow) -> ApiResult<()> {
    crate::per_backend!(conn, |c| {
        diesel::insert_into(signing_keys::table)
            .values((
                signing_keys::id.eq(&k.id),
                signing_keys::org_id.eq(&k.org_id),
                signing_keys::fingerprint.eq(&k.fingerprint),
                signing_keys::algorithm.eq(&k.algorithm),
                signing_keys::user_id.eq(&k.user_id),
                signing_keys::public_key.eq(&k.public_key),
                signing_keys::sealed_secret.eq(&k.sealed_secret),
                signing_keys::created_by_name.eq(&k.created_by_name),
                signing_keys::created_at.eq(k.created_at),
            ))
            .on_conflict_do_nothing()
            .execute(c)
    })?;
    Ok(())
}

pub fn active(conn: &mut DbConnection, org_id: &str) -> ApiResult<Option<KeyRow>> {
    Ok(signing_keys::table
        .filter(signing_keys::org_id.eq(org_id))
        .filter(signing_keys::retired_at.is_null())
        .select(KeyRow::as_select())
        .first(conn)
        .optional()?)
}

/// Every key of the organisation, the active one first, then newest first.
pub fn published_keys(conn: &mut DbConnection, org_id: &str) -> ApiResult<Vec<KeyRow>> {
    let mut keys: Vec<KeyRow> = signing_keys::table
        .filter(signing_keys::org_id.eq(org_id))
        .order((signing_keys::created_at.desc(), signing_keys::id.asc()))
        .select(KeyRow::as_select())
        .load(conn)?;
    keys.sort_by_key(|k| k.retired_at.is_some());
    Ok(keys)
}

fn default_user_id(portal: &Portal) -> String {
    let name: String = portal.display_name.chars().filter(|c| !matches!(c, '<' | '>' | '\n' | '\r')).collect();
    match &portal.contact_email {
        Some(mail) => format!("{name} CSAF signing key <{mail}>"),
        None => format!("{name} CSAF signing key"),
    }
}

/// The organisation's active key, generated on first use.
pub fn ensure_active(conn: &mut DbConnection, st: &AppState, portal: &Portal) -> ApiResult<KeyRow> {
    if let Some(k) = active(conn, &portal.org_id)? {
        return Ok(k);
    }
    let key = generate(&default_user_id(portal))?;
    insert_active(conn, &row_of(st, &portal.org_id, &key, "system (first use)")?)?;
    active(conn, &portal.org_id)?.ok_or_else(|| ApiError::internal(anyhow::anyhow!("no active signing key")))
}

/// Retires the active key (it stays published) and makes a new or imported one active. Audited.
pub fn rotate(
    conn: &mut DbConnection,
    st: &AppState,
    portal: &Portal,
    req: &RotateSigningKey,
    actor: Actor,
    client: &ClientInfo,
) -> ApiResult<KeyRow> {
    let key = match req.import_secret_key.as_deref() {
        Some(armored) => {
            let (key, _) = SignedSecretKey::from_string(armored).map_err(|e| {
                ApiError::validation("import_secret_key", format!("not an ASCII-armoured OpenPGP secret key: {e}"))
            })?;
            key.verify_bindings().map_err(|e| {
                ApiError::validation("import_secret_key", format!("the key's self-signatures do not verify: {e}"))
            })?;
            // Prove it can sign without a passphrase before accepting it.
            DetachedSignature::sign_binary_data(
                rand::thread_rng(),
                &key.primary_key,
                &Password::empty(),
                HashAlgorithm::Sha512,
                &b"probe"[..],
            )
            .map_err(|e| {
                ApiError::validation(
                    "import_secret_key",
                    format!("the key cannot sign without a passphrase (remove its protection first): {e}"),
                )
            })?;
            if signing_keys::table
                .filter(signing_keys::fingerprint.eq(format!("{:X}", key.fingerprint())))
                .count()
                .get_result::<i64>(conn)?
                > 0
            {
                return Err(ApiError::Conflict("this key is already known".into()));
            }
            key
        }
        None => generate(&default_user_id(portal))?,
    };
    let row = row_of(st, &portal.org_id, &key, actor.name().unwrap_or("system"))?;
    let retired = active(conn, &portal.org_id)?;
    diesel::update(
        signing_keys::table.filter(signing_keys::org_id.eq(&portal.org_id)).filter(signing_keys::retired_at.is_null()),
    )
    .set(signing_keys::retired_at.eq(Some(now())))
    .execute(conn)?;
    insert_active(conn, &row)?;
    Event::new(Some(&portal.org_id), Category::Admin, Action::CsafSigningKeyRotate, actor, client)
        .details(serde_json::json!({
            "fingerprint": row.fingerprint,
            "imported": req.import_secret_key.is_some(),
            "retired": retired.map(|k| k.fingerprint),
        }))
        .record(conn)?;
    active(conn, &portal.org_id)?.ok_or_else(|| ApiError::internal(anyhow::anyhow!("no active signing key")))
}

/// The detached ASCII-armoured signature of a document with `key`, made on first request and kept.
pub fn signature(
    conn: &mut DbConnection,
    st: &AppState,
    key: &KeyRow,
    artifact_id: &str,
    sha256: &str,
) -> ApiResult<String> {
    let existing = || {
        csaf_signatures::table
            .filter(csaf_signatures::artifact_id.eq(artifact_id))
            .filter(csaf_signatures::key_id.eq(&key.id))
            .select(csaf_signatures::signature)
    };
    if let Some(sig) = existing().first::<String>(conn).optional()? {
        return Ok(sig);
    }
    let bytes = read_blob(st, sha256)?;
    let secret = unseal(st, key)?;
    let sig = DetachedSignature::sign_binary_data(
        rand::thread_rng(),
        &secret.primary_key,
        &Password::empty(),
        HashAlgorithm::Sha512,
        &bytes[..],
    )
    .map_err(pgp_err("OpenPGP signing"))?
    .to_armored_string(ArmorOptions::default())
    .map_err(pgp_err("armor"))?;
    crate::per_backend!(conn, |c| {
        diesel::insert_into(csaf_signatures::table)
            .values((
                csaf_signatures::artifact_id.eq(artifact_id),
                csaf_signatures::key_id.eq(&key.id),
                csaf_signatures::signature.eq(&sig),
                csaf_signatures::created_at.eq(now()),
            ))
            .on_conflict_do_nothing()
            .execute(c)
    })?;
    Ok(existing().first::<String>(conn)?)
}

/// A stored document's bytes, checked against its content key (CSAF documents are small).
fn read_blob(st: &AppState, sha256: &str) -> ApiResult<Vec<u8>> {
    use std::io::Read;
    let key =
        crate::storage::BlobKey::parse(sha256).ok_or_else(|| ApiError::internal(anyhow::anyhow!("bad blob key")))?;
    let Some(source) = st.blobs.open(&key)? else {
        return Err(ApiError::internal(anyhow::anyhow!("blob {sha256} is missing from the store")));
    };
    let mut bytes = Vec::new();
    source.into_reader().read_to_end(&mut bytes)?;
    if hex::encode(Sha256::digest(&bytes)) != sha256 {
        return Err(ApiError::internal(anyhow::anyhow!("blob {sha256} does not match its digest")));
    }
    Ok(bytes)
}
