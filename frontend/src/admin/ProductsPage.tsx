import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { adminApi, unwrap } from "../api/client";
import { keepPreviousData, useQuery, useTitle } from "../hooks";
import { useOrg } from "./context";
import { PageHeader } from "../components/PageHeader";
import { Async, EmptyState } from "../components/States";
import { Badge } from "../components/Badge";
import { Checkbox } from "../components/Field";
import { ProductDialog } from "./ProductDialogs";
import { formatDateTime } from "../format";
import { TableScroll } from "../components/TableScroll";

export function ProductsPage() {
  useTitle("Products");
  const { org, canPublish } = useOrg();
  const navigate = useNavigate();
  const [showArchived, setShowArchived] = useState(false);
  const [creating, setCreating] = useState(false);
  const products = useQuery({
    queryKey: ["org", org.slug, "products", { include_archived: showArchived }],
    queryFn: () =>
      unwrap(
        adminApi.GET("/api/v1/orgs/{org}/products", {
          params: { path: { org: org.slug }, query: { include_archived: showArchived } },
        }),
      ),
    placeholderData: keepPreviousData,
  });

  const newButton = canPublish && (
    <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
      New product
    </button>
  );

  return (
    <>
      <PageHeader
        title="Products"
        subtitle="Each product version carries its SBOMs, VEX statements, advisories and compliance documents."
        actions={newButton}
      />
      <div className="toolbar">
        <Checkbox label="Show archived products" checked={showArchived} onChange={setShowArchived} />
      </div>
      <Async resource={products}>
        {(list) =>
          list.length === 0 ? (
            <EmptyState
              title="No products yet"
              action={newButton}
            >
              Create a product, add a version, and upload its SBOM. Pipelines can also push SBOMs with an API key.
            </EmptyState>
          ) : (
            <TableScroll label="Products" className="card card-flush">
              <table className="table">
                <caption className="visually-hidden">Products</caption>
                <thead>
                  <tr>
                    <th scope="col">Product</th>
                    <th scope="col">Slug</th>
                    <th scope="col" className="num">
                      Versions
                    </th>
                    <th scope="col">Portal</th>
                    <th scope="col">Updated</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((p) => (
                    <tr key={p.id}>
                      <td>
                        <Link to={p.slug} className="strong-link">
                          {p.name}
                        </Link>
                        {p.archived && (
                          <>
                            {" "}
                            <Badge>Archived</Badge>
                          </>
                        )}
                        {p.description && <div className="muted small clamp">{p.description}</div>}
                      </td>
                      <td className="mono slug">{p.slug}</td>
                      <td className="num">{p.version_count}</td>
                      <td>{p.portal_visible ? <Badge tone="success">Visible</Badge> : <Badge>Hidden</Badge>}</td>
                      <td className="nowrap">{formatDateTime(p.updated_at)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )
        }
      </Async>
      {creating && (
        <ProductDialog
          org={org.slug}
          onClose={() => setCreating(false)}
          onSaved={(p) => {
            setCreating(false);
            navigate(p.slug);
          }}
        />
      )}
    </>
  );
}
