import { afterEach, describe, expect, it, vi } from "vitest";
import { allPages, nextCursor, nextLink, unwrapPage, type Page } from "./paging";
import { createApi } from "./client";
import { ApiError } from "./problem";
import { SessionStore } from "./session";
import { jsonResponse, mockFetch, problemResponse } from "../test/util";

afterEach(() => vi.unstubAllGlobals());

describe("Link header (RFC 8288)", () => {
  it("finds the next page's address and cursor", () => {
    const h = '</api/v1/portal/acme/products?limit=50&cursor=XYZ>; rel="next"';
    expect(nextLink(h)).toBe("/api/v1/portal/acme/products?limit=50&cursor=XYZ");
    expect(nextCursor(h)).toBe("XYZ");
  });

  it("keeps the filters in the address and decodes the cursor", () => {
    const h = '</api/v1/portal/acme/advisories?product=router&cve=CVE-2024-3094&cursor=eyJhIjoiYiJ9%3D>; rel="next"';
    expect(nextLink(h)).toContain("product=router&cve=CVE-2024-3094");
    expect(nextCursor(h)).toBe('eyJhIjoiYiJ9=');
  });

  it("picks rel=next among several links, bare or quoted, with other relation types and parameters", () => {
    const h =
      '<https://x.example/p?cursor=first>; rel="first", <https://x.example/p?cursor=b,c>; title="More"; REL=next, <https://x.example/p?cursor=z>; rel="last"';
    expect(nextCursor(h)).toBe("b,c");
    expect(nextCursor('</p?cursor=n>; rel="prefetch next"')).toBe("n");
  });

  it("answers null without a next link", () => {
    expect(nextLink(null)).toBeNull();
    expect(nextLink("")).toBeNull();
    expect(nextCursor('</p?cursor=a>; rel="prev"')).toBeNull();
    expect(nextCursor('</p?cursor=a>; rel="nextish"')).toBeNull();
    expect(nextCursor('</p?limit=5>; rel="next"')).toBeNull();
    expect(nextCursor("garbage")).toBeNull();
  });
});

describe("paged answers", () => {
  const api = () => createApi({ session: new SessionStore(`test.${Math.random()}`), baseUrl: "http://portal.test" });

  it("answers the items and the next cursor", async () => {
    const res = jsonResponse([{ slug: "a" }]);
    res.headers.set("Link", '</api/v1/portal/acme/products?cursor=C2>; rel="next"');
    const { requests } = mockFetch(res, jsonResponse([{ slug: "b" }]));
    const client = api();
    const get = (cursor?: string) => unwrapPage(client.GET("/api/v1/portal/{slug}/products", { params: { path: { slug: "acme" }, query: { cursor } } }));
    expect(await get()).toEqual({ items: [{ slug: "a" }], next: "C2" });
    expect(await get("C2")).toEqual({ items: [{ slug: "b" }], next: null });
    expect(new URL(requests[1]!.url).searchParams.get("cursor")).toBe("C2");
  });

  it("throws the server's problem like unwrap", async () => {
    mockFetch(problemResponse(400, "cursor: not a cursor returned by this API"));
    const err = await unwrapPage(
      api().GET("/api/v1/portal/{slug}/products", { params: { path: { slug: "acme" }, query: { cursor: "nope" } } }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(400);
  });

  it("allPages follows the cursors until there is no next page", async () => {
    const pages: Record<string, Page<number>> = {
      "": { items: [1, 2], next: "b" },
      b: { items: [3], next: "c" },
      c: { items: [4], next: null },
    };
    const seen: (string | undefined)[] = [];
    const all = await allPages(async (cursor) => {
      seen.push(cursor);
      return pages[cursor ?? ""]!;
    });
    expect(all).toEqual([1, 2, 3, 4]);
    expect(seen).toEqual([undefined, "b", "c"]);
  });

  it("allPages stops after its bound, or when a cursor comes round again", async () => {
    let n = 0;
    const endless = await allPages(async () => ({ items: [n], next: `c${++n}` }), 3);
    expect(endless).toEqual([0, 1, 2]);
    let calls = 0;
    const loop = await allPages(async () => {
      calls++;
      return { items: [calls], next: "same" };
    });
    expect(loop).toEqual([1, 2]);
    expect(calls).toBe(2);
  });
});
