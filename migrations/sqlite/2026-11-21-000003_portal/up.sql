CREATE TABLE portals (
    org_id TEXT PRIMARY KEY NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    enabled BOOLEAN NOT NULL DEFAULT 0,
    slug TEXT NOT NULL UNIQUE,
    visibility TEXT NOT NULL DEFAULT 'private' CHECK (visibility IN ('private', 'public')),
    display_name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    contact_email TEXT,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE access_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    hint TEXT NOT NULL,
    secret_hash TEXT NOT NULL UNIQUE,
    product_ids TEXT,
    created_by_id TEXT,
    created_by_name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP,
    last_used_at TIMESTAMP,
    last_used_ip TEXT,
    use_count BIGINT NOT NULL DEFAULT 0,
    revoked_at TIMESTAMP,
    revoked_by_name TEXT
);
CREATE INDEX access_tokens_org ON access_tokens(org_id);
