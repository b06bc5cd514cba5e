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
DROP TRIGGER audit_events_no_update;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
WHEN NOT (NEW.ip IS NULL AND NEW.user_agent IS NULL AND NEW.id IS OLD.id AND NEW.event_id IS OLD.event_id AND NEW.org_id IS OLD.org_id AND NEW.occurred_at IS OLD.occurred_at AND NEW.category IS OLD.category AND NEW.action IS OLD.action AND NEW.outcome IS OLD.outcome AND NEW.actor_type IS OLD.actor_type AND NEW.actor_id IS OLD.actor_id AND NEW.actor_name IS OLD.actor_name AND NEW.request_id IS OLD.request_id AND NEW.product_id IS OLD.product_id AND NEW.version_id IS OLD.version_id AND NEW.artifact_id IS OLD.artifact_id AND NEW.sha256 IS OLD.sha256 AND NEW.details IS OLD.details)
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: UPDATE refused'); END;
