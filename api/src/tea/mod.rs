//! Transparency Exchange API (ECMA TC54 TEA), consumer API v0.4.0, for every enabled portal under
//! `/api/v1/portal/{slug}/tea/v0.4.0`. Our model maps onto TEA's: product → product, version →
//! productRelease (once something was published for it), its published artifacts → a versioned
//! collection, artifact → artifact whose format URL is the portal's audited download.
//! Private portals take the same customer access tokens (Bearer) as the UI and the REST API;
//! what a reader sees is the disclosure rule's answer.

pub mod catalogue;
pub mod collections;
pub mod model;
pub mod routes;
pub mod service;

pub use catalogue::{artifact_type, domain_of};
pub use model::*;
pub use service::*;
