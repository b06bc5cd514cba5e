import type { ReactNode } from "react";
import { Link, useInRouterContext, useParams } from "react-router";
import { ApiError, describeError, isTwoFactorsRequired } from "../api/problem";

interface AlertProps {
  tone?: "info" | "success" | "warning" | "danger";
  title?: ReactNode;
  children?: ReactNode;
  className?: string;
  /** Announce politely (status) rather than assertively (alert). */
  polite?: boolean;
}

export function Alert({ tone = "info", title, children, className, polite }: AlertProps) {
  const role = tone === "danger" && !polite ? "alert" : "status";
  return (
    <div className={`alert alert-${tone}${className ? ` ${className}` : ""}`} role={role}>
      {title && <p className="alert-title">{title}</p>}
      {children && <div className="alert-body">{children}</div>}
    </div>
  );
}

interface ProblemAlertProps {
  error: unknown;
  /** Fields the form shows next to their controls; other field errors are listed here. */
  shownFields?: string[];
  title?: ReactNode;
}

/** The problem+json of a failed request: its detail, any field errors not shown elsewhere, the request id. */
export function ProblemAlert({ error, shownFields = [], title }: ProblemAlertProps) {
  if (!error) return null;
  const problem = error instanceof ApiError ? error.problem : null;
  const fieldErrors = problem?.errors ?? [];
  const rest = fieldErrors.filter((e) => !shownFields.includes(e.field));
  // Every defect is already shown under its field: say where to look instead of repeating it.
  const allShown = fieldErrors.length > 0 && rest.length === 0;
  const showRequestId = problem?.request_id && (problem.status >= 500 || problem.status === 0 || fieldErrors.length === 0);
  return (
    <Alert tone="danger" title={title ?? problem?.title ?? "Something went wrong"}>
      <p>{allShown ? (fieldErrors.length === 1 ? "Check the highlighted field." : "Check the highlighted fields.") : describeError(error)}</p>
      {rest.length > 0 && (
        <ul className="problem-list">
          {rest.map((e, i) => (
            <li key={i}>
              {e.field && <code>{e.field}</code>} {e.message}
            </li>
          ))}
        </ul>
      )}
      {isTwoFactorsRequired(error) && <TwoFactorsHint />}
      {showRequestId && <p className="muted small">Request id: {problem.request_id}</p>}
    </Alert>
  );
}

/** Where to turn two factors on, when the organisation requires them of admins. */
function TwoFactorsHint() {
  const inRouter = useInRouterContext();
  const { org } = useParams();
  const to = org ? `/admin/${org}/account` : "/admin";
  const label = "your account page";
  return (
    <p>
      Turn on two-factor sign-in on {inRouter ? <Link to={to}>{label}</Link> : <a href={to}>{label}</a>}, then try again.
    </p>
  );
}
