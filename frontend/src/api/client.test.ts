import { afterEach, describe, expect, it, vi } from "vitest";
import { createApi, unwrap } from "./client";
import { ApiError, describeError } from "./problem";
import { SessionStore } from "./session";
import { jsonResponse, mockFetch, problemResponse } from "../test/util";

afterEach(() => vi.unstubAllGlobals());

function api(token?: string) {
  const session = new SessionStore(`test.${Math.random()}`);
  if (token) session.set(token);
  const onSessionEnded = vi.fn();
  return { session, onSessionEnded, api: createApi({ session, onSessionEnded, baseUrl: "http://portal.test" }) };
}

describe("API client", () => {
  it("answers the data and sends the session as a Bearer token", async () => {
    const { requests } = mockFetch(jsonResponse({ setup_required: false }));
    const { api: client } = api("jwt-123");
    const data = await unwrap(client.GET("/api/v1/setup"));
    expect(data).toEqual({ setup_required: false });
    expect(requests[0]!.url).toBe("http://portal.test/api/v1/setup");
    expect(requests[0]!.headers.get("Authorization")).toBe("Bearer jwt-123");
  });

  it("throws the server's problem+json with its field errors", async () => {
    mockFetch(problemResponse(400, "org_slug: may contain only lowercase letters", [{ field: "org_slug", message: "may contain only lowercase letters" }]));
    const { api: client } = api();
    const err = await unwrap(
      client.POST("/api/v1/setup", {
        body: { org_name: "A", org_slug: "Bad Slug", email: "a@b.c", password: "0123456789", display_name: "A" },
      }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect(e.status).toBe(400);
    expect(e.problem.detail).toBe("org_slug: may contain only lowercase letters");
    expect(e.problem.request_id).toBe("req-1");
    expect(e.fieldMessages("org_slug")).toEqual(["may contain only lowercase letters"]);
    expect(e.fieldMessages("email")).toEqual([]);
  });

  it("makes a problem up when the answer is not problem+json", async () => {
    mockFetch(new Response("<html>Bad gateway</html>", { status: 502, statusText: "Bad Gateway" }));
    const { api: client } = api();
    const e = (await unwrap(client.GET("/api/v1/setup")).catch((x: unknown) => x)) as ApiError;
    expect(e.status).toBe(502);
    expect(e.problem.title).toBe("Bad Gateway");
    expect(describeError(e)).toContain("could not complete");
  });

  it("reports a network failure as status 0", async () => {
    mockFetch(new TypeError("Failed to fetch"));
    const { api: client } = api();
    const e = (await unwrap(client.GET("/api/v1/setup")).catch((x: unknown) => x)) as ApiError;
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(0);
    expect(describeError(e)).toMatch(/Cannot reach the server/);
  });

  it("ends the session on a 401 to an authenticated call, keeping the server's reason", async () => {
    mockFetch(problemResponse(401, "your access token has been revoked"));
    const { api: client, session, onSessionEnded } = api("portal-jwt");
    await expect(unwrap(client.GET("/api/v1/portal/{slug}", { params: { path: { slug: "acme" } } }))).rejects.toMatchObject({
      status: 401,
    });
    expect(session.get()).toBeNull();
    expect(session.endedReason).toBe("your access token has been revoked");
    expect(onSessionEnded).toHaveBeenCalledWith("your access token has been revoked");
  });

  it("leaves the session alone when a call without it is refused (a failed sign-in)", async () => {
    mockFetch(problemResponse(401, "invalid e-mail or password"));
    const { api: client, session, onSessionEnded } = api();
    await expect(
      unwrap(client.POST("/api/v1/auth/login", { body: { email: "a@b.c", password: "x" } })),
    ).rejects.toMatchObject({ status: 401 });
    expect(session.endedReason).toBeNull();
    expect(onSessionEnded).not.toHaveBeenCalled();
  });
});

describe("SessionStore", () => {
  it("keeps the token in sessionStorage, never localStorage", () => {
    const s = new SessionStore("test.storage");
    s.set("jwt");
    expect(window.sessionStorage.getItem("test.storage")).toBe("jwt");
    expect(window.localStorage.length).toBe(0);
    s.signOut();
    expect(s.get()).toBeNull();
    expect(s.signedOut).toBe(true);
    expect(s.endedReason).toBeNull();
  });
});
