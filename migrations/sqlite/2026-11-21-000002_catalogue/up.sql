CREATE TABLE products (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    portal_visible BOOLEAN NOT NULL DEFAULT 1,
    archived BOOLEAN NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (org_id, slug)
);

CREATE TABLE product_versions (
    id TEXT PRIMARY KEY NOT NULL,
    product_id TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    version TEXT NOT NULL,
    release_date DATE,
    support_until DATE,
    status TEXT NOT NULL DEFAULT 'supported' CHECK (status IN ('supported', 'end_of_support')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (product_id, version)
);

CREATE TABLE artifacts (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    product_id TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    version_id TEXT NOT NULL REFERENCES product_versions(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('sbom', 'vex', 'advisory', 'document')),
    format TEXT NOT NULL,
    media_type TEXT NOT NULL,
    filename TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    sha512 TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'withdrawn')),
    document_type TEXT,
    title TEXT,
    facts TEXT NOT NULL,
    supersedes_id TEXT REFERENCES artifacts(id),
    superseded_by_id TEXT REFERENCES artifacts(id),
    uploaded_by_type TEXT NOT NULL,
    uploaded_by_id TEXT,
    uploaded_by_name TEXT NOT NULL,
    uploaded_at TIMESTAMP NOT NULL,
    published_by_name TEXT,
    published_at TIMESTAMP,
    withdrawn_by_name TEXT,
    withdrawn_at TIMESTAMP,
    withdrawal_reason TEXT,
    UNIQUE (version_id, sha256)
);
CREATE INDEX artifacts_org_status ON artifacts(org_id, status, kind);
CREATE INDEX artifacts_version ON artifacts(version_id, status);

-- Versions an artifact applies to beyond the one it was uploaded to (a CSAF advisory may cover several).
CREATE TABLE artifact_versions (
    artifact_id TEXT NOT NULL REFERENCES artifacts(id) ON DELETE CASCADE,
    version_id TEXT NOT NULL REFERENCES product_versions(id) ON DELETE CASCADE,
    PRIMARY KEY (artifact_id, version_id)
);
CREATE INDEX artifact_versions_version ON artifact_versions(version_id);

-- Vulnerability ids an artifact mentions (advisory CVEs, VEX subjects, SBOM-embedded findings).
CREATE TABLE artifact_vulnerabilities (
    artifact_id TEXT NOT NULL REFERENCES artifacts(id) ON DELETE CASCADE,
    vulnerability_id TEXT NOT NULL,
    PRIMARY KEY (artifact_id, vulnerability_id)
);
CREATE INDEX artifact_vulnerabilities_vuln ON artifact_vulnerabilities(vulnerability_id);

CREATE TABLE vex_statements (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    artifact_id TEXT NOT NULL REFERENCES artifacts(id) ON DELETE CASCADE,
    vulnerability_id TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '',
    product_ref TEXT NOT NULL,
    product_name TEXT,
    purl TEXT,
    status TEXT NOT NULL,
    justification TEXT,
    impact_statement TEXT,
    action_statement TEXT,
    statement_time TEXT
);
CREATE INDEX vex_statements_artifact ON vex_statements(artifact_id);
CREATE INDEX vex_statements_vuln ON vex_statements(vulnerability_id);

CREATE TABLE api_keys (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    hint TEXT NOT NULL,
    secret_hash TEXT NOT NULL UNIQUE,
    scopes TEXT NOT NULL,
    publish_on_push BOOLEAN NOT NULL DEFAULT 0,
    created_by_id TEXT,
    created_by_name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX api_keys_org ON api_keys(org_id);
