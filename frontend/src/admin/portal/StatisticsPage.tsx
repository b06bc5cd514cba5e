import { Link, useSearchParams } from "react-router";
import { adminApi, unwrap } from "../../api/client";
import type { DownloadCounts, PortalStats } from "../../api/types";
import { StatusBadge } from "../../components/Badge";
import { keepPreviousData, useQuery, useTitle } from "../../hooks";
import { useOrg } from "../context";
import { PageHeader } from "../../components/PageHeader";
import { Async, EmptyState } from "../../components/States";
import { Field } from "../../components/Field";
import { Alert } from "../../components/Alert";
import { TrendChart } from "../../components/TrendChart";
import { formatDate, formatRelative, plural } from "../../format";
import { PortalTabs } from "./PortalTabs";
import { TableScroll } from "../../components/TableScroll";

export const RANGES = [
  { value: "7", label: "Last 7 days" },
  { value: "30", label: "Last 30 days" },
  { value: "90", label: "Last 90 days" },
  { value: "365", label: "Last 12 months" },
];

/** `from`/`to` (UTC days, inclusive) for "the last N days". */
export function rangeOf(days: number, today = new Date()): { from: string; to: string } {
  const to = today.toISOString().slice(0, 10);
  const from = new Date(today.getTime() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  return { from, to };
}

export function Kpi({ label, value, note }: { label: string; value: number; note?: string }) {
  return (
    <div className="kpi">
      <div className="kpi-label">{label}</div>
      <div className="kpi-value">{value.toLocaleString("en-GB")}</div>
      {note && <div className="kpi-note small">{note}</div>}
    </div>
  );
}

function change(now: number, before: number): string {
  if (before === 0) return now === 0 ? "Same as last month" : "None last month";
  const pct = Math.round(((now - before) / before) * 100);
  return pct === 0 ? "Same as last month" : `${pct > 0 ? "+" : ""}${pct}% on last month`;
}

export function KindBreakdown({ counts }: { counts: DownloadCounts }) {
  return (
    <>
      <Kpi label="SBOMs" value={counts.sbom} />
      <Kpi label="VEX" value={counts.vex} />
      <Kpi label="Advisories" value={counts.advisory} />
      <Kpi label="Documents" value={counts.document} />
    </>
  );
}

/** The label of a period choice ("Last 30 days"), or the dates. */
function periodLabel(days: string | undefined, s: PortalStats): string {
  return RANGES.find((r) => r.value === days)?.label ?? `${formatDate(s.range.from)} – ${formatDate(s.range.to)}`;
}

function StatsView({
  org,
  s,
  canSeeTokens,
  days,
}: {
  org: string;
  s: PortalStats;
  canSeeTokens: boolean;
  days?: string;
}) {
  const maxProduct = Math.max(1, ...s.top_products.map((p) => p.downloads));
  const period = periodLabel(days, s);
  return (
    <>
      {s.sharing_signals.map((sig) => (
        <Alert key={`${sig.token_id}-${sig.kind}`} tone="warning" title={`Possible credential sharing: ${sig.token_name ?? "a token"}`}>
          <p>{sig.description}</p>
          <p className="small">
            {plural(sig.downloads_last_24h, "download")} in the last 24 hours
            {sig.usual_daily_downloads > 0
              ? ` (usually ${sig.usual_daily_downloads.toFixed(1)} a day)`
              : " (no downloads in the 30 days before to compare with)"}
            {sig.ips.length > 0 && <> from {sig.ips.map((i) => i.ip).join(", ")}</>}.{" "}
            {canSeeTokens && <Link to={`/admin/${org}/settings/portal/tokens/${sig.token_id}`}>See this token’s usage</Link>}
          </p>
        </Alert>
      ))}
      <section className="kpis" aria-label={`Downloads: ${period}`}>
        <Kpi
          label={`Downloads · ${period}`}
          value={s.downloads_in_range.total}
          note={`This month: ${s.downloads_this_month.total.toLocaleString("en-GB")} · ${change(s.downloads_this_month.total, s.downloads_last_month.total)}`}
        />
        <KindBreakdown counts={s.downloads_in_range} />
      </section>
      <section className="card" aria-labelledby="trend-heading">
        <div className="row-between wrap">
          <h2 id="trend-heading" className="card-title">
            Download trend
          </h2>
          <span className="muted small">
            {formatDate(s.range.from)} – {formatDate(s.range.to)} · {plural(s.downloads_in_range.total, "download")}
          </span>
        </div>
        <TrendChart trend={s.trend} granularity={s.range.granularity} />
      </section>
      <div className="grid-2">
        <section className="card" aria-labelledby="top-heading">
          <h2 id="top-heading" className="card-title">
            Most downloaded products
          </h2>
          {s.top_products.length === 0 ? (
            <p className="muted">No downloads in this period.</p>
          ) : (
            <ol className="bar-list">
              {s.top_products.map((p) => (
                <li key={p.product_id}>
                  <div className="row-between">
                    {p.product_slug ? (
                      <Link to={`/admin/${org}/products/${p.product_slug}`}>{p.product_name ?? p.product_slug}</Link>
                    ) : (
                      <span>{p.product_name ?? "Deleted product"}</span>
                    )}
                    <span className="num strong">{p.downloads}</span>
                  </div>
                  <div className="bar" aria-hidden="true">
                    <span className="bar-fill" style={{ width: `${(p.downloads / maxProduct) * 100}%` }} />
                  </div>
                </li>
              ))}
            </ol>
          )}
        </section>
        <section className="card" aria-labelledby="customers-heading">
          <h2 id="customers-heading" className="card-title">
            Active customers
          </h2>
          {s.active_customers.length === 0 ? (
            <p className="muted">No access token was used in this period.</p>
          ) : (
            <TableScroll label="Active customers by token">
              <table className="table table-compact">
                <caption className="visually-hidden">Active customers by token</caption>
                <thead>
                  <tr>
                    <th scope="col">Customer</th>
                    <th scope="col" className="num">
                      Downloads
                    </th>
                    <th scope="col" className="num">
                      Actions
                    </th>
                    <th scope="col">Last used</th>
                  </tr>
                </thead>
                <tbody>
                  {s.active_customers.map((c) => (
                    <tr key={c.token_id}>
                      <td>
                        {canSeeTokens ? (
                          <Link to={`/admin/${org}/settings/portal/tokens/${c.token_id}`}>{c.name ?? "Unnamed token"}</Link>
                        ) : (
                          (c.name ?? "Unnamed token")
                        )}
                        {c.status && c.status !== "active" && (
                          <>
                            {" "}
                            <StatusBadge status={c.status} />
                          </>
                        )}
                      </td>
                      <td className="num">{c.downloads}</td>
                      <td className="num">{c.events}</td>
                      <td className="nowrap">{formatRelative(c.last_used_at)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
        </section>
      </div>
    </>
  );
}

/** Settings › Supplier Portal › Statistics: how customers use the evidence you publish. */
export function StatisticsPage() {
  useTitle("Statistics");
  const { org, isAdmin } = useOrg();
  const [params, setParams] = useSearchParams();
  const days = params.get("days") ?? "30";
  const stats = useQuery({
    queryKey: ["org", org.slug, "portal", "stats", { days }],
    queryFn: () =>
      unwrap(
        adminApi.GET("/api/v1/orgs/{org}/portal/stats", {
          params: { path: { org: org.slug }, query: rangeOf(Number(days) || 30) },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <PageHeader
        crumbs={[{ label: "Settings" }, { label: "Supplier Portal" }]}
        title="Supplier Portal"
        subtitle="Statistics: how customers use your SBOMs, VEX statements, advisories and documents."
      />
      <PortalTabs org={org.slug} />
      <div className="toolbar">
        <Field label="Period" className="field-inline">
          {(c) => (
            <select {...c} value={days} onChange={(e) => setParams({ days: e.target.value }, { replace: true })}>
              {RANGES.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Async resource={stats} loadingLabel="Loading statistics…">
        {(s) =>
          s.downloads_in_range.total === 0 && s.active_customers.length === 0 && s.downloads_this_month.total === 0 ? (
            <>
              <EmptyState title="No portal activity yet">
                Once customers sign in and download your evidence, downloads, trends and active customers appear here.
              </EmptyState>
              <StatsView org={org.slug} s={s} canSeeTokens={isAdmin} days={days} />
            </>
          ) : (
            <StatsView org={org.slug} s={s} canSeeTokens={isAdmin} days={days} />
          )
        }
      </Async>
    </>
  );
}
