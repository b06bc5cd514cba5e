import { useState, type FormEvent } from "react";
import { Link, useParams } from "react-router";
import { unwrap, type Api } from "../api/client";
import { ApiError, describeError } from "../api/problem";
import { saveBlob, sha256Hex } from "../api/download";
import { checklistStatusLabel, CHECKLIST_STATUSES, jsonChecklist, type Acknowledgement, type EvidenceRef, type ProductChecklist } from "../api/types";
import { useQuery, useSubmit, useTitle } from "../hooks";
import { usePortal } from "./context";
import { PageHeader } from "../components/PageHeader";
import { Async, EmptyState } from "../components/States";
import { Alert, ProblemAlert } from "../components/Alert";
import { Field } from "../components/Field";
import { ChecklistDocument, EvidenceText, MarkdownButton, markdownFilename, PrintButton } from "../components/Checklist";
import { formatDateTime, shortHash } from "../format";
import { portalDownload } from "./PortalArtifactList";

/** Where a portal artifact is downloaded (the server records the download). */
export function portalDownloadUrl(slug: string, id: string): string {
  return `/api/v1/portal/${encodeURIComponent(slug)}/artifacts/${encodeURIComponent(id)}/download`;
}

/**
 * An evidence artifact, linked to its download. The click downloads through the API client (so a
 * signed-in customer's Bearer token goes along), checks the SHA-256, then saves the file.
 */
function EvidenceDownload({ api, slug, evidence }: { api: Api; slug: string; evidence: EvidenceRef }) {
  const [state, setState] = useState<"idle" | "busy" | "verified" | "mismatch" | "saved" | { error: string }>("idle");
  return (
    <>
      <EvidenceText
        evidence={evidence}
        name={
          <a
            href={portalDownloadUrl(slug, evidence.artifact_id)}
            aria-label={`Download ${evidence.title || evidence.filename} (${evidence.filename})`}
            onClick={async (e) => {
              e.preventDefault();
              if (state === "busy") return;
              setState("busy");
              try {
                const blob = await portalDownload(api, slug, evidence.artifact_id)();
                const actual = await sha256Hex(blob);
                saveBlob(blob, evidence.filename);
                setState(actual === null ? "saved" : actual === evidence.sha256.toLowerCase() ? "verified" : "mismatch");
              } catch (err) {
                setState({ error: describeError(err) });
              }
            }}
          >
            {evidence.title || evidence.filename}
          </a>
        }
      />{" "}
      <span role="status" aria-live="polite" className="download-status small no-print">
        {state === "busy" && <span className="muted">Downloading…</span>}
        {state === "verified" && <span className="ok">✓ SHA-256 verified</span>}
        {state === "mismatch" && <span className="bad">The downloaded bytes do not match the published SHA-256</span>}
        {state === "saved" && <span className="muted">Downloaded</span>}
        {typeof state === "object" && <span className="bad">{state.error}</span>}
      </span>
    </>
  );
}

function isConflict(e: unknown): boolean {
  return e instanceof ApiError && e.status === 409;
}

function isUnauthorized(e: unknown): boolean {
  return e instanceof ApiError && e.status === 401;
}

function SignInToAcknowledge({ slug, product }: { slug: string; product: string }) {
  const next = `/portal/${slug}/products/${product}/checklist`;
  return (
    <Alert tone="info" title="Sign in with your access token to acknowledge">
      <p>
        An acknowledgement records who read the checklist: it needs the access token the manufacturer gave you.{" "}
        <Link to={`/portal/${slug}/login?next=${encodeURIComponent(next)}`}>Sign in</Link>
      </p>
    </Alert>
  );
}

/** The acknowledgement form: name and title, sent with the SHA-256 of the text shown. */
export function AcknowledgeForm({
  checklist,
  onReload,
}: {
  checklist: ProductChecklist;
  onReload: () => void;
}) {
  const { slug, api, info } = usePortal();
  const [name, setName] = useState("");
  const [title, setTitle] = useState("");
  const [done, setDone] = useState<Acknowledgement | null>(null);
  const ack = useSubmit(async () => {
    const a = await unwrap(
      api.POST("/api/v1/portal/{slug}/products/{product}/checklist/acknowledgements", {
        params: { path: { slug, product: checklist.product_slug } },
        body: { name: name.trim(), title: title.trim(), sha256: checklist.sha256 },
      }),
    );
    setDone(a);
  });

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    void ack.submit();
  }

  let body;
  if (done) {
    body = (
      <Alert tone="success" title="Acknowledged" polite>
        <p data-testid="acknowledged">
          Acknowledged by {done.name}, {done.title}, on {formatDateTime(done.acknowledged_at)}
          {done.token_name ? ` with the access token “${done.token_name}”` : ""}.
        </p>
        <p className="small">
          The acknowledgement names the text you read: SHA-256 <code className="hash">{done.sha256}</code>.
        </p>
      </Alert>
    );
  } else if (info.caller.type !== "access_token" || isUnauthorized(ack.error)) {
    body = <SignInToAcknowledge slug={slug} product={checklist.product_slug} />;
  } else {
    body = (
      <form onSubmit={onSubmit} noValidate aria-label="Acknowledge the checklist">
        <p className="muted small">
          You acknowledge the checklist exactly as shown on this page (SHA-256{" "}
          <code className="hash" title={checklist.sha256}>
            {shortHash(checklist.sha256, 16)}
          </code>
          ). It is recorded with your access token{info.caller.name ? ` (${info.caller.name})` : ""} and the time.
        </p>
        <div className="form-grid">
          <Field label="Name" error={ack.fieldError("name")}>
            {(c) => <input {...c} name="name" autoComplete="name" required value={name} onChange={(e) => setName(e.target.value)} />}
          </Field>
          <Field label="Title" hint="Your role, e.g. Head of Procurement." error={ack.fieldError("title")}>
            {(c) => (
              <input {...c} name="title" autoComplete="organization-title" required value={title} onChange={(e) => setTitle(e.target.value)} />
            )}
          </Field>
        </div>
        {isConflict(ack.error) ? (
          <Alert tone="warning" title="The checklist changed since you opened it: reload to read the current version">
            <p>Your acknowledgement was not recorded: it would name a text that is no longer the current one.</p>
            <button
              type="button"
              className="button"
              onClick={() => {
                ack.reset();
                onReload();
              }}
            >
              Reload the checklist
            </button>
          </Alert>
        ) : (
          <ProblemAlert error={ack.error} shownFields={["name", "title"]} title="Could not record the acknowledgement" />
        )}
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={ack.busy}>
            {ack.busy ? "Sending…" : "Acknowledge"}
          </button>
        </div>
      </form>
    );
  }

  return (
    <section className="card no-print checklist-ack" aria-labelledby="ack-heading">
      <h2 id="ack-heading" className="card-title">
        Acknowledge
      </h2>
      {body}
    </section>
  );
}

/** "5 met · 2 partially met · 5 not assessed". */
function statusSummary(c: ProductChecklist): string {
  const order = [...CHECKLIST_STATUSES.map((s) => s.value), null];
  return order
    .map((status) => ({ status, n: c.sections.filter((s) => (s.status ?? null) === status).length }))
    .filter((x) => x.n > 0)
    .map((x) => `${x.n} ${checklistStatusLabel(x.status).toLowerCase()}`)
    .join(" · ");
}

export function PortalChecklistPage() {
  const { product = "" } = useParams();
  const { slug, api, info } = usePortal();
  const path = { slug, product };
  const checklist = useQuery({
    queryKey: ["portal", slug, "product", product, "checklist"],
    queryFn: async () => jsonChecklist(await unwrap(api.GET("/api/v1/portal/{slug}/products/{product}/checklist", { params: { path } }))),
  });
  useTitle(checklist.data ? `CRA checklist · ${checklist.data.product_name}` : "CRA checklist");

  const markdown = async () =>
    (await unwrap(
      api.GET("/api/v1/portal/{slug}/products/{product}/checklist", {
        params: { path, query: { format: "markdown" } },
        parseAs: "blob",
      }),
    )) as Blob;

  if (checklist.error instanceof ApiError && checklist.error.status === 404 && !checklist.data) {
    return (
      <>
        <PageHeader
          crumbs={[{ label: "Products", to: `/portal/${slug}` }, { label: product, to: `/portal/${slug}/products/${product}` }, { label: "CRA checklist" }]}
          title="CRA checklist"
        />
        <EmptyState title="No checklist published for this product">
          The manufacturer has not published a CRA vendor checklist for this product.
        </EmptyState>
      </>
    );
  }

  return (
    <Async resource={checklist}>
      {(c) => (
        <div className="checklist-page">
          <div className="no-print">
            <PageHeader
              crumbs={[
                { label: "Products", to: `/portal/${slug}` },
                { label: c.product_name, to: `/portal/${slug}/products/${c.product_slug}` },
                { label: "CRA checklist" },
              ]}
              title={`CRA checklist: ${c.product_name}`}
              subtitle={
                <>
                  <p>
                    How {c.product_name} meets the sections of the CRA vendor checklist, with the evidence you may download.{" "}
                    {statusSummary(c)}.
                  </p>
                  <p className="small muted">
                    {c.updated_at && <>Last updated {formatDateTime(c.updated_at)} · </>}
                    SHA-256 of this text{" "}
                    <code className="hash" data-testid="checklist-sha256" title={c.sha256}>
                      {c.sha256}
                    </code>
                  </p>
                </>
              }
              actions={
                <>
                  <MarkdownButton fetchBlob={markdown} filename={markdownFilename(c.product_slug)} />
                  <PrintButton />
                </>
              }
            />
          </div>
          <ChecklistDocument
            checklist={c}
            partner={info.display_name}
            showSha256
            evidence={(e) => <EvidenceDownload api={api} slug={slug} evidence={e} />}
          />
          <AcknowledgeForm checklist={c} onReload={() => void checklist.refetch()} />
        </div>
      )}
    </Async>
  );
}
