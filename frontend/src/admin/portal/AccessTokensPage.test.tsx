import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, waitFor, within } from "../../test/render";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";
import { OrgContext } from "../context";
import type { AccessTokenView, ProductView } from "../../api/types";
import { jsonResponse, mockRoutes, problemResponse } from "../../test/util";
import { AccessTokensPage, tokenChanges, tokenMessage } from "./AccessTokensPage";
import { orgFixture } from "../../test/fixtures";

afterEach(() => vi.unstubAllGlobals());

const TOKENS = "GET /api/v1/orgs/acme/portal/tokens";
const CREATE = "POST /api/v1/orgs/acme/portal/tokens";
const PATCH_T1 = "PATCH /api/v1/orgs/acme/portal/tokens/t1";
const PRODUCTS = "GET /api/v1/orgs/acme/products";

function product(id: string, name: string): ProductView {
  return {
    id,
    name,
    slug: name.toLowerCase().replace(/\s+/g, "-"),
    description: "",
    portal_visible: true,
    archived: false,
    version_count: 1,
    created_at: "2025-01-01T00:00:00Z",
    updated_at: "2025-01-01T00:00:00Z",
  };
}

const PRODUCT_LIST = [product("p1", "Smart Thermostat"), product("p2", "Gateway"), product("p3", "Door Sensor")];

function token(over: Partial<AccessTokenView> = {}): AccessTokenView {
  return {
    id: "t1",
    name: "ACME Corporation",
    hint: "spt_…ab12",
    created_at: "2025-01-01T00:00:00Z",
    created_by: "ada@acme.example",
    expires_at: "2026-01-01T00:00:00Z",
    last_used_at: null,
    use_count: 0,
    status: "active",
    max_tlp: "amber",
    product_ids: ["p1"],
    ...over,
  };
}

/** Where the page is (its query string), to see filters kept in the address. */
function Location() {
  return <output data-testid="location">{useLocation().search}</output>;
}

function renderPage() {
  const org = orgFixture();
  return render(
    <MemoryRouter initialEntries={["/admin/acme/settings/portal/tokens"]}>
      <OrgContext.Provider value={{ org, role: "admin", isAdmin: true, canPublish: true }}>
        <Routes>
          <Route
            path="/admin/:org/settings/portal/tokens"
            element={
              <>
                <AccessTokensPage />
                <Location />
              </>
            }
          />
        </Routes>
      </OrgContext.Provider>
    </MemoryRouter>,
  );
}

/** The token's row, once the table shows it (after a save the list is fetched again). */
async function tokenRow(name: string) {
  const table = await screen.findByRole("table", { name: "Access tokens" });
  return waitFor(() => {
    const row = within(table).getAllByRole("row").find((r) => r.textContent?.includes(name));
    if (!row) throw new Error(`no row for ${name} yet`);
    return row;
  });
}

describe("Settings › Supplier Portal › Access Tokens: clearance and edit", () => {
  it("lists each token's clearance and links to 'View as this customer'", async () => {
    mockRoutes({
      [TOKENS]: jsonResponse([token(), token({ id: "t2", name: "CI Pipeline", max_tlp: "red", product_ids: null, status: "revoked" })]),
      [PRODUCTS]: jsonResponse(PRODUCT_LIST),
    });
    renderPage();
    const acme = await tokenRow("ACME Corporation");
    expect(within(acme).getByText("TLP:AMBER").className).toContain("tlp-amber");
    expect(within(acme).getByRole("link", { name: "View the portal as ACME Corporation" }).getAttribute("href")).toBe(
      "/admin/acme/settings/portal/tokens/t1/preview",
    );
    expect(within(acme).getByRole("button", { name: "Edit ACME Corporation" })).toBeTruthy();
    const ci = await tokenRow("CI Pipeline");
    expect(within(ci).getByText("TLP:RED")).toBeTruthy();
    // A revoked token can still be previewed (it sees nothing), not edited.
    expect(within(ci).getByRole("link", { name: "View the portal as CI Pipeline" })).toBeTruthy();
    expect(within(ci).queryByRole("button", { name: "Edit CI Pipeline" })).toBeNull();
    expect(screen.getByRole("link", { name: "View as anonymous visitor" }).getAttribute("href")).toBe(
      "/admin/acme/settings/portal/preview",
    );
  });

  it("Create Access Token sends the clearance (AMBER unless changed)", async () => {
    const { to } = mockRoutes({
      [TOKENS]: jsonResponse([]),
      [PRODUCTS]: jsonResponse(PRODUCT_LIST),
      [CREATE]: jsonResponse({ ...token({ max_tlp: "green", product_ids: null }), token: "spt_secret" }, 201),
    });
    const user = userEvent.setup();
    renderPage();
    await screen.findByText("No access tokens");
    await user.click(screen.getAllByRole("button", { name: "Create Access Token" })[0]!);
    const dialog = screen.getByRole("dialog", { name: "Create Access Token" });
    const clearance = within(dialog).getByLabelText("TLP clearance") as HTMLSelectElement;
    expect(clearance.value).toBe("amber");
    expect(within(dialog).getByText(/The most restrictive label this customer may read: TLP:CLEAR, TLP:GREEN and TLP:AMBER/)).toBeTruthy();
    await user.type(within(dialog).getByLabelText("Name"), "ACME Corporation");
    await user.selectOptions(clearance, "green");
    await user.click(within(dialog).getByRole("button", { name: "Create Access Token" }));
    expect(await screen.findByRole("dialog", { name: "Access token created" })).toBeTruthy();
    expect(await to(CREATE)[0]!.json()).toEqual({
      name: "ACME Corporation",
      expires_in: "90d",
      max_tlp: "green",
      product_ids: null,
    });
  });

  it("Edit sends only what changed: name, clearance and product scope", async () => {
    const { to } = mockRoutes({
      [TOKENS]: [jsonResponse([token()]), jsonResponse([token({ name: "ACME Corp.", max_tlp: "red", product_ids: ["p1", "p2"] })])],
      [PRODUCTS]: jsonResponse(PRODUCT_LIST),
      [PATCH_T1]: jsonResponse(token({ name: "ACME Corp.", max_tlp: "red", product_ids: ["p1", "p2"] })),
    });
    const user = userEvent.setup();
    renderPage();
    await user.click(within(await tokenRow("ACME Corporation")).getByRole("button", { name: "Edit ACME Corporation" }));
    const dialog = screen.getByRole("dialog", { name: "Edit ACME Corporation" });
    const name = within(dialog).getByLabelText("Name") as HTMLInputElement;
    expect(name.value).toBe("ACME Corporation");
    expect((within(dialog).getByLabelText("TLP clearance") as HTMLSelectElement).value).toBe("amber");
    expect((within(dialog).getByLabelText("Only these products") as HTMLInputElement).checked).toBe(true);
    expect((within(dialog).getByLabelText("Smart Thermostat") as HTMLInputElement).checked).toBe(true);
    expect((within(dialog).getByLabelText("Gateway") as HTMLInputElement).checked).toBe(false);

    await user.clear(name);
    await user.type(name, "ACME Corp.");
    await user.selectOptions(within(dialog).getByLabelText("TLP clearance"), "red");
    await user.click(within(dialog).getByLabelText("Gateway"));
    await user.click(within(dialog).getByRole("button", { name: "Save changes" }));

    expect(await within(await tokenRow("ACME Corp.")).findByText("TLP:RED")).toBeTruthy();
    expect(screen.queryByRole("dialog")).toBeNull();
    const patches = to(PATCH_T1);
    expect(patches).toHaveLength(1);
    expect(await patches[0]!.json()).toEqual({ name: "ACME Corp.", max_tlp: "red", product_ids: ["p1", "p2"] });
    expect(to(TOKENS)).toHaveLength(2);
  });

  it("Edit: only the clearance; widening to all products sends null; no change sends nothing", async () => {
    const { to } = mockRoutes({
      [TOKENS]: jsonResponse([token()]),
      [PRODUCTS]: jsonResponse(PRODUCT_LIST),
      [PATCH_T1]: jsonResponse(token()),
    });
    const user = userEvent.setup();
    renderPage();
    const row = await tokenRow("ACME Corporation");

    await user.click(within(row).getByRole("button", { name: "Edit ACME Corporation" }));
    let dialog = screen.getByRole("dialog", { name: "Edit ACME Corporation" });
    await user.selectOptions(within(dialog).getByLabelText("TLP clearance"), "amber+strict");
    await user.click(within(dialog).getByRole("button", { name: "Save changes" }));
    await vi.waitFor(() => expect(to(PATCH_T1)).toHaveLength(1));
    expect(await to(PATCH_T1)[0]!.json()).toEqual({ max_tlp: "amber+strict" });

    await user.click(within(await tokenRow("ACME Corporation")).getByRole("button", { name: "Edit ACME Corporation" }));
    dialog = screen.getByRole("dialog", { name: "Edit ACME Corporation" });
    await user.click(within(dialog).getByLabelText("All products in the portal"));
    await user.click(within(dialog).getByRole("button", { name: "Save changes" }));
    await vi.waitFor(() => expect(to(PATCH_T1)).toHaveLength(2));
    expect(await to(PATCH_T1)[1]!.json()).toEqual({ product_ids: null });

    await user.click(within(await tokenRow("ACME Corporation")).getByRole("button", { name: "Edit ACME Corporation" }));
    dialog = screen.getByRole("dialog", { name: "Edit ACME Corporation" });
    await user.click(within(dialog).getByRole("button", { name: "Save changes" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(to(PATCH_T1)).toHaveLength(2);
  });

  it("Edit keeps the dialog open with the server's field error, and refuses an empty scope itself", async () => {
    const { to } = mockRoutes({
      [TOKENS]: jsonResponse([token()]),
      [PRODUCTS]: jsonResponse(PRODUCT_LIST),
      [PATCH_T1]: problemResponse(400, "max_tlp: must be clear, green, amber, amber+strict or red", [
        { field: "max_tlp", message: "must be clear, green, amber, amber+strict or red" },
      ]),
    });
    const user = userEvent.setup();
    renderPage();
    await user.click(within(await tokenRow("ACME Corporation")).getByRole("button", { name: "Edit ACME Corporation" }));
    const dialog = screen.getByRole("dialog", { name: "Edit ACME Corporation" });
    await user.click(within(dialog).getByLabelText("Smart Thermostat"));
    await user.click(within(dialog).getByRole("button", { name: "Save changes" }));
    expect(within(dialog).getByText("Choose at least one product, or give access to all products.")).toBeTruthy();
    expect(to(PATCH_T1)).toHaveLength(0);

    await user.click(within(dialog).getByLabelText("Smart Thermostat"));
    await user.selectOptions(within(dialog).getByLabelText("TLP clearance"), "red");
    await user.click(within(dialog).getByRole("button", { name: "Save changes" }));
    const message = await within(dialog).findByText("must be clear, green, amber, amber+strict or red");
    expect(within(dialog).getByLabelText("TLP clearance").getAttribute("aria-describedby")).toContain(message.id);
    expect(screen.getByRole("dialog", { name: "Edit ACME Corporation" })).toBeTruthy();
  });
});

describe("tokenChanges", () => {
  it("compares product scopes as sets", () => {
    const t = token({ product_ids: ["p1", "p2"] });
    expect(tokenChanges(t, { name: " ACME Corporation ", maxTlp: "amber", productIds: ["p2", "p1"] })).toEqual({});
    expect(tokenChanges(t, { name: "ACME Corporation", maxTlp: "amber", productIds: ["p2"] })).toEqual({ product_ids: ["p2"] });
    expect(tokenChanges(token({ product_ids: null }), { name: "ACME Corporation", maxTlp: "amber", productIds: null })).toEqual({});
    expect(tokenChanges(token({ product_ids: null }), { name: "ACME Corporation", maxTlp: "clear", productIds: ["p3"] })).toEqual({
      max_tlp: "clear",
      product_ids: ["p3"],
    });
  });
});

describe("Access Tokens: revoked tokens and the message for the customer", () => {
  const PORTAL = "GET /api/v1/orgs/acme/portal";
  const SETTINGS = {
    enabled: true,
    slug: "acme-evidence",
    visibility: "private",
    display_name: "ACME Security Evidence",
    description: "",
    url: "https://portal.acme.example/portal/acme-evidence",
    default_tlp: "clear",
    csaf_publisher: null,
    require_conformance: [],
  };

  /** ACME Corporation's token, and Old Customer's, revoked. */
  function mockOneActiveOneRevoked() {
    mockRoutes({
      [TOKENS]: jsonResponse([token(), token({ id: "t2", name: "Old Customer", status: "revoked", revoked_at: "2025-03-01T00:00:00Z" })]),
      [PRODUCTS]: jsonResponse(PRODUCT_LIST),
      [PORTAL]: jsonResponse(SETTINGS),
    });
  }

  it("revoked tokens are marked, and 'Hide revoked tokens' takes them out of the list", async () => {
    mockOneActiveOneRevoked();
    const user = userEvent.setup();
    renderPage();
    const old = await tokenRow("Old Customer");
    expect(within(old).getByText("Revoked")).toBeTruthy();
    expect(old.className).toContain("row-muted");
    await user.click(screen.getByLabelText("Hide revoked tokens (1)"));
    const table = screen.getByRole("table", { name: "Access tokens" });
    expect(within(table).queryByText("Old Customer")).toBeNull();
    expect(within(table).getByText("ACME Corporation")).toBeTruthy();
    // Kept in the address: back from a token's page, the list is as it was.
    expect(screen.getByTestId("location").textContent).toBe("?revoked=hide");
    await user.click(screen.getByLabelText("Hide revoked tokens (1)"));
    expect(screen.getByTestId("location").textContent).toBe("");
    expect(within(screen.getByRole("table", { name: "Access tokens" })).getByText("Old Customer")).toBeTruthy();
  });

  it("the box follows the address when it changes without it (the tab link back to the full list)", async () => {
    mockOneActiveOneRevoked();
    const user = userEvent.setup();
    renderPage();
    await tokenRow("Old Customer");
    const box = screen.getByLabelText<HTMLInputElement>("Hide revoked tokens (1)");
    await user.click(box);
    expect(box.checked).toBe(true);
    await user.click(screen.getByRole("link", { name: "Access Tokens" }));
    expect(screen.getByTestId("location").textContent).toBe("");
    expect(screen.getByLabelText<HTMLInputElement>("Hide revoked tokens (1)").checked).toBe(false);
    expect(within(screen.getByRole("table", { name: "Access tokens" })).getByText("Old Customer")).toBeTruthy();
  });

  it("the one-time secret dialog offers a ready-to-send message: portal URL, token, expiry and a curl line", async () => {
    mockRoutes({
      [TOKENS]: jsonResponse([]),
      [PRODUCTS]: jsonResponse(PRODUCT_LIST),
      [PORTAL]: jsonResponse(SETTINGS),
      [CREATE]: jsonResponse({ ...token({ expires_at: "2026-01-01T00:00:00Z" }), token: "spt_secret123" }, 201),
    });
    const user = userEvent.setup();
    renderPage();
    await screen.findByText("No access tokens");
    await user.click(screen.getAllByRole("button", { name: "Create Access Token" })[0]!);
    const create = screen.getByRole("dialog", { name: "Create Access Token" });
    await user.type(within(create).getByLabelText("Name"), "ACME Corporation");
    await user.click(within(create).getByRole("button", { name: "Create Access Token" }));
    const secret = await screen.findByRole("dialog", { name: "Access token created" });
    const message = within(secret).getByTestId("token-message").textContent!;
    expect(message).toContain("Hello ACME Corporation,");
    expect(message).toContain("the ACME Security Evidence portal");
    expect(message).toContain("Portal: https://portal.acme.example/portal/acme-evidence");
    expect(message).toContain("Access token: spt_secret123");
    expect(message).toContain("Valid until: 1 Jan 2026");
    expect(message).toContain(`curl -H "Authorization: Bearer spt_secret123" ${window.location.origin}/api/v1/portal/acme-evidence/products`);
    expect(within(secret).getByRole("button", { name: "Copy message" })).toBeTruthy();
  });

  it("a token that never expires says so in the message", () => {
    const text = tokenMessage({ name: "CI", token: "spt_x", expiresAt: null, portalUrl: "https://p/portal/a", apiBase: "https://p/api/v1/portal/a" });
    expect(text).toContain("Valid until: revoked (it does not expire)");
    expect(text).toContain("our Supplier Portal");
  });
});

describe("Settings › Supplier Portal › Access Tokens: contact e-mail, extending the expiry, subscriptions", () => {
  it("Create sends the contact e-mail when one is given", async () => {
    const { to } = mockRoutes({
      [TOKENS]: jsonResponse([]),
      [PRODUCTS]: jsonResponse(PRODUCT_LIST),
      [CREATE]: jsonResponse({ ...token({ contact_email: "sec@acme.example" }), token: "spt_secret" }, 201),
    });
    const user = userEvent.setup();
    renderPage();
    await screen.findByText("No access tokens");
    await user.click(screen.getAllByRole("button", { name: "Create Access Token" })[0]!);
    const dialog = screen.getByRole("dialog", { name: "Create Access Token" });
    await user.type(within(dialog).getByLabelText("Name"), "ACME Corporation");
    await user.type(within(dialog).getByLabelText(/Contact e-mail/), "sec@acme.example");
    await user.click(within(dialog).getByRole("button", { name: "Create Access Token" }));
    expect(await screen.findByRole("dialog", { name: "Access token created" })).toBeTruthy();
    expect(await to(CREATE)[0]!.json()).toEqual({
      name: "ACME Corporation",
      contact_email: "sec@acme.example",
      expires_in: "90d",
      max_tlp: "amber",
      product_ids: null,
    });
  });

  it("Edit changes the contact e-mail and extends the expiry; the row links to the token's subscriptions", async () => {
    const { to } = mockRoutes({
      [TOKENS]: [jsonResponse([token({ contact_email: "old@acme.example" })]), jsonResponse([token({ contact_email: "new@acme.example" })])],
      [PRODUCTS]: jsonResponse(PRODUCT_LIST),
      [PATCH_T1]: jsonResponse(token({ contact_email: "new@acme.example" })),
    });
    const user = userEvent.setup();
    renderPage();
    const row = await tokenRow("ACME Corporation");
    expect(within(row).getByText("old@acme.example")).toBeTruthy();
    expect(within(row).getByRole("link", { name: "Subscriptions of ACME Corporation" }).getAttribute("href")).toBe(
      "/admin/acme/settings/portal/tokens/t1/subscriptions",
    );
    await user.click(within(row).getByRole("button", { name: "Edit ACME Corporation" }));
    const dialog = screen.getByRole("dialog", { name: "Edit ACME Corporation" });
    const email = within(dialog).getByLabelText(/Contact e-mail/) as HTMLInputElement;
    expect(email.value).toBe("old@acme.example");
    const extend = within(dialog).getByLabelText("Extend expiry") as HTMLSelectElement;
    expect(extend.value).toBe("");
    await user.clear(email);
    await user.type(email, "new@acme.example");
    await user.selectOptions(extend, "1y");
    await user.click(within(dialog).getByRole("button", { name: "Save changes" }));
    expect(await within(await tokenRow("ACME Corporation")).findByText("new@acme.example")).toBeTruthy();
    expect(await to(PATCH_T1)[0]!.json()).toEqual({ contact_email: "new@acme.example", expires_in: "1y" });
  });

  it("tokenChanges: clearing the contact address sends null; no expiry choice sends nothing", () => {
    const t = token({ contact_email: "a@b.example" });
    expect(tokenChanges(t, { name: t.name, maxTlp: "amber", productIds: ["p1"], contactEmail: " ", expiresIn: "" })).toEqual({
      contact_email: null,
    });
    expect(tokenChanges(t, { name: t.name, maxTlp: "amber", productIds: ["p1"], contactEmail: "a@b.example" })).toEqual({});
  });
});
