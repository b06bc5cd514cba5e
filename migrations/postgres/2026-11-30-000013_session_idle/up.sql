-- Sessions end after a configurable time without activity (issue 15), besides their absolute lifetime.
ALTER TABLE user_sessions ADD COLUMN last_seen_at TIMESTAMP;
