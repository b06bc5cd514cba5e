//! Traffic Light Protocol labels (FIRST TLP 2.0) as the disclosure rule uses them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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
