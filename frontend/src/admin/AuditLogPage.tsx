import { useEffect, useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { adminApi, unwrap } from "../api/client";
import { ACTION_LABELS, type AuditEvent, type AuditPage } from "../api/types";
import { saveBlob } from "../api/download";
import { useResource, useSubmit, useTitle } from "../hooks";
import { useOrg } from "./context";
import { PageHeader } from "../components/PageHeader";
import { Async, EmptyState } from "../components/States";
import { Badge, type Tone } from "../components/Badge";
import { Field } from "../components/Field";
import { ProblemAlert } from "../components/Alert";
import { formatDateTime, shortHash } from "../format";

const CATEGORIES = [
  { value: "", label: "All events" },
  { value: "portal", label: "Portal" },
  { value: "admin", label: "Admin" },
  { value: "auth", label: "Sign-in" },
  { value: "api", label: "API" },
];

const OUTCOME_TONE: Record<string, Tone> = { success: "success", denied: "warning", failed: "danger" };
const ACTOR_LABEL: Record<string, string> = {
  user: "Member",
  api_key: "API key",
  access_token: "Access token",
  anonymous: "Anonymous",
};

/** The audit log's rows: when, what, who, outcome, from where, on what. */
export function AuditTable({ org, events, caption }: { org: string; events: AuditEvent[]; caption: string }) {
  if (events.length === 0) return <EmptyState title="No events" />;
  return (
    <div className="table-wrap card card-flush">
      <table className="table" data-testid="audit-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Event</th>
            <th scope="col">Who</th>
            <th scope="col">Outcome</th>
            <th scope="col">Address</th>
            <th scope="col">Object</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id}>
              <td className="nowrap">{formatDateTime(e.occurred_at)}</td>
              <td>
                <div>{ACTION_LABELS[e.action] ?? e.action}</div>
                <div className="muted small mono">{e.action}</div>
              </td>
              <td>
                <div>{e.actor_name ?? "–"}</div>
                <div className="muted small">{ACTOR_LABEL[e.actor_type] ?? e.actor_type}</div>
              </td>
              <td>
                <Badge tone={OUTCOME_TONE[e.outcome] ?? "neutral"}>{e.outcome}</Badge>
              </td>
              <td className="mono small nowrap">{e.ip ?? "–"}</td>
              <td className="small">
                {e.artifact_id ? <Link to={`/admin/${org}/artifacts/${e.artifact_id}`}>Artifact</Link> : null}
                {e.sha256 && (
                  <div className="mono muted" title={e.sha256}>
                    sha256 {shortHash(e.sha256)}
                  </div>
                )}
                {!e.artifact_id && !e.sha256 && <span className="muted">–</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Settings › Audit Log: every action, filterable (e.g. the "portal" event type), exportable by admins. */
export function AuditLogPage() {
  useTitle("Audit Log");
  const { org, isAdmin } = useOrg();
  const [params, setParams] = useSearchParams();
  const category = params.get("category") ?? "";
  const outcome = params.get("outcome") ?? "";
  const action = params.get("action") ?? "";
  const [actionInput, setActionInput] = useState(action);
  useEffect(() => setActionInput(action), [action]);
  const [older, setOlder] = useState<AuditEvent[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);

  const query = {
    category: category || undefined,
    outcome: outcome || undefined,
    action: action || undefined,
  };
  // The document declares only the export's media type for 200, so the JSON page is typed here.
  const fetchPage = async (c?: string) =>
    (await unwrap(
      adminApi.GET("/api/v1/orgs/{org}/audit", {
        params: { path: { org: org.slug }, query: { ...query, limit: 50, cursor: c } },
        headers: { Accept: "application/json" },
      }),
    )) as unknown as AuditPage;

  const first = useResource(() => fetchPage(), [org.slug, category, outcome, action]);
  useEffect(() => {
    setOlder([]);
    setCursor(undefined);
  }, [first.data]);
  const next = cursor === undefined ? first.data?.next_cursor : cursor;

  const more = useSubmit(async () => {
    if (!next) return;
    const page = await fetchPage(next);
    setOlder((o) => [...o, ...page.events]);
    setCursor(page.next_cursor ?? null);
  });

  const exportCsv = useSubmit(async () => {
    const blob = (await unwrap(
      adminApi.GET("/api/v1/orgs/{org}/audit", {
        params: { path: { org: org.slug }, query: { ...query, format: "csv" } },
        parseAs: "blob",
      }),
    )) as unknown as Blob;
    saveBlob(blob, `audit-${org.slug}-${new Date().toISOString().slice(0, 10)}.csv`);
  });

  function set(name: string, value: string) {
    const p = new URLSearchParams(params);
    if (value) p.set(name, value);
    else p.delete(name);
    setParams(p, { replace: true });
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    set("action", actionInput.trim());
  }

  return (
    <>
      <PageHeader
        crumbs={[{ label: "Settings" }, { label: "Audit Log" }]}
        title="Audit Log"
        subtitle="Every sign-in, change, customer login and download, newest first."
        actions={
          isAdmin && (
            <button type="button" className="button" disabled={exportCsv.busy} onClick={() => void exportCsv.submit()}>
              {exportCsv.busy ? "Exporting…" : "Export CSV"}
            </button>
          )
        }
      />
      <ProblemAlert error={exportCsv.error} title="The export failed" />
      <form className="filters" onSubmit={onSubmit} role="search" aria-label="Filter the audit log">
        <Field label="Event type">
          {(c) => (
            <select {...c} value={category} onChange={(e) => set("category", e.target.value)}>
              {CATEGORIES.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Outcome">
          {(c) => (
            <select {...c} value={outcome} onChange={(e) => set("outcome", e.target.value)}>
              <option value="">Any outcome</option>
              <option value="success">Success</option>
              <option value="denied">Denied</option>
              <option value="failed">Failed</option>
            </select>
          )}
        </Field>
        <Field label="Action">
          {(c) => (
            <input
              {...c}
              className="mono"
              placeholder="portal.*"
              value={actionInput}
              onChange={(e) => setActionInput(e.target.value)}
            />
          )}
        </Field>
        <div className="filters-submit">
          <button type="submit" className="button">
            Filter
          </button>
        </div>
      </form>
      <Async resource={first} loadingLabel="Loading the audit log…">
        {(page) => (
          <>
            <AuditTable org={org.slug} events={[...page.events, ...older]} caption="Audit log" />
            <ProblemAlert error={more.error} />
            {next && (
              <div className="center">
                <button type="button" className="button" disabled={more.busy} onClick={() => void more.submit()}>
                  {more.busy ? "Loading…" : "Load older events"}
                </button>
              </div>
            )}
          </>
        )}
      </Async>
    </>
  );
}
