//! "Download everything of this version": one ZIP of every artifact the reader may see at a
//! version, streamed while it is written (entries with data descriptors, never the whole archive
//! in memory), with a `SHA256SUMS` file to check it against.
//!
//! Each file goes through the one delivery path ([`deliver::record`]): the disclosure rule and
//! its own audit event with the SHA-256 of its bytes, all committed before the first byte leaves.

use std::collections::HashSet;

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{get, web, HttpResponse};
use async_zip::tokio::write::ZipFileWriter;
use async_zip::{Compression, ZipEntryBuilder};
use futures_util::AsyncWriteExt;
use tokio::io::AsyncReadExt;

use super::customer;
use super::reader::PortalDownloader;
use crate::artifacts::download::Servable;
use crate::db;
use crate::disclosure::{self, deliver, Channel};
use crate::domain::ArtifactKind;
use crate::error::responses::PortalErrors;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::storage::{BlobKey, BlobSource, BlobStore};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(download_all);
}

/// The folder of each kind inside the archive.
fn folder(kind: ArtifactKind) -> &'static str {
    match kind {
        ArtifactKind::Sbom => "sbom",
        ArtifactKind::Vex => "vex",
        ArtifactKind::Advisory => "advisories",
        ArtifactKind::Document => "documents",
    }
}

/// A path inside the archive: the kind's folder and the file name, made safe (no directories,
/// no dot segments) and unique (`name (2).json`).
fn entry_name(used: &mut HashSet<String>, kind: ArtifactKind, filename: &str) -> String {
    let base: String = filename
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .chars()
        .map(|c| if c.is_control() { '_' } else { c })
        .collect();
    let base = base.trim_start_matches('.');
    let base = if base.is_empty() { "file" } else { base };
    let (stem, ext) = match base.rfind('.') {
        Some(i) if i > 0 => (&base[..i], &base[i..]),
        _ => (base, ""),
    };
    let mut n = 1;
    loop {
        let candidate =
            if n == 1 { format!("{}/{base}", folder(kind)) } else { format!("{}/{stem} ({n}){ext}", folder(kind)) };
        if used.insert(candidate.clone()) {
            return candidate;
        }
        n += 1;
    }
}

/// Every artifact of the version the reader may see, as one ZIP (with `SHA256SUMS`). Each file
/// is audited as its own download, before the first byte is sent.
#[utoipa::path(tag = "portal", operation_id = "downloadPortalVersionArchive",
    params(("slug" = String, Path, description = "Portal slug"), ("product" = String, Path, description = "Product slug"),
        ("version" = String, Path, description = "Version")),
    security((), ("portal_token" = [])),
    responses((status = 200, description = "A ZIP archive, streamed", content_type = "application/zip", body = crate::artifacts::download::BinaryFile),
        PortalErrors))]
#[get("/portal/{slug}/products/{product}/versions/{version}/archive")]
async fn download_all(
    st: web::Data<AppState>,
    PortalDownloader(r): PortalDownloader,
    path: web::Path<(String, String, String)>,
) -> ApiResult<HttpResponse> {
    let (_, product, version) = path.into_inner();
    let (name, files) = db::tx(&st.pool, move |c| {
        let p = customer::product(c, &r, &product)?;
        let v = customer::version(c, &r, &p, &version)?;
        let arts = disclosure::artifacts_at(c, &r.audience, &v.id)?;
        if arts.is_empty() {
            return Err(ApiError::NotFound(format!("nothing of {} {} is published for you yet", p.name, v.version)));
        }
        let mut recipient = r.recipient();
        let mut files = Vec::with_capacity(arts.len());
        for a in &arts {
            files.push((a.kind, deliver::record(c, &recipient, &a.id, Channel::Archive, None, None)?));
            // The token's use counts once per request.
            recipient.pending_use = None;
        }
        Ok((format!("{}-{}.zip", p.slug, v.version), files))
    })
    .await?;
    let (writer, reader) = tokio::io::duplex(64 * 1024);
    let blobs = st.blobs.clone();
    actix_web::rt::spawn(async move {
        if let Err(e) = write_zip(writer, blobs, files).await {
            // The client sees a truncated archive (its last entry fails its CRC).
            tracing::warn!(error = %e, "the version archive broke off");
        }
    });
    Ok(HttpResponse::Ok()
        .content_type("application/zip")
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(name)],
        })
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .streaming(tokio_util::io::ReaderStream::new(reader)))
}

async fn write_zip(
    out: tokio::io::DuplexStream,
    blobs: BlobStore,
    files: Vec<(ArtifactKind, Servable)>,
) -> anyhow::Result<()> {
    let mut zip = ZipFileWriter::with_tokio(out);
    let mut used = HashSet::new();
    let mut sums = String::new();
    let mut buf = vec![0u8; 64 * 1024];
    for (kind, s) in files {
        let name = entry_name(&mut used, kind, &s.filename);
        let key = BlobKey::parse(&s.sha256).ok_or_else(|| anyhow::anyhow!("`{}` is not a digest", s.sha256))?;
        let store = blobs.clone();
        let Some(source) = web::block(move || store.open(&key)).await?? else {
            anyhow::bail!("the bytes of {} are missing from the blob store", s.sha256);
        };
        let mut entry = zip.write_entry_stream(ZipEntryBuilder::new(name.clone().into(), Compression::Deflate)).await?;
        match source {
            BlobSource::File { file, .. } => {
                let mut file = tokio::fs::File::from_std(file);
                loop {
                    let n = file.read(&mut buf).await?;
                    if n == 0 {
                        break;
                    }
                    entry.write_all(&buf[..n]).await?;
                }
            }
            BlobSource::Remote(remote) => {
                let mut chunks = Box::pin(remote.stream(None));
                while let Some(chunk) = futures_util::StreamExt::next(&mut chunks).await {
                    entry.write_all(&chunk?).await?;
                }
            }
        }
        entry.close().await?;
        sums.push_str(&format!("{}  {name}\n", s.sha256));
    }
    zip.write_entry_whole(ZipEntryBuilder::new("SHA256SUMS".to_string().into(), Compression::Deflate), sums.as_bytes())
        .await?;
    zip.close().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_names_are_flat_safe_and_unique() {
        let mut used = HashSet::new();
        assert_eq!(entry_name(&mut used, ArtifactKind::Sbom, "bom.json"), "sbom/bom.json");
        assert_eq!(entry_name(&mut used, ArtifactKind::Sbom, "bom.json"), "sbom/bom (2).json");
        assert_eq!(entry_name(&mut used, ArtifactKind::Vex, "../../etc/passwd"), "vex/passwd");
        assert_eq!(entry_name(&mut used, ArtifactKind::Document, "..hidden"), "documents/hidden");
        assert_eq!(entry_name(&mut used, ArtifactKind::Document, "a\\b\\c.pdf"), "documents/c.pdf");
        assert_eq!(entry_name(&mut used, ArtifactKind::Advisory, ""), "advisories/file");
    }
}
