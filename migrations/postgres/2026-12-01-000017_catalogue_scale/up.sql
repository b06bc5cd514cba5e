-- Publisher-sized catalogues: what customer reads look up is indexed instead of parsed per request.

-- The identity of an SBOM's primary component (TEA identifiers and discovery).
ALTER TABLE artifacts ADD COLUMN sbom_purl TEXT;
ALTER TABLE artifacts ADD COLUMN sbom_purl_base TEXT;
ALTER TABLE artifacts ADD COLUMN sbom_cpe TEXT;
CREATE INDEX artifacts_sbom_purl ON artifacts(sbom_purl);
CREATE INDEX artifacts_sbom_purl_base ON artifacts(sbom_purl_base);

-- Lists walked in their order, a page at a time.
CREATE INDEX artifacts_org_kind_published ON artifacts(org_id, kind, status, published_at DESC, id);
CREATE INDEX products_org_name ON products(org_id, name, id);
CREATE INDEX product_versions_product_order ON product_versions(product_id, release_date DESC, created_at DESC, id);

-- The CSAF provider's index: one row per CSAF document, written when it is recorded.
CREATE TABLE csaf_documents (
    artifact_id TEXT PRIMARY KEY NOT NULL REFERENCES artifacts(id) ON DELETE CASCADE,
    org_id TEXT NOT NULL,
    tracking_id TEXT NOT NULL,
    title TEXT NOT NULL,
    initial_release TIMESTAMP NOT NULL,
    current_release TIMESTAMP NOT NULL,
    publisher_category TEXT,
    publisher_name TEXT,
    publisher_namespace TEXT,
    -- Product purls, one per line.
    purls TEXT NOT NULL
);
CREATE INDEX csaf_documents_org_current ON csaf_documents(org_id, current_release DESC, artifact_id);

-- What customers see of an organisation's catalogue changes with every write to these tables;
-- the generation counts those writes, so derived answers (the CSAF provider's indexes) can be
-- kept until it moves, on every replica, without anyone having to remember to invalidate them.
ALTER TABLE organizations ADD COLUMN catalogue_generation BIGINT NOT NULL DEFAULT 0;
CREATE FUNCTION catalogue_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r RECORD;
    org TEXT;
BEGIN
    IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
    IF TG_TABLE_NAME = 'product_versions' THEN
        SELECT org_id INTO org FROM products WHERE id = r.product_id;
    ELSIF TG_TABLE_NAME = 'artifact_versions' THEN
        SELECT org_id INTO org FROM artifacts WHERE id = r.artifact_id;
    ELSE
        org := r.org_id;
    END IF;
    UPDATE organizations SET catalogue_generation = catalogue_generation + 1 WHERE id = org;
    RETURN NULL;
END
$$;
CREATE TRIGGER artifacts_generation AFTER INSERT OR UPDATE OR DELETE ON artifacts FOR EACH ROW EXECUTE FUNCTION catalogue_changed();
CREATE TRIGGER products_generation AFTER INSERT OR UPDATE OR DELETE ON products FOR EACH ROW EXECUTE FUNCTION catalogue_changed();
CREATE TRIGGER portals_generation AFTER INSERT OR UPDATE OR DELETE ON portals FOR EACH ROW EXECUTE FUNCTION catalogue_changed();
CREATE TRIGGER signing_keys_generation AFTER INSERT OR UPDATE OR DELETE ON signing_keys FOR EACH ROW EXECUTE FUNCTION catalogue_changed();
CREATE TRIGGER csaf_documents_generation AFTER INSERT OR UPDATE OR DELETE ON csaf_documents FOR EACH ROW EXECUTE FUNCTION catalogue_changed();
CREATE TRIGGER product_versions_generation AFTER INSERT OR UPDATE OR DELETE ON product_versions FOR EACH ROW EXECUTE FUNCTION catalogue_changed();
CREATE TRIGGER artifact_versions_generation AFTER INSERT OR UPDATE OR DELETE ON artifact_versions FOR EACH ROW EXECUTE FUNCTION catalogue_changed();
