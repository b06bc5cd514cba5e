import { useState, type FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { adminApi, unwrap } from "../../api/client";
import { SEVERITIES, type CreateVulnerability, type Severity } from "../../api/types";
import { keepPreviousData, useInvalidate, useQuery, useSubmit, useTitle } from "../../hooks";
import { useOrg } from "../context";
import { PageHeader } from "../../components/PageHeader";
import { Async, EmptyState } from "../../components/States";
import { SeverityBadge, StatusBadge } from "../../components/Badge";
import { Checkbox, Field } from "../../components/Field";
import { Dialog } from "../../components/Dialog";
import { ProblemAlert } from "../../components/Alert";
import { TableScroll } from "../../components/TableScroll";
import { formatDateTime } from "../../format";
import { ClockList, CountsLine, ExploitedBadge, fromLocalInput } from "./shared";

const FIELDS = ["id", "title", "description", "severity", "cvss_v3_vector", "actively_exploited", "aware_at", "aliases"];

/** "CVE-1, GHSA-2" → ["CVE-1", "GHSA-2"]. */
export function parseAliases(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((a) => a.trim())
    .filter(Boolean);
}

/** "Track a vulnerability": its id, what it is, how bad, and since when we know. */
export function TrackVulnerabilityDialog({ org, onClose, onCreated }: { org: string; onClose: () => void; onCreated: (id: string) => void }) {
  const [id, setId] = useState("");
  const [aliases, setAliases] = useState("");
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [severity, setSeverity] = useState<Severity>("high");
  const [cvss, setCvss] = useState("");
  const [exploited, setExploited] = useState(false);
  const [awareAt, setAwareAt] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const invalidate = useInvalidate();
  const create = useSubmit(async (body: CreateVulnerability) => {
    const v = await unwrap(adminApi.POST("/api/v1/orgs/{org}/vulnerabilities", { params: { path: { org } }, body }));
    invalidate(["org", org, "vulnerabilities"]);
    onCreated(v.id);
  });
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!id.trim()) errs.id = "Enter the vulnerability’s id, like CVE-2026-1234.";
    if (!title.trim()) errs.title = "Enter a short title.";
    if (awareAt && !fromLocalInput(awareAt)) errs.aware_at = "Enter a valid date and time.";
    setErrors(errs);
    if (Object.keys(errs).length > 0) return;
    const body: CreateVulnerability = {
      id: id.trim(),
      title: title.trim(),
      description: description.trim(),
      severity,
      actively_exploited: exploited,
    };
    const al = parseAliases(aliases);
    if (al.length > 0) body.aliases = al;
    if (cvss.trim()) body.cvss_v3_vector = cvss.trim();
    const aware = fromLocalInput(awareAt);
    if (aware) body.aware_at = aware;
    void create.submit(body);
  }
  const err = (name: string) => errors[name] ?? create.fieldError(name);
  return (
    <Dialog
      title="Track a vulnerability"
      onClose={onClose}
      dismissible={!create.busy}
      size="large"
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={create.busy}>
            Cancel
          </button>
          <button type="submit" form="track-vulnerability-form" className="button button-primary" disabled={create.busy}>
            {create.busy ? "Saving…" : "Track vulnerability"}
          </button>
        </>
      }
    >
      <form id="track-vulnerability-form" onSubmit={onSubmit} noValidate>
        <div className="form-grid">
          <Field label="ID" hint="CVE, GHSA or your own id." error={err("id")}>
            {(c) => (
              <input {...c} name="id" className="mono" data-autofocus required placeholder="CVE-2026-1234" value={id} onChange={(e) => setId(e.target.value)} />
            )}
          </Field>
          <Field label="Aliases" optional hint="Other ids of the same vulnerability, separated by commas." error={err("aliases")}>
            {(c) => <input {...c} name="aliases" className="mono" value={aliases} onChange={(e) => setAliases(e.target.value)} />}
          </Field>
        </div>
        <Field label="Title" error={err("title")}>
          {(c) => <input {...c} name="title" required value={title} onChange={(e) => setTitle(e.target.value)} />}
        </Field>
        <Field label="Description" optional error={err("description")}>
          {(c) => <textarea {...c} name="description" rows={3} value={description} onChange={(e) => setDescription(e.target.value)} />}
        </Field>
        <div className="form-grid">
          <Field label="Severity" error={err("severity")}>
            {(c) => (
              <select {...c} name="severity" value={severity} onChange={(e) => setSeverity(e.target.value as Severity)}>
                {SEVERITIES.map((s) => (
                  <option key={s.value} value={s.value}>
                    {s.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="CVSS v3 vector" optional error={err("cvss_v3_vector")}>
            {(c) => (
              <input
                {...c}
                name="cvss_v3_vector"
                className="mono"
                placeholder="CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
                value={cvss}
                onChange={(e) => setCvss(e.target.value)}
              />
            )}
          </Field>
        </div>
        <Field label="Aware since" optional hint="When you became aware of it; the clocks start here (default: now)." error={err("aware_at")}>
          {(c) => <input {...c} type="datetime-local" name="aware_at" value={awareAt} onChange={(e) => setAwareAt(e.target.value)} />}
        </Field>
        <Checkbox
          label="Actively exploited"
          hint="Starts the CRA Art. 14 reporting clocks: early warning in 24 h, notification in 72 h, final report 14 days after a fix."
          checked={exploited}
          onChange={setExploited}
        />
        <ProblemAlert error={create.error} shownFields={FIELDS} title="Could not track the vulnerability" />
      </form>
    </Dialog>
  );
}

export function VulnerabilitiesPage() {
  useTitle("Vulnerabilities");
  const { org, canPublish } = useOrg();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const show = params.get("show") ?? "open";
  const product = params.get("product") ?? "";
  const [tracking, setTracking] = useState(false);

  const products = useQuery({
    queryKey: ["org", org.slug, "products", {}],
    queryFn: () => unwrap(adminApi.GET("/api/v1/orgs/{org}/products", { params: { path: { org: org.slug } } })),
  });
  const query = {
    open: show === "open" ? true : show === "closed" ? false : undefined,
    overdue: show === "overdue" ? true : undefined,
    product: product || undefined,
  };
  const list = useQuery({
    queryKey: ["org", org.slug, "vulnerabilities", query],
    queryFn: () => unwrap(adminApi.GET("/api/v1/orgs/{org}/vulnerabilities", { params: { path: { org: org.slug }, query } })),
    placeholderData: keepPreviousData,
  });

  function set(name: string, value: string) {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  }

  const trackButton = canPublish && (
    <button type="button" className="button button-primary" onClick={() => setTracking(true)}>
      Track a vulnerability
    </button>
  );

  return (
    <>
      <PageHeader
        title="Vulnerabilities"
        subtitle="Triage, VEX, the customers who received each version, and the clocks: customers notified, critical ones fixed, CRA reports."
        actions={trackButton}
      />
      <div className="filters" role="group" aria-label="Filters">
        <Field label="Show">
          {(c) => (
            <select {...c} value={show} onChange={(e) => set("show", e.target.value === "open" ? "" : e.target.value)}>
              <option value="open">Open</option>
              <option value="overdue">Overdue</option>
              <option value="closed">Closed</option>
              <option value="all">All</option>
            </select>
          )}
        </Field>
        <Field label="Product">
          {(c) => (
            <select {...c} value={product} onChange={(e) => set("product", e.target.value)}>
              <option value="">All products</option>
              {products.data?.map((p) => (
                <option key={p.id} value={p.slug}>
                  {p.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Async resource={list}>
        {(vulns) =>
          vulns.length === 0 ? (
            <EmptyState
              title={show === "open" && !product ? "No open vulnerabilities" : "Nothing matches these filters"}
              action={show === "open" && !product ? trackButton : undefined}
            >
              Track a vulnerability as soon as you are aware of it: the clocks start then.
            </EmptyState>
          ) : (
            <TableScroll label="Vulnerabilities" className="card card-flush">
              <table className="table" data-testid="vulnerabilities">
                <caption className="visually-hidden">Vulnerabilities</caption>
                <thead>
                  <tr>
                    <th scope="col">Vulnerability</th>
                    <th scope="col">Severity</th>
                    <th scope="col">Versions</th>
                    <th scope="col">Clocks</th>
                    <th scope="col">Aware since</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {vulns.map((v) => (
                    <tr key={v.id} className={v.open ? undefined : "row-muted"}>
                      <td>
                        <Link to={encodeURIComponent(v.id)} className="strong-link mono">
                          {v.id}
                        </Link>
                        <div className="small">{v.title}</div>
                        {v.actively_exploited && <ExploitedBadge />}
                      </td>
                      <td>
                        <SeverityBadge severity={v.severity} />
                      </td>
                      <td>
                        <CountsLine counts={v.counts} />
                      </td>
                      <td>
                        <ClockList clocks={v.clocks} compact />
                      </td>
                      <td className="nowrap">{formatDateTime(v.aware_at)}</td>
                      <td>
                        <div className="badge-row">
                          <StatusBadge status={v.open ? "open" : "closed"} />
                          {v.revision > 0 ? (
                            <span className="muted small">published rev. {v.revision}</span>
                          ) : (
                            <span className="muted small">not published</span>
                          )}
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )
        }
      </Async>
      {tracking && (
        <TrackVulnerabilityDialog
          org={org.slug}
          onClose={() => setTracking(false)}
          onCreated={(id) => {
            setTracking(false);
            navigate(`/admin/${org.slug}/vulnerabilities/${encodeURIComponent(id)}`);
          }}
        />
      )}
    </>
  );
}
