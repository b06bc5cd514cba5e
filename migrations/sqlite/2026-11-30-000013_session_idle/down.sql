ALTER TABLE user_sessions DROP COLUMN last_seen_at;
