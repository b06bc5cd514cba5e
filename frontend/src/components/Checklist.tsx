import { useState, type ReactNode } from "react";
import { describeError } from "../api/problem";
import { saveBlob } from "../api/download";
import { KIND_LABELS, type EvidenceRef, type ProductChecklist } from "../api/types";
import { ChecklistStatusBadge } from "./Badge";
import { formatDate, formatDateTime, shortHash } from "../format";

/** The anchor of a section (`#section-sbom`), for the table of contents. */
export function sectionAnchor(id: string): string {
  return `section-${id}`;
}

/** "checklist-smart-thermostat-cra-checklist.md", as the server names the export. */
export function markdownFilename(productSlug: string): string {
  return `${productSlug}-cra-checklist.md`;
}

/** "Download Markdown": fetches the export (with the caller's Bearer token) and saves it. */
export function MarkdownButton({ fetchBlob, filename }: { fetchBlob: () => Promise<Blob>; filename: string }) {
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  return (
    <span className="download">
      <button
        type="button"
        className="button"
        disabled={state.busy}
        onClick={async () => {
          setState({ busy: true, error: null });
          try {
            saveBlob(await fetchBlob(), filename);
            setState({ busy: false, error: null });
          } catch (e) {
            setState({ busy: false, error: describeError(e) });
          }
        }}
      >
        <svg viewBox="0 0 24 24" className="button-icon" aria-hidden="true">
          <path d="M12 4v12m0 0l-4-4m4 4l4-4M4 20h16" />
        </svg>
        {state.busy ? "Downloading…" : "Download Markdown"}
      </button>
      <span role="status" aria-live="polite" className="download-status small">
        {state.error && <span className="bad">{state.error}</span>}
      </span>
    </span>
  );
}

/** "Print": the print stylesheet turns the page into the checklist document with its signature block. */
export function PrintButton() {
  return (
    <button type="button" className="button" onClick={() => window.print()}>
      <svg viewBox="0 0 24 24" className="button-icon" aria-hidden="true">
        <path d="M7 9V4h10v5M7 17H5a1 1 0 01-1-1v-5a2 2 0 012-2h12a2 2 0 012 2v5a1 1 0 01-1 1h-2M7 14h10v6H7z" />
      </svg>
      Print
    </button>
  );
}

/**
 * The signature section at the end of the printed checklist: the partner (the manufacturer who
 * answered) and the buyer (the customer) sign with name, title and date. Shown only on paper.
 */
export function SignatureBlock({ partner }: { partner?: string }) {
  const parties: { party: string; who?: string }[] = [{ party: "Partner", who: partner }, { party: "Buyer" }];
  return (
    <section className="signature-block print-only" aria-labelledby="signature-heading" data-testid="signature-block">
      <h2 id="signature-heading" className="section-title">
        Signatures
      </h2>
      <div className="signature-grid">
        {parties.map(({ party, who }) => (
          <div key={party} className="signature" data-party={party}>
            <p className="signature-party">
              {party}
              {who && <span className="signature-who"> ({who})</span>}
            </p>
            <dl className="signature-lines">
              {["Name", "Title", "Date"].map((line) => (
                <div key={line} className="signature-line">
                  <dt>{line}</dt>
                  <dd />
                </div>
              ))}
            </dl>
          </div>
        ))}
      </div>
    </section>
  );
}

/** An evidence artifact in words: its title (or file name), kind and file, with its SHA-256. */
export function EvidenceText({ evidence, name }: { evidence: EvidenceRef; name?: ReactNode }) {
  return (
    <>
      <span className="evidence-name">{name ?? (evidence.title || evidence.filename)}</span>{" "}
      <span className="muted small">
        {KIND_LABELS[evidence.kind]}
        {evidence.title ? ` · ${evidence.filename}` : ""}
      </span>{" "}
      <span className="evidence-hash small">
        <span className="muted">SHA-256</span>{" "}
        <code className="hash" title={evidence.sha256}>
          <span className="screen-only">{shortHash(evidence.sha256, 16)}</span>
          <span className="print-only-inline">{evidence.sha256}</span>
        </code>
      </span>
    </>
  );
}

interface ChecklistDocumentProps {
  checklist: ProductChecklist;
  /** The manufacturer, for the signature block. */
  partner?: string;
  /** How each evidence artifact is shown (a download link in the portal). */
  evidence?: (e: EvidenceRef) => ReactNode;
  /** Print the SHA-256 of the text in the document's header (what an acknowledgement names). */
  showSha256?: boolean;
  /** Only on paper (the console prints the saved checklist, not its editor). */
  printOnly?: boolean;
}

/**
 * The checklist as a document: every section expanded with its clauses, status, statement,
 * evidence, reviewer and date, then the signature block (on paper).
 */
export function ChecklistDocument({ checklist, partner, evidence, showSha256, printOnly }: ChecklistDocumentProps) {
  const prefix = printOnly ? "print-" : "";
  return (
    <article
      className={`checklist-doc${printOnly ? " print-only" : ""}`}
      aria-label={`CRA vendor checklist of ${checklist.product_name}`}
      // On paper only (the editor is what the screen shows): kept out of the accessibility tree.
      aria-hidden={printOnly ? true : undefined}
      data-testid={printOnly ? "checklist-print" : "checklist-document"}
    >
      <header className="checklist-doc-header print-only">
        <p className="card-eyebrow">CRA vendor checklist</p>
        <p className="checklist-doc-title">{checklist.product_name}</p>
        <p className="small">
          {partner && <>Partner: {partner} · </>}
          {checklist.updated_at ? <>Last updated {formatDateTime(checklist.updated_at)}</> : "Not answered yet"}
          {showSha256 && (
            <>
              {" "}
              · SHA-256 of this text <code className="hash">{checklist.sha256}</code>
            </>
          )}
        </p>
      </header>
      {checklist.sections.map((s, i) => {
        const headingId = `${prefix}${sectionAnchor(s.id)}-title`;
        return (
          <section
            key={s.id}
            id={printOnly ? undefined : sectionAnchor(s.id)}
            className="card checklist-section"
            aria-labelledby={headingId}
            data-section={s.id}
          >
            <div className="checklist-section-head">
              <h2 id={headingId} className="checklist-section-title">
                {i + 1}. {s.title}
              </h2>
              <ChecklistStatusBadge status={s.status} />
            </div>
            {s.clauses.length > 0 && (
              <ul className="checklist-clauses">
                {s.clauses.map((c, j) => (
                  <li key={j}>{c}</li>
                ))}
              </ul>
            )}
            {s.statement.trim() ? (
              <div className="checklist-statement">{s.statement.trim()}</div>
            ) : (
              <p className="muted small">No statement.</p>
            )}
            {s.evidence.length > 0 && (
              <div className="checklist-evidence">
                <h3 className="checklist-subtitle">Evidence</h3>
                <ul className="evidence-refs">
                  {s.evidence.map((e) => (
                    <li key={e.artifact_id} data-artifact-id={e.artifact_id}>
                      {evidence ? evidence(e) : <EvidenceText evidence={e} />}
                    </li>
                  ))}
                </ul>
              </div>
            )}
            {s.reviewer && (
              <p className="checklist-review small">
                Reviewed by {s.reviewer}
                {s.review_date && <> on {formatDate(s.review_date)}</>}
              </p>
            )}
          </section>
        );
      })}
      <SignatureBlock partner={partner} />
    </article>
  );
}
