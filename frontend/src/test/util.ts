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
