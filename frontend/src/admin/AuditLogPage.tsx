import { useEffect, useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { adminApi, unwrap } from "../api/client";
import { ACTION_LABELS, actionLabel, type AuditEvent, type AuditPage } from "../api/types";
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

/** The action filter's choices: every known action in words, grouped, with "all of a kind" first. */
const ACTION_GROUPS: { label: string; prefix: string; all: string }[] = [
  { label: "Customer portal", prefix: "portal.", all: "All customer portal actions" },
  { label: "Artifacts", prefix: "artifact.", all: "All artifact actions" },
  { label: "Products and versions", prefix: "product.|version.", all: "" },
  { label: "Members and sign-in", prefix: "member.|auth.", all: "" },
  { label: "Keys and settings", prefix: "api_key.|csaf.|audit.|checklist.", all: "" },
  { label: "Vulnerabilities and notifications", prefix: "vulnerability.|subscription.|notification.", all: "" },
];

function actionsOf(prefix: string): string[] {
  const prefixes = prefix.split("|");
  return Object.keys(ACTION_LABELS)
    .filter((a) => prefixes.some((p) => a.startsWith(p)))
    .sort((a, b) => actionLabel(a).localeCompare(actionLabel(b)));
}

/** `2025-05-01` (a local calendar day) → the RFC 3339 instant it starts at. */
export function dayStart(day: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const d = new Date(`${day}T00:00:00`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** The exclusive upper bound for "up to and including `day`": the start of the next day. */
export function dayEnd(day: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const d = new Date(`${day}T00:00:00`);
  if (Number.isNaN(d.getTime())) return undefined;
  d.setDate(d.getDate() + 1);
  return d.toISOString();
}

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
                <div>{actionLabel(e.action)}</div>
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
  const actor = params.get("actor") ?? "";
  const from = params.get("from") ?? "";
  const to = params.get("to") ?? "";
  // Who can be chosen as the actor: members (everyone may read them); tokens and keys for admins.
  const actors = useResource(async () => {
    const path = { params: { path: { org: org.slug } } };
    const [members, tokens, keys] = await Promise.all([
      unwrap(adminApi.GET("/api/v1/orgs/{org}/members", path)).catch(() => []),
      isAdmin ? unwrap(adminApi.GET("/api/v1/orgs/{org}/portal/tokens", path)).catch(() => []) : Promise.resolve([]),
      isAdmin ? unwrap(adminApi.GET("/api/v1/orgs/{org}/api-keys", path)).catch(() => []) : Promise.resolve([]),
    ]);
    return {
      members: members.map((m) => ({ id: m.user_id, label: `${m.display_name} (${m.email})` })),
      tokens: tokens.map((t) => ({ id: t.id, label: t.status === "active" ? t.name : `${t.name} (${t.status})` })),
      keys: keys.map((k) => ({ id: k.id, label: k.status === "active" ? k.name : `${k.name} (${k.status})` })),
    };
  }, [org.slug, isAdmin]);
  const [older, setOlder] = useState<AuditEvent[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);

  const query = {
    category: category || undefined,
    outcome: outcome || undefined,
    action: action || undefined,
    actor: actor || undefined,
    from: dayStart(from),
    to: dayEnd(to),
  };
  // The document declares only the export's media type for 200, so the JSON page is typed here.
  const fetchPage = async (c?: string) =>
    (await unwrap(
      adminApi.GET("/api/v1/orgs/{org}/audit", {
        params: { path: { org: org.slug }, query: { ...query, limit: 50, cursor: c } },
        headers: { Accept: "application/json" },
      }),
    )) as unknown as AuditPage;

  const first = useResource(() => fetchPage(), [org.slug, category, outcome, action, actor, from, to]);
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
  }
  const filtered = !!(category || outcome || action || actor || from || to);
  const knownActors = actors.data ? [...actors.data.members, ...actors.data.tokens, ...actors.data.keys] : [];

  return (
    <>
      <PageHeader
        crumbs={[{ label: "Settings" }, { label: "Audit Log" }]}
        title="Audit Log"
        subtitle="Every sign-in, change, customer login and download, newest first. The export contains exactly the filtered events."
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
            <select {...c} value={action} onChange={(e) => set("action", e.target.value)}>
              <option value="">Any action</option>
              {action && !ACTION_LABELS[action] && !ACTION_GROUPS.some((g) => g.all && `${g.prefix}*` === action) && (
                <option value={action}>{action}</option>
              )}
              {ACTION_GROUPS.map((g) => (
                <optgroup key={g.label} label={g.label}>
                  {g.all && <option value={`${g.prefix}*`}>{g.all}</option>}
                  {actionsOf(g.prefix).map((a) => (
                    <option key={a} value={a}>
                      {actionLabel(a)}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          )}
        </Field>
        <Field label="Who">
          {(c) => (
            <select {...c} value={actor} onChange={(e) => set("actor", e.target.value)}>
              <option value="">Anyone</option>
              {actor && actors.data && !knownActors.some((a) => a.id === actor) && <option value={actor}>{actor}</option>}
              {(actors.data?.members.length ?? 0) > 0 && (
                <optgroup label="Members">
                  {actors.data!.members.map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.label}
                    </option>
                  ))}
                </optgroup>
              )}
              {(actors.data?.tokens.length ?? 0) > 0 && (
                <optgroup label="Access tokens (customers)">
                  {actors.data!.tokens.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.label}
                    </option>
                  ))}
                </optgroup>
              )}
              {(actors.data?.keys.length ?? 0) > 0 && (
                <optgroup label="API keys">
                  {actors.data!.keys.map((k) => (
                    <option key={k.id} value={k.id}>
                      {k.label}
                    </option>
                  ))}
                </optgroup>
              )}
            </select>
          )}
        </Field>
        <Field label="From">
          {(c) => <input {...c} type="date" value={from} max={to || undefined} onChange={(e) => set("from", e.target.value)} />}
        </Field>
        <Field label="To">
          {(c) => <input {...c} type="date" value={to} min={from || undefined} onChange={(e) => set("to", e.target.value)} />}
        </Field>
        {filtered && (
          <div className="filters-submit">
            <button type="button" className="button" onClick={() => setParams(new URLSearchParams(), { replace: true })}>
              Clear filters
            </button>
          </div>
        )}
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
