import { vi } from "vitest";

/** A problem+json Response, as the API sends it. */
export function problemResponse(status: number, detail: string, errors: { field: string; message: string }[] = []): Response {
  return new Response(
    JSON.stringify({ type: "about:blank", title: status === 422 ? "Unprocessable Entity" : "Bad Request", status, detail, request_id: "req-1", errors }),
    { status, headers: { "Content-Type": "application/problem+json", "X-Request-Id": "req-1" } },
  );
}

export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

/** Replaces global fetch with a queue of answers; records the requests. */
export function mockFetch(...answers: (Response | Error | ((req: Request) => Response))[]) {
  const requests: Request[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(input, init);
    requests.push(req);
    const next = answers.shift();
    if (!next) throw new Error(`unexpected request ${req.method} ${req.url}`);
    if (next instanceof Error) throw next;
    return typeof next === "function" ? next(req) : next;
  });
  vi.stubGlobal("fetch", fn);
  return { fn, requests };
}

type RouteAnswer = Response | ((req: Request) => Response | Promise<Response>);

/**
 * Replaces global fetch with answers chosen by `"METHOD /path"` (no query), so screens that load
 * several resources at once need not guess their order. A list answers in turn and then keeps
 * giving its last answer; a Response is cloned, so it can answer more than once. Records requests.
 */
export function mockRoutes(routes: Record<string, RouteAnswer | RouteAnswer[]>) {
  const requests: Request[] = [];
  const queues = new Map(Object.entries(routes).map(([k, v]) => [k, Array.isArray(v) ? [...v] : [v]]));
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(input, init);
    requests.push(req);
    const key = `${req.method} ${new URL(req.url).pathname}`;
    const queue = queues.get(key);
    if (!queue || queue.length === 0) throw new Error(`unexpected request ${key}`);
    const next = queue.length > 1 ? queue.shift()! : queue[0]!;
    return typeof next === "function" ? next(req) : next.clone();
  });
  vi.stubGlobal("fetch", fn);
  /** The requests made to one route, e.g. `"POST /api/v1/orgs/acme/portal/signing-keys"`. */
  const to = (key: string) => requests.filter((r) => `${r.method} ${new URL(r.url).pathname}` === key);
  return { fn, requests, to };
}
