import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, waitFor, within } from "../test/render";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { AdminContext, OrgContext } from "./context";
import type { Invitation, InvitationSent, Member, Organization, Role } from "../api/types";
import { jsonResponse, mockRoutes, problemResponse } from "../test/util";
import { meFixture, orgFixture } from "../test/fixtures";
import { MembersPage } from "./MembersPage";

afterEach(() => vi.unstubAllGlobals());

const MEMBERS = "GET /api/v1/orgs/acme/members";
const INVITATIONS = "GET /api/v1/orgs/acme/invitations";
const INVITE = "POST /api/v1/orgs/acme/invitations";
const WITHDRAW = "DELETE /api/v1/orgs/acme/invitations/inv-1";
const RESET_LINK = "POST /api/v1/orgs/acme/members/m2/reset-link";
const PATCH_M2 = "PATCH /api/v1/orgs/acme/members/m2";
const POLICY = "PUT /api/v1/orgs/acme/sign-in-policy";
const METHODS = "GET /api/v1/auth/methods";

function member(over: Partial<Member> = {}): Member {
  return {
    id: "m1",
    user_id: "u1",
    email: "ada@acme.example",
    display_name: "Ada Admin",
    role: "admin",
    active: true,
    created_at: "2025-01-01T00:00:00Z",
    ...over,
  };
}

const ADA = member();
const PETE = member({ id: "m2", user_id: "u2", email: "pete@acme.example", display_name: "Pete Publisher", role: "publisher" });

function invitation(over: Partial<Invitation> = {}): Invitation {
  return {
    id: "inv-1",
    email: "grete@acme.example",
    role: "viewer",
    status: "pending",
    invited_by: "ada@acme.example",
    created_at: "2026-03-01T10:00:00Z",
    expires_at: "2026-03-08T10:00:00Z",
    ...over,
  };
}

const ACCEPT_URL = "http://localhost/admin/invitation#spi_0123456789abcdef";

function sent(delivery: "link" | "email"): InvitationSent {
  return { invitation: invitation(), delivery, accept_url: delivery === "link" ? ACCEPT_URL : null };
}

function renderPage({ role = "admin", org = orgFixture(), reloadMe = () => {} }: { role?: Role; org?: Organization; reloadMe?: () => void } = {}) {
  return render(
    <MemoryRouter initialEntries={["/admin/acme/settings/members"]}>
      <AdminContext.Provider value={{ me: meFixture(), reloadMe, signOut: async () => {} }}>
        <OrgContext.Provider value={{ org, role, isAdmin: role === "admin", canPublish: role !== "viewer" }}>
          <Routes>
            <Route path="/admin/:org/settings/members" element={<MembersPage />} />
          </Routes>
        </OrgContext.Provider>
      </AdminContext.Provider>
    </MemoryRouter>,
  );
}

async function row(tableName: string, text: string) {
  const table = await screen.findByRole("table", { name: tableName });
  return waitFor(() => {
    const r = within(table).getAllByRole("row").find((x) => x.textContent?.includes(text));
    if (!r) throw new Error(`no row for ${text} yet`);
    return r;
  });
}

const BASE = {
  [MEMBERS]: jsonResponse([ADA, PETE]),
  [METHODS]: jsonResponse({ password: true, sso: null }),
};

describe("Settings › Members: invitations", () => {
  it("invites by e-mail and role, and shows the one-time link once when the server cannot send e-mail", async () => {
    Object.defineProperty(window, "isSecureContext", { value: true, configurable: true });
    const { to } = mockRoutes({ ...BASE, [INVITATIONS]: [jsonResponse([]), jsonResponse([invitation()])], [INVITE]: jsonResponse(sent("link"), 201) });
    const user = userEvent.setup();
    renderPage();
    expect(await screen.findByText("No invitations yet")).toBeTruthy();
    // No way to add a member with a password any more: only invitations.
    expect(screen.queryByRole("button", { name: "Add member" })).toBeNull();

    await user.click(screen.getByRole("button", { name: "Invite member" }));
    const dialog = screen.getByRole("dialog", { name: "Invite member" });
    expect(within(dialog).queryByLabelText(/password/i)).toBeNull();
    await user.type(within(dialog).getByLabelText("E-mail"), " grete@acme.example ");
    await user.selectOptions(within(dialog).getByLabelText("Role"), "viewer");
    await user.click(within(dialog).getByRole("button", { name: "Send invitation" }));

    const secret = await screen.findByRole("dialog", { name: "Invitation created" });
    expect(screen.queryByRole("dialog", { name: "Invite member" })).toBeNull();
    expect(within(secret).getByText("Copy this invitation link now. It is only shown once.")).toBeTruthy();
    const field = within(secret).getByLabelText("Invitation link for grete@acme.example") as HTMLInputElement;
    expect(field.value).toBe(ACCEPT_URL);
    await user.click(within(secret).getByRole("button", { name: "Copy invitation link" }));
    expect(await navigator.clipboard.readText()).toBe(ACCEPT_URL);
    expect(await to(INVITE)[0]!.json()).toEqual({ email: "grete@acme.example", role: "viewer" });

    // Closed, the link is gone for good; the invitation is listed as pending.
    await user.click(within(secret).getByRole("button", { name: "Done" }));
    expect(screen.queryByRole("dialog", { name: "Invitation created" })).toBeNull();
    expect(screen.queryByDisplayValue(ACCEPT_URL)).toBeNull();
    const grete = await row("Invitations", "grete@acme.example");
    expect(within(grete).getByText("Pending")).toBeTruthy();
    expect(screen.queryByText(ACCEPT_URL)).toBeNull();
  });

  it("says the invitation was e-mailed when the server sent it (no link shown)", async () => {
    mockRoutes({ ...BASE, [INVITATIONS]: jsonResponse([]), [INVITE]: jsonResponse(sent("email"), 201) });
    const user = userEvent.setup();
    renderPage();
    await screen.findByText("No invitations yet");
    await user.click(screen.getByRole("button", { name: "Invite member" }));
    const dialog = screen.getByRole("dialog", { name: "Invite member" });
    await user.type(within(dialog).getByLabelText("E-mail"), "grete@acme.example");
    await user.click(within(dialog).getByRole("button", { name: "Send invitation" }));
    expect(await screen.findByText("Invitation sent")).toBeTruthy();
    expect(screen.getByText(/An e-mail with the link went to grete@acme.example/)).toBeTruthy();
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("an address that is already a member: the server's 409 stays in the dialog", async () => {
    mockRoutes({
      ...BASE,
      [INVITATIONS]: jsonResponse([]),
      [INVITE]: problemResponse(409, "`pete@acme.example` is already a member of ACME Devices"),
    });
    const user = userEvent.setup();
    renderPage();
    await screen.findByText("No invitations yet");
    await user.click(screen.getByRole("button", { name: "Invite member" }));
    const dialog = screen.getByRole("dialog", { name: "Invite member" });
    await user.type(within(dialog).getByLabelText("E-mail"), "pete@acme.example");
    await user.click(within(dialog).getByRole("button", { name: "Send invitation" }));
    const alert = await within(dialog).findByRole("alert");
    expect(within(alert).getByText("Could not invite")).toBeTruthy();
    expect(within(alert).getByText("`pete@acme.example` is already a member of ACME Devices")).toBeTruthy();
  });

  it("withdraws a pending invitation; answered ones cannot be withdrawn", async () => {
    const { to } = mockRoutes({
      ...BASE,
      [INVITATIONS]: [
        jsonResponse([invitation(), invitation({ id: "inv-2", email: "old@acme.example", status: "accepted" })]),
        jsonResponse([invitation({ status: "revoked" }), invitation({ id: "inv-2", email: "old@acme.example", status: "accepted" })]),
      ],
      [WITHDRAW]: new Response(null, { status: 204 }),
    });
    const user = userEvent.setup();
    renderPage();
    const old = await row("Invitations", "old@acme.example");
    expect(within(old).getByText("Accepted")).toBeTruthy();
    expect(within(old).queryByRole("button", { name: /Withdraw/ })).toBeNull();

    const grete = await row("Invitations", "grete@acme.example");
    await user.click(within(grete).getByRole("button", { name: "Withdraw the invitation of grete@acme.example" }));
    const confirm = screen.getByRole("alertdialog", { name: "Withdraw the invitation of grete@acme.example?" });
    await user.click(within(confirm).getByRole("button", { name: "Withdraw" }));
    await waitFor(() => expect(to(WITHDRAW)).toHaveLength(1));
    await waitFor(async () => expect(within(await row("Invitations", "grete@acme.example")).getByText("Withdrawn")).toBeTruthy());
    expect(screen.queryByRole("alertdialog")).toBeNull();
  });

  it("viewers see the members, not the invitations nor the sign-in policy", async () => {
    const { to } = mockRoutes(BASE);
    renderPage({ role: "viewer" });
    await row("Members", "Pete Publisher");
    expect(screen.queryByRole("button", { name: "Invite member" })).toBeNull();
    expect(screen.queryByRole("heading", { name: "Invitations" })).toBeNull();
    expect(screen.queryByRole("heading", { name: "Sign-in policy" })).toBeNull();
    expect(screen.queryByRole("button", { name: /Reset link/ })).toBeNull();
    expect(to(INVITATIONS)).toHaveLength(0);
  });
});

describe("Settings › Members: reset links, deactivation", () => {
  it("creates a one-time reset link for a member and shows it once", async () => {
    const { to } = mockRoutes({
      ...BASE,
      [INVITATIONS]: jsonResponse([]),
      [RESET_LINK]: jsonResponse(
        { email: "pete@acme.example", reset_url: "http://localhost/admin/reset-password#spr_secret", expires_at: "2026-03-01T11:00:00Z" },
        201,
      ),
    });
    const user = userEvent.setup();
    renderPage();
    // Not for yourself: the Account page changes your own password.
    const ada = await row("Members", "Ada Admin");
    expect(within(ada).queryByRole("button", { name: /Reset link/ })).toBeNull();

    const pete = await row("Members", "Pete Publisher");
    await user.click(within(pete).getByRole("button", { name: "Reset link for Pete Publisher" }));
    const confirm = screen.getByRole("alertdialog", { name: "Create a password reset link for Pete Publisher?" });
    expect(within(confirm).getByText(/valid for an hour/)).toBeTruthy();
    await user.click(within(confirm).getByRole("button", { name: "Create reset link" }));

    const secret = await screen.findByRole("dialog", { name: "Reset link created" });
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect((within(secret).getByLabelText("Reset link for pete@acme.example") as HTMLInputElement).value).toBe(
      "http://localhost/admin/reset-password#spr_secret",
    );
    expect(within(secret).getByText("Copy this reset link now. It is only shown once.")).toBeTruthy();
    expect(within(secret).getByText(/\(an hour\)/)).toBeTruthy();
    expect(to(RESET_LINK)).toHaveLength(1);
    await user.click(within(secret).getByRole("button", { name: /close/ }));
    expect(screen.queryByRole("dialog", { name: "Reset link created" })).toBeNull();
  });

  it("a member of another organisation: the server's refusal is shown in the dialog", async () => {
    const refusal =
      'pete@acme.example also belongs to another organisation you do not administer: they can reset their password themselves ("Forgot password"), or an admin of every organisation they belong to can';
    mockRoutes({ ...BASE, [INVITATIONS]: jsonResponse([]), [RESET_LINK]: problemResponse(409, refusal) });
    const user = userEvent.setup();
    renderPage();
    const pete = await row("Members", "Pete Publisher");
    await user.click(within(pete).getByRole("button", { name: "Reset link for Pete Publisher" }));
    const confirm = screen.getByRole("alertdialog");
    await user.click(within(confirm).getByRole("button", { name: "Create reset link" }));
    const alert = await within(confirm).findByRole("alert");
    expect(within(alert).getByText("Could not create a reset link")).toBeTruthy();
    expect(within(alert).getByText(refusal)).toBeTruthy();
    expect(screen.queryByRole("dialog", { name: "Reset link created" })).toBeNull();
  });

  it("deactivates and reactivates a member", async () => {
    const { to } = mockRoutes({
      ...BASE,
      [MEMBERS]: [jsonResponse([ADA, PETE]), jsonResponse([ADA, { ...PETE, active: false }])],
      [INVITATIONS]: jsonResponse([]),
      [PATCH_M2]: jsonResponse({ ...PETE, active: false }),
    });
    const user = userEvent.setup();
    renderPage();
    await user.click(within(await row("Members", "Pete Publisher")).getByRole("button", { name: "Deactivate" }));
    await user.click(within(screen.getByRole("alertdialog", { name: "Deactivate Pete Publisher?" })).getByRole("button", { name: "Deactivate" }));
    await waitFor(async () => expect(within(await row("Members", "Pete Publisher")).getByText("Deactivated")).toBeTruthy());
    expect(await to(PATCH_M2)[0]!.json()).toEqual({ active: false });
    expect(within(await row("Members", "Pete Publisher")).getByRole("button", { name: "Reactivate" })).toBeTruthy();
  });
});

describe("Settings › Members: sign-in policy", () => {
  it("saves both switches and reloads the account (the organisation's policy is in /me)", async () => {
    const reloadMe = vi.fn();
    const { to } = mockRoutes({
      ...BASE,
      [INVITATIONS]: jsonResponse([]),
      [POLICY]: jsonResponse(orgFixture({ admins_need_totp: true })),
    });
    const user = userEvent.setup();
    renderPage({ reloadMe });
    const card = (await screen.findByRole("heading", { name: "Sign-in policy" })).closest("form")!;
    const passwords = within(card).getByRole("switch", { name: "Allow password sign-in" }) as HTMLInputElement;
    const totp = within(card).getByRole("switch", { name: "Require two-factor sign-in for admins" }) as HTMLInputElement;
    expect(passwords.checked).toBe(true);
    expect(totp.checked).toBe(false);
    await within(card).findByText(/Single sign-on is not configured on this server/);
    await user.click(totp);
    await user.click(within(card).getByRole("button", { name: "Save sign-in policy" }));
    expect(await within(card).findByText("Saved")).toBeTruthy();
    expect(await to(POLICY)[0]!.json()).toEqual({ password_login: true, admins_need_totp: true });
    expect(reloadMe).toHaveBeenCalledTimes(1);
  });

  it("shows the server's field errors under the switches", async () => {
    const reloadMe = vi.fn();
    mockRoutes({
      ...BASE,
      [METHODS]: jsonResponse({ password: true, sso: { name: "ACME Login", start_url: "/api/v1/auth/oidc/start" } }),
      [INVITATIONS]: jsonResponse([]),
      [POLICY]: problemResponse(400, "invalid sign-in policy", [
        { field: "password_login", message: "sign in with single sign-on first, so you keep access once passwords stop working" },
        { field: "admins_need_totp", message: "turn on two factors for your own account first" },
      ]),
    });
    const user = userEvent.setup();
    renderPage({ reloadMe });
    const card = (await screen.findByRole("heading", { name: "Sign-in policy" })).closest("form")!;
    await within(card).findByText(/members act here only after signing in with ACME Login/);
    await user.click(within(card).getByRole("switch", { name: "Allow password sign-in" }));
    await user.click(within(card).getByRole("switch", { name: "Require two-factor sign-in for admins" }));
    await user.click(within(card).getByRole("button", { name: "Save sign-in policy" }));
    expect(await within(card).findByText("sign in with single sign-on first, so you keep access once passwords stop working")).toBeTruthy();
    expect(within(card).getByText("turn on two factors for your own account first")).toBeTruthy();
    expect(within(within(card).getByRole("alert")).getByText("Check the highlighted fields.")).toBeTruthy();
    expect(within(card).queryByText("Saved")).toBeNull();
    expect(reloadMe).not.toHaveBeenCalled();
  });

  it("an organisation that requires two factors: its refusal points to the Account page", async () => {
    mockRoutes({
      [MEMBERS]: problemResponse(
        403,
        "`ACME Devices` requires two factors for admins: turn them on under Account (POST /api/v1/me/totp) first",
      ),
      [INVITATIONS]: jsonResponse([]),
      [METHODS]: jsonResponse({ password: true, sso: null }),
    });
    renderPage();
    const link = await screen.findByRole("link", { name: "your account page" });
    expect(link.getAttribute("href")).toBe("/admin/acme/account");
  });
});
