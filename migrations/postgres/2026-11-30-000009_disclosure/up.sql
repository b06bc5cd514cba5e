-- One disclosure rule (issue 12): TLP labels on artifacts, a portal default label and the
-- organisation's CSAF publisher, and a TLP clearance per customer access token.

-- The artifact's label: from the document where the format carries one (CSAF, CycloneDX 1.7),
-- else set explicitly; NULL means "the portal's default label". 'unlabeled' is a CSAF document
-- without /document/distribution/tlp/label (any valid token may read it, anonymous readers not).
ALTER TABLE artifacts ADD COLUMN tlp TEXT
  CHECK (tlp IS NULL OR tlp IN ('clear', 'green', 'amber', 'amber+strict', 'red', 'unlabeled'));
UPDATE artifacts SET tlp = CASE upper(trim(coalesce(facts::jsonb #>> '{advisory,tlp_label}', '')))
    WHEN 'WHITE' THEN 'clear' WHEN 'CLEAR' THEN 'clear' WHEN 'GREEN' THEN 'green'
    WHEN 'AMBER' THEN 'amber' WHEN 'AMBER+STRICT' THEN 'amber+strict' WHEN 'RED' THEN 'red'
    ELSE 'unlabeled' END
  WHERE format LIKE 'csaf%';

ALTER TABLE portals ADD COLUMN default_tlp TEXT NOT NULL DEFAULT 'clear'
  CHECK (default_tlp IN ('clear', 'green', 'amber', 'amber+strict', 'red'));
ALTER TABLE portals ADD COLUMN csaf_publisher_name TEXT;
ALTER TABLE portals ADD COLUMN csaf_publisher_namespace TEXT;
ALTER TABLE portals ADD COLUMN csaf_publisher_category TEXT NOT NULL DEFAULT 'vendor';
ALTER TABLE portals ADD COLUMN csaf_publisher_contact_details TEXT;
ALTER TABLE portals ADD COLUMN csaf_publisher_issuing_authority TEXT;

ALTER TABLE access_tokens ADD COLUMN max_tlp TEXT NOT NULL DEFAULT 'amber'
  CHECK (max_tlp IN ('clear', 'green', 'amber', 'amber+strict', 'red'));

-- The rule's subqueries: placements by artifact, visible products per organisation.
CREATE INDEX artifact_versions_artifact ON artifact_versions(artifact_id, version_id);
CREATE INDEX products_org_visible ON products(org_id, portal_visible, archived);
