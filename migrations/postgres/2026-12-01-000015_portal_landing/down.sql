DROP TABLE access_requests;
ALTER TABLE portals DROP COLUMN nda_version;
ALTER TABLE portals DROP COLUMN nda_text;
ALTER TABLE portals DROP COLUMN access_requests_enabled;
ALTER TABLE portals DROP COLUMN logo_media_type;
ALTER TABLE portals DROP COLUMN logo_sha256;
ALTER TABLE portals DROP COLUMN landing_show_contact;
ALTER TABLE portals DROP COLUMN landing_show_description;
