-- The private portal's landing (issue 18): which public fields it shows, its logo, and access
-- requests (optionally behind a click-through NDA whose accepted text is recorded by SHA-256).
ALTER TABLE portals ADD COLUMN landing_show_description BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE portals ADD COLUMN landing_show_contact BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE portals ADD COLUMN logo_sha256 TEXT;
ALTER TABLE portals ADD COLUMN logo_media_type TEXT;
ALTER TABLE portals ADD COLUMN access_requests_enabled BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE portals ADD COLUMN nda_text TEXT;
ALTER TABLE portals ADD COLUMN nda_version TEXT;
CREATE TABLE access_requests (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organizations(id),
    name TEXT NOT NULL,
    company TEXT NOT NULL,
    email TEXT NOT NULL,
    reason TEXT NOT NULL,
    nda_version TEXT,
    nda_sha256 TEXT,
    requested_at TIMESTAMP NOT NULL,
    status TEXT NOT NULL,
    decided_at TIMESTAMP,
    decided_by_name TEXT,
    decision_note TEXT,
    token_id TEXT REFERENCES access_tokens(id)
);
CREATE INDEX access_requests_org ON access_requests(org_id, status, requested_at);
