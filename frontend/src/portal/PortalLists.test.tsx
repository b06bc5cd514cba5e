import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, within } from "../test/render";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { createApi } from "../api/client";
import { SessionStore } from "../api/session";
import type { PortalAdvisory, PortalProduct } from "../api/types";
import { jsonResponse, mockRoutes, problemResponse } from "../test/util";
import { PortalContext } from "./context";
import { PortalProducts } from "./PortalProducts";
import { PortalAdvisories } from "./PortalAdvisories";

// The portal's products and advisories come a page at a time: the next page's address is in the
// `Link` header, and "Show more …" reads it (with the filters on screen).

afterEach(() => vi.unstubAllGlobals());

const PRODUCTS = "GET /api/v1/portal/acme/products";
const ADVISORIES = "GET /api/v1/portal/acme/advisories";

const product = (slug: string): PortalProduct => ({ name: `Product ${slug}`, slug, description: "", checklist_published: false, versions: [] });

function advisory(id: string): PortalAdvisory {
  return {
    id,
    kind: "advisory",
    format: "csaf 2.0",
    media_type: "application/json",
    filename: `${id}.json`,
    size: 2048,
    sha256: "ab".repeat(32),
    sha512: "cd".repeat(64),
    cves: [],
    conformance: [],
    tlp: "clear",
    download_url: `/api/v1/portal/acme/artifacts/${id}/download`,
    applies_to: [],
    tracking_id: id.toUpperCase(),
  };
}

/** A page of a list, with the server's `Link` to the next one when `next` is given (keeping the request's query). */
function page(items: unknown[], next?: string) {
  return (req: Request) => {
    const res = jsonResponse(items);
    if (next) {
      const url = new URL(req.url);
      url.searchParams.set("cursor", next);
      res.headers.set("Link", `<${url.pathname}${url.search}>; rel="next"`);
    }
    return res;
  };
}

/** Answers a list by cursor: `pages[""]` is the first page. */
function byCursor(pages: Record<string, (req: Request) => Response>) {
  return (req: Request) => {
    const answer = pages[new URL(req.url).searchParams.get("cursor") ?? ""];
    if (!answer) throw new Error(`no page for ${req.url}`);
    return answer(req);
  };
}

function renderAt(entry: string) {
  const api = createApi({ session: new SessionStore("test.portal.lists"), baseUrl: "http://portal.test" });
  const info = { slug: "acme", display_name: "ACME", description: "", visibility: "public" as const, caller: { type: "anonymous", tlp_labels: ["clear" as const] } };
  return render(
    <MemoryRouter initialEntries={[entry]}>
      <PortalContext.Provider value={{ slug: "acme", api, info, signOut: () => {} }}>
        <Routes>
          <Route path="/portal/:slug" element={<PortalProducts />} />
          <Route path="/portal/:slug/advisories" element={<PortalAdvisories />} />
        </Routes>
      </PortalContext.Provider>
    </MemoryRouter>,
  );
}

const query = (req: Request) => Object.fromEntries(new URL(req.url).searchParams);

describe("the portal's paged lists", () => {
  it("products: the first page, then 'Show more products' while the server names a next page", async () => {
    const { to } = mockRoutes({
      [PRODUCTS]: byCursor({
        "": page([product("a"), product("b")], "C2"),
        C2: page([product("c")], "C3"),
        C3: page([product("d")]),
      }),
    });
    const user = userEvent.setup();
    renderAt("/portal/acme");
    expect(await screen.findByRole("link", { name: "Product a" })).toBeTruthy();
    expect(screen.queryByRole("link", { name: "Product c" })).toBeNull();

    await user.click(screen.getByRole("button", { name: "Show more products" }));
    expect(await screen.findByRole("link", { name: "Product c" })).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Show more products" }));
    expect(await screen.findByRole("link", { name: "Product d" })).toBeTruthy();
    // The last page names no next one: the button goes, and every product stays in order.
    expect(screen.queryByRole("button", { name: "Show more products" })).toBeNull();
    expect(screen.getAllByRole("heading", { level: 2 }).map((h) => h.textContent)).toEqual([
      "Product a",
      "Product b",
      "Product c",
      "Product d",
    ]);
    expect(to(PRODUCTS).map((r) => query(r).cursor)).toEqual([undefined, "C2", "C3"]);
  });

  it("products: one page without a next link shows no button", async () => {
    mockRoutes({ [PRODUCTS]: page([product("a")]) });
    renderAt("/portal/acme");
    expect(await screen.findByRole("link", { name: "Product a" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: /Show more/ })).toBeNull();
  });

  it("products: a next page that fails says so and can be asked again", async () => {
    mockRoutes({
      [PRODUCTS]: [page([product("a")], "C2"), () => problemResponse(400, "cursor: not a cursor returned by this API"), page([product("b")])],
    });
    const user = userEvent.setup();
    renderAt("/portal/acme");
    await user.click(await screen.findByRole("button", { name: "Show more products" }));
    expect(await screen.findByText("cursor: not a cursor returned by this API")).toBeTruthy();
    expect(screen.getByRole("link", { name: "Product a" })).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Show more products" }));
    expect(await screen.findByRole("link", { name: "Product b" })).toBeTruthy();
    expect(screen.queryByText("cursor: not a cursor returned by this API")).toBeNull();
  });

  it("advisories: 'Show more advisories' keeps the product and CVE filters; the picker offers every product", async () => {
    const { to } = mockRoutes({
      // Every product for the picker, read page after page (as many at once as the server allows).
      [PRODUCTS]: byCursor({ "": page([product("router")], "P2"), P2: page([product("gateway")]) }),
      [ADVISORIES]: byCursor({ "": page([advisory("sa-1"), advisory("sa-2")], "A2"), A2: page([advisory("sa-3")]) }),
    });
    const user = userEvent.setup();
    renderAt("/portal/acme/advisories?product=router&cve=CVE-2024-3094");
    expect(await screen.findByText("SA-1")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Show more advisories" }));
    expect(await screen.findByText("SA-3")).toBeTruthy();
    expect(screen.getByText("SA-2")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Show more advisories" })).toBeNull();
    // The list says what it holds and with which filters (the product by its name once known).
    expect(await screen.findByText("Showing 3 advisories about CVE-2024-3094 for Product router")).toBeTruthy();

    expect(to(ADVISORIES).map(query)).toEqual([
      { product: "router", cve: "CVE-2024-3094" },
      { product: "router", cve: "CVE-2024-3094", cursor: "A2" },
    ]);
    const picker = screen.getByLabelText("Product");
    expect(within(picker).getAllByRole("option").map((o) => o.textContent)).toEqual(["All products", "Product router", "Product gateway"]);
    expect(to(PRODUCTS).map(query)).toEqual([{ limit: "200" }, { limit: "200", cursor: "P2" }]);
  });

  it("advisories: while a new filter's first page is on its way, the old list says so and offers no next page", async () => {
    // The filtered first page is held back: the old list stays on screen meanwhile, and its
    // next-page button must not read a page of the new filter from the old list's cursor.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const { to } = mockRoutes({
      [PRODUCTS]: page([product("router")]),
      [ADVISORIES]: async (req) => {
        if (query(req).cve) {
          await held;
          return byCursor({ "": page([advisory("cve-1"), advisory("cve-2")], "C2"), C2: page([advisory("cve-3")]) })(req);
        }
        return page([advisory("sa-1"), advisory("sa-2")], "A2")(req);
      },
    });
    const user = userEvent.setup();
    renderAt("/portal/acme/advisories");
    expect(await screen.findByText("SA-1")).toBeTruthy();
    await user.type(screen.getByLabelText("CVE"), "CVE-2022-27193");
    await user.click(screen.getByRole("button", { name: "Filter" }));
    // Still the unfiltered list meanwhile, said to be updating, without a next-page button.
    expect(await screen.findByText("Updating…")).toBeTruthy();
    expect(screen.getByText("SA-1")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Show more advisories" })).toBeNull();

    release();
    expect(await screen.findByText("CVE-1")).toBeTruthy();
    expect(screen.getByText("Showing 2 advisories about CVE-2022-27193 — more below")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Show more advisories" }));
    expect(await screen.findByText("CVE-3")).toBeTruthy();
    expect(to(ADVISORIES).map(query)).toEqual([{}, { cve: "CVE-2022-27193" }, { cve: "CVE-2022-27193", cursor: "C2" }]);
  });

  it("advisories: a new filter starts again from its first page", async () => {
    const { to } = mockRoutes({
      [PRODUCTS]: page([product("router"), product("gateway")]),
      [ADVISORIES]: (req) =>
        query(req).product === "gateway" ? page([advisory("gw-1")])(req) : byCursor({ "": page([advisory("sa-1")], "A2"), A2: page([advisory("sa-2")]) })(req),
    });
    const user = userEvent.setup();
    renderAt("/portal/acme/advisories");
    await user.click(await screen.findByRole("button", { name: "Show more advisories" }));
    expect(await screen.findByText("SA-2")).toBeTruthy();
    await user.selectOptions(screen.getByLabelText("Product"), "gateway");
    expect(await screen.findByText("GW-1")).toBeTruthy();
    expect(screen.queryByText("SA-1")).toBeNull();
    expect(screen.queryByRole("button", { name: "Show more advisories" })).toBeNull();
    expect(to(ADVISORIES).map(query).at(-1)).toEqual({ product: "gateway" });
  });
});
