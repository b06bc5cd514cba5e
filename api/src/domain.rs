//! The project's shared vocabulary, on the floor: the enums every layer speaks (artifact kind,
//! status and document type, TLP labels, version lifecycle, portal visibility, member role),
//! each mapped to its text column once (`text_enum!`) so an unknown stored value is an error
//! that names it. Domains re-export what they own; nothing here imports a domain.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    ToSchema,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
    diesel::AsExpression,
    diesel::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ArtifactKind {
    /// CycloneDX JSON SBOM (CRA Art. 13(6)).
    Sbom,
    /// VEX statements: OpenVEX, CycloneDX VEX or CSAF `csaf_vex`.
    Vex,
    /// CSAF 2.0 security advisory.
    Advisory,
    /// Compliance document: PDF, Markdown, HTML or text.
    Document,
}

crate::text_enum!(ArtifactKind);

impl ArtifactKind {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
    pub fn parse(s: &str) -> Option<Self> {
        s.parse().ok()
    }
    pub fn to_formats(self) -> portal_formats::ArtifactKind {
        match self {
            ArtifactKind::Sbom => portal_formats::ArtifactKind::Sbom,
            ArtifactKind::Vex => portal_formats::ArtifactKind::Vex,
            ArtifactKind::Advisory => portal_formats::ArtifactKind::Advisory,
            ArtifactKind::Document => portal_formats::ArtifactKind::Document,
        }
    }
    pub fn from_formats(k: portal_formats::ArtifactKind) -> Self {
        match k {
            portal_formats::ArtifactKind::Sbom => ArtifactKind::Sbom,
            portal_formats::ArtifactKind::Vex => ArtifactKind::Vex,
            portal_formats::ArtifactKind::Advisory => ArtifactKind::Advisory,
            portal_formats::ArtifactKind::Document => ArtifactKind::Document,
        }
    }
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    ToSchema,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
    diesel::AsExpression,
    diesel::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ArtifactStatus {
    /// Uploaded and validated; invisible to customers.
    Draft,
    /// Visible in the portal; its bytes never change.
    Published,
    /// Kept for the record; never served to customers.
    Withdrawn,
}

crate::text_enum!(ArtifactStatus);

impl ArtifactStatus {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentType {
    DeclarationOfConformity,
    SecurityPolicy,
    UserInstructions,
    RiskAssessment,
    TestReport,
    Certificate,
    Other,
}

impl DocumentType {
    pub const ALL: [DocumentType; 7] = [
        DocumentType::DeclarationOfConformity,
        DocumentType::SecurityPolicy,
        DocumentType::UserInstructions,
        DocumentType::RiskAssessment,
        DocumentType::TestReport,
        DocumentType::Certificate,
        DocumentType::Other,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentType::DeclarationOfConformity => "declaration_of_conformity",
            DocumentType::SecurityPolicy => "security_policy",
            DocumentType::UserInstructions => "user_instructions",
            DocumentType::RiskAssessment => "risk_assessment",
            DocumentType::TestReport => "test_report",
            DocumentType::Certificate => "certificate",
            DocumentType::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    ToSchema,
    strum::EnumString,
    strum::IntoStaticStr,
    diesel::AsExpression,
    diesel::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum LifecycleStatus {
    /// Receives security updates.
    Supported,
    /// The support period has ended (CRA Art. 13(8)).
    EndOfSupport,
}

crate::text_enum!(LifecycleStatus);

impl LifecycleStatus {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    ToSchema,
    strum::EnumString,
    strum::IntoStaticStr,
    diesel::AsExpression,
    diesel::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Visibility {
    /// Only holders of a valid access token see anything (default, recommended).
    Private,
    /// Anyone with the URL sees the published content.
    Public,
}

crate::text_enum!(Visibility);

impl Visibility {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A member's role in an organisation, from most to least powerful.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    ToSchema,
    strum::EnumString,
    strum::IntoStaticStr,
    diesel::AsExpression,
    diesel::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Role {
    /// Configures everything: members, portal, tokens, API keys.
    Admin,
    /// Uploads, publishes and withdraws artifacts; manages products and versions.
    Publisher,
    /// Reads everything, changes nothing.
    Viewer,
}

crate::text_enum!(Role);

impl Role {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
    pub fn parse(s: &str) -> Option<Role> {
        s.parse().ok()
    }
    fn rank(self) -> u8 {
        match self {
            Role::Admin => 3,
            Role::Publisher => 2,
            Role::Viewer => 1,
        }
    }
    pub fn at_least(self, min: Role) -> bool {
        self.rank() >= min.rank()
    }
}

/// A TLP 2.0 label. TLP 1.0's WHITE is CLEAR. The order is the order of restriction, so a
/// clearance of `amber` covers `clear`, `green` and `amber`. `unlabeled` is a CSAF document
/// without `/document/distribution/tlp/label`: any valid access token may read it, anonymous
/// readers may not; it is never a clearance.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    ToSchema,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::Display,
    strum::EnumIter,
    strum::EnumCount,
    diesel::AsExpression,
    diesel::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Tlp {
    Clear,
    Green,
    Amber,
    #[serde(rename = "amber+strict")]
    #[strum(serialize = "amber+strict")]
    AmberStrict,
    Red,
    Unlabeled,
}
crate::text_enum!(Tlp);

impl Tlp {
    /// The labels a clearance may be set to (everything but `unlabeled`).
    pub const CLEARANCES: [Tlp; 5] = [Tlp::Clear, Tlp::Green, Tlp::Amber, Tlp::AmberStrict, Tlp::Red];

    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// From a document's label (`TLP:AMBER`, `amber`, `WHITE` …); `None` when it names no TLP label.
    pub fn from_document(label: &str) -> Option<Tlp> {
        let l = label.trim().to_ascii_uppercase();
        match l.strip_prefix("TLP:").unwrap_or(&l) {
            "WHITE" | "CLEAR" => Some(Tlp::Clear),
            "GREEN" => Some(Tlp::Green),
            "AMBER" => Some(Tlp::Amber),
            "AMBER+STRICT" => Some(Tlp::AmberStrict),
            "RED" => Some(Tlp::Red),
            _ => None,
        }
    }

    /// How TLP 2.0 writes it: `TLP:AMBER+STRICT`.
    pub fn display_label(self) -> &'static str {
        match self {
            Tlp::Clear => "TLP:CLEAR",
            Tlp::Green => "TLP:GREEN",
            Tlp::Amber => "TLP:AMBER",
            Tlp::AmberStrict => "TLP:AMBER+STRICT",
            Tlp::Red => "TLP:RED",
            Tlp::Unlabeled => "unlabeled",
        }
    }

    /// Whether this label may be a token's clearance or a portal's default.
    pub fn is_clearance(self) -> bool {
        self != Tlp::Unlabeled
    }

    /// An artifact's effective label: its own, else its portal's default. The disclosure rule
    /// ([`crate::disclosure::Audience::effective`]), the CSAF folder a document is filed in and the
    /// republishing of vulnerability documents all ask it; the rule's SQL form (`disclosure::sql`,
    /// `readable`) writes the same fallback as "unlabelled is readable when the default is".
    pub fn effective(own: Option<Tlp>, portal_default: Tlp) -> Tlp {
        own.unwrap_or(portal_default)
    }
}

/// Where an artifact's label comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TlpSource {
    /// The document carries it (CSAF `document.distribution.tlp.label`, CycloneDX 1.7
    /// `metadata.distributionConstraints.tlp`).
    Document,
    /// Set at upload or later by a publisher.
    Explicit,
    /// Neither: the portal's `default_tlp` applies.
    PortalDefault,
}

impl TlpSource {
    /// Where an artifact's own label `tlp` comes from, given whether its document carries one.
    pub fn of(tlp: Option<Tlp>, labelled_by_document: bool) -> TlpSource {
        match tlp {
            None => TlpSource::PortalDefault,
            Some(_) if labelled_by_document => TlpSource::Document,
            Some(_) => TlpSource::Explicit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_order_is_restriction() {
        for t in <Tlp as strum::IntoEnumIterator>::iter() {
            assert_eq!(t.as_str().parse::<Tlp>().ok(), Some(t));
        }
        assert_eq!("amber+strict".parse::<Tlp>().ok(), Some(Tlp::AmberStrict));
        assert!("AMBER".parse::<Tlp>().is_err(), "stored names are lower case");
        assert!(Tlp::Clear < Tlp::Green && Tlp::Green < Tlp::Amber && Tlp::Amber < Tlp::AmberStrict);
        assert!(Tlp::AmberStrict < Tlp::Red);
        assert_eq!(Tlp::from_document("WHITE"), Some(Tlp::Clear));
        assert_eq!(Tlp::from_document("TLP:AMBER+STRICT"), Some(Tlp::AmberStrict));
        assert_eq!(Tlp::from_document("purple"), None);
        assert_eq!(serde_json::to_string(&Tlp::AmberStrict).ok().as_deref(), Some("\"amber+strict\""));
    }
}
