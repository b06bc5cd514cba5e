import type { ReactNode } from "react";
import { Link, useParams } from "react-router";
import { unwrap } from "../api/client";
import type { PortalArtifact } from "../api/types";
import { useResource, useTitle } from "../hooks";
import { usePortal } from "./context";
import { Async, EmptyState } from "../components/States";
import { StatusBadge } from "../components/Badge";
import { PageHeader } from "../components/PageHeader";
import { VexStatements } from "../components/VexTable";
import { Alert } from "../components/Alert";
import { upgradeTarget } from "./upgrade";
import { ConformanceReport } from "../components/Conformance";
import { WhatChanged } from "../components/VersionChanges";
import { formatDate } from "../format";
import { PortalArtifactList } from "./PortalArtifactList";
import { SupportUntil } from "./SupportUntil";

function Section({
  id,
  title,
  description,
  children,
}: {
  id: string;
  title: string;
  description: string;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={id} className="portal-section">
      <h2 id={id} className="section-title">
        {title}
      </h2>
      <p className="muted small section-description">{description}</p>
      {children}
    </section>
  );
}

/** An SBOM's conformance to the profiles: the badges, and every rule on demand. */
export function SbomConformance({ artifact }: { artifact: PortalArtifact }) {
  if (artifact.conformance.length === 0) return null;
  return (
    <div className="artifact-conformance">
      <p className="artifact-conformance-label small">Conformance</p>
      <ConformanceReport profiles={artifact.conformance} />
    </div>
  );
}

export function PortalVersionPage() {
  const { product = "", version = "" } = useParams();
  const { slug, api } = usePortal();
  const path = { slug, product, version };
  const detail = useResource(
    () => unwrap(api.GET("/api/v1/portal/{slug}/products/{product}/versions/{version}", { params: { path } })),
    [slug, product, version],
  );
  const vex = useResource(
    () => unwrap(api.GET("/api/v1/portal/{slug}/products/{product}/versions/{version}/vex", { params: { path } })),
    [slug, product, version],
  );
  // The product's versions, for "What changed since …" (from the product list: reading it is not
  // audited, so opening a version records one product view, not two).
  const productDetail = useResource(
    async () =>
      (await unwrap(api.GET("/api/v1/portal/{slug}/products", { params: { path: { slug } } }))).find((p) => p.slug === product) ??
      null,
    [slug, product],
  );
  useTitle(detail.data ? `${detail.data.product_name} ${detail.data.version}` : version);

  const list = (items: PortalArtifact[], empty: string, extra?: (a: PortalArtifact) => ReactNode) =>
    items.length === 0 ? (
      <p className="muted empty-inline">{empty}</p>
    ) : (
      <PortalArtifactList api={api} slug={slug} artifacts={items} extra={extra} />
    );

  return (
    <Async resource={detail}>
      {(d) => (
        <>
          <PageHeader
            crumbs={[
              { label: "Products", to: `/portal/${slug}` },
              { label: d.product_name, to: `/portal/${slug}/products/${d.product_slug}` },
              { label: d.version },
            ]}
            title={
              <>
                {d.product_name} <span className="mono">{d.version}</span>
              </>
            }
            badges={<StatusBadge status={d.status} />}
            subtitle={
              <dl className="inline-facts">
                <div>
                  <dt>Released</dt>
                  <dd>{formatDate(d.release_date)}</dd>
                </div>
                <div>
                  <dt>Support period</dt>
                  <dd>
                    <SupportUntil value={d.support_until} short />
                  </dd>
                </div>
              </dl>
            }
          />
          {(() => {
            const target = productDetail.data ? upgradeTarget(productDetail.data.versions, d.version) : null;
            return (
              target && (
                <Alert tone="warning" polite title={`Version ${d.version} is no longer supported`}>
                  <p>
                    It receives no more security updates. Upgrade to{" "}
                    <Link to={`/portal/${slug}/products/${d.product_slug}/versions/${encodeURIComponent(target.version)}`}>
                      {d.product_name} {target.version}
                    </Link>
                    {target.support_until ? <>, supported until {formatDate(target.support_until)}</> : ", which is supported"}.
                  </p>
                </Alert>
              )
            );
          })()}
          {d.artifact_count === 0 && (
            <EmptyState title="Nothing published for this version yet" />
          )}
          <Section id="sboms" title="SBOMs" description="Software bills of materials: what this version is made of.">
            {list(d.artifacts.sbom, "No SBOM published for this version.", (a) => <SbomConformance artifact={a} />)}
          </Section>
          <Section
            id="vex"
            title="VEX statements"
            description="Whether known vulnerabilities affect this version, and why not when they do not."
          >
            <Async resource={vex}>
              {(statements) =>
                statements.length === 0 ? (
                  <p className="muted empty-inline">No VEX statements published for this version.</p>
                ) : (
                  <VexStatements statements={statements} caption={`VEX statements for ${d.product_name} ${d.version}`} />
                )
              }
            </Async>
            {d.artifacts.vex.length > 0 && (
              <>
                <h3 className="subsection-title">VEX documents</h3>
                <PortalArtifactList api={api} slug={slug} artifacts={d.artifacts.vex} />
              </>
            )}
          </Section>
          <Section id="advisories" title="Security advisories" description="CSAF advisories with severity and CVEs.">
            {list(d.artifacts.advisory, "No advisories published for this version.")}
          </Section>
          <Section
            id="documents"
            title="Documents"
            description="Declarations of conformity, security policies, user instructions and other compliance documents."
          >
            {list(d.artifacts.document, "No documents published for this version.")}
          </Section>
          {productDetail.data && (
            <WhatChanged
              className="portal-section"
              versions={productDetail.data.versions.map((v) => v.version)}
              current={d.version}
              description="Components added, removed and upgraded between the newest SBOMs of the two versions, licence changes, and VEX statuses that changed."
              load={(from) =>
                unwrap(
                  api.GET("/api/v1/portal/{slug}/products/{product}/versions/{version}/changes", {
                    params: { path, query: { from } },
                  }),
                )
              }
            />
          )}
        </>
      )}
    </Async>
  );
}
