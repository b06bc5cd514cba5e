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
//! The rule is expressed once, as SQL subqueries ([`product_ids`], [`version_ids`],
//! [`artifact_ids`], [`artifact_ids_at`]) that every list composes with [`in_subquery`], so lists
//! are filtered in the database. [`explain`] answers *why* something is hidden (for admins'
//! previews) from the same definitions, and [`deliver`] is the one path every served byte
//! takes: check, record the token's use, write the audit event, stream.

pub mod deliver;
pub mod preview;

use diesel::prelude::*;
use diesel::sql_types::Text;
use serde::Serialize;
use utoipa::ToSchema;

use crate::artifacts::model::ArtifactStatus;
use crate::artifacts::store::Artifact;
use crate::auth::Caller;
use crate::catalogue::store::{Product, Version};
pub use crate::db::subquery::in_subquery;
use crate::db::{schema::*, DbConnection};
use crate::error::{ApiError, ApiResult};

pub use crate::domain::{Tlp, TlpSource};
pub use deliver::{deliver, Channel, Recipient};

/// Who is reading.
#[derive(Debug, Clone)]
pub enum ReaderKind {
    /// No credential: sees CLEAR on a public portal, nothing on a private one.
    Anonymous,
    /// A live customer access token (raw, through a portal session, or previewed by an admin).
    Token {
        id: String,
        name: String,
        /// The most restrictive label the token is cleared for.
        max_tlp: Tlp,
        /// Product ids it is limited to; `None`: every portal product.
        scope: Option<Vec<String>>,
    },
}

/// A reader of one organisation's portal, with everything the rule needs to know about both.
#[derive(Debug, Clone)]
pub struct Audience {
    pub org_id: String,
    pub public_portal: bool,
    /// The label of artifacts that carry none and were given none.
    pub default_tlp: Tlp,
    pub reader: ReaderKind,
}

impl Audience {
    /// The labels this reader may read.
    pub fn labels(&self) -> Vec<Tlp> {
        match &self.reader {
            ReaderKind::Anonymous if self.public_portal => vec![Tlp::Clear],
            ReaderKind::Anonymous => Vec::new(),
            ReaderKind::Token { max_tlp, .. } => {
                let mut l: Vec<Tlp> = Tlp::CLEARANCES.into_iter().filter(|t| t <= max_tlp).collect();
                l.push(Tlp::Unlabeled);
                l
            }
        }
    }

    pub fn may_read(&self, label: Tlp) -> bool {
        self.labels().contains(&label)
    }

    /// An artifact's effective label: its own, else the portal's default.
    pub fn effective(&self, label: Option<Tlp>) -> Tlp {
        label.unwrap_or(self.default_tlp)
    }

    pub fn scope(&self) -> Option<&[String]> {
        match &self.reader {
            ReaderKind::Token { scope, .. } => scope.as_deref(),
            ReaderKind::Anonymous => None,
        }
    }

    pub fn is_anonymous(&self) -> bool {
        matches!(self.reader, ReaderKind::Anonymous)
    }

    /// Why the reader may not read `label` (None: it may).
    pub fn label_refusal(&self, label: Tlp) -> Option<Hidden> {
        if self.may_read(label) {
            return None;
        }
        Some(match &self.reader {
            ReaderKind::Anonymous if !self.public_portal => Hidden::PrivatePortal,
            ReaderKind::Anonymous => Hidden::NeedsToken { tlp: label },
            ReaderKind::Token { max_tlp, .. } => Hidden::AboveClearance { tlp: label, clearance: *max_tlp },
        })
    }

    /// The error a request for a whole TLP category the reader may not read gets: 401 for
    /// anonymous readers (a token would help), 403 for tokens without the clearance.
    pub fn label_error(&self, label: Tlp) -> Option<ApiError> {
        self.label_refusal(label).map(|why| match why {
            Hidden::AboveClearance { .. } => ApiError::Forbidden(why.message()),
            _ => ApiError::Unauthorized(why.message()),
        })
    }
}

/// Why an object is hidden from a reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Hidden {
    /// A draft: not published yet.
    Draft,
    /// Withdrawn (kept for the record, never served).
    Withdrawn,
    /// Replaced by a correction.
    Superseded { by: String },
    /// Filed only under products hidden from the portal (`portal_visible` false).
    ProductHidden,
    /// Filed only under archived products.
    ProductArchived,
    /// Filed only under products outside the token's product scope.
    OutOfScope,
    /// Its label is above the token's clearance.
    AboveClearance { tlp: Tlp, clearance: Tlp },
    /// Only access tokens may read this label.
    NeedsToken { tlp: Tlp },
    /// The portal is private: anonymous visitors see nothing.
    PrivatePortal,
    /// The access token has expired or was revoked: it sees nothing.
    TokenNotLive,
}

impl Hidden {
    pub fn message(&self) -> String {
        match self {
            Hidden::Draft => "not published".into(),
            Hidden::Withdrawn => "withdrawn".into(),
            Hidden::Superseded { by } => format!("superseded by {by}"),
            Hidden::ProductHidden => "its product is hidden from the portal".into(),
            Hidden::ProductArchived => "its product is archived".into(),
            Hidden::OutOfScope => "its product is outside the access token's scope".into(),
            Hidden::AboveClearance { tlp, clearance } => {
                format!("{} is above the access token's clearance ({})", tlp.display_label(), clearance.display_label())
            }
            Hidden::NeedsToken { tlp } => format!(
                "{} documents are for customers: send your access token as `Authorization: Bearer spt_…`",
                tlp.display_label()
            ),
            Hidden::PrivatePortal => "this portal is private: sign in with your access token".into(),
            Hidden::TokenNotLive => "the access token has expired or was revoked".into(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Who may change what customers see.

/// Changing what customers see — a product's `portal_visible`/`archived`, a version's dates and
/// lifecycle status, publish, withdraw, TLP labels — needs the publisher role (or admin) or an
/// API key with `artifacts:publish`; `artifacts:write` uploads drafts and nothing more.
/// `fields` names what the request changes (empty: nothing customers see).
pub fn may_change(caller: &Caller, fields: &[&str]) -> ApiResult<()> {
    if fields.is_empty() || caller.may_publish() {
        return Ok(());
    }
    Err(ApiError::Forbidden(format!(
        "changing {} changes what customers see: it needs the publisher role or an API key with the `artifacts:publish` scope",
        fields.join(", ")
    )))
}

// ---------------------------------------------------------------------------------------------
// The rule as SQL: composable subqueries of ids.

type Db = <DbConnection as diesel::Connection>::Backend;

/// Ids of products, versions or artifacts the reader may see, as a subquery to compose with
/// [`in_subquery`]: `.filter(in_subquery(products::id, product_ids(&audience)))`.
pub type ProductIds = products::BoxedQuery<'static, Db, Text>;
pub type VersionIds = product_versions::BoxedQuery<'static, Db, Text>;
pub type ArtifactIds = artifacts::BoxedQuery<'static, Db, Text>;
type PlacementIds = artifact_versions::BoxedQuery<'static, Db, Text>;

/// Products an artifact may be shown under: the organisation's, portal-visible, not archived,
/// within the token's scope (whether or not they hold anything the reader may see).
fn placeable_products(a: &Audience) -> ProductIds {
    let mut q = products::table
        .filter(products::org_id.eq(a.org_id.clone()))
        .filter(products::portal_visible.eq(true))
        .filter(products::archived.eq(false))
        .select(products::id)
        .into_boxed();
    if let Some(scope) = a.scope() {
        q = q.filter(products::id.eq_any(scope.to_vec()));
    }
    q
}

/// Published artifacts of the organisation whose label the reader may read (wherever filed).
fn readable_artifacts(a: &Audience) -> ArtifactIds {
    let labels = a.labels();
    let q = artifacts::table
        .filter(artifacts::org_id.eq(a.org_id.clone()))
        .filter(artifacts::status.eq(ArtifactStatus::Published))
        .select(artifacts::id)
        .into_boxed();
    if labels.is_empty() {
        // An anonymous visitor of a private portal: nothing.
        q.filter(artifacts::id.ne(artifacts::id))
    } else if labels.contains(&a.default_tlp) {
        q.filter(artifacts::tlp.eq_any(labels).or(artifacts::tlp.is_null()))
    } else {
        q.filter(artifacts::tlp.eq_any(labels))
    }
}

/// Versions of placeable products (the ones an artifact may be shown under).
fn placeable_versions(a: &Audience) -> VersionIds {
    product_versions::table
        .filter(in_subquery(product_versions::product_id, placeable_products(a)))
        .select(product_versions::id)
        .into_boxed()
}

/// The versions the reader may see: those holding at least one artifact it may see.
pub fn version_ids(a: &Audience) -> VersionIds {
    let holding: PlacementIds = artifact_versions::table
        .filter(in_subquery(artifact_versions::artifact_id, readable_artifacts(a)))
        .select(artifact_versions::version_id)
        .into_boxed();
    placeable_versions(a).filter(in_subquery(product_versions::id, holding))
}

/// The products the reader may see: those with a version it may see.
pub fn product_ids(a: &Audience) -> ProductIds {
    let owners: VersionIds = product_versions::table
        .filter(in_subquery(product_versions::id, version_ids(a)))
        .select(product_versions::product_id)
        .into_boxed();
    placeable_products(a).filter(in_subquery(products::id, owners))
}

/// The artifacts the reader may see, under any version.
pub fn artifact_ids(a: &Audience) -> ArtifactIds {
    let placed: PlacementIds = artifact_versions::table
        .filter(in_subquery(artifact_versions::version_id, placeable_versions(a)))
        .select(artifact_versions::artifact_id)
        .into_boxed();
    readable_artifacts(a).filter(in_subquery(artifacts::id, placed))
}

/// The artifacts the reader may see under one version.
pub fn artifact_ids_at(a: &Audience, version_id: &str) -> ArtifactIds {
    let placed: PlacementIds = artifact_versions::table
        .filter(artifact_versions::version_id.eq(version_id.to_string()))
        .filter(in_subquery(artifact_versions::version_id, placeable_versions(a)))
        .select(artifact_versions::artifact_id)
        .into_boxed();
    readable_artifacts(a).filter(in_subquery(artifacts::id, placed))
}

// ---------------------------------------------------------------------------------------------
// The queries channels use.

/// The products the reader may see, by name.
pub fn products(conn: &mut DbConnection, a: &Audience) -> ApiResult<Vec<Product>> {
    Ok(products::table
        .filter(in_subquery(products::id, product_ids(a)))
        .order((products::name.asc(), products::id.asc()))
        .select(Product::as_select())
        .load(conn)?)
}

/// A product by slug, or 404 when the reader may not see it.
pub fn product(conn: &mut DbConnection, a: &Audience, slug: &str) -> ApiResult<Product> {
    products::table
        .filter(products::slug.eq(slug))
        .filter(in_subquery(products::id, product_ids(a)))
        .select(Product::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::NotFound(format!("product `{slug}` not found")))
}

/// The versions of the given products the reader may see, newest release first per product.
pub fn versions(conn: &mut DbConnection, a: &Audience, product_ids: &[String]) -> ApiResult<Vec<Version>> {
    Ok(product_versions::table
        .filter(product_versions::product_id.eq_any(product_ids.to_vec()))
        .filter(in_subquery(product_versions::id, version_ids(a)))
        .order((
            product_versions::product_id.asc(),
            product_versions::release_date.desc(),
            product_versions::created_at.desc(),
            product_versions::id.asc(),
        ))
        .select(Version::as_select())
        .load(conn)?)
}

/// One version of a visible product, or 404.
pub fn version(conn: &mut DbConnection, a: &Audience, product: &Product, version: &str) -> ApiResult<Version> {
    product_versions::table
        .filter(product_versions::product_id.eq(&product.id))
        .filter(product_versions::version.eq(version))
        .filter(in_subquery(product_versions::id, version_ids(a)))
        .select(Version::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::NotFound(format!("version `{version}` not found")))
}

/// A version by id (TEA's product release uuid), or `None`.
pub fn version_by_id(conn: &mut DbConnection, a: &Audience, id: &str) -> ApiResult<Option<Version>> {
    Ok(product_versions::table
        .filter(product_versions::id.eq(id))
        .filter(in_subquery(product_versions::id, version_ids(a)))
        .select(Version::as_select())
        .first(conn)
        .optional()?)
}

/// The artifacts the reader may see under a version, newest first.
pub fn artifacts_at(conn: &mut DbConnection, a: &Audience, version_id: &str) -> ApiResult<Vec<Artifact>> {
    Ok(artifacts::table
        .filter(in_subquery(artifacts::id, artifact_ids_at(a, version_id)))
        .order((artifacts::published_at.desc(), artifacts::id.asc()))
        .select(Artifact::as_select())
        .load(conn)?)
}

/// How many artifacts the reader may see under each of the versions.
pub fn counts_at(
    conn: &mut DbConnection,
    a: &Audience,
    version_ids: &[String],
) -> ApiResult<std::collections::HashMap<String, i64>> {
    let rows: Vec<(String, i64)> = artifact_versions::table
        .filter(artifact_versions::version_id.eq_any(version_ids.to_vec()))
        .filter(in_subquery(artifact_versions::version_id, placeable_versions(a)))
        .filter(in_subquery(artifact_versions::artifact_id, readable_artifacts(a)))
        .group_by(artifact_versions::version_id)
        .select((artifact_versions::version_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// One artifact, when the reader may see it.
pub fn artifact(conn: &mut DbConnection, a: &Audience, id: &str) -> ApiResult<Option<Artifact>> {
    Ok(artifacts::table
        .filter(artifacts::id.eq(id))
        .filter(in_subquery(artifacts::id, artifact_ids(a)))
        .select(Artifact::as_select())
        .first(conn)
        .optional()?)
}

/// Where the reader sees an artifact: (artifact id, product, version), for every visible placement
/// of the given artifacts. An artifact's upload version comes first.
pub fn placements(
    conn: &mut DbConnection,
    a: &Audience,
    artifact_ids: &[String],
) -> ApiResult<Vec<(String, Product, Version)>> {
    let rows: Vec<(String, Version, Product)> = artifact_versions::table
        .inner_join(product_versions::table.inner_join(products::table))
        .filter(artifact_versions::artifact_id.eq_any(artifact_ids.to_vec()))
        .filter(in_subquery(products::id, placeable_products(a)))
        .filter(in_subquery(artifact_versions::artifact_id, readable_artifacts(a)))
        .order((products::name.asc(), product_versions::version.asc()))
        .select((artifact_versions::artifact_id, Version::as_select(), Product::as_select()))
        .load(conn)?;
    let uploaded: std::collections::HashMap<String, String> = artifacts::table
        .filter(artifacts::id.eq_any(artifact_ids.to_vec()))
        .select((artifacts::id, artifacts::version_id))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let mut out: Vec<(String, Product, Version)> = rows.into_iter().map(|(id, v, p)| (id, p, v)).collect();
    out.sort_by_key(|(id, _, v)| uploaded.get(id) != Some(&v.id));
    Ok(out)
}

/// A visible artifact with the placement its delivery is recorded under.
pub fn placed_artifact(
    conn: &mut DbConnection,
    a: &Audience,
    id: &str,
) -> ApiResult<Option<(Artifact, Product, Version)>> {
    let Some(art) = artifact(conn, a, id)? else { return Ok(None) };
    let placement = placements(conn, a, std::slice::from_ref(&art.id))?.into_iter().next();
    Ok(placement.map(|(_, p, v)| (art, p, v)))
}

// ---------------------------------------------------------------------------------------------
// Why something is hidden: the same rule, as a predicate over loaded rows.

/// The rule for one artifact and its placements, in Rust: `Ok(())` when visible, else the
/// reason that applies first (state, then placement, then label). Agrees with the SQL above;
/// the disclosure matrix test checks that it does.
pub fn decide(a: &Audience, art: &Artifact, placements: &[Product]) -> Result<(), Hidden> {
    match art.status {
        ArtifactStatus::Draft => return Err(Hidden::Draft),
        ArtifactStatus::Withdrawn => {
            return Err(match &art.superseded_by_id {
                Some(by) => Hidden::Superseded { by: by.clone() },
                None => Hidden::Withdrawn,
            })
        }
        ArtifactStatus::Published => {}
    }
    if art.org_id != a.org_id || a.labels().is_empty() {
        return Err(Hidden::PrivatePortal);
    }
    let shown: Vec<&Product> = placements.iter().filter(|p| p.org_id == a.org_id && p.portal_visible).collect();
    if shown.is_empty() {
        return Err(Hidden::ProductHidden);
    }
    let live: Vec<&&Product> = shown.iter().filter(|p| !p.archived).collect();
    if live.is_empty() {
        return Err(Hidden::ProductArchived);
    }
    if let Some(scope) = a.scope() {
        if !live.iter().any(|p| scope.contains(&p.id)) {
            return Err(Hidden::OutOfScope);
        }
    }
    if let Some(why) = a.label_refusal(a.effective(art.tlp)) {
        return Err(why);
    }
    Ok(())
}

/// Why an artifact of the organisation is hidden from the reader (None: it is visible).
pub fn explain(conn: &mut DbConnection, a: &Audience, art: &Artifact) -> ApiResult<Option<Hidden>> {
    let placed: Vec<Product> = artifact_versions::table
        .inner_join(product_versions::table.inner_join(products::table))
        .filter(artifact_versions::artifact_id.eq(&art.id))
        .select(Product::as_select())
        .load(conn)?;
    Ok(decide(a, art, &placed).err())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aud(reader: ReaderKind, public: bool) -> Audience {
        Audience { org_id: "o".into(), public_portal: public, default_tlp: Tlp::Clear, reader }
    }

    fn token(max: Tlp) -> ReaderKind {
        ReaderKind::Token { id: "t".into(), name: "n".into(), max_tlp: max, scope: None }
    }

    #[test]
    fn clearances() {
        assert_eq!(aud(ReaderKind::Anonymous, true).labels(), vec![Tlp::Clear]);
        assert!(aud(ReaderKind::Anonymous, false).labels().is_empty());
        let amber = aud(token(Tlp::Amber), false);
        assert!(amber.may_read(Tlp::Unlabeled) && amber.may_read(Tlp::Green) && amber.may_read(Tlp::Amber));
        assert!(!amber.may_read(Tlp::AmberStrict) && !amber.may_read(Tlp::Red));
        assert!(aud(token(Tlp::Red), true).may_read(Tlp::Red));
        assert!(!aud(token(Tlp::Clear), true).may_read(Tlp::Green));
        assert!(matches!(aud(ReaderKind::Anonymous, true).label_error(Tlp::Amber), Some(ApiError::Unauthorized(_))));
        assert!(matches!(amber.label_error(Tlp::Red), Some(ApiError::Forbidden(_))));
    }
}
