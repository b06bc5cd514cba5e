-- The vulnerability response loop (issue 14): vulnerabilities under triage, their assessments per
-- version, the reports made to authorities, customers' subscriptions, the notification outbox,
-- token renewal requests, and the organisation's response clocks.
CREATE TABLE vulnerabilities (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organizations(id),
    vuln_id TEXT NOT NULL,
    aliases TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    severity TEXT NOT NULL,
    cvss_v3_vector TEXT,
    actively_exploited BOOLEAN NOT NULL DEFAULT FALSE,
    aware_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    created_by_name TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP,
    revision INTEGER NOT NULL DEFAULT 0,
    published_at TIMESTAMP,
    first_notified_at TIMESTAMP,
    first_fixed_published_at TIMESTAMP,
    reminded TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX vulnerabilities_org_vuln ON vulnerabilities(org_id, vuln_id);
CREATE TABLE vuln_assessments (
    vulnerability_id TEXT NOT NULL REFERENCES vulnerabilities(id),
    version_id TEXT NOT NULL REFERENCES product_versions(id),
    status TEXT NOT NULL,
    justification TEXT,
    impact_statement TEXT,
    action_statement TEXT,
    fixed_in TEXT,
    updated_at TIMESTAMP NOT NULL,
    updated_by_name TEXT NOT NULL,
    PRIMARY KEY (vulnerability_id, version_id)
);
CREATE TABLE vuln_reports (
    vulnerability_id TEXT NOT NULL REFERENCES vulnerabilities(id),
    kind TEXT NOT NULL,
    submitted_at TIMESTAMP NOT NULL,
    reference TEXT,
    recorded_by_name TEXT NOT NULL,
    PRIMARY KEY (vulnerability_id, kind)
);
-- The documents generated for a vulnerability: the current OpenVEX and CSAF VEX of each version.
CREATE TABLE vuln_documents (
    vulnerability_id TEXT NOT NULL REFERENCES vulnerabilities(id),
    version_id TEXT NOT NULL REFERENCES product_versions(id),
    format TEXT NOT NULL,
    artifact_id TEXT NOT NULL REFERENCES artifacts(id),
    revision INTEGER NOT NULL,
    -- Release dates of every revision, oldest first (RFC 3339, space-separated).
    history TEXT NOT NULL,
    -- When this revision was generated (exact; compared with the assessment's last change).
    generated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (vulnerability_id, version_id, format)
);
-- Every step of a vulnerability's response, tied to the audit event that recorded it.
CREATE TABLE vuln_steps (
    id TEXT PRIMARY KEY NOT NULL,
    vulnerability_id TEXT NOT NULL REFERENCES vulnerabilities(id),
    at TIMESTAMP NOT NULL,
    kind TEXT NOT NULL,
    summary TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    audit_event_id TEXT
);
CREATE INDEX vuln_steps_vuln ON vuln_steps(vulnerability_id, at);
CREATE TABLE subscriptions (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organizations(id),
    token_id TEXT NOT NULL REFERENCES access_tokens(id),
    email TEXT,
    webhook_url TEXT,
    sealed_secret TEXT,
    secret_hint TEXT,
    events TEXT NOT NULL,
    product_ids TEXT,
    created_at TIMESTAMP NOT NULL,
    created_by_name TEXT NOT NULL,
    deleted_at TIMESTAMP
);
CREATE INDEX subscriptions_token ON subscriptions(token_id);
-- The outbox: written in the transaction that raised the event, sent by the delivery worker.
-- id is the Standard Webhooks `webhook-id`, stable across retries.
CREATE TABLE notifications (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organizations(id),
    token_id TEXT REFERENCES access_tokens(id),
    subscription_id TEXT,
    vulnerability_id TEXT,
    channel TEXT NOT NULL,
    target TEXT NOT NULL,
    event_type TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX notifications_due ON notifications(status, next_attempt_at);
CREATE INDEX notifications_org ON notifications(org_id, created_at);
CREATE TABLE renewal_requests (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organizations(id),
    token_id TEXT NOT NULL REFERENCES access_tokens(id),
    message TEXT NOT NULL,
    requested_at TIMESTAMP NOT NULL,
    status TEXT NOT NULL,
    decided_at TIMESTAMP,
    decided_by_name TEXT,
    new_expires_at TIMESTAMP
);
CREATE INDEX renewal_requests_org ON renewal_requests(org_id, requested_at);
ALTER TABLE access_tokens ADD COLUMN contact_email TEXT;
-- Which expiry warnings (days before) were already queued for the token's current expiry.
ALTER TABLE access_tokens ADD COLUMN expiry_warned TEXT NOT NULL DEFAULT '';
ALTER TABLE portals ADD COLUMN notify_within_hours INTEGER NOT NULL DEFAULT 48;
ALTER TABLE portals ADD COLUMN critical_fix_business_days INTEGER NOT NULL DEFAULT 15;
ALTER TABLE portals ADD COLUMN expiry_warning_days TEXT NOT NULL DEFAULT '14 3';
