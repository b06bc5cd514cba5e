//! The disclosure rule: who may see and receive what. Every customer-facing channel — the
//! customer REST API, CSAF, TEA, and the SPA through the REST API — asks this module and nothing
//! else decides visibility.
//!
//! The rule, for a reader of an organisation's portal:
//! - Only **published** artifacts exist; drafts, withdrawn and superseded ones (a superseded
//!   artifact is withdrawn in the transaction that publishes its successor) do not.
//! - An artifact is shown only where it is filed: a version of a product that is
//!   `portal_visible`, not archived, and inside the reader's product scope.
//! - Its TLP label (the document's, else an explicit one, else the portal's `default_tlp`) must
//!   be within the reader's clearance: anonymous readers of a public portal see CLEAR only,
//!   an access token sees labels up to its `max_tlp` plus unlabeled CSAF documents, and an
//!   anonymous visitor of a private portal sees nothing.
//! - A version exists for the reader when it holds at least one artifact the reader may see;
//!   a product when it has such a version.
//!
//! The rule is expressed once, in SQL: filters ([`visible_products`], [`visible_versions`],
//! [`visible_artifacts`], [`visible_at`]) that add it to a query as per-row checks, so a paged
//! list costs the same however large the catalogue, and the same filters as subqueries of ids
//! ([`product_ids`], [`version_ids`], [`artifact_ids`]) to compose with [`in_subquery`]. [`explain`] answers *why* something is hidden (for admins'
//! previews) from the same definitions, and [`deliver`] is the one path every served byte
//! takes: check, record the token's use, write the audit event, stream.

pub mod deliver;
pub mod preview;
pub mod rule;
pub mod sql;

pub use crate::db::subquery::in_subquery;
pub use crate::domain::{Tlp, TlpSource};
pub use deliver::{deliver, Channel, Recipient};
pub use rule::{decide, explain, may_change, Audience, Hidden, ReaderKind};
pub use sql::*;
