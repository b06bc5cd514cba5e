DROP TRIGGER audit_events_no_update_delete ON audit_events;
DROP FUNCTION audit_events_append_only();
DROP TABLE audit_events;
DROP TABLE instance_setup;
DROP TABLE user_sessions;
DROP TABLE memberships;
DROP TABLE users;
DROP TABLE organizations;
