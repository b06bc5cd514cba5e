import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { unwrap } from "../api/client";
import { useInvalidate, useQuery, useSubmit, useTitle } from "../hooks";
import { usePortal } from "./context";
import { Async } from "../components/States";
import { Alert, ProblemAlert } from "../components/Alert";
import { StatusBadge } from "../components/Badge";
import { Field } from "../components/Field";
import { formatDate, formatDateTime, formatRelative } from "../format";
import { TableScroll } from "../components/TableScroll";

/** "Your access": when the token expires, and asking the manufacturer to renew it. */
export function PortalAccess() {
  useTitle("Your access");
  const { slug, api, info } = usePortal();
  const caller = info.caller;
  const signedIn = caller.type === "access_token";
  const [message, setMessage] = useState("");
  const [sent, setSent] = useState(false);
  const invalidate = useInvalidate();
  const requests = useQuery({
    queryKey: ["portal", slug, "renewal-requests"],
    queryFn: () => unwrap(api.GET("/api/v1/portal/{slug}/renewal-requests", { params: { path: { slug } } })),
    enabled: signedIn,
  });
  const request = useSubmit(async () => {
    const body = message.trim() ? { message: message.trim() } : {};
    await unwrap(api.POST("/api/v1/portal/{slug}/renewal-requests", { params: { path: { slug } }, body }));
    setMessage("");
    setSent(true);
    invalidate(["portal", slug, "renewal-requests"]);
  });
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setSent(false);
    void request.submit();
  }
  const pending = (requests.data ?? []).some((r) => r.status === "pending");
  return (
    <section className="portal-section" aria-labelledby="access-heading">
      <h1 id="access-heading" className="section-title">
        Your access
      </h1>
      {!signedIn ? (
        <Alert tone="info" title="Not signed in">
          <p>
            <Link to={`/portal/${slug}/login`}>Sign in with your access token</Link> to see when it expires or ask for a renewal.
          </p>
        </Alert>
      ) : (
        <>
          <p>
            Signed in{caller.name ? ` as ${caller.name}` : ""}.{" "}
            {caller.expires_at ? (
              <>
                Your access token is valid until <strong>{formatDate(caller.expires_at)}</strong> ({formatRelative(caller.expires_at)}).
              </>
            ) : (
              "Your access token does not expire."
            )}
          </p>
          <form className="card" onSubmit={onSubmit} noValidate aria-labelledby="renewal-heading">
            <h2 id="renewal-heading" className="card-title">
              Request renewal
            </h2>
            <p className="muted small">The manufacturer is told and decides; an approved renewal extends this same token.</p>
            <Field label="Message" optional hint="A note to the manufacturer, e.g. why you need longer access." error={request.fieldError("message")}>
              {(c) => <textarea {...c} rows={3} maxLength={2000} value={message} onChange={(e) => setMessage(e.target.value)} />}
            </Field>
            <ProblemAlert error={request.error} shownFields={["message"]} title="Could not send the request" />
            <div className="actions">
              <button type="submit" className="button button-primary" disabled={request.busy || pending}>
                {request.busy ? "Sending…" : "Request renewal"}
              </button>
              <span role="status" aria-live="polite" className="small">
                {sent ? <span className="ok">Request sent</span> : pending ? <span className="muted">A request is pending.</span> : ""}
              </span>
            </div>
          </form>
          <h2 className="subsection-title">Your requests</h2>
          <Async resource={requests}>
            {(list) =>
              list.length === 0 ? (
                <p className="muted">No renewal requests yet.</p>
              ) : (
                <TableScroll label="Your renewal requests" className="card card-flush">
                  <table className="table" data-testid="my-renewals">
                    <caption className="visually-hidden">Your renewal requests</caption>
                    <thead>
                      <tr>
                        <th scope="col">Requested</th>
                        <th scope="col">Message</th>
                        <th scope="col">Status</th>
                      </tr>
                    </thead>
                    <tbody>
                      {list.map((r) => (
                        <tr key={r.id}>
                          <td className="nowrap">{formatDateTime(r.requested_at)}</td>
                          <td className="small">{r.message || "–"}</td>
                          <td>
                            <StatusBadge status={r.status} />
                            {r.status === "approved" && (
                              <div className="small muted">
                                {r.new_expires_at ? `valid until ${formatDate(r.new_expires_at)}` : "no expiry"}
                              </div>
                            )}
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
    </section>
  );
}
