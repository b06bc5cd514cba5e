import { useState } from "react";
import { Link } from "react-router";
import { adminApi, unwrap } from "../../api/client";
import type { PreviewDocument, PublishResult, Tlp } from "../../api/types";
import { keepPreviousData, useQuery, useSubmit } from "../../hooks";
import { Dialog } from "../../components/Dialog";
import { Async, EmptyState } from "../../components/States";
import { Field, TlpOptions } from "../../components/Field";
import { Alert, ProblemAlert } from "../../components/Alert";
import { TlpBadge } from "../../components/Badge";
import { CopyableHash } from "../../components/Download";
import { plural } from "../../format";

/** A generated document's JSON, pretty-printed (as sent when it is not JSON). */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

const FORMAT_LABEL: Record<string, string> = { openvex: "OpenVEX", csaf: "CSAF 2.0 VEX" };

function PreviewList({ docs }: { docs: PreviewDocument[] }) {
  if (docs.length === 0) {
    return <EmptyState title="Nothing to publish">Assess at least one version first: documents are generated per assessed version.</EmptyState>;
  }
  return (
    <ul className="plain-list preview-documents" aria-label="Generated documents">
      {docs.map((d) => (
        <li key={`${d.product}/${d.version}/${d.filename}`}>
          <details className="raw-details">
            <summary>
              <span className="mono">{d.filename}</span> · {FORMAT_LABEL[d.format] ?? d.format} · {d.product} {d.version}
            </summary>
            <pre className="code-block" data-testid="preview-json">
              {prettyJson(d.content)}
            </pre>
          </details>
        </li>
      ))}
    </ul>
  );
}

function Published({ org, result }: { org: string; result: PublishResult }) {
  return (
    <>
      <Alert tone="success" title={`Published revision ${result.revision}`}>
        <p>
          {plural(result.artifacts.length, "document")} published, {plural(result.notifications_queued, "notification")}{" "}
          queued for the customers who may see them.
        </p>
      </Alert>
      <div className="table-wrap">
        <table className="table table-compact" data-testid="published-artifacts">
          <caption className="visually-hidden">Published documents</caption>
          <thead>
            <tr>
              <th scope="col">Document</th>
              <th scope="col">Format</th>
              <th scope="col">Version</th>
              <th scope="col">SHA-256</th>
            </tr>
          </thead>
          <tbody>
            {result.artifacts.map((a) => (
              <tr key={a.artifact_id}>
                <td>
                  <Link to={`/admin/${org}/artifacts/${a.artifact_id}`} className="mono">
                    {a.filename}
                  </Link>
                </td>
                <td>{FORMAT_LABEL[a.format] ?? a.format}</td>
                <td>
                  {a.product} {a.version}
                </td>
                <td>
                  <CopyableHash value={a.sha256} short={16} label={`the SHA-256 of ${a.filename}`} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** Preview the OpenVEX and CSAF documents the triage generates, then publish them. */
export function PublishDialog({
  org,
  id,
  revision,
  onClose,
  onPublished,
}: {
  org: string;
  id: string;
  revision: number;
  onClose: () => void;
  onPublished: (r: PublishResult) => void;
}) {
  const [tlp, setTlp] = useState<Tlp | "">("");
  const [result, setResult] = useState<PublishResult | null>(null);
  // The documents as they would be published now: asked again whenever the dialog opens.
  const preview = useQuery({
    queryKey: ["org", org, "vulnerability", id, "preview", { tlp }],
    queryFn: () =>
      unwrap(
        adminApi.GET("/api/v1/orgs/{org}/vulnerabilities/{id}/preview", {
          params: { path: { org, id }, query: { tlp: tlp || undefined } },
        }),
      ),
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
  const publish = useSubmit(async () => {
    const r = await unwrap(
      adminApi.POST("/api/v1/orgs/{org}/vulnerabilities/{id}/publish", {
        params: { path: { org, id } },
        body: { tlp: tlp || null },
      }),
    );
    setResult(r);
    onPublished(r);
  });
  const empty = preview.data !== undefined && preview.data.length === 0;
  return (
    <Dialog
      title={result ? "Published" : `Publish ${id}`}
      onClose={onClose}
      dismissible={!publish.busy}
      size="large"
      footer={
        result ? (
          <button type="button" className="button button-primary" onClick={onClose}>
            Done
          </button>
        ) : (
          <>
            <button type="button" className="button" onClick={onClose} disabled={publish.busy}>
              Cancel
            </button>
            <button
              type="button"
              className="button button-primary"
              disabled={publish.busy || preview.isFetching || !!preview.error || empty}
              onClick={() => void publish.submit()}
            >
              {publish.busy ? "Publishing…" : revision > 0 ? `Publish revision ${revision + 1}` : "Publish"}
            </button>
          </>
        )
      }
    >
      {result ? (
        <Published org={org} result={result} />
      ) : (
        <>
          <p className="muted small">
            An OpenVEX document and a CSAF 2.0 VEX document per assessed version, signed and published through the ordinary
            pipeline (validation, disclosure rule, feeds, audit).
            {revision > 0 && ` They supersede revision ${revision}.`}
          </p>
          <Field label="TLP label" hint="Who may read the generated documents; the portal’s default label unless chosen.">
            {(c) => (
              <div className="select-with-badge">
                <select {...c} name="tlp" value={tlp} onChange={(e) => setTlp(e.target.value as Tlp | "")}>
                  <TlpOptions none="Portal default" />
                </select>
                {tlp && <TlpBadge tlp={tlp} />}
              </div>
            )}
          </Field>
          <h3 className="subsection-title">Preview</h3>
          <Async resource={preview} loadingLabel="Generating the documents…">
            {(docs) => <PreviewList docs={docs} />}
          </Async>
          <ProblemAlert error={publish.error} title="Could not publish" />
        </>
      )}
    </Dialog>
  );
}
