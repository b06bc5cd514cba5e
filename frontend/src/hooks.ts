import { useCallback, useEffect } from "react";
import { useMutation, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { ApiError } from "./api/problem";
import type { SessionStore } from "./api/session";

// Server state is TanStack Query's: the screens take its hooks from here, with the app's own.
export { keepPreviousData, useInfiniteQuery, useQuery, useQueryClient, type QueryKey } from "@tanstack/react-query";

/** Marks queries stale (refetching those on screen) after a change to them. */
export function useInvalidate(): (...keys: QueryKey[]) => void {
  const client = useQueryClient();
  return useCallback(
    (...keys: QueryKey[]) => {
      for (const queryKey of keys) void client.invalidateQueries({ queryKey });
    },
    [client],
  );
}

/** After an artifact's upload, publication, withdrawal or new label: its lists, the artifacts, the
 *  products (their versions and what changed between them) and the overview. */
export function useArtifactsChanged(org: string): () => void {
  const invalidate = useInvalidate();
  return () =>
    invalidate(["org", org, "artifacts"], ["org", org, "artifact"], ["org", org, "product"], ["org", org, "overview"]);
}

/**
 * Forgets what was loaded under a session when it ends or another begins, so nobody sees the
 * previous caller's data: `scope` are the key prefixes of the session's queries.
 */
export function useSessionScope(session: SessionStore, ...scope: QueryKey[]): void {
  const client = useQueryClient();
  const prefixes = JSON.stringify(scope);
  useEffect(
    () =>
      session.subscribe(() => {
        for (const queryKey of JSON.parse(prefixes) as QueryKey[]) client.removeQueries({ queryKey });
      }),
    [session, client, prefixes],
  );
}

export interface Submission<A extends unknown[]> {
  submit: (...args: A) => Promise<boolean>;
  /**
   * Submits when the form's own checks passed (`ok`); otherwise forgets the server's last answer,
   * so that only the form's complaints show.
   */
  submitIf: (ok: boolean, ...args: A) => void;
  busy: boolean;
  error: ApiError | Error | null;
  /** First message the server gave for a form field, if any. */
  fieldError: (name: string) => string | undefined;
  reset: () => void;
}

/** Runs an action as a mutation, keeping its busy state and the problem it failed with (field errors included). */
export function useSubmit<A extends unknown[]>(action: (...args: A) => Promise<unknown>): Submission<A> {
  const { mutateAsync, isPending, error, reset } = useMutation<unknown, Error, A>({
    mutationFn: (args) => action(...args).catch((e: unknown) => Promise.reject(e instanceof Error ? e : new Error(String(e)))),
  });
  const submit = useCallback((...args: A) => mutateAsync(args).then(() => true, () => false), [mutateAsync]);
  const submitIf = useCallback(
    (ok: boolean, ...args: A) => {
      if (ok) void submit(...args);
      else reset();
    },
    [submit, reset],
  );
  const fieldError = useCallback(
    (name: string) => (error instanceof ApiError ? error.fieldMessages(name)[0] : undefined),
    [error],
  );
  return { submit, submitIf, busy: isPending, error, fieldError, reset };
}

/** Sets document.title for the screen. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Supplier Portal` : "Supplier Portal";
  }, [title]);
}
