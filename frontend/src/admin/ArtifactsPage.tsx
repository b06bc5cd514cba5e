import { useSearchParams } from "react-router";
import { adminApi, unwrap } from "../api/client";
import { ARTIFACT_KINDS, KIND_LABELS, type ArtifactKind, type ArtifactStatus } from "../api/types";
import { keepPreviousData, useArtifactsChanged, useQuery, useTitle } from "../hooks";
import { useOrg } from "./context";
import { PageHeader } from "../components/PageHeader";
import { Async, EmptyState } from "../components/States";
import { Field } from "../components/Field";
import { ArtifactTable } from "./ArtifactTable";

const STATUSES: { value: ArtifactStatus; label: string }[] = [
  { value: "draft", label: "Draft" },
  { value: "published", label: "Published" },
  { value: "withdrawn", label: "Withdrawn" },
];

export function ArtifactsPage() {
  useTitle("Artifacts");
  const { org, canPublish } = useOrg();
  const [params, setParams] = useSearchParams();
  const kind = (params.get("kind") ?? "") as ArtifactKind | "";
  const status = (params.get("status") ?? "") as ArtifactStatus | "";
  const product = params.get("product") ?? "";

  const artifactsChanged = useArtifactsChanged(org.slug);
  const products = useQuery({
    queryKey: ["org", org.slug, "products", {}],
    queryFn: () => unwrap(adminApi.GET("/api/v1/orgs/{org}/products", { params: { path: { org: org.slug } } })),
  });
  const query = { kind: kind || undefined, status: status || undefined, product: product || undefined, limit: 200 };
  const artifacts = useQuery({
    queryKey: ["org", org.slug, "artifacts", query],
    queryFn: () => unwrap(adminApi.GET("/api/v1/orgs/{org}/artifacts", { params: { path: { org: org.slug }, query } })),
    placeholderData: keepPreviousData,
  });

  function set(name: string, value: string) {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  }

  return (
    <>
      <PageHeader title="Artifacts" subtitle="Every SBOM, VEX, advisory and document, newest first." />
      <div className="filters" role="group" aria-label="Filters">
        <Field label="Product">
          {(c) => (
            <select {...c} value={product} onChange={(e) => set("product", e.target.value)}>
              <option value="">All products</option>
              {products.data?.map((p) => (
                <option key={p.id} value={p.slug}>
                  {p.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Kind">
          {(c) => (
            <select {...c} value={kind} onChange={(e) => set("kind", e.target.value)}>
              <option value="">All kinds</option>
              {ARTIFACT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {KIND_LABELS[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Status">
          {(c) => (
            <select {...c} value={status} onChange={(e) => set("status", e.target.value)}>
              <option value="">Any status</option>
              {STATUSES.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Async resource={artifacts}>
        {(list) =>
          list.length === 0 ? (
            <EmptyState title={kind || status || product ? "Nothing matches these filters" : "No artifacts yet"}>
              Artifacts are uploaded on a product version’s page, or pushed by pipelines with an API key.
            </EmptyState>
          ) : (
            <ArtifactTable
              org={org.slug}
              artifacts={list}
              canPublish={canPublish}
              onChanged={artifactsChanged}
              showVersion
              caption="Artifacts"
            />
          )
        }
      </Async>
    </>
  );
}
