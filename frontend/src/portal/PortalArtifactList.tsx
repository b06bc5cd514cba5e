import type { ReactNode } from "react";
import { unwrap, type Api } from "../api/client";
import { DOCUMENT_TYPES, type PortalArtifact } from "../api/types";
import { CopyableHash, DownloadButton, Sha256 } from "../components/Download";
import { SeverityBadge, TlpBadge } from "../components/Badge";
import { CopyButton } from "../components/CopyButton";
import { cveUrl, formatBytes, formatDate } from "../format";

export function portalDownload(api: Api, slug: string, id: string): () => Promise<Blob> {
  return async () =>
    (await unwrap(
      api.GET("/api/v1/portal/{slug}/artifacts/{id}/download", { params: { path: { slug, id } }, parseAs: "blob" }),
    )) as Blob;
}

function docType(a: PortalArtifact): string | null {
  return a.document_type ? (DOCUMENT_TYPES.find((d) => d.value === a.document_type)?.label ?? a.document_type) : null;
}

/** Published artifacts with what a customer needs to trust them: format, size, SHA-256, date. */
export function PortalArtifactList({
  api,
  slug,
  artifacts,
  extra,
}: {
  api: Api;
  slug: string;
  artifacts: PortalArtifact[];
  extra?: (a: PortalArtifact) => ReactNode;
}) {
  return (
    <ul className="artifact-list">
      {artifacts.map((a) => (
        <li key={a.id} className="artifact-item" data-artifact-id={a.id}>
          <div className="artifact-main">
            <div className="artifact-title">
              {a.title || a.filename}
              {a.kind === "advisory" && (
                <>
                  {" "}
                  <SeverityBadge severity={a.severity} score={a.max_cvss_base_score} />
                </>
              )}{" "}
              <TlpBadge tlp={a.tlp} />
            </div>
            <div className="artifact-meta small">
              {a.title && <span>{a.filename}</span>}
              <span>{a.format}</span>
              {docType(a) && <span>{docType(a)}</span>}
              <span>{formatBytes(a.size)}</span>
              {a.published_at && <span>Published {formatDate(a.published_at)}</span>}
            </div>
            {a.cves.length > 0 && (
              <ul className="chips mono" aria-label="CVEs">
                {a.cves.map((c) => {
                  const url = cveUrl(c);
                  return (
                    <li key={c}>
                      {url ? (
                        <a href={url} target="_blank" rel="noreferrer" title={`${c} on cve.org`}>
                          {c}
                        </a>
                      ) : (
                        c
                      )}
                    </li>
                  );
                })}
              </ul>
            )}
            <div className="artifact-hash small">
              <span className="muted">SHA-256</span> <Sha256 value={a.sha256} />{" "}
              <CopyButton text={a.sha256} label="Copy" ariaLabel={`Copy the SHA-256 of ${a.filename}`} className="link-button" />
            </div>
            <div className="artifact-hash small">
              <span className="muted">SHA-512</span>{" "}
              <CopyableHash value={a.sha512} label={`the SHA-512 of ${a.filename}`} short={16} />
            </div>
            {extra?.(a)}
          </div>
          <div className="artifact-actions">
            <DownloadButton
              filename={a.filename}
              size={a.size}
              sha256={a.sha256}
              fetchBlob={portalDownload(api, slug, a.id)}
              className="button button-primary"
            />
          </div>
        </li>
      ))}
    </ul>
  );
}
