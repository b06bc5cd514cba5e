-- Successful portal actions and downloads per access token and calendar month: active customers
-- over a long range read whole months here and only the partial months at its edges per day.
CREATE TABLE audit_monthly_actors (
    org_id TEXT NOT NULL,
    month DATE NOT NULL,
    actor_id TEXT NOT NULL,
    events BIGINT NOT NULL,
    downloads BIGINT NOT NULL,
    PRIMARY KEY (org_id, month, actor_id)
);
INSERT INTO audit_monthly_actors (org_id, month, actor_id, events, downloads)
SELECT org_id, date_trunc('month', day)::date, actor_id, SUM(events), SUM(downloads)
FROM audit_daily_actors GROUP BY org_id, date_trunc('month', day)::date, actor_id;
