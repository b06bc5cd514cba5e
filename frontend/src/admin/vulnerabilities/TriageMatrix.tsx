import { useEffect, useMemo, useState } from "react";
import { Link } from "react-router";
import { adminApi, unwrap } from "../../api/client";
import {
  ASSESSMENT_STATUSES,
  JUSTIFICATIONS,
  type AssessmentInput,
  type AssessmentStatus,
  type AssessmentView,
  type Justification,
  type ProductDetail,
  type VulnerabilityDetail,
} from "../../api/types";
import { useQuery, useSubmit } from "../../hooks";
import { Async, EmptyState } from "../../components/States";
import { StatusBadge } from "../../components/Badge";
import { ProblemAlert } from "../../components/Alert";
import { TableScroll } from "../../components/TableScroll";
import { formatDateTime } from "../../format";

export interface Draft {
  status: AssessmentStatus | "";
  justification: Justification | "";
  impact: string;
  action: string;
  fixedIn: string;
}

const EMPTY: Draft = { status: "", justification: "", impact: "", action: "", fixedIn: "" };

export function keyOf(product: string, version: string): string {
  return `${product}\u0000${version}`;
}

/** The matrix's starting point: the triage (editable) assessments, by product and version. */
export function draftsOf(assessments: AssessmentView[]): Record<string, Draft> {
  const out: Record<string, Draft> = {};
  for (const a of assessments) {
    if (a.read_only) continue;
    out[keyOf(a.product, a.version)] = {
      status: a.status,
      justification: a.justification ?? "",
      impact: a.impact_statement ?? "",
      action: a.action_statement ?? "",
      fixedIn: a.fixed_in ?? "",
    };
  }
  return out;
}

/** What a row's status asks for, or null when the row is complete. */
export function draftProblem(d: Draft): string | null {
  if (d.status === "not_affected" && !d.justification && !d.impact.trim()) {
    return "Give a justification or an impact statement.";
  }
  if (d.status === "affected" && !d.action.trim() && !d.fixedIn.trim()) {
    return "Say what customers should do, or the version that fixes it.";
  }
  return null;
}

/** The PUT body: every assessed row, with only the fields its status uses. */
export function assessmentsBody(drafts: Record<string, Draft>, rows: { product: string; version: string }[]): AssessmentInput[] {
  const out: AssessmentInput[] = [];
  for (const r of rows) {
    const d = drafts[keyOf(r.product, r.version)];
    if (!d || !d.status) continue;
    const a: AssessmentInput = { product: r.product, version: r.version, status: d.status };
    if (d.status === "not_affected") {
      if (d.justification) a.justification = d.justification;
      if (d.impact.trim()) a.impact_statement = d.impact.trim();
    }
    if (d.status === "affected") {
      if (d.action.trim()) a.action_statement = d.action.trim();
      if (d.fixedIn.trim()) a.fixed_in = d.fixedIn.trim();
      if (d.impact.trim()) a.impact_statement = d.impact.trim();
    }
    if (d.status === "fixed" && d.fixedIn.trim()) a.fixed_in = d.fixedIn.trim();
    out.push(a);
  }
  return out;
}

interface Row {
  product: string;
  productName: string;
  version: string;
}

/** Every version of every product in the catalogue (archived products only when already assessed). */
function catalogueRows(products: ProductDetail[], assessments: AssessmentView[]): Row[] {
  const rows: Row[] = [];
  const seen = new Set<string>();
  for (const p of products) {
    const assessed = assessments.some((a) => a.product === p.slug);
    if (p.archived && !assessed) continue;
    for (const v of p.versions) {
      rows.push({ product: p.slug, productName: p.name, version: v.version });
      seen.add(keyOf(p.slug, v.version));
    }
  }
  // Assessed versions the catalogue no longer lists stay visible.
  for (const a of assessments) {
    const k = keyOf(a.product, a.version);
    if (!seen.has(k)) {
      seen.add(k);
      rows.push({ product: a.product, productName: a.product_name, version: a.version });
    }
  }
  return rows;
}

function DraftFields({ draft, label, onChange, disabled }: { draft: Draft; label: string; onChange: (d: Draft) => void; disabled: boolean }) {
  const set = (patch: Partial<Draft>) => onChange({ ...draft, ...patch });
  if (draft.status === "not_affected") {
    return (
      <div className="triage-fields">
        <select
          aria-label={`Justification for ${label}`}
          value={draft.justification}
          disabled={disabled}
          onChange={(e) => set({ justification: e.target.value as Justification | "" })}
        >
          <option value="">No justification</option>
          {JUSTIFICATIONS.map((j) => (
            <option key={j.value} value={j.value}>
              {j.label}
            </option>
          ))}
        </select>
        <input
          aria-label={`Impact statement for ${label}`}
          placeholder="Impact statement"
          value={draft.impact}
          disabled={disabled}
          onChange={(e) => set({ impact: e.target.value })}
        />
      </div>
    );
  }
  if (draft.status === "affected") {
    return (
      <div className="triage-fields">
        <input
          aria-label={`Action statement for ${label}`}
          placeholder="What customers should do"
          value={draft.action}
          disabled={disabled}
          onChange={(e) => set({ action: e.target.value })}
        />
        <input
          aria-label={`Fixed in (version) for ${label}`}
          placeholder="Fixed in version"
          className="mono"
          value={draft.fixedIn}
          disabled={disabled}
          onChange={(e) => set({ fixedIn: e.target.value })}
        />
        <input
          aria-label={`Impact statement for ${label}`}
          placeholder="Impact statement (optional)"
          value={draft.impact}
          disabled={disabled}
          onChange={(e) => set({ impact: e.target.value })}
        />
      </div>
    );
  }
  if (draft.status === "fixed") {
    return (
      <div className="triage-fields">
        <input
          aria-label={`Fixed in (version) for ${label}`}
          placeholder="Fixed in version (optional)"
          className="mono"
          value={draft.fixedIn}
          disabled={disabled}
          onChange={(e) => set({ fixedIn: e.target.value })}
        />
      </div>
    );
  }
  return null;
}

function ReadOnlyRow({ org, a }: { org: string; a: AssessmentView }) {
  const src = a.source;
  return (
    <tr className="row-muted triage-vex" data-testid="vex-assessment">
      <td />
      <td />
      <td>
        <StatusBadge status={a.status} />
      </td>
      <td className="small">
        {a.justification && <div>{JUSTIFICATIONS.find((j) => j.value === a.justification)?.label ?? a.justification}</div>}
        {a.impact_statement && <div>{a.impact_statement}</div>}
        {a.action_statement && <div>{a.action_statement}</div>}
        {a.fixed_in && <div>Fixed in {a.fixed_in}</div>}
        <div className="muted">
          Read-only, from VEX{" "}
          {src.type === "vex_document" ? (
            <Link to={`/admin/${org}/artifacts/${src.artifact_id}`} className="mono">
              {src.filename}
            </Link>
          ) : (
            "triage"
          )}
        </div>
      </td>
    </tr>
  );
}

/** Products × versions: each version's status and what its status asks for. */
export function TriageMatrix({
  org,
  vuln,
  canEdit,
  onSaved,
}: {
  org: string;
  vuln: VulnerabilityDetail;
  canEdit: boolean;
  onSaved: (v: VulnerabilityDetail) => void;
}) {
  // Every product with its versions (invalidated with the product lists).
  const catalogue = useQuery({
    queryKey: ["org", org, "products", "catalogue"],
    queryFn: async () => {
      const list = await unwrap(adminApi.GET("/api/v1/orgs/{org}/products", { params: { path: { org } } }));
      return Promise.all(
        list.map((p) => unwrap(adminApi.GET("/api/v1/orgs/{org}/products/{product}", { params: { path: { org, product: p.slug } } }))),
      );
    },
  });
  const [drafts, setDrafts] = useState<Record<string, Draft>>(() => draftsOf(vuln.assessments));
  const [dirty, setDirty] = useState(false);
  const [saved, setSaved] = useState(false);
  const [shown, setShown] = useState(false);
  useEffect(() => {
    setDrafts(draftsOf(vuln.assessments));
    setDirty(false);
  }, [vuln.assessments]);
  const rows = useMemo(() => catalogueRows(catalogue.data ?? [], vuln.assessments), [catalogue.data, vuln.assessments]);

  const save = useSubmit(async (body: AssessmentInput[]) => {
    const v = await unwrap(
      adminApi.PUT("/api/v1/orgs/{org}/vulnerabilities/{id}/assessments", { params: { path: { org, id: vuln.id } }, body }),
    );
    onSaved(v);
    setSaved(true);
  });

  function update(k: string, d: Draft) {
    setDrafts((all) => ({ ...all, [k]: d }));
    setDirty(true);
    setSaved(false);
  }

  const incomplete = rows.filter((r) => {
    const d = drafts[keyOf(r.product, r.version)];
    return d && draftProblem(d);
  });

  return (
    <section className="card" aria-labelledby="triage-heading">
      <div className="row-between wrap">
        <h2 id="triage-heading" className="card-title">
          Triage
        </h2>
        {canEdit && (
          <div className="actions">
            <span role="status" aria-live="polite" className="small">
              {saved ? <span className="ok">Saved</span> : dirty ? <span className="text-warning">Unsaved changes</span> : ""}
            </span>
            <button
              type="button"
              className="button button-primary"
              disabled={save.busy}
              onClick={() => {
                setShown(true);
                if (incomplete.length > 0) return;
                void save.submit(assessmentsBody(drafts, rows));
              }}
            >
              {save.busy ? "Saving…" : "Save triage"}
            </button>
          </div>
        )}
      </div>
      <p className="muted small">
        One status per version. <em>Not affected</em> needs a justification or an impact statement; <em>affected</em> needs
        an action statement or the version that fixes it. Statements of uploaded VEX documents are shown read-only.
      </p>
      {shown && incomplete.length > 0 && (
        <p className="field-error" role="alert">
          {incomplete.length === 1 ? "One version needs" : `${incomplete.length} versions need`} more detail:{" "}
          {incomplete.map((r) => `${r.productName} ${r.version}`).join(", ")}.
        </p>
      )}
      <Async resource={catalogue} loadingLabel="Loading the catalogue…">
        {() =>
          rows.length === 0 ? (
            <EmptyState title="No versions yet">Create products and versions in the catalogue to assess them.</EmptyState>
          ) : (
            <TableScroll label="Triage">
              <table className="table table-compact triage" data-testid="triage">
                <caption className="visually-hidden">Triage matrix</caption>
                <thead>
                  <tr>
                    <th scope="col">Product</th>
                    <th scope="col">Version</th>
                    <th scope="col">Status</th>
                    <th scope="col">Details</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r, i) => {
                    const k = keyOf(r.product, r.version);
                    const d = drafts[k] ?? EMPTY;
                    const label = `${r.productName} ${r.version}`;
                    const first = i === 0 || rows[i - 1]!.product !== r.product;
                    const vex = vuln.assessments.filter((a) => a.read_only && a.product === r.product && a.version === r.version);
                    const triage = vuln.assessments.find((a) => !a.read_only && a.product === r.product && a.version === r.version);
                    const problem = shown ? draftProblem(d) : null;
                    return [
                      <tr key={k} data-row={label} className={problem ? "row-invalid" : undefined}>
                        <th scope="row" className={first ? undefined : "muted"}>
                          {first ? r.productName : <span className="visually-hidden">{r.productName}</span>}
                        </th>
                        <td className="mono">{r.version}</td>
                        <td>
                          {canEdit ? (
                            <select
                              aria-label={`Status of ${label}`}
                              value={d.status}
                              onChange={(e) => update(k, { ...d, status: e.target.value as AssessmentStatus | "" })}
                            >
                              <option value="">Not assessed</option>
                              {ASSESSMENT_STATUSES.map((s) => (
                                <option key={s.value} value={s.value}>
                                  {s.label}
                                </option>
                              ))}
                            </select>
                          ) : d.status ? (
                            <StatusBadge status={d.status} />
                          ) : (
                            <span className="muted">Not assessed</span>
                          )}
                        </td>
                        <td>
                          <DraftFields draft={d} label={label} onChange={(n) => update(k, n)} disabled={!canEdit} />
                          {problem && <p className="field-error small">{problem}</p>}
                          {triage?.updated_at && triage.source.type === "triage" && (
                            <div className="muted small">
                              {triage.source.updated_by} · {formatDateTime(triage.updated_at)}
                            </div>
                          )}
                        </td>
                      </tr>,
                      ...vex.map((a, j) => <ReadOnlyRow key={`${k}-vex-${j}`} org={org} a={a} />),
                    ];
                  })}
                </tbody>
              </table>
            </TableScroll>
          )
        }
      </Async>
      <ProblemAlert error={save.error} title="Could not save the triage" />
    </section>
  );
}
