import type { ReactNode } from "react";
import { ProblemAlert } from "./Alert";
import type { UseQueryResult } from "@tanstack/react-query";

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children && <div className="empty-body">{children}</div>}
      {action && <div className="empty-action">{action}</div>}
    </div>
  );
}

export function ErrorState({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  return (
    <div className="error-state">
      <ProblemAlert error={error} title={title} />
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** Renders a query: a spinner on first load, the error with a retry, else the content (kept while it reloads). */
export function Async<T>({
  resource,
  children,
  loadingLabel,
}: {
  resource: Pick<UseQueryResult<T>, "data" | "error" | "refetch">;
  children: (data: T) => ReactNode;
  loadingLabel?: string;
}) {
  if (resource.error && resource.data === undefined) return <ErrorState error={resource.error} onRetry={() => void resource.refetch()} />;
  if (resource.data === undefined) return <Loading label={loadingLabel} />;
  return <>{children(resource.data)}</>;
}
