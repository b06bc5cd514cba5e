//! The rule's terms: who reads (`Audience`), why something is hidden (`Hidden`), the rule as a
//! predicate over loaded rows (`decide`, `explain`), and who may change what customers see.

use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::artifacts::model::ArtifactStatus;
use crate::artifacts::store::Artifact;
use crate::auth::Caller;
use crate::catalogue::store::Product;
use crate::db::{schema::*, DbConnection};
use crate::domain::Tlp;
use crate::error::{ApiError, ApiResult};

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
        Tlp::effective(label, self.default_tlp)
    }

    pub fn scope(&self) -> Option<&[String]> {
        match &self.reader {
            ReaderKind::Token { scope, .. } => scope.as_deref(),
            ReaderKind::Anonymous => None,
        }
    }

    /// What the rule's answers depend on, as a key: readers with the same fingerprint see the same
    /// catalogue (two tokens with one clearance and scope, every anonymous reader of a portal).
    pub fn fingerprint(&self) -> String {
        let mut scope: Option<Vec<&String>> = self.scope().map(|s| s.iter().collect());
        if let Some(s) = scope.as_mut() {
            s.sort();
        }
        format!("{}|{}|{:?}|{:?}|{scope:?}", self.org_id, self.public_portal, self.default_tlp, self.labels())
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
// Why something is hidden: the same rule, as a predicate over loaded rows.

/// The rule for one artifact and its placements, in Rust: `Ok(())` when visible, else the
/// reason that applies first (state, then placement, then label). Agrees with the SQL above;
/// the disclosure matrix test checks that it does.
pub fn decide(a: &Audience, art: &Artifact, placements: &[Product]) -> Result<(), Hidden> {
    match art.status {
        ArtifactStatus::Draft => return Err(Hidden::Draft),
        ArtifactStatus::Withdrawn => {
            return Err(match &art.superseded_by_id {
                Some(by) => Hidden::Superseded { by: by.to_string() },
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
        if !live.iter().any(|p| scope.iter().any(|s| p.id == *s)) {
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
