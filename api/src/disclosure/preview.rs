//! "View as this customer": what a reader sees — products → versions → artifacts with their
//! labels — computed by the same rule as every channel, and why each published artifact it
//! does not see is hidden from it.

use std::collections::HashMap;

use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::{Audience, Hidden, ReaderKind, Tlp, TlpSource};
use crate::artifacts::model::{ArtifactKind, ArtifactStatus};
use crate::artifacts::store::Artifact;
use crate::catalogue::store::Product;
use crate::db::{schema::*, DbConnection};
use crate::error::ApiResult;
use crate::ids::{ArtifactId, ProductId};

/// At most this many hidden published artifacts are explained.
pub const HIDDEN_LIMIT: i64 = 500;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Preview {
    pub reader: PreviewReader,
    pub products: Vec<PreviewProduct>,
    /// Published artifacts this reader does not see, and why (newest first, at most 500).
    pub hidden: Vec<HiddenArtifact>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PreviewReader {
    /// `anonymous` or `access_token`.
    #[serde(rename = "type")]
    pub type_: String,
    pub token_id: Option<String>,
    pub name: Option<String>,
    /// The labels this reader may read.
    pub labels: Vec<Tlp>,
    /// Products the token is limited to (`None`: every portal product).
    pub product_ids: Option<Vec<String>>,
    /// `false` for an expired or revoked token, or an anonymous visitor of a private portal:
    /// such a reader sees nothing.
    pub admitted: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PreviewProduct {
    pub slug: String,
    pub name: String,
    pub versions: Vec<PreviewVersion>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PreviewVersion {
    pub version: String,
    pub artifacts: Vec<PreviewArtifact>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PreviewArtifact {
    pub id: String,
    pub kind: ArtifactKind,
    pub format: String,
    pub filename: String,
    pub title: Option<String>,
    /// The effective label.
    pub tlp: Tlp,
    pub tlp_source: TlpSource,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HiddenArtifact {
    pub id: String,
    pub kind: ArtifactKind,
    pub filename: String,
    pub title: Option<String>,
    pub tlp: Tlp,
    /// Why the reader does not see it.
    pub why: Hidden,
    /// The same, in words.
    pub message: String,
}

/// What `audience` sees. `admitted` is false when the reader would be turned away at the door
/// (an expired or revoked token): it then sees nothing, and the hidden list says why not.
pub fn preview(conn: &mut DbConnection, a: &Audience, admitted: bool) -> ApiResult<Preview> {
    let reader = match &a.reader {
        ReaderKind::Anonymous => PreviewReader {
            type_: "anonymous".into(),
            token_id: None,
            name: None,
            labels: a.labels(),
            product_ids: None,
            admitted: admitted && a.public_portal,
        },
        ReaderKind::Token { id, name, scope, .. } => PreviewReader {
            type_: "access_token".into(),
            token_id: Some(id.clone()),
            name: Some(name.clone()),
            labels: a.labels(),
            product_ids: scope.clone(),
            admitted,
        },
    };
    let mut products = Vec::new();
    if reader.admitted {
        let list = super::products(conn, a, &None, i64::MAX)?;
        let ids: Vec<ProductId> = list.iter().map(|p| p.id.clone()).collect();
        let versions = super::versions(conn, a, &ids)?;
        for p in list {
            let mut pv = Vec::new();
            for v in versions.iter().filter(|v| v.product_id == p.id) {
                let artifacts = super::artifacts_at(conn, a, &v.id)?
                    .into_iter()
                    .map(|x| PreviewArtifact {
                        tlp: a.effective(x.tlp),
                        tlp_source: x.tlp_source(),
                        id: x.id.into(),
                        kind: x.kind,
                        format: x.format,
                        filename: x.filename,
                        title: x.title,
                    })
                    .collect();
                pv.push(PreviewVersion { version: v.version.clone(), artifacts });
            }
            products.push(PreviewProduct { slug: p.slug, name: p.name, versions: pv });
        }
    }
    let mut q = artifacts::table
        .filter(artifacts::org_id.eq(&a.org_id))
        .filter(artifacts::status.eq(ArtifactStatus::Published))
        .into_boxed();
    if reader.admitted {
        q = q.filter(diesel::dsl::not(super::in_subquery(artifacts::id, super::artifact_ids(a))));
    }
    let hidden_rows: Vec<Artifact> = q
        .order((artifacts::published_at.desc(), artifacts::id.asc()))
        .limit(HIDDEN_LIMIT)
        .select(Artifact::as_select())
        .load(conn)?;
    let ids: Vec<ArtifactId> = hidden_rows.iter().map(|x| x.id.clone()).collect();
    let mut placed: HashMap<ArtifactId, Vec<Product>> = HashMap::new();
    let rows: Vec<(ArtifactId, Product)> = artifact_versions::table
        .inner_join(product_versions::table.inner_join(products::table))
        .filter(artifact_versions::artifact_id.eq_any(ids))
        .select((artifact_versions::artifact_id, Product::as_select()))
        .load(conn)?;
    for (id, p) in rows {
        placed.entry(id).or_default().push(p);
    }
    let hidden = hidden_rows
        .into_iter()
        .map(|x| {
            let why = if reader.admitted {
                super::decide(a, &x, placed.get(&x.id).map(Vec::as_slice).unwrap_or(&[])).err()
            } else {
                None
            }
            .unwrap_or(Hidden::PrivatePortal);
            let why = match (&why, reader.admitted, &a.reader) {
                (_, false, ReaderKind::Token { .. }) => Hidden::TokenNotLive,
                _ => why,
            };
            HiddenArtifact {
                message: why.message(),
                tlp: a.effective(x.tlp),
                id: x.id.into(),
                kind: x.kind,
                filename: x.filename,
                title: x.title,
                why,
            }
        })
        .collect();
    Ok(Preview { reader, products, hidden })
}
