-- Narrow rollups, each small enough that a statistics query reads a few thousand rows at most,
-- whatever the size of the log (audit_daily keeps the full detail for per-token questions).
CREATE TABLE audit_daily_actions (
    org_id TEXT NOT NULL,
    day DATE NOT NULL,
    action TEXT NOT NULL,
    outcome TEXT NOT NULL,
    events BIGINT NOT NULL,
    PRIMARY KEY (org_id, day, action, outcome)
);
-- Successful portal downloads per product and day (top products).
CREATE TABLE audit_daily_products (
    org_id TEXT NOT NULL,
    day DATE NOT NULL,
    product_id TEXT NOT NULL,
    downloads BIGINT NOT NULL,
    PRIMARY KEY (org_id, day, product_id)
);
-- Successful portal actions and downloads per access token and day (active customers, baselines).
CREATE TABLE audit_daily_actors (
    org_id TEXT NOT NULL,
    day DATE NOT NULL,
    actor_id TEXT NOT NULL,
    events BIGINT NOT NULL,
    downloads BIGINT NOT NULL,
    PRIMARY KEY (org_id, day, actor_id)
);
-- Per hour, per access token and client address: the credential-sharing signals read 24 of these.
CREATE TABLE audit_hourly_ips (
    org_id TEXT NOT NULL,
    hour TIMESTAMP NOT NULL,
    actor_id TEXT NOT NULL,
    ip TEXT NOT NULL,
    events BIGINT NOT NULL,
    downloads BIGINT NOT NULL,
    first_at TIMESTAMP NOT NULL,
    last_at TIMESTAMP NOT NULL,
    PRIMARY KEY (org_id, hour, actor_id, ip)
);

INSERT INTO audit_daily_actions (org_id, day, action, outcome, events)
SELECT org_id, day, action, outcome, SUM(events) FROM audit_daily GROUP BY org_id, day, action, outcome;
INSERT INTO audit_daily_products (org_id, day, product_id, downloads)
SELECT org_id, day, product_id, SUM(events) FROM audit_daily
WHERE product_id <> '' AND action LIKE 'portal.%.download' AND outcome = 'success'
GROUP BY org_id, day, product_id;
INSERT INTO audit_daily_actors (org_id, day, actor_id, events, downloads)
SELECT org_id, day, actor_id, SUM(events), SUM(CASE WHEN action LIKE 'portal.%.download' THEN events ELSE 0 END)
FROM audit_daily WHERE actor_type = 'access_token' AND action LIKE 'portal.%' AND outcome = 'success'
GROUP BY org_id, day, actor_id;
INSERT INTO audit_hourly_ips (org_id, hour, actor_id, ip, events, downloads, first_at, last_at)
SELECT org_id, strftime('%Y-%m-%d %H:00:00', occurred_at), actor_id, COALESCE(ip, ''), COUNT(*),
       SUM(CASE WHEN action LIKE 'portal.%.download' THEN 1 ELSE 0 END), MIN(occurred_at), MAX(occurred_at)
FROM audit_events
WHERE org_id IS NOT NULL AND actor_type = 'access_token' AND category = 'portal' AND outcome = 'success' AND actor_id IS NOT NULL
GROUP BY org_id, strftime('%Y-%m-%d %H:00:00', occurred_at), actor_id, COALESCE(ip, '');
