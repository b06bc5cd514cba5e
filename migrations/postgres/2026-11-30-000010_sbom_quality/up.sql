-- SBOM quality (issue 16): conformance profiles an organisation requires before an SBOM is
-- published (space-separated profile ids, e.g. 'bsi-tr-03183-2-v2.1'); empty: none.
ALTER TABLE portals ADD COLUMN require_conformance TEXT NOT NULL DEFAULT '';
