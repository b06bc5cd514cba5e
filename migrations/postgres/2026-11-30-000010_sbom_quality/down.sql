ALTER TABLE portals DROP COLUMN require_conformance;
