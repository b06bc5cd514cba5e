import { useState, type FormEvent } from "react";
import { adminApi, unwrap } from "../../api/client";
import { REPORT_KINDS, type ReportDrafts, type ReportKind, type VulnerabilityDetail } from "../../api/types";
import { useQuery, useQueryClient, useSubmit } from "../../hooks";
import { Async } from "../../components/States";
import { Field } from "../../components/Field";
import { CopyButton } from "../../components/CopyButton";
import { ProblemAlert } from "../../components/Alert";
import { Badge } from "../../components/Badge";
import { formatDateTime } from "../../format";
import { ClockBadge, fromLocalInput } from "./shared";

function RecordForm({ org, id, kind, label, onRecorded }: { org: string; id: string; kind: ReportKind; label: string; onRecorded: (d: ReportDrafts) => void }) {
  const [at, setAt] = useState("");
  const [reference, setReference] = useState("");
  const [error, setError] = useState<string | undefined>();
  const record = useSubmit(async () => {
    const drafts = await unwrap(
      adminApi.PUT("/api/v1/orgs/{org}/vulnerabilities/{id}/reports/{kind}", {
        params: { path: { org, id, kind } },
        body: { submitted_at: fromLocalInput(at) ?? null, reference: reference.trim() || null },
      }),
    );
    setAt("");
    setReference("");
    onRecorded(drafts);
  });
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (at && !fromLocalInput(at)) {
      setError("Enter a valid date and time.");
      return;
    }
    setError(undefined);
    void record.submit();
  }
  return (
    <form className="report-form" onSubmit={onSubmit} noValidate aria-label={`Record the ${label.toLowerCase()}`}>
      <div className="form-grid">
        <Field label="Submitted at" optional hint="Default: now." error={error ?? record.fieldError("submitted_at")}>
          {(c) => <input {...c} type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />}
        </Field>
        <Field label="Reference" optional hint="The reporting platform’s reference." error={record.fieldError("reference")}>
          {(c) => <input {...c} value={reference} onChange={(e) => setReference(e.target.value)} />}
        </Field>
      </div>
      <ProblemAlert error={record.error} shownFields={["submitted_at", "reference"]} title="Could not record the submission" />
      <button type="submit" className="button" disabled={record.busy}>
        {record.busy ? "Recording…" : "Record submission"}
      </button>
    </form>
  );
}

/**
 * The CRA Art. 14(2) reports of an actively exploited vulnerability: a copy-ready draft of each,
 * its clock, and when it was submitted (the single reporting platform has no API).
 */
export function ReportsSection({
  org,
  vuln,
  canEdit,
  onRecorded,
}: {
  org: string;
  vuln: VulnerabilityDetail;
  canEdit: boolean;
  onRecorded: () => void;
}) {
  const client = useQueryClient();
  const draftsKey = ["org", org, "vulnerability", vuln.id, "reports"];
  const drafts = useQuery({
    queryKey: draftsKey,
    queryFn: () => unwrap(adminApi.GET("/api/v1/orgs/{org}/vulnerabilities/{id}/reports", { params: { path: { org, id: vuln.id } } })),
    enabled: vuln.actively_exploited,
  });
  return (
    <section className="card" aria-labelledby="reports-heading">
      <h2 id="reports-heading" className="card-title">
        Reports to the authorities
      </h2>
      {!vuln.actively_exploited ? (
        <p className="muted">
          Reports through the EU single reporting platform are due only for actively exploited vulnerabilities (CRA Art.
          14(2)). Mark it actively exploited to start their clocks.
        </p>
      ) : (
        <Async resource={drafts} loadingLabel="Drafting the reports…">
          {(d) =>
            d && (
              <div className="reports">
                {REPORT_KINDS.map((k) => {
                  const clock = vuln.clocks.find((c) => c.name === k.value);
                  const done = d.reports.filter((r) => r.kind === k.value);
                  const text = d[k.value];
                  return (
                    <article key={k.value} className="report" aria-labelledby={`report-${k.value}`} data-report={k.value}>
                      <div className="row-between wrap">
                        <h3 id={`report-${k.value}`} className="subsection-title">
                          {k.label} {clock && <ClockBadge clock={clock} />}
                        </h3>
                        <CopyButton text={text} label="Copy draft" ariaLabel={`Copy the ${k.label.toLowerCase()} draft`} />
                      </div>
                      <p className="muted small">{k.hint}</p>
                      {done.length > 0 && (
                        <ul className="plain-list small">
                          {done.map((r, i) => (
                            <li key={i}>
                              <Badge tone="success">Submitted</Badge> {formatDateTime(r.submitted_at)}
                              {r.reference && (
                                <>
                                  {" "}
                                  · reference <span className="mono">{r.reference}</span>
                                </>
                              )}{" "}
                              <span className="muted">recorded by {r.recorded_by}</span>
                            </li>
                          ))}
                        </ul>
                      )}
                      <details className="raw-details">
                        <summary>Draft</summary>
                        <pre className="code-block report-draft">{text}</pre>
                      </details>
                      {canEdit && (
                        <RecordForm
                          org={org}
                          id={vuln.id}
                          kind={k.value}
                          label={k.label}
                          onRecorded={(next) => {
                            client.setQueryData(draftsKey, next);
                            onRecorded();
                          }}
                        />
                      )}
                    </article>
                  );
                })}
              </div>
            )
          }
        </Async>
      )}
    </section>
  );
}
