import { useSearchParams } from "react-router";
import { adminApi, unwrap } from "../../api/client";
import { keepPreviousData, useQuery } from "../../hooks";
import { useOrg } from "../context";
import { Async } from "../../components/States";
import { Field } from "../../components/Field";
import { TrendChart } from "../../components/TrendChart";
import { AuditTable } from "../AuditLogPage";
import { formatDateTime } from "../../format";
import { KindBreakdown, Kpi, RANGES, rangeOf } from "./StatisticsPage";
import { TableScroll } from "../../components/TableScroll";

/**
 * One access token's use (on its page): downloads by kind and day, products, addresses and its
 * latest events, over a period chosen in the address (`?days=`). Loads with the charts.
 */
export function TokenUsage({ id }: { id: string }) {
  const { org } = useOrg();
  const [params, setParams] = useSearchParams();
  const days = params.get("days") ?? "30";
  const usage = useQuery({
    queryKey: ["org", org.slug, "portal", "token", id, "usage", { days }],
    queryFn: () =>
      unwrap(
        adminApi.GET("/api/v1/orgs/{org}/portal/tokens/{id}/usage", {
          params: { path: { org: org.slug, id }, query: rangeOf(Number(days) || 30) },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  return (
    <section aria-labelledby="token-usage-heading" className="token-usage">
      <div className="row-between wrap">
        <h2 id="token-usage-heading" className="section-title">
          Usage
        </h2>
        <Field label="Period" className="field-inline">
          {(c) => (
            <select
              {...c}
              value={days}
              onChange={(e) => {
                const next = new URLSearchParams(params);
                next.set("days", e.target.value);
                setParams(next, { replace: true });
              }}
            >
              {RANGES.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Async resource={usage}>
        {(u) => (
          <>
            <section className="kpis" aria-label="Downloads in the period">
              <Kpi label="Downloads" value={u.downloads.total} />
              <KindBreakdown counts={u.downloads} />
            </section>
            <section className="card" aria-labelledby="usage-trend">
              <h3 id="usage-trend" className="card-title">
                Downloads over time
              </h3>
              <TrendChart trend={u.trend} granularity={u.range.granularity} />
            </section>
            <div className="grid-2">
              <section className="card" aria-labelledby="usage-products">
                <h3 id="usage-products" className="card-title">
                  Products
                </h3>
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
                <h3 id="usage-ips" className="card-title">
                  Addresses
                </h3>
                {u.ips.length === 0 ? (
                  <p className="muted">Not used in this period.</p>
                ) : (
                  <TableScroll label="Addresses this token was used from">
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
                  </TableScroll>
                )}
              </section>
            </div>
            <section aria-labelledby="usage-events">
              <h3 id="usage-events" className="subsection-title">
                Latest events
              </h3>
              <AuditTable org={org.slug} events={u.recent_events} caption={`Latest events of ${u.name}`} />
            </section>
          </>
        )}
      </Async>
    </section>
  );
}
