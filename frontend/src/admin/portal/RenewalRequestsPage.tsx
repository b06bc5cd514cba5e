import { useState } from "react";
import { Link } from "react-router";
import { adminApi, unwrap } from "../../api/client";
import { EXPIRY_CHOICES, type ExpiresIn, type RenewalView } from "../../api/types";
import { useInvalidate, useQuery, useSubmit, useTitle } from "../../hooks";
import { useOrg } from "../context";
import { PageHeader } from "../../components/PageHeader";
import { Async, EmptyState } from "../../components/States";
import { Dialog } from "../../components/Dialog";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Field } from "../../components/Field";
import { ProblemAlert } from "../../components/Alert";
import { TableScroll } from "../../components/TableScroll";
import { formatDate, formatDateTime } from "../../format";
import { PortalTabs } from "./PortalTabs";
import { AdminsOnly } from "./PortalSettingsPage";
import { DecisionButtons, DecisionStatus } from "./RequestDecision";

function ApproveDialog({ org, request, onClose, onDone }: { org: string; request: RenewalView; onClose: () => void; onDone: () => void }) {
  const [expiresIn, setExpiresIn] = useState<ExpiresIn>("1y");
  const approve = useSubmit(async () => {
    await unwrap(
      adminApi.POST("/api/v1/orgs/{org}/portal/renewal-requests/{id}/decision", {
        params: { path: { org, id: request.id } },
        body: { decision: "approve", expires_in: expiresIn },
      }),
    );
    onDone();
  });
  return (
    <Dialog
      title={`Renew ${request.token_name}`}
      onClose={onClose}
      dismissible={!approve.busy}
      size="small"
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={approve.busy}>
            Cancel
          </button>
          <button type="button" className="button button-primary" disabled={approve.busy} onClick={() => void approve.submit()}>
            {approve.busy ? "Approving…" : "Approve"}
          </button>
        </>
      }
    >
      <p className="small">
        {request.token_expires_at ? `The token expires ${formatDate(request.token_expires_at)}.` : "The token has no expiry."}
      </p>
      <Field label="New expiry" hint="Counted from now." error={approve.fieldError("expires_in")}>
        {(c) => (
          <select {...c} data-autofocus value={expiresIn} onChange={(e) => setExpiresIn(e.target.value as ExpiresIn)}>
            {EXPIRY_CHOICES.map((o) => (
              <option key={o.value} value={o.value}>
                {o.value === "never" ? o.label : `${o.label} from now`}
              </option>
            ))}
          </select>
        )}
      </Field>
      <ProblemAlert error={approve.error} shownFields={["expires_in"]} title="Could not approve" />
    </Dialog>
  );
}

/** Customers' requests to renew their access tokens: approve (with a new expiry) or decline. */
export function RenewalRequestsPage() {
  useTitle("Renewal requests");
  const { org, isAdmin } = useOrg();
  const [approving, setApproving] = useState<RenewalView | null>(null);
  const [declining, setDeclining] = useState<RenewalView | null>(null);
  const requests = useQuery({
    queryKey: ["org", org.slug, "portal", "renewal-requests"],
    queryFn: () => unwrap(adminApi.GET("/api/v1/orgs/{org}/portal/renewal-requests", { params: { path: { org: org.slug } } })),
    enabled: isAdmin,
  });
  const invalidate = useInvalidate();
  // A decision settles the request; an approval also gives the token its new expiry.
  const decided = () => invalidate(["org", org.slug, "portal", "renewal-requests"], ["org", org.slug, "portal", "tokens"]);
  return (
    <>
      <PageHeader
        crumbs={[{ label: "Settings" }, { label: "Supplier Portal" }]}
        title="Supplier Portal"
        subtitle="Customers ask from the portal to renew their access token; approving extends its expiry."
      />
      <PortalTabs org={org.slug} />
      {!isAdmin ? (
        <AdminsOnly what="decide renewal requests" />
      ) : (
        <Async resource={requests}>
          {(list) =>
            list.length === 0 ? (
              <EmptyState title="No renewal requests">Customers can ask for a renewal from the portal.</EmptyState>
            ) : (
              <TableScroll label="Renewal requests" className="card card-flush">
                <table className="table" data-testid="renewal-requests">
                  <caption className="visually-hidden">Renewal requests</caption>
                  <thead>
                    <tr>
                      <th scope="col">Token</th>
                      <th scope="col">Requested</th>
                      <th scope="col">Message</th>
                      <th scope="col">Expires</th>
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
                          <Link to={`/admin/${org.slug}/settings/portal/tokens/${r.token_id}`} className="strong-link">
                            {r.token_name}
                          </Link>
                        </td>
                        <td className="nowrap">{formatDateTime(r.requested_at)}</td>
                        <td className="small">{r.message || <span className="muted">–</span>}</td>
                        <td className="nowrap">
                          {r.status === "approved" && r.new_expires_at ? (
                            <>
                              {formatDate(r.new_expires_at)} <span className="muted small">(was {formatDate(r.token_expires_at)})</span>
                            </>
                          ) : r.token_expires_at ? (
                            formatDate(r.token_expires_at)
                          ) : (
                            "Never"
                          )}
                        </td>
                        <td>
                          <DecisionStatus request={r} />
                        </td>
                        <td className="row-actions">
                          <DecisionButtons
                            request={r}
                            what={`the renewal of ${r.token_name}`}
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
      )}
      {approving && (
        <ApproveDialog
          org={org.slug}
          request={approving}
          onClose={() => setApproving(null)}
          onDone={() => {
            setApproving(null);
            decided();
          }}
        />
      )}
      {declining && (
        <ConfirmDialog
          title={`Decline the renewal of ${declining.token_name}?`}
          confirmLabel="Decline"
          danger
          onClose={() => setDeclining(null)}
          onConfirm={async () => {
            await unwrap(
              adminApi.POST("/api/v1/orgs/{org}/portal/renewal-requests/{id}/decision", {
                params: { path: { org: org.slug, id: declining.id } },
                body: { decision: "decline" },
              }),
            );
            decided();
          }}
        >
          <p>The token keeps its current expiry. The decision is recorded in the audit log.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
