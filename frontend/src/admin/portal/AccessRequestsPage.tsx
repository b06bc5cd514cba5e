import { useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { adminApi, unwrap } from "../../api/client";
import {
  type AccessDecision,
  type AccessRequestStatus,
  type AccessRequestView,
  type CreatedAccessToken,
  type ProductView,
} from "../../api/types";
import { useInvalidate, useQuery, useSubmit, useTitle } from "../../hooks";
import { useOrg } from "../context";
import { PageHeader } from "../../components/PageHeader";
import { Async, EmptyState } from "../../components/States";
import { Dialog } from "../../components/Dialog";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { SecretDialog } from "../../components/SecretDialog";
import { Field } from "../../components/Field";
import { Alert, ProblemAlert } from "../../components/Alert";
import { CopyableHash } from "../../components/Download";
import { TableScroll } from "../../components/TableScroll";
import { formatDateTime, formatRelative } from "../../format";
import { PortalTabs } from "./PortalTabs";
import { AdminsOnly } from "./PortalSettingsPage";
import { TokenMessage } from "./AccessTokensPage";
import { TokenOptionsFields, newTokenOptions, scopeError, type TokenOptions } from "./TokenOptionsFields";
import { DecisionButtons, DecisionStatus } from "./RequestDecision";
import { tokenPath } from "../links";

const STATUS_CHOICES: { value: AccessRequestStatus | ""; label: string }[] = [
  { value: "", label: "All requests" },
  { value: "pending", label: "Pending" },
  { value: "approved", label: "Approved" },
  { value: "declined", label: "Declined" },
];

/** The NDA a requester accepted: its version and the SHA-256 of the text they saw (copyable). */
export function NdaAccepted({ request: r }: { request: AccessRequestView }) {
  if (!r.nda_version || !r.nda_sha256) return <span className="muted">No NDA</span>;
  return (
    <div className="nda-accepted">
      <div>
        Version <strong>{r.nda_version}</strong>
      </div>
      <div className="small">
        <span className="muted">SHA-256</span>{" "}
        <CopyableHash value={r.nda_sha256} short={12} label={`the SHA-256 of the NDA ${r.name} accepted`} />
      </div>
    </div>
  );
}

/** Approves a request into a new access token: its name, lifetime, clearance and products. */
function ApproveDialog({
  org,
  request,
  products,
  onClose,
  onApproved,
}: {
  org: string;
  request: AccessRequestView;
  products: ProductView[];
  onClose: () => void;
  onApproved: (token: CreatedAccessToken | null) => void;
}) {
  const [tokenName, setTokenName] = useState(request.company);
  const [options, setOptions] = useState<TokenOptions>(() => newTokenOptions("1y"));
  const [note, setNote] = useState("");
  const [formErrors, setFormErrors] = useState<{ token_name?: string; product_ids?: string }>({});
  const approve = useSubmit(async () => {
    const body: AccessDecision = {
      decision: "approve",
      token_name: tokenName.trim(),
      expires_in: options.expiresIn,
      max_tlp: options.maxTlp,
    };
    if (options.scoped) body.product_ids = options.productIds;
    if (note.trim()) body.note = note.trim();
    const result = await unwrap(
      adminApi.POST("/api/v1/orgs/{org}/portal/access-requests/{id}/decision", { params: { path: { org, id: request.id } }, body }),
    );
    onApproved(result.token ?? null);
  });
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const errors: typeof formErrors = {};
    if (!tokenName.trim()) errors.token_name = "Enter who the token is for.";
    errors.product_ids = scopeError(options);
    setFormErrors(errors);
    if (errors.token_name || errors.product_ids) return;
    void approve.submit();
  }
  return (
    <Dialog
      title={`Give ${request.company} access`}
      onClose={onClose}
      dismissible={!approve.busy}
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={approve.busy}>
            Cancel
          </button>
          <button type="submit" form="approve-access-form" className="button button-primary" disabled={approve.busy}>
            {approve.busy ? "Approving…" : "Approve and create token"}
          </button>
        </>
      }
    >
      <form id="approve-access-form" onSubmit={onSubmit} noValidate>
        <p className="muted small">
          {request.name} ({request.email}) gets a new access token. Its contact e-mail is {request.email}; you send them
          the token yourself.
        </p>
        <Field label="Token name" hint="Who the token is for; the company they named." error={formErrors.token_name ?? approve.fieldError("token_name") ?? approve.fieldError("name")}>
          {(c) => <input {...c} name="token_name" data-autofocus required value={tokenName} onChange={(e) => setTokenName(e.target.value)} />}
        </Field>
        <TokenOptionsFields
          products={products}
          value={options}
          onChange={setOptions}
          fieldError={approve.fieldError}
          productsError={formErrors.product_ids}
        />
        <Field label="Note" optional hint="Kept with the request for your colleagues; not sent to the requester." error={approve.fieldError("note")}>
          {(c) => <textarea {...c} name="note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />}
        </Field>
        <ProblemAlert
          error={approve.error}
          shownFields={["token_name", "name", "expires_in", "max_tlp", "product_ids", "note"]}
          title="Could not approve the request"
        />
      </form>
    </Dialog>
  );
}

function RequestStatus({ org, request: r, tokenName }: { org: string; request: AccessRequestView; tokenName?: string }) {
  return (
    <DecisionStatus request={r}>
      {r.token_id && (
        <div className="small">
          <Link to={tokenPath(org, r.token_id)}>{tokenName ? `Token: ${tokenName}` : "Open the access token"}</Link>
        </div>
      )}
      {r.decision_note && <div className="muted small break">“{r.decision_note}”</div>}
    </DecisionStatus>
  );
}

/** Visitors' requests for access to the private portal: approve (a new access token) or decline. */
export function AccessRequestsPage() {
  useTitle("Access requests");
  const { org, isAdmin } = useOrg();
  const [params, setParams] = useSearchParams();
  const status = (params.get("status") ?? "") as AccessRequestStatus | "";
  const [approving, setApproving] = useState<AccessRequestView | null>(null);
  const [declining, setDeclining] = useState<AccessRequestView | null>(null);
  const [created, setCreated] = useState<CreatedAccessToken | null>(null);
  const requestsKey = ["org", org.slug, "portal", "access-requests"];
  const requests = useQuery({
    queryKey: [...requestsKey, { status }],
    queryFn: () =>
      unwrap(
        adminApi.GET("/api/v1/orgs/{org}/portal/access-requests", {
          params: { path: { org: org.slug }, query: status ? { status } : {} },
        }),
      ),
    enabled: isAdmin,
  });
  // For the message that goes with a new token, and whether the portal takes requests at all.
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
      unwrap(adminApi.GET("/api/v1/orgs/{org}/products", { params: { path: { org: org.slug }, query: { include_archived: true } } })),
    enabled: isAdmin,
  });
  const invalidate = useInvalidate();
  // A decision settles the request (and the overview's count); an approval also makes a token.
  const decided = () =>
    invalidate(requestsKey, ["org", org.slug, "portal", "tokens"], ["org", org.slug, "overview"]);
  const tokenName = (id: string | null | undefined) => (id ? tokens.data?.find((t) => t.id === id)?.name : undefined);
  const takesRequests = settings.data?.landing.access_requests;

  return (
    <>
      <PageHeader
        crumbs={[{ label: "Settings" }, { label: "Supplier Portal" }]}
        title="Supplier Portal"
        subtitle="Visitors of the portal’s sign-in page ask for access; approving one creates their access token."
      />
      <PortalTabs org={org.slug} />
      {!isAdmin ? (
        <AdminsOnly what="decide access requests" />
      ) : (
        <>
          {takesRequests === false && (
            <Alert tone="info" polite>
              The portal does not take access requests at the moment. Turn on “Let visitors request access” in the{" "}
              <Link to={`/admin/${org.slug}/settings/portal`}>portal settings</Link> to offer the form on its sign-in page.
            </Alert>
          )}
          <div className="toolbar toolbar-start">
            <Field label="Show" className="field-inline">
              {(c) => (
                <select
                  {...c}
                  value={status}
                  onChange={(e) => setParams(e.target.value ? { status: e.target.value } : {}, { replace: true })}
                >
                  {STATUS_CHOICES.map((s) => (
                    <option key={s.value} value={s.value}>
                      {s.label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <Async resource={requests}>
            {(list) =>
              list.length === 0 ? (
                <EmptyState title={status === "pending" ? "No pending access requests" : status ? `No ${status} access requests` : "No access requests"}>
                  {status === "pending" ? "All good: nobody is waiting for an answer." : "Visitors can ask for access from the portal’s sign-in page."}
                </EmptyState>
              ) : (
                <TableScroll label="Access requests" className="card card-flush">
                  <table className="table" data-testid="access-requests">
                    <caption className="visually-hidden">Access requests</caption>
                    <thead>
                      <tr>
                        <th scope="col">Requester</th>
                        <th scope="col">Reason</th>
                        <th scope="col">NDA accepted</th>
                        <th scope="col">Requested</th>
                        <th scope="col">Status</th>
                        <th scope="col">
                          <span className="visually-hidden">Actions</span>
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {list.map((r) => (
                        <tr key={r.id} className={r.status === "pending" ? undefined : "row-muted"}>
                          <td>
                            <div className="strong">{r.name}</div>
                            <div className="small">{r.company}</div>
                            <div className="small break">
                              <a href={`mailto:${r.email}`}>{r.email}</a>
                            </div>
                          </td>
                          <td className="small access-reason">{r.reason}</td>
                          <td>
                            <NdaAccepted request={r} />
                          </td>
                          <td className="nowrap" title={formatDateTime(r.requested_at)}>
                            {formatRelative(r.requested_at)}
                          </td>
                          <td>
                            <RequestStatus org={org.slug} request={r} tokenName={tokenName(r.token_id)} />
                          </td>
                          <td className="row-actions">
                            <DecisionButtons
                              request={r}
                              what={`the request of ${r.name} (${r.company})`}
                              onApprove={() => setApproving(r)}
                              onDecline={() => setDeclining(r)}
                            />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableScroll>
              )
            }
          </Async>
        </>
      )}
      {approving && (
        <ApproveDialog
          org={org.slug}
          request={approving}
          products={products.data ?? []}
          onClose={() => setApproving(null)}
          onApproved={(token) => {
            setApproving(null);
            setCreated(token);
            decided();
          }}
        />
      )}
      {created && (
        <SecretDialog
          title="Access granted"
          noun="access token"
          name={created.name}
          secret={created.token}
          onClose={() => setCreated(null)}
        >
          <p className="small">
            The token is listed under Access Tokens:{" "}
            <Link to={tokenPath(org.slug, created.id)}>open {created.name}</Link> to see its use or change it.
          </p>
          <TokenMessage created={created} settings={settings.data} />
        </SecretDialog>
      )}
      {declining && (
        <ConfirmDialog
          title={`Decline the request of ${declining.name}?`}
          confirmLabel="Decline"
          danger
          reasonLabel="Note"
          onClose={() => setDeclining(null)}
          onConfirm={async (note) => {
            const body: AccessDecision = { decision: "decline" };
            if (note) body.note = note;
            await unwrap(
              adminApi.POST("/api/v1/orgs/{org}/portal/access-requests/{id}/decision", {
                params: { path: { org: org.slug, id: declining.id } },
                body,
              }),
            );
            decided();
          }}
        >
          <p>
            {declining.company} gets no access token. Nothing is sent to {declining.email}: answer them yourself if you wish.
            The note is kept with the request.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
