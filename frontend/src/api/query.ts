import { QueryClient } from "@tanstack/react-query";
import { ApiError } from "./problem";

/** Tries again only what may pass on a second try: the server unreachable or failing (5xx), never a refusal (4xx). */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  return failureCount < 2 && error instanceof ApiError && (error.status === 0 || error.status >= 500);
}

/**
 * The server-state cache of the console and the portal. Requests go out even when the browser
 * believes it is offline, so a failure says "Cannot reach the server" rather than waiting silently.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 30_000, refetchOnWindowFocus: true, retry: shouldRetry, networkMode: "always" },
      mutations: { retry: false, networkMode: "always" },
    },
  });
}
