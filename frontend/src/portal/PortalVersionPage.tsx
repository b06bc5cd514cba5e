import { useState, type ReactNode } from "react";
import { Link, useParams } from "react-router";
import { unwrap } from "../api/client";
import type { PortalArtifact } from "../api/types";
import { useQuery, useSubmit, useTitle } from "../hooks";
import { downloadFile } from "../api/download";
import { describeError } from "../api/problem";
import { usePortal } from "./context";
import { usePortalProducts } from "./lists";
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

/**
 * "Download all": every file of the version the reader may see, as one ZIP with a SHA256SUMS list
 * inside, saved under the server's name for it (`router-2.0.zip`).
 */
export function DownloadAllButton({ product, version, count }: { product: string; version: string; count: number }) {
  const { slug, api } = usePortal();
  const [saved, setSaved] = useState<string | null>(null);
  const download = useSubmit(async () => {
    setSaved(null);
    const name = await downloadFile(
      api.GET("/api/v1/portal/{slug}/products/{product}/versions/{version}/archive", {
        params: { path: { slug, product, version } },
        parseAs: "blob",
      }),
      `${product}-${version}.zip`,
    );
    setSaved(name);
  });
  return (
    <span className="download download-all">
      <button
        type="button"
        className="button button-primary"
        disabled={download.busy}
        title="One ZIP file with every file of this version and a SHA256SUMS list to check them"
        onClick={() => void download.submit()}
      >
        <svg viewBox="0 0 24 24" className="button-icon" aria-hidden="true">
          <path d="M12 4v12m0 0l-4-4m4 4l4-4M4 20h16" />
        </svg>
        {download.busy ? "Preparing the ZIP…" : "Download all"}
        <span className="button-meta">{count === 1 ? "1 file, ZIP" : `${count} files, ZIP`}</span>
      </button>
      <span role="status" aria-live="polite" className="download-status small">
        {saved && <span className="ok">Saved as {saved}</span>}
        {download.error && <span className="bad">{describeError(download.error)}</span>}
      </span>
    </span>
  );
}

export function PortalVersionPage() {
  const { product = "", version = "" } = useParams();
  const { slug, api } = usePortal();
  const path = { slug, product, version };
  const versionKey = ["portal", slug, "version", product, version];
  const detail = useQuery({
    queryKey: versionKey,
    queryFn: () => unwrap(api.GET("/api/v1/portal/{slug}/products/{product}/versions/{version}", { params: { path } })),
  });
  const vex = useQuery({
    queryKey: [...versionKey, "vex"],
    queryFn: () => unwrap(api.GET("/api/v1/portal/{slug}/products/{product}/versions/{version}/vex", { params: { path } })),
  });
  // The product's versions, for "What changed since …" (from the product list: reading it is not
  // audited, so opening a version records one product view, not two).
  const productDetail = usePortalProducts().data?.find((p) => p.slug === product);
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
            actions={d.artifact_count > 0 && <DownloadAllButton product={d.product_slug} version={d.version} count={d.artifact_count} />}
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
            const target = productDetail ? upgradeTarget(productDetail.versions, d.version) : null;
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
          {productDetail && (
            <WhatChanged
              className="portal-section"
              versions={productDetail.versions.map((v) => v.version)}
              current={d.version}
              queryKey={[...versionKey, "changes"]}
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
