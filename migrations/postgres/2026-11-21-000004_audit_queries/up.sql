-- Indexes for the audit filters (newest first, keyset on (occurred_at, id)).
CREATE INDEX audit_events_org_category ON audit_events(org_id, category, occurred_at DESC, id DESC);
CREATE INDEX audit_events_org_action ON audit_events(org_id, action, occurred_at DESC, id DESC);
CREATE INDEX audit_events_org_actor ON audit_events(org_id, actor_id, occurred_at DESC, id DESC);
CREATE INDEX audit_events_org_product ON audit_events(org_id, product_id, occurred_at DESC, id DESC);
CREATE INDEX audit_events_org_artifact ON audit_events(org_id, artifact_id, occurred_at DESC, id DESC);

-- Daily rollup, maintained in the same transaction as each event: statistics never scan the log.
CREATE TABLE audit_daily (
    org_id TEXT NOT NULL,
    day DATE NOT NULL,
    action TEXT NOT NULL,
    outcome TEXT NOT NULL,
    actor_type TEXT NOT NULL,
    actor_id TEXT NOT NULL DEFAULT '',
    product_id TEXT NOT NULL DEFAULT '',
    events BIGINT NOT NULL,
    PRIMARY KEY (org_id, day, action, outcome, actor_type, actor_id, product_id)
);
CREATE INDEX audit_daily_actor ON audit_daily(org_id, actor_id, day);

INSERT INTO audit_daily (org_id, day, action, outcome, actor_type, actor_id, product_id, events)
SELECT org_id, CAST(occurred_at AS DATE), action, outcome, actor_type, COALESCE(actor_id, ''), COALESCE(product_id, ''), COUNT(*)
FROM audit_events WHERE org_id IS NOT NULL
GROUP BY org_id, CAST(occurred_at AS DATE), action, outcome, actor_type, COALESCE(actor_id, ''), COALESCE(product_id, '');
