DROP TABLE audit_daily;
DROP INDEX audit_events_org_artifact;
DROP INDEX audit_events_org_product;
DROP INDEX audit_events_org_actor;
DROP INDEX audit_events_org_action;
DROP INDEX audit_events_org_category;
