import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, waitFor, within } from "../../test/render";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { OrgContext } from "../context";
import type { TokenUsage } from "../../api/types";
import { jsonResponse, mockRoutes, problemResponse } from "../../test/util";
import { accessTokenFixture, orgFixture } from "../../test/fixtures";
import { TokenPage } from "./TokenPage";

afterEach(() => vi.unstubAllGlobals());

const TOKEN = "GET /api/v1/orgs/acme/portal/tokens/t1";
const PRODUCTS = "GET /api/v1/orgs/acme/products";
const USAGE = "GET /api/v1/orgs/acme/portal/tokens/t1/usage";
const SUBS = "GET /api/v1/orgs/acme/portal/tokens/t1/subscriptions";
const PATCH = "PATCH /api/v1/orgs/acme/portal/tokens/t1";
const REVOKE = "POST /api/v1/orgs/acme/portal/tokens/t1/revoke";

const PRODUCT_LIST = [
  { id: "p1", slug: "router", name: "Router", description: "", portal_visible: true, archived: false, version_count: 1, created_at: "", updated_at: "" },
];

const usage: TokenUsage = {
  token_id: "t1",
  name: "Globex",
  range: { from: "2026-02-01", to: "2026-03-02", granularity: "day" },
  downloads: { total: 3, sbom: 2, vex: 1, advisory: 0, document: 0 },
  trend: [{ period: "2026-03-01", downloads: 3 }],
  by_product: [{ product_id: "p1", product_slug: "router", product_name: "Router", downloads: 3 }],
  ips: [{ ip: "192.0.2.7", events: 4, first_at: "2026-02-20T09:00:00Z", last_at: "2026-03-01T09:00:00Z" }],
  recent_events: [],
};

function renderPage() {
  const org = orgFixture();
  return render(
    <MemoryRouter initialEntries={["/admin/acme/settings/portal/tokens/t1"]}>
      <OrgContext.Provider value={{ org, role: "admin", isAdmin: true, canPublish: true }}>
        <Routes>
          <Route path="/admin/:org/settings/portal/tokens/:id" element={<TokenPage />} />
        </Routes>
      </OrgContext.Provider>
    </MemoryRouter>,
  );
}

describe("Access token page", () => {
  it("shows the token's facts, its usage and its subscriptions", async () => {
    mockRoutes({
      [TOKEN]: jsonResponse(accessTokenFixture({ product_ids: ["p1"] })),
      [PRODUCTS]: jsonResponse(PRODUCT_LIST),
      [USAGE]: jsonResponse(usage),
      [SUBS]: jsonResponse([]),
    });
    renderPage();
    expect(await screen.findByRole("heading", { name: /^Globex/, level: 1 })).toBeTruthy();
    expect(document.title).toBe("Globex · Access token · Supplier Portal");
    const facts = screen.getByRole("region", { name: "About this token" });
    const fact = (label: string) => within(facts).getByText(label, { selector: "dt" }).nextElementSibling!.textContent;
    expect(fact("Token")).toContain("spt_…ab12");
    expect(fact("Status")).toBe("Active");
    expect(await within(facts).findByText("Router")).toBeTruthy();
    expect(fact("TLP clearance")).toContain("TLP:AMBER");
    expect(fact("Contact e-mail")).toBe("sec@globex.example");
    expect(fact("Expires")).toContain("31 Dec 2026");
    expect(fact("Created")).toBe("1 Jan 2026 by ada@acme.example");
    expect(fact("Last used")).toContain("from 192.0.2.7");
    expect(fact("Last used")).toContain("4 uses in all");

    const usageSection = await screen.findByRole("region", { name: "Usage" });
    expect(await within(usageSection).findByRole("region", { name: "Downloads in the period" })).toBeTruthy();
    expect(within(usageSection).getByText("192.0.2.7")).toBeTruthy();
    const subs = screen.getByRole("region", { name: "Subscriptions" });
    expect(await within(subs).findByText("No subscriptions")).toBeTruthy();
    expect(subs.textContent).toContain("Its contact address sec@globex.example");
    expect(screen.getByRole("link", { name: "View as this customer" }).getAttribute("href")).toBe(
      "/admin/acme/settings/portal/tokens/t1/preview",
    );
  });

  it("edits the token (only what changed is sent)", async () => {
    const { to } = mockRoutes({
      [TOKEN]: [jsonResponse(accessTokenFixture()), jsonResponse(accessTokenFixture({ name: "Globex AG", max_tlp: "green" }))],
      [PRODUCTS]: jsonResponse(PRODUCT_LIST),
      [USAGE]: jsonResponse(usage),
      [SUBS]: jsonResponse([]),
      [PATCH]: jsonResponse(accessTokenFixture({ name: "Globex AG", max_tlp: "green" })),
    });
    const user = userEvent.setup();
    renderPage();
    await user.click(await screen.findByRole("button", { name: "Edit" }));
    const dialog = screen.getByRole("dialog", { name: "Edit Globex" });
    const name = within(dialog).getByLabelText("Name");
    await user.clear(name);
    await user.type(name, "Globex AG");
    await user.selectOptions(within(dialog).getByLabelText("TLP clearance"), "green");
    await user.selectOptions(within(dialog).getByLabelText("Extend expiry"), "90d");
    await user.click(within(dialog).getByRole("button", { name: "Save changes" }));
    expect(await screen.findByRole("heading", { name: /^Globex AG/, level: 1 })).toBeTruthy();
    expect(await to(PATCH)[0]!.json()).toEqual({ name: "Globex AG", max_tlp: "green", expires_in: "90d" });
  });

  it("revokes after confirmation, with POST …/revoke", async () => {
    const { to } = mockRoutes({
      [TOKEN]: [jsonResponse(accessTokenFixture()), jsonResponse(accessTokenFixture({ status: "revoked", revoked_at: "2026-03-02T10:00:00Z" }))],
      [PRODUCTS]: jsonResponse(PRODUCT_LIST),
      [USAGE]: jsonResponse(usage),
      [SUBS]: jsonResponse([]),
      [REVOKE]: new Response(null, { status: 204 }),
    });
    const user = userEvent.setup();
    renderPage();
    await user.click(await screen.findByRole("button", { name: "Revoke" }));
    const confirm = screen.getByRole("alertdialog", { name: "Revoke Globex?" });
    expect(confirm.textContent).toContain("loses access immediately");
    await user.click(within(confirm).getByRole("button", { name: "Revoke" }));
    await waitFor(() => expect(to(REVOKE)).toHaveLength(1));
    const facts = screen.getByRole("region", { name: "About this token" });
    expect(await within(facts).findByText("Revoked")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Edit" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Revoke" })).toBeNull();
  });

  it("an unknown token says so", async () => {
    mockRoutes({ [TOKEN]: problemResponse(404, "no such access token"), [PRODUCTS]: jsonResponse(PRODUCT_LIST) });
    renderPage();
    expect(await screen.findByText("There is no such access token")).toBeTruthy();
    expect(screen.getByRole("link", { name: "See every access token" }).getAttribute("href")).toBe("/admin/acme/settings/portal/tokens");
  });
});
