DROP TRIGGER artifacts_generation ON artifacts;
DROP TRIGGER products_generation ON products;
DROP TRIGGER portals_generation ON portals;
DROP TRIGGER signing_keys_generation ON signing_keys;
DROP TRIGGER csaf_documents_generation ON csaf_documents;
DROP TRIGGER product_versions_generation ON product_versions;
DROP TRIGGER artifact_versions_generation ON artifact_versions;
DROP FUNCTION catalogue_changed();
ALTER TABLE organizations DROP COLUMN catalogue_generation;
