import { Link, useParams } from "react-router";
import { unwrap } from "../api/client";
import { useQuery, useTitle } from "../hooks";
import { usePortal } from "./context";
import { Async, EmptyState } from "../components/States";
import { StatusBadge } from "../components/Badge";
import { PageHeader } from "../components/PageHeader";
import { formatDate } from "../format";
import { SupportUntil } from "./SupportUntil";
import { TableScroll } from "../components/TableScroll";

export function PortalProductPage() {
  const { product = "" } = useParams();
  const { slug, api } = usePortal();
  const p = useQuery({
    queryKey: ["portal", slug, "product", product],
    queryFn: () => unwrap(api.GET("/api/v1/portal/{slug}/products/{product}", { params: { path: { slug, product } } })),
  });
  useTitle(p.data?.name ?? "Product");
  return (
    <Async resource={p}>
      {(prod) => (
        <>
          <PageHeader
            crumbs={[{ label: "Products", to: `/portal/${slug}` }, { label: prod.name }]}
            title={prod.name}
            subtitle={prod.description || undefined}
            actions={
              prod.checklist_published ? (
                <Link to="checklist" className="button">
                  CRA checklist
                </Link>
              ) : undefined
            }
          />
          {prod.versions.length === 0 ? (
            <EmptyState title="No versions published yet" />
          ) : (
            <TableScroll label={`Versions of ${prod.name}`} className="card card-flush">
              <table className="table">
                <caption className="visually-hidden">Versions of {prod.name}</caption>
                <thead>
                  <tr>
                    <th scope="col">Version</th>
                    <th scope="col">Released</th>
                    <th scope="col">Support period</th>
                    <th scope="col">Status</th>
                    <th scope="col" className="num">
                      Documents
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {prod.versions.map((v) => (
                    <tr key={v.version}>
                      <td>
                        <Link to={`versions/${encodeURIComponent(v.version)}`} className="strong-link mono">
                          {v.version}
                        </Link>
                      </td>
                      <td className="nowrap">{formatDate(v.release_date)}</td>
                      <td className="nowrap">
                        <SupportUntil value={v.support_until} short />
                      </td>
                      <td>
                        <StatusBadge status={v.status} />
                      </td>
                      <td className="num">{v.artifact_count}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
        </>
      )}
    </Async>
  );
}
