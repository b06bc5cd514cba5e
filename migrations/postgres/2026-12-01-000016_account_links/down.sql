CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
ALTER TABLE user_sessions DROP COLUMN method;
ALTER TABLE organizations DROP COLUMN admins_need_totp;
ALTER TABLE organizations DROP COLUMN password_login;
DROP TABLE account_links;
