import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, waitFor, within } from "../test/render";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { createApi } from "../api/client";
import { SessionStore } from "../api/session";
import type { PortalCaller, PortalProduct, RenewalView, SubscriptionView } from "../api/types";
import { jsonResponse, mockRoutes, problemResponse } from "../test/util";
import { PortalContext } from "./context";
import { PortalNotifications } from "./PortalNotifications";
import { PortalAccess } from "./PortalAccess";

afterEach(() => vi.unstubAllGlobals());

const SUBS = "GET /api/v1/portal/acme/subscriptions";
const CREATE = "POST /api/v1/portal/acme/subscriptions";
const RENEWALS = "GET /api/v1/portal/acme/renewal-requests";
const REQUEST = "POST /api/v1/portal/acme/renewal-requests";

const SIGNED_IN: PortalCaller = { type: "access_token", name: "Globex", expires_at: "2026-04-01T00:00:00Z", tlp_labels: ["clear", "green", "amber"] };
const ANONYMOUS: PortalCaller = { type: "anonymous", tlp_labels: ["clear"] };

const PRODUCTS: PortalProduct[] = [
  { name: "Router", slug: "router", description: "", checklist_published: false, versions: [] },
  { name: "Gateway", slug: "gateway", description: "", checklist_published: false, versions: [] },
];

function renderAt(path: "notifications" | "access", caller: PortalCaller = SIGNED_IN) {
  const api = createApi({ session: new SessionStore("test.portal.notifications"), baseUrl: "http://portal.test" });
  const info = { slug: "acme", display_name: "ACME", description: "", visibility: "private" as const, caller };
  return render(
    <MemoryRouter initialEntries={[`/portal/acme/${path}`]}>
      <PortalContext.Provider value={{ slug: "acme", api, info, signOut: () => {} }}>
        <Routes>
          <Route path="/portal/:slug/notifications" element={<PortalNotifications />} />
          <Route path="/portal/:slug/access" element={<PortalAccess />} />
        </Routes>
      </PortalContext.Provider>
    </MemoryRouter>,
  );
}

describe("the customer's Notifications page", () => {
  it("subscribes an e-mail and a webhook for some events and products; the webhook secret is shown once", async () => {
    const created = {
      id: "s1",
      email: "sec@globex.example",
      webhook_url: "https://hooks.globex.example/sp",
      events: ["advisory.published", "vex.published"],
      products: ["router"],
      created_at: "2026-03-01T10:00:00Z",
      created_by: "Globex",
      secret_hint: "whsec_…9f2a",
    } satisfies SubscriptionView;
    const { to } = mockRoutes({
      [SUBS]: [jsonResponse([]), jsonResponse([created])],
      "GET /api/v1/portal/acme/products": jsonResponse(PRODUCTS),
      [CREATE]: jsonResponse({ ...created, webhook_secret: "whsec_bXlzZWNyZXQ=" }, 201),
    });
    const user = userEvent.setup();
    renderAt("notifications");
    expect(await screen.findByText("No subscriptions")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "New subscription" }));
    const dialog = screen.getByRole("dialog", { name: "New subscription" });
    await user.type(within(dialog).getByLabelText(/E-mail/), "sec@globex.example");
    await user.type(within(dialog).getByLabelText(/Webhook URL/), "http://hooks.globex.example/sp");
    await user.click(within(dialog).getByRole("button", { name: "Subscribe" }));
    expect(within(dialog).getByText("Webhook URLs must start with https://.")).toBeTruthy();
    const url = within(dialog).getByLabelText(/Webhook URL/);
    await user.clear(url);
    await user.type(url, "https://hooks.globex.example/sp");
    for (const label of [/SBOM published/, /Document published/, /Artifact withdrawn/, /Access token expiring/]) {
      await user.click(within(dialog).getByLabelText(label));
    }
    await user.click(within(dialog).getByLabelText("Only these products"));
    await user.click(await within(dialog).findByLabelText("Router"));
    await user.click(within(dialog).getByRole("button", { name: "Subscribe" }));

    const secret = await screen.findByRole("dialog", { name: "Subscription created" });
    expect((within(secret).getByTestId("secret-value") as HTMLInputElement).value).toBe("whsec_bXlzZWNyZXQ=");
    expect(await to(CREATE)[0]!.json()).toEqual({
      email: "sec@globex.example",
      webhook_url: "https://hooks.globex.example/sp",
      events: ["advisory.published", "vex.published"],
      products: ["router"],
    });
    await user.click(within(secret).getByRole("button", { name: "I have stored it, close" }));
    const table = await screen.findByRole("table", { name: "Subscriptions" });
    expect(table.textContent).toContain("secret whsec_…9f2a");
    expect(table.textContent).toContain("Advisory published, VEX published");
  });

  it("an e-mail-only subscription has no secret to show; deleting one asks first", async () => {
    const sub: SubscriptionView = {
      id: "s9",
      email: "ops@globex.example",
      events: ["advisory.published", "vex.published", "sbom.published", "document.published", "artifact.withdrawn", "token.expiring"],
      products: null,
      created_at: "2026-03-01T10:00:00Z",
      created_by: "Globex",
    };
    const { to } = mockRoutes({
      [SUBS]: [jsonResponse([sub]), jsonResponse([])],
      "GET /api/v1/portal/acme/products": jsonResponse(PRODUCTS),
      "DELETE /api/v1/portal/acme/subscriptions/s9": [problemResponse(404, "No such subscription."), new Response(null, { status: 204 })],
    });
    const user = userEvent.setup();
    renderAt("notifications");
    const table = await screen.findByRole("table", { name: "Subscriptions" });
    expect(table.textContent).toContain("All events");
    expect(table.textContent).toContain("All products");
    await user.click(within(table).getByRole("button", { name: "Delete the subscription for ops@globex.example" }));
    const confirm = screen.getByRole("alertdialog");
    await user.click(within(confirm).getByRole("button", { name: "Delete" }));
    expect(await within(confirm).findByText("No such subscription.")).toBeTruthy();
    await user.click(within(confirm).getByRole("button", { name: "Delete" }));
    expect(await screen.findByText("No subscriptions")).toBeTruthy();
    expect(to("DELETE /api/v1/portal/acme/subscriptions/s9")).toHaveLength(2);
  });

  it("anonymous visitors are asked to sign in", async () => {
    const { to } = mockRoutes({});
    renderAt("notifications", ANONYMOUS);
    expect(await screen.findByText("Sign in to subscribe")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "New subscription" })).toBeNull();
    expect(to(SUBS)).toHaveLength(0);
  });
});

describe("the customer's access: requesting a renewal", () => {
  it("sends the request with its message and shows it pending", async () => {
    const pending: RenewalView = {
      id: "r1",
      token_id: "t1",
      token_name: "Globex",
      message: "Contract renewed until 2027.",
      requested_at: "2026-03-01T10:00:00Z",
      status: "pending",
      token_expires_at: "2026-04-01T00:00:00Z",
    };
    const { to } = mockRoutes({
      [RENEWALS]: [jsonResponse([{ ...pending, id: "r0", status: "approved", message: "", new_expires_at: "2026-04-01T00:00:00Z" }]), jsonResponse([pending])],
      [REQUEST]: jsonResponse(pending, 201),
    });
    const user = userEvent.setup();
    renderAt("access");
    expect(await screen.findByText(/valid until/)).toBeTruthy();
    const table = await screen.findByRole("table", { name: "Your renewal requests" });
    expect(within(table).getByText("Approved")).toBeTruthy();
    await user.type(screen.getByLabelText(/Message/), "Contract renewed until 2027.");
    await user.click(screen.getByRole("button", { name: "Request renewal" }));
    expect(await screen.findByText("Request sent")).toBeTruthy();
    expect(await to(REQUEST)[0]!.json()).toEqual({ message: "Contract renewed until 2027." });
    await waitFor(() => expect(within(screen.getByRole("table", { name: "Your renewal requests" })).getByText("Pending")).toBeTruthy());
    expect((screen.getByRole("button", { name: "Request renewal" }) as HTMLButtonElement).disabled).toBe(true);
  });
});
