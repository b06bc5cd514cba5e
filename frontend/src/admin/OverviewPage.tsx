import type { ReactNode } from "react";
import { Link } from "react-router";
import { adminApi, unwrap } from "../api/client";
import { actionLabel, KIND_LABELS, type ActivityRef, type Overview, type OverviewVersion } from "../api/types";
import { useQuery, useTitle } from "../hooks";
import { useOrg } from "./context";
import { PageHeader } from "../components/PageHeader";
import { Async, EmptyState } from "../components/States";
import { Alert } from "../components/Alert";
import { Badge } from "../components/Badge";
import { TableScroll } from "../components/TableScroll";
import { formatDate, formatDateTime, formatRelative, plural } from "../format";
import { accessRequestsPath, artifactPath, productPath, renewalRequestsPath, tokenPath, versionPath } from "./links";

/** A count that opens the list behind it: a page of the console, or a section of this one (`#…`). */
function KpiLink({ label, value, to, note, attention }: { label: string; value: number; to: string; note?: string; attention?: boolean }) {
  const className = `kpi kpi-link${attention && value > 0 ? " kpi-attention" : ""}`;
  const body = (
    <>
      <span className="kpi-label">{label}</span>
      <span className="kpi-value">{value.toLocaleString("en-GB")}</span>
      {note && <span className="kpi-note small">{note}</span>}
    </>
  );
  return to.startsWith("#") ? (
    <a href={to} className={className}>
      {body}
    </a>
  ) : (
    <Link to={to} className={className}>
      {body}
    </Link>
  );
}

/** One bounded list of the overview: its items, "all good" when empty, and how many more there are. */
function ListCard({
  id,
  title,
  count,
  shown,
  empty,
  more,
  children,
}: {
  id: string;
  title: string;
  count: number;
  shown: number;
  empty: string;
  more?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="card overview-list" id={id} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="card-title">
        {title} {count > 0 && <Badge tone="warning">{count.toLocaleString("en-GB")}</Badge>}
      </h2>
      {count === 0 ? (
        <p className="overview-ok">
          <span aria-hidden="true">✓ </span>
          {empty}
        </p>
      ) : (
        <>
          <ul className="plain-list spaced">{children}</ul>
          {count > shown && (
            <p className="muted small overview-more">
              {plural(count - shown, "more")} not shown{more ? <> · {more}</> : "."}
            </p>
          )}
        </>
      )}
    </section>
  );
}

function VersionItem({ org, v, note }: { org: string; v: OverviewVersion; note?: ReactNode }) {
  return (
    <li className="row-between">
      <Link to={versionPath(org, v.product_slug, v.version)} className="strong-link">
        {v.product_name} <span className="mono">{v.version}</span>
      </Link>
      {note && <span className="muted small nowrap">{note}</span>}
    </li>
  );
}

/** A list of versions (one that needs something, or whose support ends), each with its note. */
function VersionListCard({
  org,
  versions,
  note,
  ...card
}: {
  org: string;
  id: string;
  title: string;
  count: number;
  empty: string;
  versions: OverviewVersion[];
  note: (v: OverviewVersion) => string | undefined;
}) {
  return (
    <ListCard {...card} shown={versions.length}>
      {versions.map((v) => (
        <VersionItem key={`${v.product_slug}/${v.version}`} org={org} v={v} note={note(v)} />
      ))}
    </ListCard>
  );
}

const released = (v: OverviewVersion) => (v.release_date ? `Released ${formatDate(v.release_date)}` : undefined);

/** What a customer's action was on: the product (its version) and the file, each opening its page. */
function ActivityObject({ org, e }: { org: string; e: ActivityRef }) {
  if (!e.product_name && !e.filename) return <span className="muted">–</span>;
  const product = e.product_name && (
    <>
      {e.product_name}
      {e.version && (
        <>
          {" "}
          <span className="mono">{e.version}</span>
        </>
      )}
    </>
  );
  return (
    <>
      {product &&
        (e.product_slug ? (
          <Link to={e.version ? versionPath(org, e.product_slug, e.version) : productPath(org, e.product_slug)}>{product}</Link>
        ) : (
          product
        ))}
      {e.filename && (
        <div className="muted break">
          {e.artifact_id ? <Link to={artifactPath(org, e.artifact_id)}>{e.filename}</Link> : e.filename}
        </div>
      )}
    </>
  );
}

function Activity({ org, events, linkTokens }: { org: string; events: ActivityRef[]; linkTokens: boolean }) {
  return (
    <TableScroll label="Latest customer activity">
      <table className="table table-compact" data-testid="recent-activity">
        <caption className="visually-hidden">Latest customer activity</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">What</th>
            <th scope="col">Who</th>
            <th scope="col">On</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e, i) => (
            <tr key={`${e.occurred_at}-${i}`}>
              <td className="nowrap" title={formatDateTime(e.occurred_at)}>
                {formatRelative(e.occurred_at)}
              </td>
              <td>
                {actionLabel(e.action)}
                {e.outcome !== "success" && (
                  <>
                    {" "}
                    <Badge tone={e.outcome === "failed" ? "danger" : "warning"}>{e.outcome}</Badge>
                  </>
                )}
              </td>
              <td>
                {e.actor_id && e.actor_name && linkTokens ? (
                  <Link to={tokenPath(org, e.actor_id)}>{e.actor_name}</Link>
                ) : (
                  (e.actor_name ?? <span className="muted">Anonymous visitor</span>)
                )}
              </td>
              <td className="small">
                <ActivityObject org={org} e={e} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function OverviewBody({ overview: o }: { overview: Overview }) {
  const { org, isAdmin } = useOrg();
  const base = `/admin/${org.slug}`;
  const c = o.counts;
  if (c.products === 0) {
    return (
      <EmptyState
        title="No products yet"
        action={
          <Link to={`${base}/products`} className="button button-primary">
            Go to Products
          </Link>
        }
      >
        Create a product, add a version and upload its SBOM: this page then shows what still needs doing.
      </EmptyState>
    );
  }
  const requests = isAdmin ? c.pending_access_requests + c.pending_renewals : 0;
  const attention =
    c.versions_without_sbom + c.versions_without_vex + c.drafts + c.open_vulnerabilities + c.support_ending + requests +
    (isAdmin ? c.tokens_expiring : 0);
  return (
    <>
      {attention === 0 ? (
        <Alert tone="success" polite title="All good">
          Nothing needs your attention: every supported version has a published SBOM and VEX, no drafts are waiting and
          no vulnerability is open.
        </Alert>
      ) : null}
      <section className="overview-kpis" aria-label="Needs attention">
        <KpiLink label="Versions without SBOM" value={c.versions_without_sbom} to="#without-sbom" attention note="Supported versions" />
        <KpiLink label="Versions without VEX" value={c.versions_without_vex} to="#without-vex" attention note="Supported versions" />
        <KpiLink label="Drafts waiting" value={c.drafts} to={`${base}/artifacts?status=draft`} attention note="Not yet published" />
        <KpiLink label="Open vulnerabilities" value={c.open_vulnerabilities} to={`${base}/vulnerabilities`} attention />
        {isAdmin && (
          <KpiLink
            label="Access requests"
            value={c.pending_access_requests}
            to={accessRequestsPath(org.slug, "pending")}
            attention
            note="Waiting for a decision"
          />
        )}
        {isAdmin && (
          <KpiLink label="Renewal requests" value={c.pending_renewals} to={renewalRequestsPath(org.slug)} attention note="Waiting for a decision" />
        )}
        {isAdmin && (
          <KpiLink label="Tokens expiring" value={c.tokens_expiring} to="#tokens-expiring" attention note="Within 30 days" />
        )}
        <KpiLink label="Support ending" value={c.support_ending} to="#support-ending" attention note="Within 90 days" />
      </section>
      <section className="overview-totals" aria-label="Catalogue">
        <KpiLink label="Products" value={c.products} to={`${base}/products`} note={plural(c.versions, "version")} />
        <KpiLink label="Published artifacts" value={c.published_artifacts} to={`${base}/artifacts?status=published`} />
        {isAdmin && <KpiLink label="Active access tokens" value={c.active_tokens} to={`${base}/settings/portal/tokens`} />}
      </section>
      <div className="grid-2">
        {[
          {
            id: "without-sbom",
            title: "Versions without a published SBOM",
            count: c.versions_without_sbom,
            versions: o.versions_without_sbom,
            empty: "All good: every supported version has a published SBOM.",
          },
          {
            id: "without-vex",
            title: "Versions without published VEX",
            count: c.versions_without_vex,
            versions: o.versions_without_vex,
            empty: "All good: every supported version has published VEX.",
          },
        ].map((list) => (
          <VersionListCard key={list.id} org={org.slug} note={released} {...list} />
        ))}
        <ListCard
          id="drafts"
          title="Drafts waiting to be published"
          count={c.drafts}
          shown={o.drafts.length}
          empty="All good: no drafts are waiting."
          more={<Link to={`${base}/artifacts?status=draft`}>See every draft</Link>}
        >
          {o.drafts.map((d) => (
            <li key={d.artifact_id} className="row-between">
              <span className="overview-item">
                <Link to={artifactPath(org.slug, d.artifact_id)} className="strong-link break">
                  {d.filename}
                </Link>
                <span className="muted small">
                  {KIND_LABELS[d.kind]} · {d.product_name} <span className="mono">{d.version}</span> · {d.uploaded_by}
                </span>
              </span>
              <span className="muted small nowrap" title={formatDateTime(d.uploaded_at)}>
                {formatRelative(d.uploaded_at)}
              </span>
            </li>
          ))}
        </ListCard>
        <VersionListCard
          id="support-ending"
          title="Support ending within 90 days"
          count={c.support_ending}
          versions={o.support_ending}
          empty="All good: no support period ends in the next 90 days."
          org={org.slug}
          note={(v) => (v.support_until ? `Until ${formatDate(v.support_until)}` : undefined)}
        />
        {isAdmin && (
          <ListCard
            id="tokens-expiring"
            title="Access tokens expiring within 30 days"
            count={c.tokens_expiring}
            shown={o.tokens_expiring.length}
            empty="All good: no access token expires in the next 30 days."
            more={<Link to={`${base}/settings/portal/tokens`}>See every token</Link>}
          >
            {o.tokens_expiring.map((t) => (
              <li key={t.id} className="row-between">
                <Link to={tokenPath(org.slug, t.id)} className="strong-link">
                  {t.name}
                </Link>
                <span className="muted small nowrap" title={formatDateTime(t.expires_at)}>
                  Expires {formatRelative(t.expires_at)}
                </span>
              </li>
            ))}
          </ListCard>
        )}
      </div>
      <section className="card" aria-labelledby="recent-activity-heading">
        <div className="row-between wrap">
          <h2 id="recent-activity-heading" className="card-title">
            Latest customer activity
          </h2>
          <Link to={`${base}/settings/audit-log?category=portal`} className="small">
            See the audit log
          </Link>
        </div>
        {o.recent_activity.length === 0 ? (
          <p className="muted">No customer has used the portal yet.</p>
        ) : (
          <Activity org={org.slug} events={o.recent_activity} linkTokens={isAdmin} />
        )}
      </section>
    </>
  );
}

/** The console's home: what needs attention, each item linked to where it is dealt with. */
export function OverviewPage() {
  useTitle("Overview");
  const { org } = useOrg();
  const overview = useQuery({
    queryKey: ["org", org.slug, "overview"],
    queryFn: () => unwrap(adminApi.GET("/api/v1/orgs/{org}/overview", { params: { path: { org: org.slug } } })),
    // Everything in the console changes it (a publication, a decision, a vulnerability closed…): the
    // cached overview shows at once and is asked for again on every visit.
    refetchOnMount: "always",
  });
  return (
    <>
      <PageHeader title="Overview" subtitle={`What needs attention in ${org.name}, and what customers did lately.`} />
      <Async resource={overview}>{(o) => <OverviewBody overview={o} />}</Async>
    </>
  );
}
