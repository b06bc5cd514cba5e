//! Secrets the server must read back (OpenPGP signing keys, webhook signing secrets) are stored
//! sealed: AES-256-GCM under a key derived from `PORTAL_KEY_ENCRYPTION_KEY` (or the generated
//! `<data>/keyring.key`) and a purpose label, bound to associated data (a fingerprint, an id).
//! Format: `v1:` + base64(nonce ‖ ciphertext).

use aes_gcm::aead::{Aead, AeadCore, OsRng, Payload};
use aes_gcm::{Aes256Gcm, KeyInit};
use base64::Engine;
use sha2::{Digest, Sha256};

fn cipher(kek: &[u8], purpose: &str) -> anyhow::Result<Aes256Gcm> {
    let mut h = Sha256::new();
    h.update(purpose.as_bytes());
    h.update(b"\0");
    h.update(kek);
    Aes256Gcm::new_from_slice(&h.finalize()).map_err(|e| anyhow::anyhow!("key sealing: {e}"))
}

/// Seals `secret` for `purpose` (e.g. `supplier-portal/webhook-secret/v1`), bound to `aad`.
pub fn seal(kek: &[u8], purpose: &str, aad: &[u8], secret: &[u8]) -> anyhow::Result<String> {
    let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
    let ct = cipher(kek, purpose)?
        .encrypt(&nonce, Payload { msg: secret, aad })
        .map_err(|e| anyhow::anyhow!("sealing failed: {e}"))?;
    let mut out = nonce.to_vec();
    out.extend_from_slice(&ct);
    Ok(format!("v1:{}", base64::engine::general_purpose::STANDARD.encode(out)))
}

/// Opens what [`seal`] produced; fails when the key, purpose or associated data differ.
pub fn unseal(kek: &[u8], purpose: &str, aad: &[u8], sealed: &str) -> anyhow::Result<Vec<u8>> {
    let raw = sealed
        .strip_prefix("v1:")
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .filter(|r| r.len() > 12)
        .ok_or_else(|| anyhow::anyhow!("malformed"))?;
    let (nonce, ct) = raw.split_at(12);
    cipher(kek, purpose)?
        .decrypt(nonce.into(), Payload { msg: ct, aad })
        .map_err(|_| anyhow::anyhow!("authentication failed"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_binding() -> anyhow::Result<()> {
        let kek = b"k".repeat(32);
        let s = seal(&kek, "p/v1", b"id-1", b"whsec_x")?;
        assert_eq!(unseal(&kek, "p/v1", b"id-1", &s)?, b"whsec_x");
        assert!(unseal(&kek, "p/v1", b"id-2", &s).is_err(), "bound to its associated data");
        assert!(unseal(&kek, "q/v1", b"id-1", &s).is_err(), "bound to its purpose");
        assert!(unseal(&b"j".repeat(32), "p/v1", b"id-1", &s).is_err(), "bound to the key");
        Ok(())
    }
}
