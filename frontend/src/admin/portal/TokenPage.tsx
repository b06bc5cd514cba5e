import { lazy, Suspense, useState } from "react";
import { Link, useParams } from "react-router";
import { adminApi, unwrap } from "../../api/client";
import { ApiError } from "../../api/problem";
import { coveredBy, tlpList, type AccessTokenView } from "../../api/types";
import { useInvalidate, useQuery, useTitle } from "../../hooks";
import { useOrg } from "../context";
import { PageHeader } from "../../components/PageHeader";
import { Async, EmptyState, Loading } from "../../components/States";
import { Badge, StatusBadge, TlpBadge } from "../../components/Badge";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Fact, FactList } from "../../components/Facts";
import { formatDate, formatDateTime, formatRelative, plural } from "../../format";
import { AdminsOnly } from "./PortalSettingsPage";
import { EditTokenDialog, scopeLabel } from "./AccessTokensPage";
import { SubscriptionsHint, TokenSubscriptionList } from "./TokenSubscriptionsPage";
import { tokenKey, useAccessToken } from "./tokenQuery";

// The usage charts (Chart.js) load with the first token page opened.
const TokenUsage = lazy(() => import("./TokenUsagePage").then((m) => ({ default: m.TokenUsage })));

function TokenFacts({ token: t, scope }: { token: AccessTokenView; scope: string }) {
  const active = t.status === "active";
  return (
    <section className="card" aria-labelledby="token-facts-heading">
      <h2 id="token-facts-heading" className="card-title">
        About this token
      </h2>
      <FactList>
        <Fact label="Name">{t.name}</Fact>
        <Fact label="Token">
          <span className="mono">{t.hint}</span>
          <div className="muted small">The secret itself was shown once, when the token was created.</div>
        </Fact>
        <Fact label="Status">
          <StatusBadge status={t.status} />
          {t.revoked_at && <div className="muted small">Revoked {formatDateTime(t.revoked_at)}</div>}
        </Fact>
        <Fact label="Products">{scope}</Fact>
        <Fact label="TLP clearance">
          <TlpBadge tlp={t.max_tlp} />
          <div className="muted small">May read {tlpList(coveredBy(t.max_tlp))}.</div>
        </Fact>
        <Fact label="Contact e-mail">
          {t.contact_email ? (
            <a href={`mailto:${t.contact_email}`} className="break">
              {t.contact_email}
            </a>
          ) : (
            <span className="muted">None</span>
          )}
        </Fact>
        <Fact label="Expires">
          {t.expires_at ? (
            <>
              {formatDate(t.expires_at)} <span className="muted small">({formatRelative(t.expires_at)})</span>
            </>
          ) : (
            <>
              Never{" "}
              {active && (
                <Badge tone="warning" title="Tokens that never expire stay valid until revoked">
                  No expiry
                </Badge>
              )}
            </>
          )}
        </Fact>
        <Fact label="Created">
          {formatDate(t.created_at)} <span className="muted small">by {t.created_by}</span>
        </Fact>
        <Fact label="Last used">
          {t.last_used_at ? (
            <>
              <span title={formatDateTime(t.last_used_at)}>{formatRelative(t.last_used_at)}</span>
              {t.last_used_ip && <span className="muted small mono"> from {t.last_used_ip}</span>}
              <div className="muted small">{plural(t.use_count, "use")} in all</div>
            </>
          ) : active ? (
            <Badge tone="warning" title="Unused tokens are candidates for revoking">
              Never used
            </Badge>
          ) : (
            "Never"
          )}
        </Fact>
      </FactList>
    </section>
  );
}

/** One access token: what it is and may read, edit and revoke, its use, and its subscriptions. */
export function TokenPage() {
  const { id = "" } = useParams();
  const { org, isAdmin } = useOrg();
  const [editing, setEditing] = useState(false);
  const [revoking, setRevoking] = useState(false);
  const [subscribing, setSubscribing] = useState(false);
  const token = useAccessToken(org.slug, id, isAdmin);
  const products = useQuery({
    queryKey: ["org", org.slug, "products", { include_archived: true }],
    queryFn: () =>
      unwrap(adminApi.GET("/api/v1/orgs/{org}/products", { params: { path: { org: org.slug }, query: { include_archived: true } } })),
    enabled: isAdmin,
  });
  const invalidate = useInvalidate();
  // A change shows in the token list, in what it may read (preview, usage, subscriptions) and on the overview.
  const changed = () =>
    invalidate(["org", org.slug, "portal", "tokens"], tokenKey(org.slug, id), ["org", org.slug, "overview"]);
  useTitle(token.data ? `${token.data.name} · Access token` : "Access token");
  if (!isAdmin) return <AdminsOnly what="see access tokens" />;
  const tokensPath = `/admin/${org.slug}/settings/portal/tokens`;
  if (token.error instanceof ApiError && token.error.status === 404) {
    return (
      <>
        <PageHeader
          crumbs={[{ label: "Settings" }, { label: "Supplier Portal", to: `/admin/${org.slug}/settings/portal` }, { label: "Access Tokens", to: tokensPath }]}
          title="Access token not found"
        />
        <EmptyState
          title="There is no such access token"
          action={
            <Link to={tokensPath} className="button">
              See every access token
            </Link>
          }
        >
          It may have been created in another organisation, or the link is incomplete.
        </EmptyState>
      </>
    );
  }
  return (
    <Async resource={token}>
      {(t) => {
        const active = t.status === "active";
        return (
          <>
            <PageHeader
              crumbs={[
                { label: "Settings" },
                { label: "Supplier Portal", to: `/admin/${org.slug}/settings/portal` },
                { label: "Access Tokens", to: tokensPath },
                { label: t.name },
              ]}
              title={t.name}
              badges={<StatusBadge status={t.status} />}
              subtitle="An access token identifies one customer or integration in the portal."
              actions={
                <div className="button-row">
                  <Link to={`${tokensPath}/${encodeURIComponent(id)}/preview`} className="button">
                    View as this customer
                  </Link>
                  {active && (
                    <button type="button" className="button" onClick={() => setEditing(true)}>
                      Edit
                    </button>
                  )}
                  {active && (
                    <button type="button" className="button button-danger-outline" onClick={() => setRevoking(true)}>
                      Revoke
                    </button>
                  )}
                </div>
              }
            />
            <TokenFacts token={t} scope={scopeLabel(t, products.data ?? [])} />
            <Suspense fallback={<Loading label="Loading usage…" />}>
              <TokenUsage id={id} />
            </Suspense>
            <section aria-labelledby="token-subscriptions-heading" className="token-subscriptions">
              <div className="row-between wrap">
                <h2 id="token-subscriptions-heading" className="section-title">
                  Subscriptions
                </h2>
                <button type="button" className="button" onClick={() => setSubscribing(true)}>
                  New subscription
                </button>
              </div>
              <p className="muted small">
                <SubscriptionsHint contactEmail={t.contact_email} />
              </p>
              <TokenSubscriptionList id={id} creating={subscribing} onCreating={setSubscribing} />
            </section>
            {editing && (
              <EditTokenDialog
                org={org.slug}
                token={t}
                products={products.data ?? []}
                onClose={() => setEditing(false)}
                onSaved={() => {
                  setEditing(false);
                  changed();
                }}
              />
            )}
            {revoking && (
              <ConfirmDialog
                title={`Revoke ${t.name}?`}
                confirmLabel="Revoke"
                danger
                onClose={() => setRevoking(false)}
                onConfirm={async () => {
                  await unwrap(adminApi.POST("/api/v1/orgs/{org}/portal/tokens/{id}/revoke", { params: { path: { org: org.slug, id } } }));
                  changed();
                }}
              >
                <p>The token is permanently disabled. The customer loses access immediately, including open sessions.</p>
              </ConfirmDialog>
            )}
          </>
        );
      }}
    </Async>
  );
}
