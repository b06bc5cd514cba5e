DROP TABLE api_keys;
DROP TABLE vex_statements;
DROP TABLE artifact_vulnerabilities;
DROP TABLE artifact_versions;
DROP TABLE artifacts;
DROP TABLE product_versions;
DROP TABLE products;
