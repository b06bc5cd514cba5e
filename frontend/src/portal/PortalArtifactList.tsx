import type { ReactNode } from "react";
import { useState } from "react";
import { unwrap, type Api } from "../api/client";
import { downloadFile } from "../api/download";
import { describeError } from "../api/problem";
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

/** The path parameters of a CSAF provider file (`/api/v1/portal/<slug>/csaf/<tlp>/<year>/<file>`). */
export function csafFileParams(url: string): { tlp: string; year: string; file: string } | null {
  const m = /\/csaf\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url);
  return m ? { tlp: m[1]!, year: m[2]!, file: decodeURIComponent(m[3]!) } : null;
}

/**
 * The detached OpenPGP signature of a CSAF document as the portal's CSAF provider serves it
 * (`….json.asc`), fetched with the reader's token and saved beside the document.
 */
export function SignatureDownload({ api, slug, url, filename }: { api: Api; slug: string; url: string; filename: string }) {
  const [state, setState] = useState<{ saved?: string; error?: string; busy?: boolean }>({});
  const params = csafFileParams(url);
  if (!params) return null;
  return (
    <span className="download">
      <button
        type="button"
        className="link-button"
        disabled={state.busy}
        aria-label={`Download the OpenPGP signature of ${filename}`}
        title="Detached OpenPGP signature (.asc); the signing keys are listed in the CSAF provider metadata"
        onClick={async () => {
          setState({ busy: true });
          try {
            const saved = await downloadFile(
              api.GET("/api/v1/portal/{slug}/csaf/{tlp}/{year}/{file}", {
                params: { path: { slug, ...params } },
                parseAs: "blob",
              }),
              params.file,
            );
            setState({ saved });
          } catch (e) {
            setState({ error: describeError(e) });
          }
        }}
      >
        {state.busy ? "Downloading…" : "Signature (.asc)"}
      </button>
      <span role="status" aria-live="polite" className="download-status small">
        {state.saved && <span className="ok">Saved as {state.saved}</span>}
        {state.error && <span className="bad">{state.error}</span>}
      </span>
    </span>
  );
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
            {a.signature_url && (
              <div className="artifact-hash small" data-testid="csaf-signature">
                <span className="muted">OpenPGP</span>{" "}
                <SignatureDownload api={api} slug={slug} url={a.signature_url} filename={a.filename} />
              </div>
            )}
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
