import { useEffect, useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { adminApi, unwrap } from "../../api/client";
import {
  EXPIRY_CHOICES,
  type AccessTokenView,
  type CreateAccessToken,
  type CreatedAccessToken,
  type ExpiresIn,
  type PortalSettings,
  type ProductView,
  type Tlp,
  type UpdateAccessToken,
} from "../../api/types";
import { useInvalidate, useQuery, useSubmit, useTitle } from "../../hooks";
import { useOrg } from "../context";
import { PageHeader } from "../../components/PageHeader";
import { Async, EmptyState } from "../../components/States";
import { Badge, StatusBadge, TlpBadge } from "../../components/Badge";
import { Dialog } from "../../components/Dialog";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { SecretDialog } from "../../components/SecretDialog";
import { Checkbox, Field } from "../../components/Field";
import { ProblemAlert } from "../../components/Alert";
import { formatDate, formatDateTime, formatRelative, plural } from "../../format";
import { PortalTabs } from "./PortalTabs";
import { CopyButton } from "../../components/CopyButton";
import { TableScroll } from "../../components/TableScroll";
import { AdminsOnly, AnonymousPreviewLink } from "./PortalSettingsPage";
import { tokenPath } from "../links";
import { ClearanceField, ProductScope, TokenOptionsFields, newTokenOptions, scopeError, type TokenOptions } from "./TokenOptionsFields";

/** Where the customer is told about vulnerabilities and expiry. */
function ContactEmailField({ value, onChange, error }: { value: string; onChange: (v: string) => void; error?: string }) {
  return (
    <Field
      label="Contact e-mail"
      optional
      hint="Where this customer is told about vulnerabilities in what it received, and before the token expires."
      error={error}
    >
      {(c) => <input {...c} type="email" name="contact_email" value={value} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  );
}

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
  const [options, setOptions] = useState<TokenOptions>(() => newTokenOptions("90d"));
  const [contactEmail, setContactEmail] = useState("");
  const [scopeProblem, setScopeProblem] = useState<string | undefined>(undefined);
  const create = useSubmit(async () => {
    const body: CreateAccessToken = {
      name: name.trim(),
      expires_in: options.expiresIn,
      max_tlp: options.maxTlp,
      product_ids: options.scoped ? options.productIds : null,
    };
    if (contactEmail.trim()) body.contact_email = contactEmail.trim();
    const t = await unwrap(adminApi.POST("/api/v1/orgs/{org}/portal/tokens", { params: { path: { org } }, body }));
    onCreated(t);
  });
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const problem = scopeError(options);
    setScopeProblem(problem);
    if (problem) return;
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
        <ContactEmailField value={contactEmail} onChange={setContactEmail} error={create.fieldError("contact_email")} />
        <TokenOptionsFields
          products={products}
          value={options}
          onChange={setOptions}
          fieldError={create.fieldError}
          productsError={scopeProblem}
        />
        <ProblemAlert error={create.error} shownFields={["name", "contact_email", "expires_in", "max_tlp", "product_ids"]} />
      </form>
    </Dialog>
  );
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  const x = [...new Set(a)].sort();
  const y = [...new Set(b)].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** What an edit changes, and only that (`PATCH` leaves omitted fields as they are). */
export function tokenChanges(
  token: AccessTokenView,
  next: { name: string; maxTlp: Tlp; productIds: string[] | null; contactEmail?: string; expiresIn?: ExpiresIn | "" },
): UpdateAccessToken {
  const body: UpdateAccessToken = {};
  const name = next.name.trim();
  if (name !== token.name) body.name = name;
  if (next.contactEmail !== undefined) {
    const email = next.contactEmail.trim() || null;
    if (email !== (token.contact_email ?? null)) body.contact_email = email;
  }
  if (next.expiresIn) body.expires_in = next.expiresIn;
  if (next.maxTlp !== token.max_tlp) body.max_tlp = next.maxTlp;
  const before = token.product_ids ?? null;
  if (before === null ? next.productIds !== null : next.productIds === null || !sameIds(before, next.productIds)) {
    body.product_ids = next.productIds;
  }
  return body;
}

/** Renames a token, changes its clearance or its products; the change applies from its next request. */
export function EditTokenDialog({
  org,
  token,
  products,
  onClose,
  onSaved,
}: {
  org: string;
  token: AccessTokenView;
  products: ProductView[];
  onClose: () => void;
  onSaved: (t: AccessTokenView) => void;
}) {
  const [name, setName] = useState(token.name);
  const [maxTlp, setMaxTlp] = useState<Tlp>(token.max_tlp === "unlabeled" ? "amber" : token.max_tlp);
  const [scoped, setScoped] = useState(!!token.product_ids);
  const [productIds, setProductIds] = useState<string[]>(token.product_ids ?? []);
  const [contactEmail, setContactEmail] = useState(token.contact_email ?? "");
  const [expiresIn, setExpiresIn] = useState<ExpiresIn | "">("");
  const [formErrors, setFormErrors] = useState<{ name?: string; product_ids?: string }>({});
  const save = useSubmit(async (body: UpdateAccessToken) => {
    const t = await unwrap(
      adminApi.PATCH("/api/v1/orgs/{org}/portal/tokens/{id}", {
        params: { path: { org, id: token.id } },
        body,
      }),
    );
    onSaved(t);
  });
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const errors: typeof formErrors = {};
    if (!name.trim()) errors.name = "Enter who this token is for.";
    errors.product_ids = scopeError({ scoped, productIds });
    setFormErrors(errors);
    if (errors.name || errors.product_ids) return;
    const body = tokenChanges(token, { name, maxTlp, productIds: scoped ? productIds : null, contactEmail, expiresIn });
    if (Object.keys(body).length === 0) {
      onClose();
      return;
    }
    void save.submit(body);
  }
  return (
    <Dialog
      title={`Edit ${token.name}`}
      onClose={onClose}
      dismissible={!save.busy}
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={save.busy}>
            Cancel
          </button>
          <button type="submit" form="edit-access-token-form" className="button button-primary" disabled={save.busy}>
            {save.busy ? "Saving…" : "Save changes"}
          </button>
        </>
      }
    >
      <form id="edit-access-token-form" onSubmit={onSubmit} noValidate>
        <p className="muted small">
          <span className="mono">{token.hint}</span> · Changes apply from the token’s next request, open sessions included.
        </p>
        <Field label="Name" error={formErrors.name ?? save.fieldError("name")}>
          {(c) => <input {...c} name="name" data-autofocus required value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <ContactEmailField value={contactEmail} onChange={setContactEmail} error={save.fieldError("contact_email")} />
        <Field
          label="Extend expiry"
          hint={`Currently ${token.expires_at ? `valid until ${formatDate(token.expires_at)}` : "without expiry"}. A new lifetime counts from now.`}
          error={save.fieldError("expires_in")}
        >
          {(c) => (
            <select {...c} name="expires_in" value={expiresIn} onChange={(e) => setExpiresIn(e.target.value as ExpiresIn | "")}>
              <option value="">Keep the current expiry</option>
              {EXPIRY_CHOICES.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.value === "never" ? o.label : `${o.label} from now`}
                </option>
              ))}
            </select>
          )}
        </Field>
        <ClearanceField value={maxTlp} onChange={setMaxTlp} error={save.fieldError("max_tlp")} />
        <ProductScope
          products={products}
          scoped={scoped}
          onScoped={setScoped}
          productIds={productIds}
          onProductIds={setProductIds}
          error={formErrors.product_ids ?? save.fieldError("product_ids")}
        />
        <ProblemAlert error={save.error} shownFields={["name", "contact_email", "expires_in", "max_tlp", "product_ids"]} title="Could not save the token" />
      </form>
    </Dialog>
  );
}

/**
 * What to send the customer with a new token: where the portal is, how to sign in, and how tools
 * use the token (a curl line); the token itself is in it, so send it over a trusted channel.
 */
export function tokenMessage({
  name,
  token,
  expiresAt,
  portalUrl,
  apiBase,
  displayName,
}: {
  name: string;
  token: string;
  expiresAt?: string | null;
  portalUrl: string;
  apiBase: string;
  displayName?: string;
}): string {
  return [
    `Hello ${name},`,
    "",
    `you now have access to ${displayName ? `the ${displayName} portal` : "our Supplier Portal"}: SBOMs, VEX statements, security advisories and compliance documents of our products.`,
    "",
    `Portal: ${portalUrl}`,
    `Access token: ${token}`,
    expiresAt ? `Valid until: ${formatDate(expiresAt)}` : "Valid until: revoked (it does not expire)",
    "",
    "Open the portal and sign in with the access token. Keep it secret: anyone who has it sees what you see.",
    "",
    "For scripts and tools, send it as a Bearer token, e.g.:",
    `curl -H "Authorization: Bearer ${token}" ${apiBase}/products`,
  ].join("\n");
}

/** The message above, with a copy button, for the secret dialog. */
export function TokenMessage({ created, settings }: { created: CreatedAccessToken; settings: PortalSettings | null | undefined }) {
  const slug = settings?.slug;
  const origin = window.location.origin;
  const portalUrl = settings?.url ?? `${origin}/portal/${slug ?? ""}`;
  const apiBase = `${origin}/api/v1/portal/${encodeURIComponent(slug ?? "")}`;
  const text = tokenMessage({
    name: created.name,
    token: created.token,
    expiresAt: created.expires_at,
    portalUrl,
    apiBase,
    displayName: settings?.display_name,
  });
  return (
    <section className="token-message-section" aria-labelledby="token-message-heading">
      <h3 id="token-message-heading" className="subsection-title">
        Ready-to-send message
      </h3>
      <p className="muted small">The portal’s address, how to sign in, and how tools use the token.</p>
      <pre className="token-message" data-testid="token-message">
        {text}
      </pre>
      <CopyButton text={text} label="Copy message" className="button" />
    </section>
  );
}

export function scopeLabel(t: AccessTokenView, products: ProductView[]): string {
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
  const [editing, setEditing] = useState<AccessTokenView | null>(null);
  // In the address, so that coming back from a token's page keeps the list as it was.
  // The box follows its own state: react-router applies the address change in a transition, and a
  // controlled checkbox bound to the address alone springs back until that transition commits.
  // When the address changes otherwise (the tab link, back and forward), the box follows it.
  const [params, setParams] = useSearchParams();
  const hideInAddress = params.get("revoked") === "hide";
  const [hideRevoked, setHideRevokedState] = useState(hideInAddress);
  useEffect(() => setHideRevokedState(hideInAddress), [hideInAddress]);
  const setHideRevoked = (hide: boolean) => {
    setHideRevokedState(hide);
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (hide) next.set("revoked", "hide");
        else next.delete("revoked");
        return next;
      },
      { replace: true },
    );
  };
  // The portal's address, for the message that goes with a new token.
  const settings = useQuery({
    queryKey: ["org", org.slug, "portal", "settings"],
    queryFn: () => unwrap(adminApi.GET("/api/v1/orgs/{org}/portal", { params: { path: { org: org.slug } } })),
    enabled: isAdmin,
  });
  const tokens = useQuery({
    queryKey: ["org", org.slug, "portal", "tokens"],
    queryFn: () => unwrap(adminApi.GET("/api/v1/orgs/{org}/portal/tokens", { params: { path: { org: org.slug } } })),
    enabled: isAdmin,
  });
  const products = useQuery({
    queryKey: ["org", org.slug, "products", { include_archived: true }],
    queryFn: () =>
      unwrap(
        adminApi.GET("/api/v1/orgs/{org}/products", {
          params: { path: { org: org.slug }, query: { include_archived: true } },
        }),
      ),
  });
  const invalidate = useInvalidate();
  // A token's change shows in the list, in what it may read (its preview, usage, subscriptions) and
  // on the overview (tokens expiring, active tokens).
  const tokenChanged = (id?: string) =>
    invalidate(
      ["org", org.slug, "portal", "tokens"],
      ["org", org.slug, "overview"],
      ...(id ? [["org", org.slug, "portal", "token", id]] : []),
    );

  const createButton = isAdmin && (
    <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
      Create Access Token
    </button>
  );
  const headerActions = isAdmin && (
    <div className="button-row">
      <AnonymousPreviewLink org={org.slug} />
      {createButton}
    </div>
  );

  return (
    <>
      <PageHeader
        crumbs={[{ label: "Settings" }, { label: "Supplier Portal" }]}
        title="Supplier Portal"
        subtitle="Each access token identifies one customer or integration. Review tokens regularly and revoke the ones no longer needed."
        actions={headerActions}
      />
      <PortalTabs org={org.slug} />
      {!isAdmin ? (
        <AdminsOnly what="manage access tokens" />
      ) : (
        <Async resource={tokens}>
          {(all) => {
            const revoked = all.filter((t) => t.status === "revoked").length;
            const list = hideRevoked ? all.filter((t) => t.status !== "revoked") : all;
            return all.length === 0 ? (
              <EmptyState title="No access tokens" action={createButton}>
                Customers of a private portal sign in with an access token. Create one per customer.
              </EmptyState>
            ) : (
              <>
              <div className="toolbar toolbar-start">
                <Checkbox
                  label={`Hide revoked tokens${revoked > 0 ? ` (${revoked})` : ""}`}
                  checked={hideRevoked}
                  onChange={setHideRevoked}
                />
              </div>
              {list.length === 0 ? (
                <EmptyState title="Every token is revoked">Show revoked tokens to see them.</EmptyState>
              ) : (
              <TableScroll label="Access tokens" className="card card-flush">
                <table className="table" data-testid="access-tokens">
                  <caption className="visually-hidden">Access tokens</caption>
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Created</th>
                      <th scope="col">Expires</th>
                      <th scope="col">Last used</th>
                      <th scope="col">Access</th>
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
                            <Link to={tokenPath(org.slug, t.id)} className="strong-link">
                              {t.name}
                            </Link>
                            <div className="muted small mono">{t.hint}</div>
                            {t.contact_email && <div className="muted small break">{t.contact_email}</div>}
                          </td>
                          <td>
                            <span className="nowrap">{formatDate(t.created_at)}</span>
                            <div className="muted small break">{t.created_by}</div>
                          </td>
                          <td className="nowrap">
                            {t.expires_at ? (
                              formatDate(t.expires_at)
                            ) : (
                              <>
                                Never
                                {active && (
                                  <div>
                                    <Badge tone="warning" title="Tokens that never expire stay valid until revoked">
                                      No expiry
                                    </Badge>
                                  </div>
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
                            {t.use_count > 0 && <div className="muted small">{plural(t.use_count, "use")}</div>}
                          </td>
                          <td>
                            <TlpBadge tlp={t.max_tlp} />
                            <div className="small">{scopeLabel(t, products.data ?? [])}</div>
                          </td>
                          <td>
                            <StatusBadge status={t.status} />
                          </td>
                          <td className="row-actions">
                            <div className="button-row">
                              <Link
                                to={`/admin/${org.slug}/settings/portal/tokens/${t.id}/preview`}
                                className="button button-small"
                                aria-label={`View the portal as ${t.name}`}
                              >
                                View as
                              </Link>
                              <Link
                                to={`/admin/${org.slug}/settings/portal/tokens/${t.id}/subscriptions`}
                                className="button button-small"
                                aria-label={`Subscriptions of ${t.name}`}
                              >
                                Subscriptions
                              </Link>
                              {active && (
                                <button
                                  type="button"
                                  className="button button-small"
                                  aria-label={`Edit ${t.name}`}
                                  onClick={() => setEditing(t)}
                                >
                                  Edit
                                </button>
                              )}
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
                            </div>
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </TableScroll>
              )}
              </>
            );
          }}
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
            tokenChanged();
          }}
        />
      )}
      {editing && (
        <EditTokenDialog
          org={org.slug}
          token={editing}
          products={products.data ?? []}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            tokenChanged(editing.id);
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
        >
          <TokenMessage created={created} settings={settings.data} />
        </SecretDialog>
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
            tokenChanged(revoking.id);
          }}
        >
          <p>The token is permanently disabled. The customer loses access immediately, including open sessions.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
