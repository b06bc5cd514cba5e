//! The vulnerability response loop (CRA Art. 14, the vendor checklist §4): vulnerabilities under
//! triage, assessments per product version, generated OpenVEX and CSAF VEX documents published
//! through the ordinary pipeline, the customers impacted (by the disclosure rule and delivery
//! records), the clocks, the reports to authorities and the timeline of evidence.
//!
//! Floor 4: calls `publishing`, `notify`, `disclosure`, `csaf` (publisher) and the core below.

pub mod assessments;
pub mod clocks;
pub mod documents;
pub mod impacted;
pub mod model;
pub mod publish;
pub mod reports;
pub mod routes;
pub mod service;
pub mod store;
pub mod timeline;
