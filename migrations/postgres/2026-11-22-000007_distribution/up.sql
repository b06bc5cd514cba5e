-- Standard distribution channels: OpenPGP signing keys for the CSAF provider (the secret key is
-- stored sealed with a key from the configuration), the signatures made with them, and the
-- Transparency Exchange API's collection history per product version.
CREATE TABLE signing_keys (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL UNIQUE,
    algorithm TEXT NOT NULL,
    user_id TEXT NOT NULL,
    public_key TEXT NOT NULL,
    sealed_secret TEXT NOT NULL,
    created_by_name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    retired_at TIMESTAMP
);
-- At most one active key per organisation: two replicas generating "on first use" at the same
-- moment cannot both win.
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys(org_id) WHERE retired_at IS NULL;

CREATE TABLE csaf_signatures (
    artifact_id TEXT NOT NULL REFERENCES artifacts(id) ON DELETE CASCADE,
    key_id TEXT NOT NULL REFERENCES signing_keys(id) ON DELETE CASCADE,
    signature TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (artifact_id, key_id)
);

CREATE TABLE tea_collections (
    version_id TEXT NOT NULL REFERENCES product_versions(id) ON DELETE CASCADE,
    collection_version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    update_reason TEXT NOT NULL,
    update_comment TEXT,
    artifact_ids TEXT NOT NULL,
    PRIMARY KEY (version_id, collection_version)
);
