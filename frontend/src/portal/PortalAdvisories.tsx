import { useEffect, useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { useTitle } from "../hooks";
import { usePortal } from "./context";
import { Async, EmptyState } from "../components/States";
import { LoadMore } from "../components/LoadMore";
import { usePortalAdvisoryPages, usePortalProducts } from "./lists";
import { Field } from "../components/Field";
import { PageHeader } from "../components/PageHeader";
import { PortalArtifactList } from "./PortalArtifactList";

export function PortalAdvisories() {
  useTitle("Security advisories");
  const { slug, api } = usePortal();
  const [params, setParams] = useSearchParams();
  const product = params.get("product") ?? "";
  const cve = params.get("cve") ?? "";
  const [cveInput, setCveInput] = useState(cve);
  useEffect(() => setCveInput(cve), [cve]);

  // The picker offers every product; the advisories come a page at a time, each with the filters.
  const products = usePortalProducts();
  const advisories = usePortalAdvisoryPages({ product: product || undefined, cve: cve || undefined });

  const productName = product ? (products.data?.find((p) => p.slug === product)?.name ?? product) : "";

  function set(next: Record<string, string>) {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    setParams(p, { replace: true });
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    set({ cve: cveInput.trim() });
  }

  return (
    <>
      <PageHeader title="Security advisories" subtitle="CSAF advisories for the products you can see, newest first." />
      <form className="filters" onSubmit={onSubmit} role="search" aria-label="Filter advisories">
        <Field label="Product">
          {(c) => (
            <select {...c} value={product} onChange={(e) => set({ product: e.target.value })}>
              <option value="">All products</option>
              {products.data?.map((p) => (
                <option key={p.slug} value={p.slug}>
                  {p.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="CVE">
          {(c) => (
            <input
              {...c}
              className="mono"
              placeholder="CVE-2024-3094"
              value={cveInput}
              onChange={(e) => setCveInput(e.target.value)}
            />
          )}
        </Field>
        <div className="filters-submit">
          <button type="submit" className="button">
            Filter
          </button>
        </div>
      </form>
      <Async resource={advisories} loadingLabel="Loading advisories…">
        {(list) =>
          list.length === 0 ? (
            <EmptyState title={cve || product ? "No advisory matches" : "No advisories published"}>
              {cve && (
                <>
                  See <Link to={`/portal/${slug}/vulnerabilities/${encodeURIComponent(cve)}`}>whether {cve} affects you</Link>{" "}
                  from the published VEX statements.
                </>
              )}
            </EmptyState>
          ) : (
            <>
              <p className="small muted list-summary" role="status" aria-live="polite">
                {advisories.isPlaceholderData ? "Updating…" : summary(list.length, advisories.hasNextPage, cve, productName)}
              </p>
              <PortalArtifactList
                api={api}
                slug={slug}
                artifacts={list}
                extra={(a) => {
                  const adv = list.find((x) => x.id === a.id);
                  if (!adv) return null;
                  return (
                    <div className="small">
                      {adv.tracking_id && <span className="mono">{adv.tracking_id}</span>}
                      {adv.applies_to.length > 0 && (
                        <>
                          {" "}
                          · Applies to{" "}
                          {adv.applies_to.map((v, i) => (
                            <span key={`${v.product_slug}-${v.version}`}>
                              {i > 0 && ", "}
                              <Link to={`/portal/${slug}/products/${v.product_slug}/versions/${encodeURIComponent(v.version)}`}>
                                {v.product_name} {v.version}
                              </Link>
                            </span>
                          ))}
                        </>
                      )}
                    </div>
                  );
                }}
              />
              <LoadMore query={advisories} label="Show more advisories" />
            </>
          )
        }
      </Async>
    </>
  );
}

/** What the list shows, with the filters it was read with: "Showing 2 advisories about CVE-… for Router — more below". */
export function summary(count: number, more: boolean, cve: string, productName: string): string {
  let text = `Showing ${count} ${count === 1 ? "advisory" : "advisories"}`;
  if (cve) text += ` about ${cve}`;
  if (productName) text += ` for ${productName}`;
  return more ? `${text} — more below` : text;
}
