-- The CRA vendor checklist per product (issue 16): an organisation's template (NULL row: the
-- built-in one), each product's answers, and customers' acknowledgements.
CREATE TABLE checklist_templates (
    org_id TEXT PRIMARY KEY NOT NULL REFERENCES organizations(id),
    sections TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by_name TEXT NOT NULL
);
CREATE TABLE product_checklists (
    product_id TEXT PRIMARY KEY NOT NULL REFERENCES products(id),
    org_id TEXT NOT NULL REFERENCES organizations(id),
    answers TEXT NOT NULL,
    published BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at TIMESTAMP NOT NULL,
    updated_by_name TEXT NOT NULL
);
CREATE TABLE checklist_acknowledgements (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organizations(id),
    product_id TEXT NOT NULL REFERENCES products(id),
    token_id TEXT NOT NULL REFERENCES access_tokens(id),
    name TEXT NOT NULL,
    title TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    acknowledged_at TIMESTAMP NOT NULL
);
CREATE INDEX checklist_acknowledgements_product ON checklist_acknowledgements(product_id, acknowledged_at DESC);
