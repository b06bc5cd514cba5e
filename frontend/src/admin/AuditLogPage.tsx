import { Fragment, useContext, useId, useState, type ReactNode } from "react";
import { Link, useSearchParams } from "react-router";
import { adminApi, unwrap } from "../api/client";
import { ACTION_LABELS, actionLabel, type AuditEvent, type AuditPage } from "../api/types";
import { saveBlob } from "../api/download";
import { keepPreviousData, useInfiniteQuery, useQuery, useSubmit, useTitle } from "../hooks";
import { OrgContext, useOrg } from "./context";
import { accessRequestsPath, artifactPath, productPath, renewalRequestsPath, tokenPath, versionPath } from "./links";
import { PageHeader } from "../components/PageHeader";
import { Async, EmptyState } from "../components/States";
import { Badge, type Tone } from "../components/Badge";
import { Field } from "../components/Field";
import { Fact, FactList } from "../components/Facts";
import { CopyButton } from "../components/CopyButton";
import { CopyableHash } from "../components/Download";
import { ProblemAlert } from "../components/Alert";
import { LoadMore } from "../components/LoadMore";
import { BreakableEmail } from "../components/BreakableUrl";
import { cveUrl, describeUserAgent, formatBytes, formatDateTime, shortHash } from "../format";
import { TableScroll } from "../components/TableScroll";

/* ---------- What can be filtered on, in words ---------- */

/** The areas of the product (the API's `category`). */
export const CATEGORIES = [
  { value: "", label: "All areas" },
  { value: "portal", label: "Customer portal" },
  { value: "admin", label: "Admin" },
  { value: "auth", label: "Sign-in" },
  { value: "api", label: "API" },
];

interface Choice {
  value: string;
  label: string;
}

/**
 * The action filter's choices by area: "all of a kind" first (a prefix ending in `*`, as the API
 * takes it), then each action in words. Actions the console has words for but no area here land
 * in "Other", so none is ever missing from the list.
 */
export const ACTION_AREAS: { label: string; prefixes: Choice[]; codes: string[] }[] = [
  {
    label: "Customer portal",
    prefixes: [
      { value: "portal.*", label: "Anything in the Supplier Portal (customers and admins)" },
      { value: "portal.checklist.*", label: "All CRA checklist views and acknowledgements" },
    ],
    codes: [
      "portal.login",
      "portal.logout",
      "portal.product.view",
      "portal.changes.view",
      "portal.vex.view",
      "portal.sbom.download",
      "portal.vex.download",
      "portal.advisory.download",
      "portal.document.download",
      "portal.vulnerability.query",
      "portal.checklist.view",
      "portal.checklist.acknowledge",
      "portal.token.renewal.request",
      "portal.access.request",
    ],
  },
  {
    label: "Admin: Supplier Portal and access tokens",
    prefixes: [
      { value: "portal.token.*", label: "All access token actions (renewals included)" },
      { value: "portal.token.renewal.*", label: "All renewal requests and decisions" },
      { value: "portal.access.*", label: "All access requests and decisions" },
    ],
    codes: [
      "portal.token.create",
      "portal.token.update",
      "portal.token.revoke",
      "portal.token.renewal.decide",
      "portal.access.decide",
      "portal.settings.update",
      "portal.logo.update",
      "csaf.signing_key.rotate",
    ],
  },
  {
    label: "Admin: products, versions and artifacts",
    prefixes: [
      { value: "artifact.*", label: "All artifact actions" },
      { value: "product.*", label: "All product changes" },
      { value: "version.*", label: "All version changes" },
      { value: "checklist.*", label: "All CRA checklist changes" },
    ],
    codes: [
      "artifact.upload",
      "artifact.publish",
      "artifact.withdraw",
      "artifact.tlp.update",
      "artifact.link",
      "artifact.download",
      "product.create",
      "product.update",
      "product.delete",
      "version.create",
      "version.update",
      "checklist.update",
      "checklist.template.update",
    ],
  },
  {
    label: "Admin: vulnerabilities and notifications",
    prefixes: [
      { value: "vulnerability.*", label: "All vulnerability actions" },
      { value: "subscription.*", label: "All subscription changes" },
      { value: "notification.*", label: "All notification deliveries" },
    ],
    codes: [
      "vulnerability.create",
      "vulnerability.update",
      "vulnerability.assess",
      "vulnerability.publish",
      "vulnerability.report",
      "subscription.create",
      "subscription.delete",
      "notification.queued",
      "notification.sent",
      "notification.failed",
      "notification.dead",
      "notification.cancelled",
    ],
  },
  {
    label: "Admin: members, sign-in policy, API keys and the audit log",
    prefixes: [
      { value: "member.*", label: "All member changes (invitations and reset links included)" },
      { value: "api_key.*", label: "All API key changes" },
    ],
    codes: [
      "member.invite",
      "member.invitation.revoke",
      "member.create",
      "member.update",
      "member.delete",
      "member.reset_link",
      "org.sign_in_policy.update",
      "api_key.create",
      "api_key.revoke",
      "audit.export",
    ],
  },
  {
    label: "Sign-in and account",
    prefixes: [
      { value: "auth.*", label: "All sign-in and account security actions" },
      { value: "auth.totp.*", label: "Two-factor sign-in turned on or off" },
      { value: "auth.password.*", label: "All password changes and resets" },
    ],
    codes: [
      "auth.login",
      "auth.logout",
      "auth.logout_everywhere",
      "auth.session.revoke",
      "auth.password.change",
      "auth.password.reset_request",
      "auth.password.reset",
      "auth.totp.enable",
      "auth.totp.disable",
      "access.denied",
    ],
  },
];

/** Every action choice with words (prefixes included). */
function knownAction(value: string): boolean {
  return !!ACTION_LABELS[value] || ACTION_AREAS.some((a) => a.prefixes.some((p) => p.value === value));
}

/** Actions with words that no area lists (added to the labels later). */
function otherActions(): string[] {
  const listed = new Set(ACTION_AREAS.flatMap((a) => a.codes));
  return Object.keys(ACTION_LABELS)
    .filter((a) => !listed.has(a))
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

/** The filters the page keeps in its address (so a filtered view can be shared), as the API names them. */
const FILTER_PARAMS = ["category", "action", "actor", "customer", "outcome", "from", "to", "product", "artifact", "token"] as const;
type FilterName = (typeof FILTER_PARAMS)[number];
export type AuditFilters = Partial<Record<FilterName, string>>;

/** The Audit Log filtered, e.g. `{ customer: tokenId }` → everything about that customer. */
export function auditLogPath(org: string, filters: AuditFilters = {}): string {
  const p = new URLSearchParams();
  for (const name of FILTER_PARAMS) {
    const v = filters[name];
    if (v) p.set(name, v);
  }
  const qs = p.toString();
  return `/admin/${org}/settings/audit-log${qs ? `?${qs}` : ""}`;
}

/** The API's query for the filters in the address: calendar days become local-midnight instants. */
export function auditQuery(params: URLSearchParams) {
  const get = (name: FilterName) => params.get(name) || undefined;
  return {
    category: get("category"),
    action: get("action"),
    actor: get("actor"),
    customer: get("customer"),
    outcome: get("outcome"),
    product: get("product"),
    artifact: get("artifact"),
    token: get("token"),
    from: dayStart(params.get("from") ?? ""),
    to: dayEnd(params.get("to") ?? ""),
  };
}

/* ---------- The table ---------- */

const OUTCOME_TONE: Record<string, Tone> = { success: "success", denied: "warning", failed: "danger" };
const OUTCOME_LABEL: Record<string, string> = { success: "Success", denied: "Denied", failed: "Failed" };
const ACTOR_LABEL: Record<string, string> = {
  user: "Member",
  api_key: "API key",
  access_token: "Access token (customer)",
  anonymous: "Anonymous",
  system: "The server",
};

type AuditObject = NonNullable<AuditEvent["object"]>;

const OBJECT_KIND: Record<string, string> = {
  artifact: "Artifact",
  version: "Version",
  product: "Product",
  access_token: "Access token",
  member: "Member",
  api_key: "API key",
  access_request: "Access request",
  renewal_request: "Renewal request",
  vulnerability: "Vulnerability",
  tracked_vulnerability: "Vulnerability",
};

function detailsOf(e: AuditEvent): Record<string, unknown> | null {
  const d = e.details as unknown;
  return d && typeof d === "object" && !Array.isArray(d) ? (d as Record<string, unknown>) : null;
}

/**
 * What an event is about: the server names it; the vulnerability response loop's own steps
 * (which record the vulnerability, not an object) open the vulnerability's page.
 */
function objectOf(e: AuditEvent): AuditObject | null {
  if (e.object) return e.object;
  const tracked = detailsOf(e)?.vulnerability;
  if (typeof tracked === "string" && tracked) return { kind: "tracked_vulnerability", id: tracked, label: tracked };
  return null;
}

/** Where an object opens: a console page (some only for admins), cve.org for a CVE, or nowhere. */
export function objectHref(org: string, o: AuditObject, isAdmin: boolean): { href: string; external?: boolean } | null {
  switch (o.kind) {
    case "artifact":
      return { href: artifactPath(org, o.id) };
    case "version":
      return o.product_slug && o.version ? { href: versionPath(org, o.product_slug, o.version) } : null;
    case "product":
      return o.product_slug ? { href: productPath(org, o.product_slug) } : null;
    case "member":
      return { href: `/admin/${org}/settings/members` };
    case "access_token":
      return isAdmin ? { href: tokenPath(org, o.id) } : null;
    case "api_key":
      return isAdmin ? { href: `/admin/${org}/settings/api-keys` } : null;
    case "access_request":
      return isAdmin ? { href: accessRequestsPath(org) } : null;
    case "renewal_request":
      return isAdmin ? { href: renewalRequestsPath(org) } : null;
    case "tracked_vulnerability":
      return { href: `/admin/${org}/vulnerabilities/${encodeURIComponent(o.id)}` };
    case "vulnerability": {
      const url = cveUrl(o.label || o.id);
      return url ? { href: url, external: true } : null;
    }
    default:
      return null;
  }
}

function ObjectCell({ org, e, isAdmin }: { org: string; e: AuditEvent; isAdmin: boolean }) {
  const o = objectOf(e);
  if (!o && !e.sha256) return <span className="muted">–</span>;
  const link = o ? objectHref(org, o, isAdmin) : null;
  const mono = o?.kind === "vulnerability" || o?.kind === "tracked_vulnerability";
  const label = o ? <span className={mono ? "mono" : undefined}>{o.label}</span> : null;
  return (
    <>
      {o && (
        <div className="break">
          {link?.external ? (
            <a href={link.href} target="_blank" rel="noopener noreferrer">
              {label}
            </a>
          ) : link ? (
            <Link to={link.href}>{label}</Link>
          ) : (
            label
          )}
        </div>
      )}
      {o && (
        <div className="muted small">
          {OBJECT_KIND[o.kind] ?? o.kind}
          {o.kind === "artifact" && o.product_slug && o.version && ` · ${o.product_slug} ${o.version}`}
        </div>
      )}
      {e.sha256 && (
        <div className="muted small">
          <span className="mono nowrap" title={e.sha256}>
            sha256 {shortHash(e.sha256)}
          </span>{" "}
          <CopyButton
            text={e.sha256}
            className="link-button"
            ariaLabel={`Copy the SHA-256${o ? ` of ${o.label}` : ""}`}
          />
        </div>
      )}
    </>
  );
}

const DETAIL_KEYS: Record<string, string> = {
  filename: "File name",
  sha256: "SHA-256",
  size: "Size",
  size_bytes: "Size",
  tlp: "TLP",
  max_tlp: "Clearance",
  token_id: "Access token id",
  member_id: "Member id",
  api_key_id: "API key id",
  access_request_id: "Access request id",
  renewal_id: "Renewal request id",
  subscription_id: "Subscription id",
  acknowledgement_id: "Acknowledgement id",
  vulnerability_id: "Vulnerability",
  media_type: "Media type",
  nda_sha256: "NDA SHA-256",
  email: "E-mail",
  url: "URL",
};

/** `token_id` → "Token id", for keys without words of their own. */
function detailKey(key: string): string {
  if (DETAIL_KEYS[key]) return DETAIL_KEYS[key];
  const words = key.replace(/[_.-]+/g, " ").trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : key;
}

function DetailValue({ name, value }: { name?: string; value: unknown }): ReactNode {
  if (value === null || value === undefined) return <span className="muted">–</span>;
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (typeof value === "number") {
    return name === "size" || name === "size_bytes" ? formatBytes(value) : value.toLocaleString("en-GB");
  }
  if (typeof value === "string") {
    if (value === "") return <span className="muted">(empty)</span>;
    const mono = /(^|_)(id|sha256)$/.test(name ?? "") || /^[0-9a-f]{64}$/i.test(value);
    return <span className={mono ? "mono break" : "break"}>{value}</span>;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="muted">None</span>;
    if (value.every((v) => v === null || typeof v !== "object")) return value.map((v) => String(v)).join(", ");
    return (
      <ol className="plain-list">
        {value.map((v, i) => (
          <li key={i}>
            <DetailValue value={v} />
          </li>
        ))}
      </ol>
    );
  }
  if (typeof value === "object") return <DetailList value={value as Record<string, unknown>} />;
  return String(value);
}

/** An event's details (free-form JSON) as labelled values, nested objects as nested lists. */
function DetailList({ value }: { value: Record<string, unknown> }) {
  const entries = Object.entries(value);
  if (entries.length === 0) return <span className="muted">None</span>;
  return (
    <dl className="facts audit-detail-list">
      {entries.map(([k, v]) => (
        <div className="fact" key={k}>
          <dt>{detailKey(k)}</dt>
          <dd>
            <DetailValue name={k} value={v} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** The customer an event concerns (its actor, or the token it was about), for "all events of this customer". */
function customerOf(e: AuditEvent): string | null {
  if (e.actor_type === "access_token" && e.actor_id) return e.actor_id;
  if (e.object?.kind === "access_token") return e.object.id;
  const token = detailsOf(e)?.token_id;
  return typeof token === "string" && token ? token : null;
}

function EventDetails({ org, e, isAdmin, id }: { org: string; e: AuditEvent; isAdmin: boolean; id: string }) {
  const details = detailsOf(e);
  const customer = customerOf(e);
  return (
    <div id={id} className="audit-details" data-testid="audit-details">
      <FactList>
        <Fact label="Action">
          {actionLabel(e.action)} <code className="mono small muted">{e.action}</code>
        </Fact>
        <Fact label="Request id">
          {e.request_id ? (
            <span className="hash-row">
              <code className="mono break">{e.request_id}</code>
              <CopyButton text={e.request_id} className="button button-small" ariaLabel="Copy the request id" />
            </span>
          ) : (
            <span className="muted">Not recorded</span>
          )}
        </Fact>
        {isAdmin && <Fact label="IP address">{e.ip ? <span className="mono">{e.ip}</span> : <span className="muted">Not recorded</span>}</Fact>}
        {isAdmin && (
          <Fact label="User agent">
            {e.user_agent ? (
              <>
                {describeUserAgent(e.user_agent)}
                <div className="muted small mono break">{e.user_agent}</div>
              </>
            ) : (
              <span className="muted">Not recorded</span>
            )}
          </Fact>
        )}
        {e.sha256 && (
          <Fact label="SHA-256">
            <CopyableHash value={e.sha256} label="the full SHA-256" />
          </Fact>
        )}
        <Fact label="Event id">
          <span className="mono small">{e.id}</span>
        </Fact>
        <Fact label="Details">{details ? <DetailList value={details} /> : <span className="muted">None</span>}</Fact>
      </FactList>
      {isAdmin && customer && (
        <p className="small">
          <Link to={auditLogPath(org, { customer })}>All events of this customer</Link>
        </p>
      )}
    </div>
  );
}

/**
 * The audit log's rows: when, what, who, outcome, from where (admins), on what; each row opens
 * its details (request id, user agent, the recorded details).
 */
export function AuditTable({ org, events, caption }: { org: string; events: AuditEvent[]; caption: string }) {
  // Addresses, user agents and the admin-only pages (tokens, keys, requests) are for admins.
  const isAdmin = useContext(OrgContext)?.isAdmin ?? false;
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set());
  const idPrefix = useId();
  if (events.length === 0) return <EmptyState title="No events" />;
  const columns = isAdmin ? 7 : 6;
  const toggle = (id: string) =>
    setOpen((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <TableScroll label={caption} className="card card-flush">
      <table className="table audit-table" data-testid="audit-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Event</th>
            <th scope="col">Who</th>
            <th scope="col">Outcome</th>
            {isAdmin && <th scope="col">Address</th>}
            <th scope="col">Object</th>
            <th scope="col">
              <span className="visually-hidden">Details</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => {
            const expanded = open.has(e.id);
            const detailsId = `${idPrefix}-${e.id}`;
            return (
              <Fragment key={e.id}>
                <tr>
                  <td className="nowrap">{formatDateTime(e.occurred_at)}</td>
                  <td>{actionLabel(e.action)}</td>
                  <td>
                    <div>
                      {isAdmin && e.actor_type === "access_token" && e.actor_id ? (
                        <Link to={tokenPath(org, e.actor_id)}>{e.actor_name ?? "Access token"}</Link>
                      ) : e.actor_name ? (
                        <BreakableEmail text={e.actor_name} />
                      ) : (
                        "–"
                      )}
                    </div>
                    <div className="muted small">{ACTOR_LABEL[e.actor_type] ?? e.actor_type}</div>
                  </td>
                  <td>
                    <Badge tone={OUTCOME_TONE[e.outcome] ?? "neutral"}>{OUTCOME_LABEL[e.outcome] ?? e.outcome}</Badge>
                  </td>
                  {isAdmin && <td className="mono small nowrap">{e.ip ?? "–"}</td>}
                  <td className="small">
                    <ObjectCell org={org} e={e} isAdmin={isAdmin} />
                  </td>
                  <td className="nowrap">
                    <button
                      type="button"
                      className="button button-small"
                      aria-expanded={expanded}
                      aria-controls={expanded ? detailsId : undefined}
                      aria-label={`Details: ${actionLabel(e.action)}, ${formatDateTime(e.occurred_at)}`}
                      onClick={() => toggle(e.id)}
                    >
                      {expanded ? "Hide" : "Details"}
                    </button>
                  </td>
                </tr>
                {expanded && (
                  <tr className="audit-details-row">
                    <td colSpan={columns}>
                      <EventDetails org={org} e={e} isAdmin={isAdmin} id={detailsId} />
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}

/* ---------- The page ---------- */

const EXTRA_FILTERS: { name: FilterName; label: string }[] = [
  { name: "product", label: "product" },
  { name: "artifact", label: "artifact" },
  { name: "token", label: "access token (as actor)" },
];

/** Settings › Audit Log: every action, filtered in words, with each event's details; admins export exactly the filtered view. */
export function AuditLogPage() {
  useTitle("Audit Log");
  const { org, isAdmin } = useOrg();
  const [params, setParams] = useSearchParams();
  const category = params.get("category") ?? "";
  const outcome = params.get("outcome") ?? "";
  const action = params.get("action") ?? "";
  const actor = params.get("actor") ?? "";
  const customer = params.get("customer") ?? "";
  const from = params.get("from") ?? "";
  const to = params.get("to") ?? "";
  // A range that ends before it starts finds nothing (the API refuses it): said here instead.
  const rangeInvalid = !!(dayStart(from) && dayEnd(to) && from > to);

  // Who can be chosen as the actor: members (everyone may read them); tokens and keys for admins.
  const actors = useQuery({
    queryKey: ["org", org.slug, "audit", "actors", { isAdmin }],
    queryFn: async () => {
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
    },
  });

  const query = auditQuery(params);
  // The document declares only the export's media type for 200, so the JSON page is typed here.
  // Newest first, 50 at a time ("Load older events" follows the cursor). The log grows all the
  // time: it is asked again whenever it is shown.
  const log = useInfiniteQuery({
    queryKey: ["org", org.slug, "audit", query],
    queryFn: async ({ pageParam }) =>
      (await unwrap(
        adminApi.GET("/api/v1/orgs/{org}/audit", {
          params: { path: { org: org.slug }, query: { ...query, limit: 50, cursor: pageParam } },
          headers: { Accept: "application/json" },
        }),
      )) as unknown as AuditPage,
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
    placeholderData: keepPreviousData,
    staleTime: 0,
    enabled: !rangeInvalid,
  });

  // The export asks for exactly the filters on screen, in the chosen format (with the session's bearer token).
  const exportAs = (format: "csv" | "ndjson") => async () => {
    const blob = (await unwrap(
      adminApi.GET("/api/v1/orgs/{org}/audit", {
        params: { path: { org: org.slug }, query: { ...query, format } },
        headers: { Accept: format === "csv" ? "text/csv" : "application/x-ndjson" },
        parseAs: "blob",
      }),
    )) as unknown as Blob;
    saveBlob(blob, `audit-${org.slug}-${new Date().toISOString().slice(0, 10)}.${format}`);
  };
  const exportCsv = useSubmit(exportAs("csv"));
  const exportNdjson = useSubmit(exportAs("ndjson"));

  function set(name: FilterName, value: string) {
    const p = new URLSearchParams(params);
    if (value) p.set(name, value);
    else p.delete(name);
    setParams(p, { replace: true });
  }

  const filtered = FILTER_PARAMS.some((name) => !!params.get(name));
  const extras = EXTRA_FILTERS.filter((f) => !!params.get(f.name));
  const knownActors = actors.data ? [...actors.data.members, ...actors.data.tokens, ...actors.data.keys] : [];
  const others = otherActions();

  return (
    <>
      <PageHeader
        crumbs={[{ label: "Settings" }, { label: "Audit Log" }]}
        title="Audit Log"
        subtitle="Every sign-in, change, customer login and download, newest first. The export contains exactly the filtered events."
        actions={
          isAdmin && (
            <div className="button-row">
              <button
                type="button"
                className="button"
                disabled={exportCsv.busy || rangeInvalid}
                onClick={() => void exportCsv.submit()}
              >
                {exportCsv.busy ? "Exporting…" : "Export CSV"}
              </button>
              <button
                type="button"
                className="button"
                disabled={exportNdjson.busy || rangeInvalid}
                onClick={() => void exportNdjson.submit()}
              >
                {exportNdjson.busy ? "Exporting…" : "Export NDJSON"}
              </button>
            </div>
          )
        }
      />
      <ProblemAlert error={exportCsv.error ?? exportNdjson.error} title="The export failed" />
      <form className="filters" onSubmit={(e) => e.preventDefault()} role="search" aria-label="Filter the audit log">
        <Field label="Event type">
          {(c) => (
            <select {...c} value={category} onChange={(e) => set("category", e.target.value)}>
              {category && !CATEGORIES.some((o) => o.value === category) && <option value={category}>{category}</option>}
              {CATEGORIES.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Action">
          {(c) => (
            <select {...c} value={action} onChange={(e) => set("action", e.target.value)}>
              <option value="">Any action</option>
              {action && !knownAction(action) && <option value={action}>{action}</option>}
              {ACTION_AREAS.map((area) => (
                <optgroup key={area.label} label={area.label}>
                  {area.prefixes.map((p) => (
                    <option key={p.value} value={p.value}>
                      {p.label}
                    </option>
                  ))}
                  {area.codes.map((a) => (
                    <option key={a} value={a}>
                      {actionLabel(a)}
                    </option>
                  ))}
                </optgroup>
              ))}
              {others.length > 0 && (
                <optgroup label="Other">
                  {others.map((a) => (
                    <option key={a} value={a}>
                      {actionLabel(a)}
                    </option>
                  ))}
                </optgroup>
              )}
            </select>
          )}
        </Field>
        <Field label="Who">
          {(c) => (
            <select {...c} value={actor} onChange={(e) => set("actor", e.target.value)}>
              <option value="">Anyone</option>
              {actor && !knownActors.some((a) => a.id === actor) && <option value={actor}>{actor}</option>}
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
        {(isAdmin || customer) && (
          <Field label="Customer">
            {(c) => (
              <select
                {...c}
                value={customer}
                onChange={(e) => set("customer", e.target.value)}
                title="What the customer did, and what admins did to its access token"
              >
                <option value="">Any customer</option>
                {customer && !actors.data?.tokens.some((t) => t.id === customer) && <option value={customer}>{customer}</option>}
                {actors.data?.tokens.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field label="Outcome">
          {(c) => (
            <select {...c} value={outcome} onChange={(e) => set("outcome", e.target.value)}>
              <option value="">Any outcome</option>
              {outcome && !OUTCOME_LABEL[outcome] && <option value={outcome}>{outcome}</option>}
              {Object.entries(OUTCOME_LABEL).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="From">
          {(c) => <input {...c} type="date" value={from} max={to || undefined} onChange={(e) => set("from", e.target.value)} />}
        </Field>
        <Field label="To" error={rangeInvalid ? "Must not be before From" : undefined}>
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
      {extras.length > 0 && (
        <p className="muted small" data-testid="audit-extra-filters">
          Also limited to one {extras.map((f) => `${f.label} (${params.get(f.name)})`).join(" and one ")}.
        </p>
      )}
      {rangeInvalid ? (
        <EmptyState title="No events">The range ends before it starts: choose a “To” day on or after the “From” day.</EmptyState>
      ) : (
        <Async resource={log} loadingLabel="Loading the audit log…">
          {(pages) => (
            <>
              <AuditTable org={org.slug} events={pages.pages.flatMap((p) => p.events)} caption="Audit log" />
              <LoadMore query={log} label="Load older events" />
            </>
          )}
        </Async>
      )}
    </>
  );
}
