import { Link } from "react-router";
import { useTitle } from "../hooks";
import { usePortal } from "./context";
import { Async, EmptyState } from "../components/States";
import { LoadMore } from "../components/LoadMore";
import { usePortalProductPages } from "./lists";
import { StatusBadge } from "../components/Badge";
import { SupportUntil } from "./SupportUntil";

export function PortalProducts() {
  const { info } = usePortal();
  useTitle(info.display_name);
  const products = usePortalProductPages();
  return (
    <section aria-labelledby="products-heading">
      <h1 id="products-heading" className="page-title">
        Products
      </h1>
      <Async resource={products} loadingLabel="Loading products…">
        {(list) =>
          list.length === 0 ? (
            <EmptyState title="No products yet">
              Nothing has been published here yet.
              {info.contact_email && (
                <>
                  {" "}
                  Questions? Write to <a href={`mailto:${info.contact_email}`}>{info.contact_email}</a>.
                </>
              )}
            </EmptyState>
          ) : (
            <>
              <div className="product-grid">
                {list.map((p) => (
                  <article key={p.slug} className="card product-card">
                    <h2 className="card-title">
                      <Link to={`products/${p.slug}`}>{p.name}</Link>
                    </h2>
                    {p.description && <p className="muted">{p.description}</p>}
                    {p.versions.length === 0 ? (
                      <p className="muted small">No versions published yet.</p>
                    ) : (
                      <ul className="version-list" aria-label={`Versions of ${p.name}`}>
                        {p.versions.slice(0, 5).map((v) => (
                          <li key={v.version}>
                            <Link to={`products/${p.slug}/versions/${encodeURIComponent(v.version)}`} className="mono">
                              {v.version}
                            </Link>
                            <span className="version-meta small">
                              {v.status === "end_of_support" ? (
                                <StatusBadge status={v.status} />
                              ) : (
                                <SupportUntil value={v.support_until} />
                              )}
                            </span>
                          </li>
                        ))}
                        {p.versions.length > 5 && (
                          <li>
                            <Link to={`products/${p.slug}`}>All {p.versions.length} versions</Link>
                          </li>
                        )}
                      </ul>
                    )}
                  </article>
                ))}
              </div>
              <LoadMore query={products} label="Show more products" />
            </>
          )
        }
      </Async>
    </section>
  );
}
