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
CREATE TRIGGER artifacts_generation_insert AFTER INSERT ON artifacts BEGIN UPDATE organizations SET catalogue_generation = catalogue_generation + 1 WHERE id = NEW.org_id; END;
CREATE TRIGGER artifacts_generation_update AFTER UPDATE ON artifacts BEGIN UPDATE organizations SET catalogue_generation = catalogue_generation + 1 WHERE id = NEW.org_id; END;
CREATE TRIGGER artifacts_generation_delete AFTER DELETE ON artifacts BEGIN UPDATE organizations SET catalogue_generation = catalogue_generation + 1 WHERE id = OLD.org_id; END;
CREATE TRIGGER products_generation_insert AFTER INSERT ON products BEGIN UPDATE organizations SET catalogue_generation = catalogue_generation + 1 WHERE id = NEW.org_id; END;
CREATE TRIGGER products_generation_update AFTER UPDATE ON products BEGIN UPDATE organizations SET catalogue_generation = catalogue_generation + 1 WHERE id = NEW.org_id; END;
CREATE TRIGGER products_generation_delete AFTER DELETE ON products BEGIN UPDATE organizations SET catalogue_generation = catalogue_generation + 1 WHERE id = OLD.org_id; END;
CREATE TRIGGER portals_generation_insert AFTER INSERT ON portals BEGIN UPDATE organizations SET catalogue_generation = catalogue_generation + 1 WHERE id = NEW.org_id; END;
CREATE TRIGGER portals_generation_update AFTER UPDATE ON portals BEGIN UPDATE organizations SET catalogue_generation = catalogue_generation + 1 WHERE id = NEW.org_id; END;
CREATE TRIGGER portals_generation_delete AFTER DELETE ON portals BEGIN UPDATE organizations SET catalogue_generation = catalogue_generation + 1 WHERE id = OLD.org_id; END;
CREATE TRIGGER signing_keys_generation_insert AFTER INSERT ON signing_keys BEGIN UPDATE organizations SET catalogue_generation = catalogue_generation + 1 WHERE id = NEW.org_id; END;
CREATE TRIGGER signing_keys_generation_update AFTER UPDATE ON signing_keys BEGIN UPDATE organizations SET catalogue_generation = catalogue_generation + 1 WHERE id = NEW.org_id; END;
CREATE TRIGGER signing_keys_generation_delete AFTER DELETE ON signing_keys BEGIN UPDATE organizations SET catalogue_generation = catalogue_generation + 1 WHERE id = OLD.org_id; END;
CREATE TRIGGER csaf_documents_generation_insert AFTER INSERT ON csaf_documents BEGIN UPDATE organizations SET catalogue_generation = catalogue_generation + 1 WHERE id = NEW.org_id; END;
CREATE TRIGGER csaf_documents_generation_update AFTER UPDATE ON csaf_documents BEGIN UPDATE organizations SET catalogue_generation = catalogue_generation + 1 WHERE id = NEW.org_id; END;
CREATE TRIGGER csaf_documents_generation_delete AFTER DELETE ON csaf_documents BEGIN UPDATE organizations SET catalogue_generation = catalogue_generation + 1 WHERE id = OLD.org_id; END;
CREATE TRIGGER product_versions_generation_insert AFTER INSERT ON product_versions BEGIN UPDATE organizations SET catalogue_generation = catalogue_generation + 1 WHERE id = (SELECT org_id FROM products WHERE id = NEW.product_id); END;
CREATE TRIGGER product_versions_generation_update AFTER UPDATE ON product_versions BEGIN UPDATE organizations SET catalogue_generation = catalogue_generation + 1 WHERE id = (SELECT org_id FROM products WHERE id = NEW.product_id); END;
CREATE TRIGGER product_versions_generation_delete AFTER DELETE ON product_versions BEGIN UPDATE organizations SET catalogue_generation = catalogue_generation + 1 WHERE id = (SELECT org_id FROM products WHERE id = OLD.product_id); END;
CREATE TRIGGER artifact_versions_generation_insert AFTER INSERT ON artifact_versions BEGIN UPDATE organizations SET catalogue_generation = catalogue_generation + 1 WHERE id = (SELECT org_id FROM artifacts WHERE id = NEW.artifact_id); END;
CREATE TRIGGER artifact_versions_generation_update AFTER UPDATE ON artifact_versions BEGIN UPDATE organizations SET catalogue_generation = catalogue_generation + 1 WHERE id = (SELECT org_id FROM artifacts WHERE id = NEW.artifact_id); END;
CREATE TRIGGER artifact_versions_generation_delete AFTER DELETE ON artifact_versions BEGIN UPDATE organizations SET catalogue_generation = catalogue_generation + 1 WHERE id = (SELECT org_id FROM artifacts WHERE id = OLD.artifact_id); END;
