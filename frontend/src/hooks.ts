import { useCallback, useEffect, useRef, useState, type DependencyList } from "react";
import { ApiError } from "./api/problem";

export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  setData: (d: T) => void;
}

/** Loads data when `deps` change; keeps the last data while reloading so tables do not flicker. */
export function useResource<T>(load: () => Promise<T>, deps: DependencyList): Resource<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(undefined);
    loadRef.current().then(
      (d) => {
        if (!live) return;
        setData(d);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        setError(e);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload, setData };
}

export interface Submission<A extends unknown[]> {
  submit: (...args: A) => Promise<boolean>;
  busy: boolean;
  error: ApiError | Error | null;
  /** First message the server gave for a form field, if any. */
  fieldError: (name: string) => string | undefined;
  reset: () => void;
}

/** Runs an action, keeping its busy state and the problem it failed with (field errors included). */
export function useSubmit<A extends unknown[]>(action: (...args: A) => Promise<unknown>): Submission<A> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const actionRef = useRef(action);
  actionRef.current = action;
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const submit = useCallback(async (...args: A) => {
    setBusy(true);
    setError(null);
    try {
      await actionRef.current(...args);
      return true;
    } catch (e) {
      if (mounted.current) setError(e instanceof Error ? e : new Error(String(e)));
      return false;
    } finally {
      if (mounted.current) setBusy(false);
    }
  }, []);

  const fieldError = useCallback(
    (name: string) => (error instanceof ApiError ? error.fieldMessages(name)[0] : undefined),
    [error],
  );
  const reset = useCallback(() => setError(null), []);
  return { submit, busy, error, fieldError, reset };
}

/** Sets document.title for the screen. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Supplier Portal` : "Supplier Portal";
  }, [title]);
}
