import type { ReactNode } from "react";
import { StatusBadge } from "../../components/Badge";
import { formatDateTime } from "../../format";

/** A request a portal admin decides on: an access request or a renewal request. */
interface Decidable {
  status: string;
  decided_by?: string | null;
  decided_at?: string | null;
}

/** A request's status, who decided it and when; `children` add what else the decision left. */
export function DecisionStatus({ request: r, children }: { request: Decidable; children?: ReactNode }) {
  return (
    <>
      <StatusBadge status={r.status} />
      {r.decided_by && (
        <div className="muted small">
          {r.decided_by}, {formatDateTime(r.decided_at)}
        </div>
      )}
      {children}
    </>
  );
}

/** Approve and Decline for a pending request (nothing once it is decided); `what` names it, e.g. "the renewal of ACME". */
export function DecisionButtons({
  request,
  what,
  onApprove,
  onDecline,
}: {
  request: Decidable;
  what: string;
  onApprove: () => void;
  onDecline: () => void;
}) {
  if (request.status !== "pending") return null;
  return (
    <div className="button-row">
      <button type="button" className="button button-small button-primary" aria-label={`Approve ${what}`} onClick={onApprove}>
        Approve
      </button>
      <button
        type="button"
        className="button button-small button-danger-outline"
        aria-label={`Decline ${what}`}
        onClick={onDecline}
      >
        Decline
      </button>
    </div>
  );
}
