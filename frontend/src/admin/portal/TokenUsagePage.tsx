import { Link, useParams, useSearchParams } from "react-router";
import { adminApi, unwrap } from "../../api/client";
import { useResource, useTitle } from "../../hooks";
import { useOrg } from "../context";
import { PageHeader } from "../../components/PageHeader";
import { Async } from "../../components/States";
import { Field } from "../../components/Field";
import { TrendChart } from "../../components/TrendChart";
import { AuditTable } from "../AuditLogPage";
import { formatDateTime } from "../../format";
import { KindBreakdown, Kpi, RANGES, rangeOf } from "./StatisticsPage";
import { AdminsOnly } from "./PortalSettingsPage";

/** One access token's use: downloads by kind and day, products, addresses, latest events. */
export function TokenUsagePage() {
  const { id = "" } = useParams();
  const { org, isAdmin } = useOrg();
  const [params, setParams] = useSearchParams();
  const days = params.get("days") ?? "30";
  const usage = useResource(
    () =>
      isAdmin
        ? unwrap(
            adminApi.GET("/api/v1/orgs/{org}/portal/tokens/{id}/usage", {
              params: { path: { org: org.slug, id }, query: rangeOf(Number(days) || 30) },
            }),
          )
        : Promise.resolve(null),
    [org.slug, id, days, isAdmin],
  );
  useTitle(usage.data ? `${usage.data.name} · Access token` : "Access token");
  if (!isAdmin) return <AdminsOnly what="see access token usage" />;
  return (
    <Async resource={usage}>
      {(u) =>
        u && (
          <>
            <PageHeader
              crumbs={[
                { label: "Settings" },
                { label: "Supplier Portal", to: `/admin/${org.slug}/settings/portal` },
                { label: "Access Tokens", to: `/admin/${org.slug}/settings/portal/tokens` },
                { label: u.name },
              ]}
              title={u.name}
              subtitle="How this access token has been used."
              actions={
                <Link to={`/admin/${org.slug}/settings/portal/tokens/${id}/preview`} className="button">
                  View as this customer
                </Link>
              }
            />
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
            <section className="kpis" aria-label="Downloads in the period">
              <Kpi label="Downloads" value={u.downloads.total} />
              <KindBreakdown counts={u.downloads} />
            </section>
            <section className="card" aria-labelledby="usage-trend">
              <h2 id="usage-trend" className="card-title">
                Downloads over time
              </h2>
              <TrendChart trend={u.trend} granularity={u.range.granularity} />
            </section>
            <div className="grid-2">
              <section className="card" aria-labelledby="usage-products">
                <h2 id="usage-products" className="card-title">
                  Products
                </h2>
                {u.by_product.length === 0 ? (
                  <p className="muted">Nothing downloaded in this period.</p>
                ) : (
                  <ul className="plain-list spaced">
                    {u.by_product.map((p) => (
                      <li key={p.product_id} className="row-between">
                        <span>{p.product_name ?? p.product_slug ?? "Deleted product"}</span>
                        <span className="strong">{p.downloads}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </section>
              <section className="card" aria-labelledby="usage-ips">
                <h2 id="usage-ips" className="card-title">
                  Addresses
                </h2>
                {u.ips.length === 0 ? (
                  <p className="muted">Not used in this period.</p>
                ) : (
                  <div className="table-wrap">
                    <table className="table table-compact">
                      <caption className="visually-hidden">Addresses this token was used from</caption>
                      <thead>
                        <tr>
                          <th scope="col">Address</th>
                          <th scope="col" className="num">
                            Actions
                          </th>
                          <th scope="col">Last seen</th>
                        </tr>
                      </thead>
                      <tbody>
                        {u.ips.map((i) => (
                          <tr key={i.ip}>
                            <td className="mono">{i.ip}</td>
                            <td className="num">{i.events}</td>
                            <td className="nowrap">{formatDateTime(i.last_at)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
              </section>
            </div>
            <section aria-labelledby="usage-events">
              <h2 id="usage-events" className="section-title">
                Latest events
              </h2>
              <AuditTable org={org.slug} events={u.recent_events} caption={`Latest events of ${u.name}`} />
            </section>
          </>
        )
      }
    </Async>
  );
}
