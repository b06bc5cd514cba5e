//! TEA v0.4.0 wire types: camelCase fields, `YYYY-MM-DDThh:mm:ssZ` timestamps, lowercase UUIDs,
//! as the TEA OpenAPI document has them.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, ApiResult};

pub const TEA_VERSION: &str = "0.4.0";

/// `YYYY-MM-DDThh:mm:ssZ`, as TEA's date-time pattern demands (no fractions, always UTC).
pub fn ts(t: chrono::NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// TEA's error body (`404 {"error":"OBJECT_UNKNOWN"}`).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TeaError {
    /// `OBJECT_UNKNOWN` or `OBJECT_NOT_SHAREABLE`
    pub error: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Identifier {
    /// `TEI`, `PURL`, `CPE` or `COMPLIANCE_DOCUMENT`
    pub id_type: String,
    pub id_value: String,
}

impl Identifier {
    pub(super) fn new(t: &str, v: impl Into<String>) -> Self {
        Identifier { id_type: t.into(), id_value: v.into() }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TeaProduct {
    pub uuid: String,
    pub name: String,
    pub identifiers: Vec<Identifier>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ComponentRef {
    pub uuid: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TeaProductRelease {
    pub uuid: String,
    pub product: String,
    pub product_name: String,
    pub version: String,
    pub created_date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release_date: Option<String>,
    pub pre_release: bool,
    pub identifiers: Vec<Identifier>,
    pub components: Vec<ComponentRef>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Checksum {
    /// `SHA-256`, `SHA-512`
    pub alg_type: String,
    pub alg_value: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactFormat {
    pub media_type: String,
    pub description: String,
    /// Direct download (the portal's audited download endpoint).
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature_url: Option<String>,
    pub checksums: Vec<Checksum>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TeaArtifact {
    pub uuid: String,
    pub version: i32,
    pub name: String,
    /// `BOM`, `VULNERABILITIES`, `ATTESTATION`, `CERTIFICATION`, `THREAT_MODEL`, `OTHER`, …
    #[serde(rename = "type")]
    pub type_: String,
    pub created_date: String,
    pub formats: Vec<ArtifactFormat>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateReason {
    /// `INITIAL_RELEASE`, `ARTIFACT_ADDED`, `ARTIFACT_UPDATED`, `ARTIFACT_REMOVED`, `VEX_UPDATED`
    #[serde(rename = "type")]
    pub type_: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TeaCollection {
    /// The product release's uuid.
    pub uuid: String,
    pub version: i32,
    pub date: String,
    /// `PRODUCT_RELEASE`
    pub belongs_to: String,
    pub update_reason: UpdateReason,
    pub artifacts: Vec<TeaArtifact>,
}

/// A page of results (TEA `pagination-details` + `results`).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    pub timestamp: String,
    pub page_start_index: i64,
    pub page_size: i64,
    pub total_results: i64,
    pub results: Vec<T>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Index of the first result (default 0).
    pub page_offset: Option<i64>,
    /// Results per page, 1–10000 (default 100).
    pub page_size: Option<i64>,
    /// Filter by identifier type: `TEI`, `PURL`, `CPE`.
    pub id_type: Option<String>,
    /// Filter by identifier value (exact match, with `idType`).
    pub id_value: Option<String>,
}

impl PageQuery {
    pub fn bounds(&self) -> ApiResult<(i64, i64)> {
        let offset = self.page_offset.unwrap_or(0);
        let size = self.page_size.unwrap_or(100);
        if offset < 0 {
            return Err(ApiError::validation("pageOffset", "must be 0 or more"));
        }
        if !(1..=10_000).contains(&size) {
            return Err(ApiError::validation("pageSize", "must be between 1 and 10000"));
        }
        Ok((offset, size))
    }

    /// A page of `total` results, `results` being the ones at this page's offset (fetched in SQL).
    pub fn page<T: Serialize>(&self, total: i64, results: Vec<T>) -> ApiResult<Page<T>> {
        let (offset, size) = self.bounds()?;
        Ok(Page {
            timestamp: ts(chrono::Utc::now().naive_utc()),
            page_start_index: offset,
            page_size: size,
            total_results: total,
            results,
        })
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiscoveryQuery {
    /// A Transparency Exchange Identifier: `urn:tei:uuid:<domain>:<uuid>`, `urn:tei:purl:<domain>:<purl>`
    /// or `urn:tei:hash:<domain>:<SHA-256|SHA-512>:<hex>`.
    pub tei: String,
}

/// `/.well-known/tea`: where the TEA API of this instance's default portal is.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TeaWellKnown {
    pub schema_version: i32,
    pub endpoints: Vec<TeaServer>,
}

/// A TEA server: its root URL, the API versions it speaks and its priority.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TeaServer {
    pub url: String,
    pub versions: Vec<String>,
    pub priority: f32,
}

/// A discovery server entry (`rootUrl`, as the discovery-info schema names it).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DiscoveryServer {
    pub root_url: String,
    pub versions: Vec<String>,
    pub priority: f32,
}

/// One product release a TEI resolves to, and where to ask about it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DiscoveryInfo {
    pub product_release_uuid: String,
    pub servers: Vec<DiscoveryServer>,
}

/// The TEA API root's answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct TeaApiRoot {
    pub version: String,
}

/// A Common Lifecycle Enumeration document (ECMA-428): newest event first.
#[derive(Debug, Serialize, ToSchema)]
pub struct Cle {
    pub events: Vec<CleEvent>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CleVersion {
    pub version: String,
}

/// `released` (with `version`) or `endOfSupport` (with `versions`).
#[derive(Debug, Serialize, ToSchema)]
pub struct CleEvent {
    pub id: i64,
    #[serde(rename = "type")]
    pub type_: String,
    pub effective: String,
    pub published: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub versions: Option<Vec<CleVersion>>,
}

/// A TEA component (products are not split into components here: lists are empty).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TeaComponent {
    pub uuid: String,
    pub name: String,
    pub identifiers: Vec<Identifier>,
}
