import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, waitFor, within } from "../../test/render";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { OrgContext } from "../context";
import type { CreatedAccessToken } from "../../api/types";
import { jsonResponse, mockRoutes, problemResponse } from "../../test/util";
import { accessRequestFixture, accessTokenFixture, NDA_SHA, portalSettingsFixture, orgFixture } from "../../test/fixtures";
import { AccessRequestsPage } from "./AccessRequestsPage";

afterEach(() => vi.unstubAllGlobals());

const LIST = "GET /api/v1/orgs/acme/portal/access-requests";
const DECIDE = "POST /api/v1/orgs/acme/portal/access-requests/r1/decision";
const SETTINGS = "GET /api/v1/orgs/acme/portal";
const TOKENS = "GET /api/v1/orgs/acme/portal/tokens";
const PRODUCTS = "GET /api/v1/orgs/acme/products";

const PRODUCT_LIST = [
  { id: "p1", slug: "router", name: "Router", description: "", portal_visible: true, archived: false, version_count: 1, created_at: "", updated_at: "" },
  { id: "p2", slug: "gateway", name: "Gateway", description: "", portal_visible: true, archived: false, version_count: 1, created_at: "", updated_at: "" },
];

const CREATED: CreatedAccessToken = { ...accessTokenFixture({ id: "t-new", name: "Globex GmbH", product_ids: ["p1"] }), token: "spt_secret_once" };

function renderPage(path = "/admin/acme/settings/portal/access-requests") {
  const org = orgFixture();
  return render(
    <MemoryRouter initialEntries={[path]}>
      <OrgContext.Provider value={{ org, role: "admin", isAdmin: true, canPublish: true }}>
        <Routes>
          <Route path="/admin/:org/settings/portal/access-requests" element={<AccessRequestsPage />} />
        </Routes>
      </OrgContext.Provider>
    </MemoryRouter>,
  );
}

function base(over: Record<string, unknown> = {}) {
  return {
    [SETTINGS]: jsonResponse(portalSettingsFixture({ landing: { show_description: true, show_contact: true, access_requests: true, nda: null } })),
    [TOKENS]: jsonResponse([accessTokenFixture({ id: "t-old", name: "Initech" })]),
    [PRODUCTS]: jsonResponse(PRODUCT_LIST),
    ...over,
  };
}

describe("Settings › Supplier Portal › Access requests", () => {
  it("lists requests with the NDA accepted (version, short SHA-256, copy) and the token an approval made", async () => {
    const { to } = mockRoutes(
      base({
        [LIST]: jsonResponse([
          accessRequestFixture(),
          accessRequestFixture({
            id: "r0",
            name: "Peter Gibbons",
            company: "Initech",
            status: "approved",
            nda_version: null,
            nda_sha256: null,
            decided_by: "ada@acme.example",
            decided_at: "2026-02-02T10:00:00Z",
            decision_note: "Framework contract 2026",
            token_id: "t-old",
          }),
        ]),
      }),
    );
    renderPage();
    const table = await screen.findByRole("table", { name: "Access requests" });
    const [, pending, approved] = within(table).getAllByRole("row");
    expect(pending!.textContent).toContain("Grete Müller");
    expect(pending!.textContent).toContain("We run Router 2.0 in our plants.");
    expect(within(pending!).getByText("2026-01")).toBeTruthy();
    const hash = within(pending!).getByTitle(NDA_SHA);
    expect(hash.textContent).toBe(`${NDA_SHA.slice(0, 12)}…`);
    expect(within(pending!).getByRole("button", { name: "Copy the SHA-256 of the NDA Grete Müller accepted" })).toBeTruthy();
    expect(within(pending!).getByRole("link", { name: "grete@globex.example" }).getAttribute("href")).toBe("mailto:grete@globex.example");

    expect(within(approved!).getByText("No NDA")).toBeTruthy();
    expect(within(approved!).getByText("Approved")).toBeTruthy();
    expect(await within(approved!).findByRole("link", { name: "Token: Initech" })).toBeTruthy();
    expect(within(approved!).getByRole("link", { name: "Token: Initech" }).getAttribute("href")).toBe("/admin/acme/settings/portal/tokens/t-old");
    expect(within(approved!).getByText("“Framework contract 2026”")).toBeTruthy();
    expect(within(approved!).queryByRole("button", { name: /Approve/ })).toBeNull();
    expect(new URL(to(LIST)[0]!.url).search).toBe("");
  });

  it("filters by status through the address", async () => {
    const { to } = mockRoutes(base({ [LIST]: jsonResponse([]) }));
    renderPage("/admin/acme/settings/portal/access-requests?status=pending");
    expect(await screen.findByText("No pending access requests")).toBeTruthy();
    expect(screen.getByText("All good: nobody is waiting for an answer.")).toBeTruthy();
    expect(new URL(to(LIST)[0]!.url).searchParams.get("status")).toBe("pending");
    expect((screen.getByLabelText("Show") as HTMLSelectElement).value).toBe("pending");
  });

  it("approving creates the token: its secret shown once with the message to send, linked to its page", async () => {
    const { to } = mockRoutes(
      base({
        [LIST]: [
          jsonResponse([accessRequestFixture()]),
          jsonResponse([accessRequestFixture({ status: "approved", token_id: "t-new", decided_by: "ada@acme.example" })]),
        ],
        [DECIDE]: [
          problemResponse(400, "token_name: must not be longer than 200 characters", [
            { field: "token_name", message: "must not be longer than 200 characters" },
          ]),
          jsonResponse({ request: accessRequestFixture({ status: "approved", token_id: "t-new" }), token: CREATED }),
        ],
      }),
    );
    const user = userEvent.setup();
    renderPage();
    await user.click(await screen.findByRole("button", { name: "Approve the request of Grete Müller (Globex)" }));
    const dialog = screen.getByRole("dialog", { name: "Give Globex access" });
    const name = within(dialog).getByLabelText("Token name") as HTMLInputElement;
    expect(name.value).toBe("Globex");
    expect((within(dialog).getByLabelText("Expires") as HTMLSelectElement).value).toBe("1y");
    await user.clear(name);
    await user.type(name, "Globex GmbH");
    await user.selectOptions(within(dialog).getByLabelText("Expires"), "90d");
    await user.selectOptions(within(dialog).getByLabelText("TLP clearance"), "green");
    await user.click(within(dialog).getByLabelText("Only these products"));
    await user.click(within(dialog).getByRole("button", { name: "Approve and create token" }));
    expect(within(dialog).getByText("Choose at least one product, or give access to all products.")).toBeTruthy();
    expect(to(DECIDE)).toHaveLength(0);
    await user.click(within(dialog).getByLabelText("Router"));
    await user.type(within(dialog).getByLabelText(/Note/), "Contract 4711");
    await user.click(within(dialog).getByRole("button", { name: "Approve and create token" }));
    // The server's word under its field.
    expect(await within(dialog).findByText("must not be longer than 200 characters")).toBeTruthy();
    expect(name.getAttribute("aria-invalid")).toBe("true");
    await user.click(within(dialog).getByRole("button", { name: "Approve and create token" }));

    const secret = await screen.findByRole("dialog", { name: "Access granted" });
    expect((within(secret).getByTestId("secret-value") as HTMLInputElement).value).toBe("spt_secret_once");
    expect(within(secret).getByText(/only shown once/)).toBeTruthy();
    expect(within(secret).getByTestId("token-message").textContent).toContain("Access token: spt_secret_once");
    expect(within(secret).getByRole("link", { name: "open Globex GmbH" }).getAttribute("href")).toBe("/admin/acme/settings/portal/tokens/t-new");
    expect(await to(DECIDE)[1]!.json()).toEqual({
      decision: "approve",
      token_name: "Globex GmbH",
      expires_in: "90d",
      max_tlp: "green",
      product_ids: ["p1"],
      note: "Contract 4711",
    });
    await user.click(within(secret).getByRole("button", { name: "I have stored it, close" }));
    expect(screen.queryByTestId("secret-value")).toBeNull();
    await waitFor(() => expect(to(LIST)).toHaveLength(2));
  });

  it("all products: product_ids is left out", async () => {
    const { to } = mockRoutes(
      base({
        [LIST]: jsonResponse([accessRequestFixture()]),
        [DECIDE]: jsonResponse({ request: accessRequestFixture({ status: "approved" }), token: CREATED }),
      }),
    );
    const user = userEvent.setup();
    renderPage();
    await user.click(await screen.findByRole("button", { name: /^Approve the request/ }));
    await user.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Approve and create token" }));
    await screen.findByRole("dialog", { name: "Access granted" });
    expect(await to(DECIDE)[0]!.json()).toEqual({ decision: "approve", token_name: "Globex", expires_in: "1y", max_tlp: "amber" });
  });

  it("declines with a note, and a request decided meanwhile says so", async () => {
    const { to } = mockRoutes(
      base({
        [LIST]: jsonResponse([accessRequestFixture()]),
        [DECIDE]: [
          problemResponse(409, "this request was already declined"),
          jsonResponse({ request: accessRequestFixture({ status: "declined" }) }),
        ],
      }),
    );
    const user = userEvent.setup();
    renderPage();
    await user.click(await screen.findByRole("button", { name: "Decline the request of Grete Müller (Globex)" }));
    const confirm = screen.getByRole("alertdialog", { name: "Decline the request of Grete Müller?" });
    await user.type(within(confirm).getByLabelText(/Note/), "No contract with Globex");
    await user.click(within(confirm).getByRole("button", { name: "Decline" }));
    expect(await within(confirm).findByText("this request was already declined")).toBeTruthy();
    await user.click(within(confirm).getByRole("button", { name: "Decline" }));
    await waitFor(() => expect(screen.queryByRole("alertdialog")).toBeNull());
    expect(await to(DECIDE)[1]!.json()).toEqual({ decision: "decline", note: "No contract with Globex" });
  });

  it("says when the portal takes no requests", async () => {
    mockRoutes({ ...base({ [LIST]: jsonResponse([]) }), [SETTINGS]: jsonResponse(portalSettingsFixture()) });
    renderPage();
    expect(await screen.findByText(/does not take access requests at the moment/)).toBeTruthy();
    expect(screen.getByRole("link", { name: "portal settings" }).getAttribute("href")).toBe("/admin/acme/settings/portal");
  });
});
