import { Link, useParams } from "react-router";
import { adminApi, unwrap } from "../../api/client";
import {
  clearanceOf,
  coveredBy,
  TLP_TEXT,
  tlpList,
  type Preview,
  type PreviewProduct,
  type PreviewReader,
  type ProductView,
} from "../../api/types";
import { useQuery, useTitle } from "../../hooks";
import { useOrg } from "../context";
import { PageHeader, type Crumb } from "../../components/PageHeader";
import { Async, EmptyState } from "../../components/States";
import { Alert } from "../../components/Alert";
import { StatusBadge, TlpBadge } from "../../components/Badge";
import { AdminsOnly } from "./PortalSettingsPage";
import { TableScroll } from "../../components/TableScroll";

/** At most this many hidden artifacts come back (newest first). */
const HIDDEN_LIMIT = 500;

function readerName(r: PreviewReader): string {
  return r.type === "anonymous" ? "an anonymous visitor" : (r.name ?? "this access token");
}

function scopeText(r: PreviewReader, products?: ProductView[]): string {
  if (!r.product_ids) return "every product in the portal";
  if (r.product_ids.length === 0) return "no product";
  if (!products) return `${r.product_ids.length} product${r.product_ids.length === 1 ? "" : "s"}`;
  return r.product_ids.map((id) => products.find((p) => p.id === id)?.name ?? "a removed product").join(", ");
}

/** "You are viewing the portal as ACME Corporation, cleared up to TLP:AMBER", and what that means. */
export function PreviewBanner({ preview, products }: { preview: Preview; products?: ProductView[] }) {
  const r = preview.reader;
  const name = readerName(r);
  const clearance = clearanceOf(r.labels);
  if (!r.admitted) {
    const privatePortal = preview.hidden.some((h) => h.why.reason === "private_portal");
    return (
      <div data-testid="preview-banner">
        <Alert tone="warning" title={`You are viewing the portal as ${name}, who sees nothing`}>
          {r.type === "anonymous" || privatePortal ? (
            <p>
              The portal is private: visitors without an access token see nothing, not even the product list. Customers
              sign in with an access token.
            </p>
          ) : (
            <p>
              This access token has expired or was revoked: it sees nothing, and the customer cannot sign in with it.
              Create a new token to give them access again.
            </p>
          )}
        </Alert>
      </div>
    );
  }
  const covered = clearance ? coveredBy(clearance) : [];
  return (
    <div data-testid="preview-banner">
      <Alert
        tone="info"
        title={
          <>
            You are viewing the portal as {name}
            {clearance ? `, cleared up to ${TLP_TEXT[clearance]}` : ""}
          </>
        }
      >
        <p>
          {r.type === "anonymous" ? "Visitors without an access token read " : "It reads "}
          {covered.length > 0 ? `${tlpList(covered)} documents` : "no labelled documents"}
          {r.labels.includes("unlabeled")
            ? ", and CSAF documents without a label."
            : r.type === "anonymous"
              ? "; CSAF documents without a label need an access token."
              : "."}{" "}
          {r.type === "access_token" && <>Products: {scopeText(r, products)}.</>}
        </p>
        <p className="small">
          The same rule decides the portal, the REST API, the CSAF feeds and the TEA API. This view is read-only and not
          recorded as the customer’s access.
        </p>
      </Alert>
    </div>
  );
}

/** Products → versions → artifacts, each with the label that lets this reader see it. */
export function PreviewTree({ org, products }: { org: string; products: PreviewProduct[] }) {
  return (
    <div className="preview-tree" data-testid="preview-tree">
      {products.map((p) => (
        <section key={p.slug} className="card" aria-label={p.name}>
          <h3 className="preview-product-title">
            {p.name} <span className="muted small mono">{p.slug}</span>
          </h3>
          {p.versions.length === 0 && <p className="muted small">No versions with published content.</p>}
          {p.versions.map((v) => (
            <div key={v.version} className="preview-version">
              <h4 className="preview-version-title">
                Version <span className="mono">{v.version}</span>
              </h4>
              {v.artifacts.length === 0 ? (
                <p className="muted small">Nothing this reader can see in this version.</p>
              ) : (
                <ul className="preview-artifacts" aria-label={`${p.name} ${v.version}`}>
                  {v.artifacts.map((a) => (
                    <li key={a.id} data-artifact-id={a.id}>
                      <StatusBadge status={a.kind} />
                      <Link to={`/admin/${org}/artifacts/${a.id}`} className="preview-artifact-name">
                        {a.title || a.filename}
                      </Link>
                      {a.title && <span className="muted small">{a.filename}</span>}
                      <span className="muted small">{a.format}</span>
                      <TlpBadge tlp={a.tlp} source={a.tlp_source} />
                      {a.tlp_source === "portal_default" && <span className="muted small">portal default</span>}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          ))}
        </section>
      ))}
    </div>
  );
}

/** The published artifacts this reader does not see, and why. */
export function HiddenTable({ org, preview }: { org: string; preview: Preview }) {
  const title = preview.reader.type === "anonymous" ? "Not visible to anonymous visitors" : "Not visible to this customer";
  return (
    <section aria-labelledby="hidden-heading">
      <h2 id="hidden-heading" className="section-title">
        {title}
      </h2>
      {preview.hidden.length === 0 ? (
        <p className="muted">Nothing is held back: this reader sees every published artifact.</p>
      ) : (
        <>
          <TableScroll label={title} className="card card-flush">
            <table className="table">
              <caption className="visually-hidden">{title}</caption>
              <thead>
                <tr>
                  <th scope="col">Kind</th>
                  <th scope="col">Artifact</th>
                  <th scope="col">TLP</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {preview.hidden.map((h) => (
                  <tr key={h.id} data-reason={h.why.reason}>
                    <td>
                      <StatusBadge status={h.kind} />
                    </td>
                    <td className="doc-cell">
                      <Link to={`/admin/${org}/artifacts/${h.id}`} className="strong-link">
                        {h.title || h.filename}
                      </Link>
                      {h.title && <div className="muted small">{h.filename}</div>}
                    </td>
                    <td>
                      <TlpBadge tlp={h.tlp} />
                    </td>
                    <td>{h.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          {preview.hidden.length >= HIDDEN_LIMIT && (
            <p className="muted small">Showing the newest {HIDDEN_LIMIT}.</p>
          )}
        </>
      )}
    </section>
  );
}

/** The whole read-only view, from a preview answer. */
export function PreviewView({ org, preview, products }: { org: string; preview: Preview; products?: ProductView[] }) {
  const r = preview.reader;
  const count = preview.products.reduce(
    (n, p) => n + p.versions.reduce((m, v) => m + v.artifacts.length, 0),
    0,
  );
  return (
    <>
      <PreviewBanner preview={preview} products={products} />
      <section aria-labelledby="visible-heading">
        <h2 id="visible-heading" className="section-title">
          What {r.type === "anonymous" ? "an anonymous visitor" : (r.name ?? "this customer")} sees
          {count > 0 && <span className="muted small"> · {count} artifact{count === 1 ? "" : "s"}</span>}
        </h2>
        {preview.products.length === 0 ? (
          <EmptyState title="Nothing visible">
            {r.admitted
              ? "No published product, version or artifact is visible to this reader."
              : "This reader is not admitted to the portal."}
          </EmptyState>
        ) : (
          <PreviewTree org={org} products={preview.products} />
        )}
      </section>
      <HiddenTable org={org} preview={preview} />
    </>
  );
}

/**
 * "View as this customer" (`…/tokens/:id/preview`) and "View as anonymous visitor"
 * (`…/portal/preview`): what the disclosure rule shows that reader.
 */
export function PreviewPage() {
  const { id } = useParams();
  const { org, isAdmin } = useOrg();
  // What the disclosure rule shows depends on everything published: asked again whenever it is shown.
  const preview = useQuery({
    queryKey: id ? ["org", org.slug, "portal", "token", id, "preview"] : ["org", org.slug, "portal", "preview"],
    queryFn: () =>
      id
        ? unwrap(
            adminApi.GET("/api/v1/orgs/{org}/portal/tokens/{id}/preview", {
              params: { path: { org: org.slug, id } },
            }),
          )
        : unwrap(adminApi.GET("/api/v1/orgs/{org}/portal/preview", { params: { path: { org: org.slug } } })),
    enabled: isAdmin,
    staleTime: 0,
  });
  // Product names for a token's scope (the preview names only the ids).
  const products = useQuery({
    queryKey: ["org", org.slug, "products", { include_archived: true }],
    queryFn: () =>
      unwrap(
        adminApi.GET("/api/v1/orgs/{org}/products", {
          params: { path: { org: org.slug }, query: { include_archived: true } },
        }),
      ),
    enabled: isAdmin && !!id,
  });
  const name = preview.data ? (id ? (preview.data.reader.name ?? "Access token") : "anonymous visitor") : "";
  useTitle(name ? `View as ${name}` : "View as customer");
  if (!isAdmin) return <AdminsOnly what="view the portal as a customer" />;

  const base = `/admin/${org.slug}/settings/portal`;
  const crumbs: Crumb[] = [{ label: "Settings" }, { label: "Supplier Portal", to: base }];
  if (id) {
    crumbs.push({ label: "Access Tokens", to: `${base}/tokens` });
    if (preview.data) crumbs.push({ label: name, to: `${base}/tokens/${id}` });
  }
  crumbs.push({ label: id ? "View as customer" : "View as anonymous visitor" });

  return (
    <>
      <PageHeader
        crumbs={crumbs}
        title={id ? `View as ${preview.data ? name : "customer"}` : "View as anonymous visitor"}
        subtitle="Read-only: the products, versions and artifacts this reader sees, with their TLP labels, and what it does not see."
        actions={
          id ? (
            <Link to={`${base}/tokens`} className="button">
              Access Tokens
            </Link>
          ) : (
            <Link to={base} className="button">
              Portal settings
            </Link>
          )
        }
      />
      <Async resource={preview} loadingLabel="Applying the disclosure rule…">
        {(p) => p && <PreviewView org={org.slug} preview={p} products={products.data} />}
      </Async>
    </>
  );
}
