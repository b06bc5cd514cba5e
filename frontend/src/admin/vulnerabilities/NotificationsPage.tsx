import { Link, useSearchParams } from "react-router";
import { adminApi, unwrap } from "../../api/client";
import { DELIVERY_STATUSES, EVENT_LABELS, type DeliveryStatus, type NotificationView } from "../../api/types";
import { keepPreviousData, useQuery, useTitle } from "../../hooks";
import { useOrg } from "../context";
import { PageHeader } from "../../components/PageHeader";
import { Async, EmptyState } from "../../components/States";
import { Alert } from "../../components/Alert";
import { StatusBadge } from "../../components/Badge";
import { Field } from "../../components/Field";
import { TableScroll } from "../../components/TableScroll";
import { formatDateTime } from "../../format";

export const HELD_TEXT = "Held: no mail server configured. It stays in the outbox and is sent once one is configured.";
export const CANCELLED_TEXT =
  "Not sent: the recipient's subscription was deleted, or its access token revoked, before it went out. It will not be retried.";

function DeliveryBadge({ n }: { n: NotificationView }) {
  const hint = DELIVERY_STATUSES.find((s) => s.value === n.status)?.hint;
  return (
    <span title={hint} data-status={n.status}>
      <StatusBadge status={n.status} />
    </span>
  );
}

/** The notification log: every message to every recipient, where it is, and why it failed. */
export function NotificationsPage() {
  useTitle("Notifications");
  const { org, canPublish } = useOrg();
  const [params, setParams] = useSearchParams();
  const status = (params.get("status") ?? "") as DeliveryStatus | "";
  const vulnerability = params.get("vulnerability") ?? "";
  // The worker sends, retries and gives up in the background: the log is asked again whenever it is shown.
  const query = { status: status || undefined, vulnerability: vulnerability || undefined, limit: 500 };
  const log = useQuery({
    queryKey: ["org", org.slug, "notifications", query],
    queryFn: () => unwrap(adminApi.GET("/api/v1/orgs/{org}/notifications", { params: { path: { org: org.slug }, query } })),
    enabled: canPublish,
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
  function set(name: string, value: string) {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  }
  return (
    <>
      <PageHeader
        title="Notifications"
        subtitle="E-mails and webhooks to customers: queued with what caused them, sent with retries, dead-lettered after the last attempt, cancelled when the recipient unsubscribes or loses access first."
      />
      {!canPublish ? (
        <Alert tone="info" title="Publishers and administrators only">
          Only publishers and administrators can see the notification log.
        </Alert>
      ) : (
        <>
          <div className="filters" role="group" aria-label="Filters">
            <Field label="Status">
              {(c) => (
                <select {...c} value={status} onChange={(e) => set("status", e.target.value)}>
                  <option value="">Any status</option>
                  {DELIVERY_STATUSES.map((s) => (
                    <option key={s.value} value={s.value}>
                      {s.label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {vulnerability && (
              <div className="filters-submit">
                <span className="small">
                  Vulnerability <span className="mono">{vulnerability}</span>{" "}
                </span>
                <button type="button" className="link-button small" onClick={() => set("vulnerability", "")}>
                  Show all
                </button>
              </div>
            )}
          </div>
          <Async resource={log}>
            {(rows) => {
              const held = rows.some((n) => n.status === "held");
              return (
                <>
                  {held && (
                    <Alert tone="warning" title="Some e-mails are held">
                      <p>
                        No mail server is configured (<code>PORTAL_SMTP_URL</code>), so e-mails are kept in the outbox and shown
                        in the server console. They are sent once a mail server is configured; nothing is dropped.
                      </p>
                    </Alert>
                  )}
                  {rows.length === 0 ? (
                    <EmptyState title={status || vulnerability ? "Nothing matches these filters" : "No notifications yet"}>
                      Notifications are queued when something a customer may see is published.
                    </EmptyState>
                  ) : (
                    <TableScroll label="Notifications" className="card card-flush">
                      <table className="table" data-testid="notifications">
                        <caption className="visually-hidden">Notifications</caption>
                        <thead>
                          <tr>
                            <th scope="col">Queued</th>
                            <th scope="col">Event</th>
                            <th scope="col">Recipient</th>
                            <th scope="col">Status</th>
                            <th scope="col" className="num">
                              Attempts
                            </th>
                            <th scope="col">Last error</th>
                          </tr>
                        </thead>
                        <tbody>
                          {rows.map((n) => (
                            <tr key={`${n.id}-${n.target}`} data-notification={n.id}>
                              <td className="nowrap">{formatDateTime(n.created_at)}</td>
                              <td>
                                <div className="strong">{EVENT_LABELS[n.event_type] ?? n.event_type}</div>
                                <div className="small">{n.summary}</div>
                                {n.vulnerability && (
                                  <Link to={`/admin/${org.slug}/vulnerabilities/${encodeURIComponent(n.vulnerability)}`} className="mono small">
                                    {n.vulnerability}
                                  </Link>
                                )}
                              </td>
                              <td className="small">
                                {n.token_name && <div className="strong">{n.token_name}</div>}
                                <div>
                                  {n.channel === "email" ? "E-mail" : "Webhook"}{" "}
                                  <span className="mono url-breakable">{n.target}</span>
                                </div>
                              </td>
                              <td>
                                <DeliveryBadge n={n} />
                                {n.status === "held" && <div className="muted small">{HELD_TEXT}</div>}
                                {n.status === "cancelled" && <div className="muted small">{CANCELLED_TEXT}</div>}
                                {n.sent_at && <div className="muted small">{formatDateTime(n.sent_at)}</div>}
                                {n.next_attempt_at && (n.status === "queued" || n.status === "failed") && (
                                  <div className="muted small">next try {formatDateTime(n.next_attempt_at)}</div>
                                )}
                              </td>
                              <td className="num">{n.attempts}</td>
                              <td className="small">{n.last_error ? <span className="bad">{n.last_error}</span> : "–"}</td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    </TableScroll>
                  )}
                </>
              );
            }}
          </Async>
        </>
      )}
    </>
  );
}
