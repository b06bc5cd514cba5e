import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, waitFor, within } from "../../test/render";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { OrgContext } from "../context";
import type { AccessTokenView, SubscriptionView } from "../../api/types";
import { jsonResponse, mockRoutes, problemResponse } from "../../test/util";
import { TokenSubscriptionsPage } from "./TokenSubscriptionsPage";
import { orgFixture } from "../../test/fixtures";

afterEach(() => vi.unstubAllGlobals());

const SUBS = "GET /api/v1/orgs/acme/portal/tokens/t1/subscriptions";
const CREATE = "POST /api/v1/orgs/acme/portal/tokens/t1/subscriptions";
const DELETE = "DELETE /api/v1/orgs/acme/portal/tokens/t1/subscriptions/s1";

const TOKEN: AccessTokenView = {
  id: "t1",
  name: "Globex",
  hint: "spt_…ab12",
  created_at: "2025-01-01T00:00:00Z",
  created_by: "ada@acme.example",
  use_count: 0,
  status: "active",
  max_tlp: "amber",
  contact_email: "sec@globex.example",
};

const SUB: SubscriptionView = {
  id: "s1",
  email: "sec@globex.example",
  webhook_url: null,
  events: ["advisory.published", "vex.published"],
  products: ["router"],
  created_at: "2026-03-01T10:00:00Z",
  created_by: "ada@acme.example",
};

function renderPage() {
  const org = orgFixture();
  return render(
    <MemoryRouter initialEntries={["/admin/acme/settings/portal/tokens/t1/subscriptions"]}>
      <OrgContext.Provider value={{ org, role: "admin", isAdmin: true, canPublish: true }}>
        <Routes>
          <Route path="/admin/:org/settings/portal/tokens/:id/subscriptions" element={<TokenSubscriptionsPage />} />
        </Routes>
      </OrgContext.Provider>
    </MemoryRouter>,
  );
}

const PRODUCTS = [
  { id: "p1", slug: "router", name: "Router", description: "", portal_visible: true, archived: false, version_count: 1, created_at: "", updated_at: "" },
  { id: "p2", slug: "gateway", name: "Gateway", description: "", portal_visible: true, archived: false, version_count: 1, created_at: "", updated_at: "" },
];

describe("Access token › Subscriptions", () => {
  it("lists, creates (webhook secret shown once) and deletes a token's subscriptions", async () => {
    const { to } = mockRoutes({
      "GET /api/v1/orgs/acme/portal/tokens/t1": jsonResponse(TOKEN),
      "GET /api/v1/orgs/acme/products": jsonResponse(PRODUCTS),
      [SUBS]: [jsonResponse([SUB]), jsonResponse([SUB]), jsonResponse([])],
      [CREATE]: [
        problemResponse(422, "webhook_url: resolves to a private address", [
          { field: "webhook_url", message: "resolves to a private address" },
        ]),
        jsonResponse(
          {
            id: "s2",
            webhook_url: "https://hooks.globex.example/sp",
            events: ["vex.published"],
            created_at: "2026-03-02T10:00:00Z",
            created_by: "ada@acme.example",
            secret_hint: "whsec_…9f2a",
            webhook_secret: "whsec_c2VjcmV0",
          },
          201,
        ),
      ],
      [DELETE]: new Response(null, { status: 204 }),
    });
    const user = userEvent.setup();
    renderPage();
    expect(await screen.findByRole("heading", { name: "Subscriptions of Globex" })).toBeTruthy();
    const table = await screen.findByRole("table", { name: "Subscriptions" });
    expect(table.textContent).toContain("E-mail sec@globex.example");
    expect(table.textContent).toContain("Advisory published, VEX published");
    expect(await within(table).findByText("Router")).toBeTruthy();

    await user.click(screen.getByRole("button", { name: "New subscription" }));
    const dialog = screen.getByRole("dialog", { name: "New subscription" });
    await user.click(within(dialog).getByRole("button", { name: "Subscribe" }));
    expect(within(dialog).getByText("Give an e-mail address, a webhook URL, or both.")).toBeTruthy();
    await user.type(within(dialog).getByLabelText(/Webhook URL/), "https://10.0.0.1/hook");
    for (const label of [/Security advisory published/, /SBOM published/, /Document published/, /Artifact withdrawn/, /Access token expiring/]) {
      await user.click(within(dialog).getByLabelText(label));
    }
    await user.click(within(dialog).getByLabelText("Only these products"));
    await user.click(within(dialog).getByLabelText("Gateway"));
    await user.click(within(dialog).getByRole("button", { name: "Subscribe" }));
    expect(await within(dialog).findByText("resolves to a private address")).toBeTruthy();
    const url = within(dialog).getByLabelText(/Webhook URL/);
    await user.clear(url);
    await user.type(url, "https://hooks.globex.example/sp");
    await user.click(within(dialog).getByRole("button", { name: "Subscribe" }));

    const secret = await screen.findByRole("dialog", { name: "Subscription created" });
    expect((within(secret).getByTestId("secret-value") as HTMLInputElement).value).toBe("whsec_c2VjcmV0");
    expect(within(secret).getByText(/only shown once/)).toBeTruthy();
    expect(await to(CREATE)[1]!.json()).toEqual({
      events: ["vex.published"],
      webhook_url: "https://hooks.globex.example/sp",
      products: ["gateway"],
    });
    await user.click(within(secret).getByRole("button", { name: "I have stored it, close" }));
    expect(screen.queryByTestId("secret-value")).toBeNull();

    await user.click(await screen.findByRole("button", { name: "Delete the subscription for sec@globex.example" }));
    await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Delete" }));
    await waitFor(() => expect(to(DELETE)).toHaveLength(1));
    expect(await screen.findByText("No subscriptions")).toBeTruthy();
  });
});
