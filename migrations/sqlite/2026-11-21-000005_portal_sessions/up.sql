-- Customer portal sessions made from access tokens: a session JWT names its row, so signing out
-- (or revoking the token) ends it server-side at once.
CREATE TABLE portal_sessions (
    id TEXT PRIMARY KEY NOT NULL,
    token_id TEXT NOT NULL REFERENCES access_tokens(id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    ip TEXT
);
CREATE INDEX portal_sessions_token ON portal_sessions(token_id);
