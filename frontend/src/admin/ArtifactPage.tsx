import { Link, useParams } from "react-router";
import { adminApi, unwrap } from "../api/client";
import { KIND_LABELS, readFacts, type ArtifactDetail } from "../api/types";
import { useInvalidate, useQuery, useQueryClient, useTitle } from "../hooks";
import { useOrg } from "./context";
import { PageHeader } from "../components/PageHeader";
import { Async, EmptyState } from "../components/States";
import { StatusBadge } from "../components/Badge";
import { Alert } from "../components/Alert";
import { ArtifactFactsView, Fact, FactList } from "../components/Facts";
import { VexTable } from "../components/VexTable";
import { ConformanceReport } from "../components/Conformance";
import { CopyableHash } from "../components/Download";
import { CopyButton } from "../components/CopyButton";
import { ArtifactActions } from "./ArtifactActions";
import { ArtifactLabel } from "./ArtifactLabel";
import { formatBytes, formatDateTime } from "../format";
import { TableScroll } from "../components/TableScroll";

/** Proof of delivery: which access tokens received this artifact, when, and exactly which bytes. */
function Deliveries({
  org,
  artifactId,
  sha256,
  withdrawnAt,
  kind,
}: {
  org: string;
  artifactId: string;
  sha256: string;
  /** Set when the artifact was withdrawn: nobody can receive it any more. */
  withdrawnAt?: string | null;
  kind?: string;
}) {
  const report = useQuery({
    queryKey: ["org", org, "artifact", artifactId, "deliveries"],
    queryFn: () => unwrap(adminApi.GET("/api/v1/orgs/{org}/deliveries", { params: { path: { org }, query: { artifact: artifactId } } })),
  });
  return (
    <section aria-labelledby="deliveries-heading">
      <h2 id="deliveries-heading" className="section-title">
        Deliveries
      </h2>
      <Async resource={report}>
        {(r) =>
          r.recipients.length === 0 ? (
            withdrawnAt ? (
              <EmptyState title="Never delivered">
                No customer downloaded it before it was withdrawn ({formatDateTime(withdrawnAt)}); it can no longer be
                downloaded.
                {kind === "vex" && " Its statements may have been read on the portal’s version pages (see the Audit Log)."}
              </EmptyState>
            ) : (
              <EmptyState title="Not delivered yet">
                No customer has downloaded it from the portal.
                {kind === "vex" && " Its statements may have been read on the portal’s version pages (see the Audit Log)."}
              </EmptyState>
            )
          ) : (
            <>
            {withdrawnAt && (
              <p className="muted small section-description" data-testid="delivered-before-withdrawal">
                Delivered to {r.recipients.length === 1 ? "1 recipient" : `${r.recipients.length} recipients`} before it was
                withdrawn ({formatDateTime(withdrawnAt)}): they may still hold a copy.
              </p>
            )}
            <TableScroll label="Who received this artifact" className="card card-flush">
              <table className="table">
                <caption className="visually-hidden">Who received this artifact</caption>
                <thead>
                  <tr>
                    <th scope="col">Recipient</th>
                    <th scope="col" className="num">
                      Downloads
                    </th>
                    <th scope="col">First</th>
                    <th scope="col">Latest</th>
                    <th scope="col">SHA-256 delivered</th>
                  </tr>
                </thead>
                <tbody>
                  {r.recipients.map((x, i) => (
                    <tr key={x.token_id ?? `anonymous-${i}`}>
                      <td>
                        {x.token_id ? (
                          <Link to={`/admin/${org}/settings/portal/tokens/${x.token_id}`}>{x.token_name ?? "Access token"}</Link>
                        ) : (
                          "Anonymous (public portal)"
                        )}
                      </td>
                      <td className="num">{x.deliveries}</td>
                      <td className="nowrap">{formatDateTime(x.first_at)}</td>
                      <td className="nowrap">{formatDateTime(x.last_at)}</td>
                      <td>
                        {x.sha256.map((h) => (
                          <div key={h}>
                            <CopyableHash value={h} short={16} label={`the SHA-256 delivered to ${x.token_name ?? "anonymous visitors"}`} />{" "}
                            {h === sha256 ? (
                              <span className="ok small">✓ this artifact</span>
                            ) : (
                              <span className="bad small">different bytes</span>
                            )}
                          </div>
                        ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
            </>
          )
        }
      </Async>
    </section>
  );
}

export function ArtifactPage() {
  const { id = "" } = useParams();
  const { org, canPublish, isAdmin } = useOrg();
  const client = useQueryClient();
  const invalidate = useInvalidate();
  const artifact = useQuery({
    queryKey: ["org", org.slug, "artifact", id],
    queryFn: () => unwrap(adminApi.GET("/api/v1/orgs/{org}/artifacts/{id}", { params: { path: { org: org.slug, id } } })),
  });
  // Published, withdrawn or labelled here: the answer is the artifact; the lists and products follow.
  const onChanged = (a: ArtifactDetail) => {
    client.setQueryData(["org", org.slug, "artifact", id], a);
    invalidate(["org", org.slug, "artifacts"], ["org", org.slug, "product"]);
  };
  // Which label "portal default" means (the portal settings are for admins only).
  const portal = useQuery({
    queryKey: ["org", org.slug, "portal", "settings"],
    queryFn: () => unwrap(adminApi.GET("/api/v1/orgs/{org}/portal", { params: { path: { org: org.slug } } })),
    enabled: isAdmin,
  });
  useTitle(artifact.data ? artifact.data.title || artifact.data.filename : "Artifact");

  return (
    <Async resource={artifact}>
      {(a) => {
        const pv = a.product_version;
        const facts = readFacts(a.facts);
        const versionUrl = `/admin/${org.slug}/products/${pv.product_slug}/versions/${encodeURIComponent(pv.version)}`;
        return (
          <>
            <PageHeader
              crumbs={[
                { label: "Products", to: `/admin/${org.slug}/products` },
                { label: pv.product_name, to: `/admin/${org.slug}/products/${pv.product_slug}` },
                { label: pv.version, to: versionUrl },
                { label: a.filename },
              ]}
              title={a.title || a.filename}
              badges={
                <>
                  <StatusBadge status={a.kind} /> <StatusBadge status={a.status} />
                </>
              }
              subtitle={
                <>
                  {KIND_LABELS[a.kind]} · {a.format} · {formatBytes(a.size)}
                </>
              }
              actions={
                <ArtifactActions org={org.slug} artifact={a} canPublish={canPublish} onChanged={onChanged} />
              }
            />
            {a.status === "draft" && (
              <Alert tone="info" polite>
                This is a draft: customers cannot see it until it is published.
              </Alert>
            )}
            {a.status === "withdrawn" && (
              <Alert tone="danger" polite title="Withdrawn">
                Withdrawn {formatDateTime(a.withdrawn_at)}
                {a.withdrawn_by && <> by {a.withdrawn_by}</>}
                {a.withdrawal_reason && <>: “{a.withdrawal_reason}”</>}. Customers no longer see it.
              </Alert>
            )}
            <div className="grid-2">
              <section className="card" aria-labelledby="facts-heading">
                <h2 id="facts-heading" className="card-title">
                  {a.kind === "sbom" ? "SBOM" : a.kind === "advisory" ? "Advisory" : a.kind === "vex" ? "VEX" : "Document"}{" "}
                  facts
                </h2>
                <ArtifactFactsView facts={a.facts} />
                {a.kind === "vex" && (
                  <FactList>
                    <Fact label="Statements">{facts.vex_statement_count ?? a.vex_statements.length}</Fact>
                  </FactList>
                )}
              </section>
              <section className="card" aria-labelledby="record-heading">
                <h2 id="record-heading" className="card-title">
                  Record
                </h2>
                <FactList>
                  <Fact label="File">{a.filename}</Fact>
                  <Fact label="Media type">
                    <span className="mono">{a.media_type}</span>
                  </Fact>
                  <Fact label="SHA-256">
                    <CopyableHash value={a.sha256} label="the SHA-256" />
                  </Fact>
                  {a.sha512 && (
                    <Fact label="SHA-512">
                      <span data-testid="sha512">
                        <CopyableHash value={a.sha512} label="the SHA-512" />
                      </span>
                    </Fact>
                  )}
                  {a.csaf_url && (
                    <Fact label="CSAF provider">
                      <ProviderLink path={a.csaf_url} what="the CSAF document" />
                    </Fact>
                  )}
                  {a.signature_url && (
                    <Fact label="Signature">
                      <ProviderLink path={a.signature_url} what="the OpenPGP signature" />
                    </Fact>
                  )}
                  <Fact label="TLP label">
                    <ArtifactLabel
                      org={org.slug}
                      artifact={a}
                      canPublish={canPublish}
                      isAdmin={isAdmin}
                      defaultTlp={portal.data?.default_tlp}
                      onChanged={onChanged}
                    />
                  </Fact>
                  <Fact label="Uploaded">
                    {formatDateTime(a.uploaded_at)} by {a.uploaded_by.name}
                  </Fact>
                  <Fact label="Published">
                    {a.published_at ? (
                      <>
                        {formatDateTime(a.published_at)}
                        {a.published_by && <> by {a.published_by}</>}
                      </>
                    ) : (
                      <span className="muted">Not published</span>
                    )}
                  </Fact>
                  <Fact label="Applies to">
                    <ul className="plain-list">
                      {a.applies_to.map((v) => (
                        <li key={v.version_id}>
                          <Link
                            to={`/admin/${org.slug}/products/${v.product_slug}/versions/${encodeURIComponent(v.version)}`}
                          >
                            {v.product_name} <span className="mono">{v.version}</span>
                          </Link>
                        </li>
                      ))}
                    </ul>
                  </Fact>
                  {a.supersedes && (
                    <Fact label="Supersedes">
                      <Link to={`/admin/${org.slug}/artifacts/${a.supersedes}`}>Previous version</Link>
                    </Fact>
                  )}
                  {a.superseded_by && (
                    <Fact label="Superseded by">
                      <Link to={`/admin/${org.slug}/artifacts/${a.superseded_by}`}>Newer version</Link>
                    </Fact>
                  )}
                </FactList>
              </section>
            </div>
            {a.kind === "sbom" && (
              <section aria-labelledby="conformance-heading" id="conformance">
                <h2 id="conformance-heading" className="section-title">
                  Conformance
                </h2>
                <p className="muted small section-description">
                  The SBOM checked against BSI TR-03183-2, the NTIA minimum elements and CISA’s 2025 minimum elements.
                  Settings › Supplier Portal can require profiles before an SBOM is published.
                </p>
                <div className="card">
                  <ConformanceReport profiles={facts.conformance ?? []} />
                </div>
              </section>
            )}
            {(a.vex_statements.length > 0 || a.kind === "vex") && (
              <section aria-labelledby="vex-heading">
                <h2 id="vex-heading" className="section-title">
                  VEX statements
                </h2>
                <div className="card card-flush">
                  <VexTable statements={a.vex_statements} />
                </div>
              </section>
            )}
            {a.status !== "draft" && (
              <Deliveries
                org={org.slug}
                artifactId={a.id}
                sha256={a.sha256}
                withdrawnAt={a.status === "withdrawn" ? (a.withdrawn_at ?? a.published_at ?? null) : null}
                kind={a.kind}
              />
            )}
          </>
        );
      }}
    </Async>
  );
}

/**
 * Where customers and aggregators fetch a published CSAF document or its signature from the
 * portal's CSAF provider: the full address, wrapped where it must, with a copy button.
 */
function ProviderLink({ path, what }: { path: string; what: string }) {
  const url = `${window.location.origin}${path}`;
  return (
    <span className="provider-link">
      <code className="mono break">{url}</code>{" "}
      <CopyButton text={url} label="Copy" ariaLabel={`Copy the address of ${what}`} className="link-button" />
    </span>
  );
}
