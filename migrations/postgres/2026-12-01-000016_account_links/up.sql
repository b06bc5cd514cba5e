-- Accounts an auditor accepts (issue 15): one-time links for invitations and password resets
-- (stored as SHA-256 of a 256-bit secret), per-organisation sign-in policy, and erasure of
-- personal data from old audit events.
CREATE TABLE account_links (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    secret_hash TEXT NOT NULL UNIQUE,
    org_id TEXT REFERENCES organizations(id),
    email TEXT NOT NULL,
    user_id TEXT REFERENCES users(id),
    role TEXT,
    created_by_id TEXT,
    created_by_name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX account_links_org ON account_links(org_id, kind, created_at);
CREATE INDEX account_links_user ON account_links(user_id, kind);
ALTER TABLE organizations ADD COLUMN password_login BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE organizations ADD COLUMN admins_need_totp BOOLEAN NOT NULL DEFAULT FALSE;
-- How a session was opened (`password` or `sso`): an organisation may refuse password sessions.
ALTER TABLE user_sessions ADD COLUMN method TEXT NOT NULL DEFAULT 'password';

-- The audit trail stays append-only with one exception: erasing the client address and user agent
-- (both to NULL) while every other column stays as it was (PORTAL_AUDIT_PERSONAL_DATA_DAYS).
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.ip IS NULL AND NEW.user_agent IS NULL
       AND ROW(NEW.id, NEW.event_id, NEW.org_id, NEW.occurred_at, NEW.category, NEW.action, NEW.outcome, NEW.actor_type, NEW.actor_id, NEW.actor_name, NEW.request_id, NEW.product_id, NEW.version_id, NEW.artifact_id, NEW.sha256, NEW.details) IS NOT DISTINCT FROM ROW(OLD.id, OLD.event_id, OLD.org_id, OLD.occurred_at, OLD.category, OLD.action, OLD.outcome, OLD.actor_type, OLD.actor_id, OLD.actor_name, OLD.request_id, OLD.product_id, OLD.version_id, OLD.artifact_id, OLD.sha256, OLD.details) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
