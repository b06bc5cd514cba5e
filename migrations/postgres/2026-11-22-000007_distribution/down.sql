DROP TABLE tea_collections;
DROP TABLE csaf_signatures;
DROP INDEX signing_keys_one_active;
DROP TABLE signing_keys;
