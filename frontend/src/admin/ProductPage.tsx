import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { adminApi, unwrap } from "../api/client";
import { ApiError } from "../api/problem";
import type { VersionView } from "../api/types";
import { useQuery, useQueryClient, useTitle } from "../hooks";
import { useOrg } from "./context";
import { PageHeader } from "../components/PageHeader";
import { Async, EmptyState } from "../components/States";
import { Badge, StatusBadge } from "../components/Badge";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { ProductDialog, VersionDialog } from "./ProductDialogs";
import { formatDate } from "../format";
import { TableScroll } from "../components/TableScroll";

/** A support period in words: "until 31 Dec 2030", "ended 1 Jan 2024", "not set". */
export function SupportPeriod({ version }: { version: Pick<VersionView, "support_until" | "status"> }) {
  if (!version.support_until) return <span className="muted">Not set</span>;
  const ended = version.support_until < new Date().toISOString().slice(0, 10);
  return (
    <span className={ended ? "text-warning" : undefined}>
      {ended ? "Ended " : "Until "}
      {formatDate(version.support_until)}
    </span>
  );
}

export function ProductPage() {
  const { product: productSlug = "" } = useParams();
  const { org, canPublish, isAdmin } = useOrg();
  const navigate = useNavigate();
  const [editing, setEditing] = useState(false);
  const [creatingVersion, setCreatingVersion] = useState(false);
  const [editingVersion, setEditingVersion] = useState<VersionView | null>(null);
  const [deleting, setDeleting] = useState(false);
  const client = useQueryClient();
  const product = useQuery({
    queryKey: ["org", org.slug, "product", productSlug],
    queryFn: () =>
      unwrap(
        adminApi.GET("/api/v1/orgs/{org}/products/{product}", {
          params: { path: { org: org.slug, product: productSlug } },
        }),
      ),
  });
  // Products with published (or withdrawn) evidence must stay on record: they are archived, not deleted.
  const onRecord = useQuery({
    queryKey: ["org", org.slug, "artifacts", { product: productSlug, on_record: true }],
    queryFn: async () => {
      for (const status of ["published", "withdrawn"] as const) {
        const list = await unwrap(
          adminApi.GET("/api/v1/orgs/{org}/artifacts", {
            params: { path: { org: org.slug }, query: { product: productSlug, status, limit: 1 } },
          }),
        );
        if (list.length > 0) return true;
      }
      return false;
    },
    enabled: isAdmin,
  });
  const [archiving, setArchiving] = useState(false);
  useTitle(product.data?.name ?? "Product");

  return (
    <Async resource={product}>
      {(p) => (
        <>
          <PageHeader
            crumbs={[{ label: "Products", to: `/admin/${org.slug}/products` }, { label: p.name }]}
            title={p.name}
            badges={
              <>
                {p.archived && <Badge>Archived</Badge>}
                {p.portal_visible ? <Badge tone="success">In portal</Badge> : <Badge>Hidden from portal</Badge>}
              </>
            }
            subtitle={
              <>
                <span className="mono slug">{p.slug}</span>
                {p.description && <> · {p.description}</>}
              </>
            }
            actions={
              <>
                <Link to="checklist" className="button">
                  CRA checklist
                </Link>
                {isAdmin && onRecord.data === false && (
                  <button type="button" className="button button-danger-outline" onClick={() => setDeleting(true)}>
                    Delete
                  </button>
                )}
                {canPublish && onRecord.data === true && !p.archived && (
                  <button type="button" className="button" onClick={() => setArchiving(true)}>
                    Archive
                  </button>
                )}
                {canPublish && (
                  <button type="button" className="button" onClick={() => setEditing(true)}>
                    Edit product
                  </button>
                )}
                {canPublish && !p.archived && (
                  <button type="button" className="button button-primary" onClick={() => setCreatingVersion(true)}>
                    New version
                  </button>
                )}
              </>
            }
          />
          <section aria-labelledby="versions-heading">
            <h2 id="versions-heading" className="section-title">
              Versions
            </h2>
            {p.versions.length === 0 ? (
              <EmptyState title="No versions yet">
                Add the versions you ship, with their support period, then upload their evidence.
              </EmptyState>
            ) : (
              <TableScroll label={`Versions of ${p.name}`} className="card card-flush">
                <table className="table">
                  <caption className="visually-hidden">Versions of {p.name}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Version</th>
                      <th scope="col">Released</th>
                      <th scope="col">Support period</th>
                      <th scope="col">Status</th>
                      {canPublish && (
                        <th scope="col">
                          <span className="visually-hidden">Actions</span>
                        </th>
                      )}
                    </tr>
                  </thead>
                  <tbody>
                    {p.versions.map((v) => (
                      <tr key={v.id}>
                        <td>
                          <Link to={`versions/${encodeURIComponent(v.version)}`} className="strong-link mono">
                            {v.version}
                          </Link>
                        </td>
                        <td className="nowrap">{formatDate(v.release_date)}</td>
                        <td className="nowrap">
                          <SupportPeriod version={v} />
                        </td>
                        <td>
                          <StatusBadge status={v.status} />
                        </td>
                        {canPublish && (
                          <td className="row-actions">
                            <button
                              type="button"
                              className="button button-small"
                              aria-label={`Edit the support period of ${v.version}`}
                              onClick={() => setEditingVersion(v)}
                            >
                              Edit
                            </button>
                          </td>
                        )}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            )}
          </section>
          {editing && (
            <ProductDialog
              org={org.slug}
              product={p}
              onClose={() => setEditing(false)}
              onSaved={() => setEditing(false)}
            />
          )}
          {creatingVersion && (
            <VersionDialog
              org={org.slug}
              product={p.slug}
              onClose={() => setCreatingVersion(false)}
              onSaved={(v) => {
                setCreatingVersion(false);
                navigate(`versions/${encodeURIComponent(v.version)}`);
              }}
            />
          )}
          {editingVersion && (
            <VersionDialog
              org={org.slug}
              product={p.slug}
              version={editingVersion}
              onClose={() => setEditingVersion(null)}
              onSaved={() => setEditingVersion(null)}
            />
          )}
          {archiving && (
            <ConfirmDialog
              title={`Archive ${p.name}?`}
              confirmLabel="Archive product"
              onClose={() => setArchiving(false)}
              onConfirm={async () => {
                const saved = await unwrap(
                  adminApi.PATCH("/api/v1/orgs/{org}/products/{product}", {
                    params: { path: { org: org.slug, product: p.slug } },
                    body: { archived: true },
                  }),
                );
                client.setQueryData(["org", org.slug, "product", p.slug], { ...p, ...saved });
                void client.invalidateQueries({ queryKey: ["org", org.slug, "products"] });
              }}
            >
              <p>
                Its published evidence stays on record and, while the product is visible in the portal, available to
                customers. An archived product takes no new versions; “Edit product” can bring it back.
              </p>
            </ConfirmDialog>
          )}
          {deleting && (
            <ConfirmDialog
              title={`Delete ${p.name}?`}
              confirmLabel="Delete product"
              danger
              errorHint={(e) =>
                e instanceof ApiError && e.status === 409 && canPublish && !p.archived ? (
                  <p>
                    <button
                      type="button"
                      className="button"
                      onClick={() => {
                        setDeleting(false);
                        setArchiving(true);
                      }}
                    >
                      Archive it instead
                    </button>
                  </p>
                ) : null
              }
              onClose={() => setDeleting(false)}
              onConfirm={async () => {
                await unwrap(
                  adminApi.DELETE("/api/v1/orgs/{org}/products/{product}", {
                    params: { path: { org: org.slug, product: p.slug } },
                  }),
                );
                void client.invalidateQueries({ queryKey: ["org", org.slug, "products"] });
              }}
              onDone={() => navigate(`/admin/${org.slug}/products`, { replace: true })}
            >
              <p>The product, its versions and their drafts are removed. This cannot be undone.</p>
            </ConfirmDialog>
          )}
        </>
      )}
    </Async>
  );
}
