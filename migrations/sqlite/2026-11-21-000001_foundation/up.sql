CREATE TABLE organizations (
    id TEXT PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE memberships (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'publisher', 'viewer')),
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (org_id, user_id)
);
CREATE INDEX memberships_user ON memberships(user_id);

CREATE TABLE user_sessions (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    ip TEXT,
    user_agent TEXT
);
CREATE INDEX user_sessions_user ON user_sessions(user_id);

-- A single row, inserted by the first-run setup: a second concurrent setup fails on the key.
CREATE TABLE instance_setup (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    completed_at TIMESTAMP NOT NULL
);

-- Append-only audit trail (admin and portal events).
CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    event_id TEXT NOT NULL UNIQUE,
    org_id TEXT REFERENCES organizations(id),
    occurred_at TIMESTAMP NOT NULL,
    category TEXT NOT NULL,
    action TEXT NOT NULL,
    outcome TEXT NOT NULL,
    actor_type TEXT NOT NULL,
    actor_id TEXT,
    actor_name TEXT,
    ip TEXT,
    user_agent TEXT,
    request_id TEXT,
    product_id TEXT,
    version_id TEXT,
    artifact_id TEXT,
    sha256 TEXT,
    details TEXT
);
CREATE INDEX audit_events_org_time ON audit_events(org_id, occurred_at DESC, id DESC);

-- The audit trail is append-only: the database itself refuses to change or delete an event.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: UPDATE refused'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: DELETE refused'); END;
