DROP TRIGGER audit_events_no_delete;
DROP TRIGGER audit_events_no_update;
DROP TABLE audit_events;
DROP TABLE instance_setup;
DROP TABLE user_sessions;
DROP TABLE memberships;
DROP TABLE users;
DROP TABLE organizations;
