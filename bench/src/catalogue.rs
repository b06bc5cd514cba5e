//! `portal-bench gen-catalogue`: a publisher-sized catalogue written through the product's own
//! publishing use-case (`publishing::record_upload`, so every side effect — artifact versions,
//! TEA collections, vulnerability ids, audit events — is the real one), straight on the database
//! and the blob store, without HTTP: products × versions, each version with an SBOM and an
//! OpenVEX document, and N published CSAF advisories spread over the versions and the years.
//!
//! The templates are validated once; each advisory's bytes are the template with its own tracking
//! id, title, CVE and dates, and its facts the template's analysis with the same changes, so
//! 50,000 documents take minutes, not the hours 50,000 full validations would.

use std::path::Path;
use std::time::Instant;

use supplier_portal::artifacts::service::{Incoming, UploadTarget};
use supplier_portal::auth::apikey::ApiKeyCaller;
use supplier_portal::auth::Caller;
use supplier_portal::catalogue::service::Placement;
use supplier_portal::client::ClientInfo;
use supplier_portal::domain::ArtifactKind;
use supplier_portal::storage::{BlobBackend, LocalBlobStore, StoredBlob};

fn store_bytes(store: &LocalBlobStore, bytes: &[u8]) -> anyhow::Result<StoredBlob> {
    let mut w = store.begin()?;
    w.write(bytes)?;
    Ok(w.finish()?)
}

fn template(dir: &Path, name: &str, kind: ArtifactKind) -> anyhow::Result<(Vec<u8>, portal_formats::Analysis)> {
    let bytes = std::fs::read(dir.join(name))?;
    let analysis = portal_formats::analyze(kind.to_formats(), &bytes)
        .map_err(|r| anyhow::anyhow!("template {name} does not validate: {:?}", r.defects))?;
    Ok((bytes, analysis))
}

pub struct Params<'a> {
    pub database_url: &'a str,
    pub data_dir: &'a Path,
    pub org: &'a str,
    pub advisories: usize,
    pub products: usize,
    pub versions: usize,
    pub fixtures: &'a Path,
}

pub fn generate(p: Params<'_>) -> anyhow::Result<()> {
    use diesel::prelude::*;
    use supplier_portal::db::schema::organizations;
    let mut conn =
        supplier_portal::db::ConnectionManager::new(p.database_url).map_err(anyhow::Error::msg)?.establish()?;
    supplier_portal::migrate(&mut conn)?;
    if let supplier_portal::db::DbConnection::Sqlite(s) = &mut conn {
        diesel::sql_query("PRAGMA cache_size = -524288").execute(s)?;
        diesel::sql_query("PRAGMA synchronous = OFF").execute(s)?;
    }
    let org_id: String =
        organizations::table.filter(organizations::slug.eq(p.org)).select(organizations::id).first(&mut conn)?;
    let store = LocalBlobStore::new(p.data_dir.join("blobs"))?;
    let caller = Caller::ApiKey(ApiKeyCaller {
        id: "catalogue-generator".into(),
        name: "catalogue generator".into(),
        scopes: Vec::new(),
        publish_on_push: true,
    });
    let client = ClientInfo { ip: "127.0.0.1".into(), user_agent: Some("portal-bench".into()), request_id: None };
    let (sbom_bytes, sbom) = template(p.fixtures, "sbom-min-1.6.json", ArtifactKind::Sbom)?;
    let (vex_bytes, vex) = template(p.fixtures, "openvex-0.2.0.json", ArtifactKind::Vex)?;
    let (csaf_bytes, csaf) = template(p.fixtures, "csaf-advisory.json", ArtifactKind::Advisory)?;
    let sbom_blob = store_bytes(&store, &sbom_bytes)?;
    let vex_blob = store_bytes(&store, &vex_bytes)?;
    let csaf_doc: serde_json::Value = serde_json::from_slice(&csaf_bytes)?;
    let target = |product: usize, version: usize| UploadTarget {
        placement: Placement {
            product_slug: format!("product-{product:04}"),
            product_name: Some(format!("Product {product:04}")),
            version: format!("{}.{}.0", 1 + version / 10, version % 10),
            auto_create: true,
        },
        publish: true,
        supersedes: None,
        tlp: None,
    };
    let started = Instant::now();
    let versions = p.products * p.versions;
    // The catalogue: every version with its SBOM and VEX, a transaction per product.
    for product in 0..p.products {
        supplier_portal::db::transaction(&mut conn, |c| {
            for version in 0..p.versions {
                for (kind, blob, analysis, name) in [
                    (ArtifactKind::Sbom, &sbom_blob, &sbom, "bom.cdx.json"),
                    (ArtifactKind::Vex, &vex_blob, &vex, "vex.openvex.json"),
                ] {
                    let incoming = Incoming {
                        blob: blob.clone(),
                        filename: name.into(),
                        kind,
                        document_type: None,
                        analysis: analysis.clone(),
                    };
                    supplier_portal::publishing::record_upload(
                        c,
                        &org_id,
                        &target(product, version),
                        &incoming,
                        &caller,
                        &client,
                    )?;
                }
            }
            Ok(())
        })?;
        if product % 200 == 199 {
            supplier_portal::db::analyze_now(&mut conn)?;
            eprintln!("{} products, {:.0} s", product + 1, started.elapsed().as_secs_f64());
        }
    }
    // The advisories, spread over the versions and eight years, 500 to a transaction.
    let mut done = 0;
    while done < p.advisories {
        let batch = (p.advisories - done).min(500);
        supplier_portal::db::transaction(&mut conn, |c| {
            for i in done..done + batch {
                let year = 2019 + (i % 8);
                let (initial, current) =
                    (format!("{year}-03-01T12:00:00.000Z"), format!("{year}-03-{:02}T12:00:00.000Z", 2 + i % 27));
                let tracking = format!("ACME-SA-{year}-{i:06}");
                let cve = format!("CVE-{year}-{:05}", 10000 + i);
                let title = format!("ACME product advisory {i}: memory corruption");
                let mut doc = csaf_doc.clone();
                doc["document"]["tracking"]["id"] = tracking.clone().into();
                doc["document"]["tracking"]["initial_release_date"] = initial.clone().into();
                doc["document"]["tracking"]["current_release_date"] = current.clone().into();
                doc["document"]["tracking"]["revision_history"] = serde_json::json!([
                    {"date": initial, "number": "1", "summary": "Initial version."},
                    {"date": current, "number": "2", "summary": "Fixed version added."}
                ]);
                doc["document"]["title"] = title.clone().into();
                doc["vulnerabilities"][0]["cve"] = cve.clone().into();
                let bytes = serde_json::to_vec(&doc).map_err(|e| anyhow::anyhow!(e))?;
                let mut analysis = csaf.clone();
                if let Some(a) = analysis.advisory.as_mut() {
                    a.tracking_id = tracking.clone();
                    a.title = title;
                    a.cves = vec![cve];
                    a.initial_release_date = initial;
                    a.current_release_date = current;
                }
                let incoming = Incoming {
                    blob: store_bytes(&store, &bytes)?,
                    filename: format!("{}.json", tracking.to_ascii_lowercase()),
                    kind: ArtifactKind::Advisory,
                    document_type: None,
                    analysis,
                };
                let v = i % versions;
                supplier_portal::publishing::record_upload(
                    c,
                    &org_id,
                    &target(v / p.versions, v % p.versions),
                    &incoming,
                    &caller,
                    &client,
                )?;
            }
            Ok(())
        })
        .map_err(|e| anyhow::anyhow!("advisories {done}..: {e}"))?;
        done += batch;
        if done % 5000 == 0 || done == p.advisories {
            supplier_portal::db::analyze_now(&mut conn)?;
            eprintln!("{done} advisories, {:.0} s", started.elapsed().as_secs_f64());
        }
    }
    println!(
        "{}",
        serde_json::json!({"products": p.products, "versions": versions, "advisories": p.advisories,
                           "seconds": started.elapsed().as_secs_f64()})
    );
    Ok(())
}
