import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { adminApi, unwrap } from "../../api/client";
import { EXPIRY_CHOICES, type AccessTokenView, type CreatedAccessToken, type ExpiresIn, type ProductView } from "../../api/types";
import { useResource, useSubmit, useTitle } from "../../hooks";
import { useOrg } from "../context";
import { PageHeader } from "../../components/PageHeader";
import { Async, EmptyState } from "../../components/States";
import { Badge, StatusBadge } from "../../components/Badge";
import { Dialog } from "../../components/Dialog";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { SecretDialog } from "../../components/SecretDialog";
import { Checkbox, Field } from "../../components/Field";
import { ProblemAlert } from "../../components/Alert";
import { formatDate, formatDateTime, formatRelative } from "../../format";
import { PortalTabs } from "./PortalTabs";
import { AdminsOnly } from "./PortalSettingsPage";

function CreateTokenDialog({
  org,
  products,
  onClose,
  onCreated,
}: {
  org: string;
  products: ProductView[];
  onClose: () => void;
  onCreated: (t: CreatedAccessToken) => void;
}) {
  const [name, setName] = useState("");
  const [expiresIn, setExpiresIn] = useState<ExpiresIn>("90d");
  const [scoped, setScoped] = useState(false);
  const [productIds, setProductIds] = useState<string[]>([]);
  const [scopeError, setScopeError] = useState<string | undefined>(undefined);
  const create = useSubmit(async () => {
    const t = await unwrap(
      adminApi.POST("/api/v1/orgs/{org}/portal/tokens", {
        params: { path: { org } },
        body: { name: name.trim(), expires_in: expiresIn, product_ids: scoped ? productIds : null },
      }),
    );
    onCreated(t);
  });
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (scoped && productIds.length === 0) {
      setScopeError("Choose at least one product, or give access to all products.");
      return;
    }
    setScopeError(undefined);
    void create.submit();
  }
  return (
    <Dialog
      title="Create Access Token"
      onClose={onClose}
      dismissible={!create.busy}
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={create.busy}>
            Cancel
          </button>
          <button type="submit" form="access-token-form" className="button button-primary" disabled={create.busy}>
            {create.busy ? "Creating…" : "Create Access Token"}
          </button>
        </>
      }
    >
      <form id="access-token-form" onSubmit={onSubmit} noValidate>
        <Field
          label="Name"
          hint="Who this token is for, like “ACME Corporation” or “CI Pipeline”."
          error={create.fieldError("name")}
        >
          {(c) => <input {...c} name="name" data-autofocus required value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field
          label="Expires"
          hint="Shorter periods are safer but need renewing more often."
          error={create.fieldError("expires_in")}
        >
          {(c) => (
            <select {...c} name="expires_in" value={expiresIn} onChange={(e) => setExpiresIn(e.target.value as ExpiresIn)}>
              {EXPIRY_CHOICES.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <fieldset className="fieldset">
          <legend>Products</legend>
          <div className="radio-list">
            <label>
              <input type="radio" name="scope" checked={!scoped} onChange={() => setScoped(false)} /> All products in the
              portal
            </label>
            <label>
              <input type="radio" name="scope" checked={scoped} onChange={() => setScoped(true)} /> Only these products
            </label>
          </div>
          {scoped && (
            <div className="scope-list">
              {products.length === 0 && <p className="muted small">No products yet.</p>}
              {products.map((p) => (
                <Checkbox
                  key={p.id}
                  label={p.name}
                  checked={productIds.includes(p.id)}
                  onChange={(on) => setProductIds((cur) => (on ? [...cur, p.id] : cur.filter((x) => x !== p.id)))}
                />
              ))}
            </div>
          )}
          {(scopeError ?? create.fieldError("product_ids")) && (
            <p className="field-error">{scopeError ?? create.fieldError("product_ids")}</p>
          )}
        </fieldset>
        <ProblemAlert error={create.error} shownFields={["name", "expires_in", "product_ids"]} />
      </form>
    </Dialog>
  );
}

function scopeLabel(t: AccessTokenView, products: ProductView[]): string {
  if (!t.product_ids) return "All products";
  const names = t.product_ids.map((id) => products.find((p) => p.id === id)?.name ?? "removed product");
  return names.join(", ") || "No products";
}

export function AccessTokensPage() {
  useTitle("Access Tokens");
  const { org, isAdmin } = useOrg();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedAccessToken | null>(null);
  const [revoking, setRevoking] = useState<AccessTokenView | null>(null);
  const tokens = useResource(
    () =>
      isAdmin
        ? unwrap(adminApi.GET("/api/v1/orgs/{org}/portal/tokens", { params: { path: { org: org.slug } } }))
        : Promise.resolve([] as AccessTokenView[]),
    [org.slug, isAdmin],
  );
  const products = useResource(
    () =>
      unwrap(
        adminApi.GET("/api/v1/orgs/{org}/products", {
          params: { path: { org: org.slug }, query: { include_archived: true } },
        }),
      ),
    [org.slug],
  );

  const createButton = isAdmin && (
    <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
      Create Access Token
    </button>
  );

  return (
    <>
      <PageHeader
        crumbs={[{ label: "Settings" }, { label: "Supplier Portal" }]}
        title="Supplier Portal"
        subtitle="Each access token identifies one customer or integration. Review tokens regularly and revoke the ones no longer needed."
        actions={createButton}
      />
      <PortalTabs org={org.slug} />
      {!isAdmin ? (
        <AdminsOnly what="manage access tokens" />
      ) : (
        <Async resource={tokens}>
          {(list) =>
            list.length === 0 ? (
              <EmptyState title="No access tokens" action={createButton}>
                Customers of a private portal sign in with an access token. Create one per customer.
              </EmptyState>
            ) : (
              <div className="table-wrap card card-flush">
                <table className="table" data-testid="access-tokens">
                  <caption className="visually-hidden">Access tokens</caption>
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Created</th>
                      <th scope="col">Expires</th>
                      <th scope="col">Last used</th>
                      <th scope="col" className="num">
                        Uses
                      </th>
                      <th scope="col">Products</th>
                      <th scope="col">Status</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((t) => {
                      const active = t.status === "active";
                      return (
                        <tr key={t.id} className={active ? undefined : "row-muted"}>
                          <td>
                            <Link to={t.id} className="strong-link" aria-label={`${t.name}: usage`}>
                              {t.name}
                            </Link>
                            <div className="muted small mono">{t.hint}</div>
                          </td>
                          <td className="nowrap">
                            {formatDate(t.created_at)}
                            <div className="muted small">{t.created_by}</div>
                          </td>
                          <td className="nowrap">
                            {t.expires_at ? (
                              formatDate(t.expires_at)
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
                          </td>
                          <td className="nowrap">
                            {t.last_used_at ? (
                              <>
                                <span title={formatDateTime(t.last_used_at)}>{formatRelative(t.last_used_at)}</span>
                                {t.last_used_ip && <div className="muted small mono">{t.last_used_ip}</div>}
                              </>
                            ) : active ? (
                              <Badge tone="warning" title="Unused tokens are candidates for revoking">
                                Never used
                              </Badge>
                            ) : (
                              "Never"
                            )}
                          </td>
                          <td className="num">{t.use_count}</td>
                          <td className="small">{scopeLabel(t, products.data ?? [])}</td>
                          <td>
                            <StatusBadge status={t.status} />
                          </td>
                          <td className="row-actions">
                            {active && (
                              <button
                                type="button"
                                className="button button-small button-danger-outline"
                                aria-label={`Revoke ${t.name}`}
                                onClick={() => setRevoking(t)}
                              >
                                Revoke
                              </button>
                            )}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )
          }
        </Async>
      )}
      {creating && (
        <CreateTokenDialog
          org={org.slug}
          products={products.data ?? []}
          onClose={() => setCreating(false)}
          onCreated={(t) => {
            setCreating(false);
            setCreated(t);
            tokens.reload();
          }}
        />
      )}
      {created && (
        <SecretDialog
          title="Access token created"
          noun="access token"
          name={created.name}
          secret={created.token}
          onClose={() => setCreated(null)}
        />
      )}
      {revoking && (
        <ConfirmDialog
          title={`Revoke ${revoking.name}?`}
          confirmLabel="Revoke"
          danger
          onClose={() => setRevoking(null)}
          onConfirm={async () => {
            await unwrap(
              adminApi.DELETE("/api/v1/orgs/{org}/portal/tokens/{id}", {
                params: { path: { org: org.slug, id: revoking.id } },
              }),
            );
            tokens.reload();
          }}
        >
          <p>The token is permanently disabled. The customer loses access immediately, including open sessions.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
