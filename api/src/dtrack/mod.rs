//! Dependency-Track compatible SBOM push (`PUT/POST /api/v1/bom`), so pipelines that already push
//! to Dependency-Track work unchanged: the API key's organisation is the target.
pub mod routes;
