import createClient, { type Client, type Middleware } from "openapi-fetch";
import type { paths } from "./schema";
import { ApiError, networkError, toProblem } from "./problem";
import { adminSession, portalSession, type SessionStore } from "./session";

export type Api = Client<paths>;

export interface ApiOptions {
  /** Where the session token comes from (and is cleared from on a 401). */
  session: SessionStore;
  /** Called after a request that carried a session token came back 401 (session ended or revoked),
   *  with the server's explanation ("your access token has been revoked"). */
  onSessionEnded?: (detail: string | undefined) => void;
  baseUrl?: string;
  fetch?: typeof fetch;
}

/** An openapi-fetch client: every path, parameter and body is checked against the OpenAPI document. */
export function createApi(opts: ApiOptions): Api {
  const api = createClient<paths>({
    baseUrl: opts.baseUrl ?? (typeof window !== "undefined" ? window.location.origin : ""),
    fetch: opts.fetch ?? ((input: Request) => globalThis.fetch(input)),
  });
  const auth: Middleware = {
    onRequest({ request }) {
      const token = opts.session.get();
      if (token && !request.headers.has("Authorization")) {
        request.headers.set("Authorization", `Bearer ${token}`);
      }
      return request;
    },
    async onResponse({ request, response }) {
      // A 401 on a request that carried the session means the session ended (expired, signed
      // out elsewhere, or its access token was revoked); one without it is just a failed sign-in.
      const current = opts.session.get();
      if (response.status === 401 && current && request.headers.get("Authorization") === `Bearer ${current}`) {
        let detail: string | undefined;
        try {
          const body = (await response.clone().json()) as { detail?: unknown };
          if (typeof body?.detail === "string") detail = body.detail;
        } catch {
          /* not JSON */
        }
        opts.session.end(detail);
        opts.onSessionEnded?.(detail);
      }
      return response;
    },
  };
  api.use(auth);
  return api;
}

type Outcome<D> = { data?: D; error?: unknown; response: Response };

/**
 * Awaits an openapi-fetch call and answers its data, or throws an `ApiError` carrying the
 * problem+json the server sent (or a stand-in when it sent none, or could not be reached).
 */
export async function unwrap<D>(call: Promise<Outcome<D>>): Promise<D> {
  let outcome: Outcome<D>;
  try {
    outcome = await call;
  } catch (e) {
    if (e instanceof ApiError) throw e;
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw networkError(e);
  }
  const { response } = outcome;
  if (!response.ok || outcome.error !== undefined) {
    throw new ApiError(
      toProblem(response.status, response.statusText, outcome.error, response.headers.get("x-request-id")),
    );
  }
  return outcome.data as D;
}

/** The admin console's client (bearer: the admin session JWT). */
export const adminApi: Api = createApi({ session: adminSession });

const portalApis = new Map<string, Api>();
/** The customer portal's client for one portal (bearer: the portal session JWT, when there is one). */
export function portalApi(slug: string): Api {
  let api = portalApis.get(slug);
  if (!api) {
    api = createApi({ session: portalSession(slug) });
    portalApis.set(slug, api);
  }
  return api;
}
