DROP TRIGGER audit_events_no_update;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: UPDATE refused'); END;
ALTER TABLE user_sessions DROP COLUMN method;
ALTER TABLE organizations DROP COLUMN admins_need_totp;
ALTER TABLE organizations DROP COLUMN password_login;
DROP TABLE account_links;
