import { useState } from "react";
import { useParams } from "react-router";
import { adminApi, unwrap } from "../api/client";
import { useArtifactsChanged, useQuery, useQueryClient, useTitle } from "../hooks";
import { useOrg } from "./context";
import { PageHeader } from "../components/PageHeader";
import { Async, EmptyState } from "../components/States";
import { StatusBadge } from "../components/Badge";
import { UploadPanel } from "../components/UploadPanel";
import { WhatChanged } from "../components/VersionChanges";
import { VersionDialog } from "./ProductDialogs";
import { ArtifactTable } from "./ArtifactTable";
import { SupportPeriod } from "./ProductPage";
import { formatDate } from "../format";

export function VersionPage() {
  const { product: productSlug = "", version: versionName = "" } = useParams();
  const { org, canPublish } = useOrg();
  const [editing, setEditing] = useState(false);
  const path = { org: org.slug, product: productSlug, version: versionName };
  const versionKey = ["org", org.slug, "product", productSlug, "version", versionName];
  const client = useQueryClient();
  const artifactsChanged = useArtifactsChanged(org.slug);
  const product = useQuery({
    queryKey: ["org", org.slug, "product", productSlug],
    queryFn: () =>
      unwrap(
        adminApi.GET("/api/v1/orgs/{org}/products/{product}", {
          params: { path: { org: org.slug, product: productSlug } },
        }),
      ),
  });
  const version = useQuery({
    queryKey: versionKey,
    queryFn: () => unwrap(adminApi.GET("/api/v1/orgs/{org}/products/{product}/versions/{version}", { params: { path } })),
  });
  const artifacts = useQuery({
    queryKey: ["org", org.slug, "artifacts", { product: productSlug, version: versionName }],
    queryFn: () =>
      unwrap(adminApi.GET("/api/v1/orgs/{org}/products/{product}/versions/{version}/artifacts", { params: { path } })),
  });
  const productName = product.data?.name ?? productSlug;
  useTitle(`${productName} ${versionName}`);

  return (
    <Async resource={version}>
      {(v) => (
        <>
          <PageHeader
            crumbs={[
              { label: "Products", to: `/admin/${org.slug}/products` },
              { label: productName, to: `/admin/${org.slug}/products/${productSlug}` },
              { label: v.version },
            ]}
            title={
              <>
                {productName} <span className="mono">{v.version}</span>
              </>
            }
            badges={<StatusBadge status={v.status} />}
            subtitle={
              <dl className="inline-facts">
                <div>
                  <dt>Released</dt>
                  <dd>{formatDate(v.release_date)}</dd>
                </div>
                <div>
                  <dt>Support period</dt>
                  <dd>
                    <SupportPeriod version={v} />
                  </dd>
                </div>
              </dl>
            }
            actions={
              canPublish && (
                <button type="button" className="button" onClick={() => setEditing(true)}>
                  Edit support period
                </button>
              )
            }
          />
          {canPublish && (
            <UploadPanel
              org={org.slug}
              product={productSlug}
              version={v.version}
              canPublish={canPublish}
              onUploaded={artifactsChanged}
            />
          )}
          <section aria-labelledby="artifacts-heading">
            <h2 id="artifacts-heading" className="section-title">
              Artifacts
            </h2>
            <Async resource={artifacts}>
              {(list) =>
                list.length === 0 ? (
                  <EmptyState title="No artifacts yet">
                    Upload this version’s SBOM, VEX, CSAF advisories and compliance documents.
                  </EmptyState>
                ) : (
                  <ArtifactTable
                    org={org.slug}
                    artifacts={list}
                    canPublish={canPublish}
                    onChanged={artifactsChanged}
                    caption={`Artifacts of ${productName} ${v.version}`}
                  />
                )
              }
            </Async>
          </section>
          {product.data && (
            <WhatChanged
              versions={product.data.versions.map((x) => x.version)}
              current={v.version}
              load={(from) =>
                unwrap(
                  adminApi.GET("/api/v1/orgs/{org}/products/{product}/versions/{version}/changes", {
                    params: { path, query: { from } },
                  }),
                )
              }
              queryKey={[...versionKey, "changes"]}
              sbomLink={(id) => `/admin/${org.slug}/artifacts/${id}`}
              description="Between the published artifacts of the two versions (drafts are not compared): components added, removed and upgraded in their newest SBOMs, licence changes, and VEX statuses that changed."
            />
          )}
          {editing && (
            <VersionDialog
              org={org.slug}
              product={productSlug}
              version={v}
              onClose={() => setEditing(false)}
              onSaved={(saved) => {
                setEditing(false);
                client.setQueryData(versionKey, saved);
              }}
            />
          )}
        </>
      )}
    </Async>
  );
}
