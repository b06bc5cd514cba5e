import { describe, expect, it } from "vitest";
import type { ReactNode } from "react";
import { QueryClientProvider } from "@tanstack/react-query";
import { act, renderHook } from "../test/render";
import { createQueryClient, shouldRetry } from "./query";
import { useSessionScope } from "../hooks";
import { ApiError, networkError } from "./problem";
import { SessionStore } from "./session";

const problem = (status: number) => new ApiError({ type: "about:blank", title: "x", status, detail: "x" });

describe("the query cache", () => {
  it("tries again only when the server could not be reached or failed (5xx), twice at most", () => {
    expect(shouldRetry(0, networkError())).toBe(true);
    expect(shouldRetry(1, problem(503))).toBe(true);
    expect(shouldRetry(2, problem(500))).toBe(false);
    for (const status of [400, 401, 403, 404, 409, 422, 429]) expect(shouldRetry(0, problem(status))).toBe(false);
    expect(shouldRetry(0, new DOMException("aborted", "AbortError"))).toBe(false);
  });

  it("forgets a session's queries when it ends or another begins, and keeps the rest", () => {
    const client = createQueryClient();
    const session = new SessionStore(`test.scope.${Math.random()}`);
    const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
    renderHook(() => useSessionScope(session, ["org"], ["me"]), { wrapper });
    const seed = () => {
      client.setQueryData(["org", "acme", "products"], []);
      client.setQueryData(["me"], { id: "u1" });
      client.setQueryData(["setup"], { setup_required: false });
    };
    seed();
    act(() => session.set("jwt-1"));
    expect(client.getQueryData(["org", "acme", "products"])).toBeUndefined();
    expect(client.getQueryData(["me"])).toBeUndefined();
    expect(client.getQueryData(["setup"])).toEqual({ setup_required: false });
    seed();
    act(() => session.end("revoked"));
    expect(client.getQueryData(["org", "acme", "products"])).toBeUndefined();
    expect(client.getQueryData(["me"])).toBeUndefined();
  });
});
