import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";
import { AdminContext } from "./context";
import { AccountPage } from "./AccountPage";
import { adminSession } from "../api/session";
import { jsonResponse, mockRoutes, problemResponse } from "../test/util";
import { meFixture, sessionsFixture } from "../test/fixtures";

afterEach(() => {
  vi.unstubAllGlobals();
  adminSession.clear();
});

const SESSIONS = "GET /api/v1/me/sessions";
const PASSWORD = "POST /api/v1/me/password";
const END_PHONE = "DELETE /api/v1/me/sessions/sess-phone";
const EVERYWHERE = "POST /api/v1/auth/logout-everywhere";

const noContent = () => new Response(null, { status: 204 });

function LoginStandIn() {
  const location = useLocation();
  return <p>Login page {location.search}</p>;
}

function renderPage(signOut = vi.fn(async () => {})) {
  adminSession.set("admin-jwt");
  render(
    <MemoryRouter initialEntries={["/admin/acme/account"]}>
      <AdminContext.Provider value={{ me: meFixture(), reloadMe: () => {}, signOut }}>
        <Routes>
          <Route path="/admin/:org/account" element={<AccountPage />} />
          <Route path="/admin/login" element={<LoginStandIn />} />
        </Routes>
      </AdminContext.Provider>
    </MemoryRouter>,
  );
  return { signOut };
}

const row = (table: HTMLElement, id: string) => table.querySelector(`[data-session="${id}"]`) as HTMLElement;

describe("Your account › Your sessions", () => {
  it("lists the sessions: this one badged and first, the others with a Sign out button", async () => {
    mockRoutes({ [SESSIONS]: jsonResponse([...sessionsFixture()].reverse()) });
    renderPage();
    const table = await screen.findByRole("table", { name: "Your sessions" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((r) => r.getAttribute("data-session"))).toEqual(["sess-current", "sess-phone"]);

    const current = row(table, "sess-current");
    expect(within(current).getByText("This session")).toBeTruthy();
    expect(within(current).getByText("192.0.2.10")).toBeTruthy();
    expect(within(current).getByText("Firefox on Linux")).toBeTruthy();
    expect(within(current).queryByRole("button")).toBeNull();

    const phone = row(table, "sess-phone");
    expect(within(phone).getByText("2001:db8::7")).toBeTruthy();
    expect(within(phone).getByText("Safari on iOS").getAttribute("title")).toContain("iPhone");
    expect(within(phone).getByText("28 Feb 2026", { exact: false })).toBeTruthy();
    expect(within(phone).queryByText("This session")).toBeNull();
    expect(within(phone).getByRole("button", { name: /^Sign out Safari on iOS, opened/ })).toBeTruthy();
    for (const h of ["Opened", "Expires", "Address", "Browser"]) {
      expect(within(table).getByRole("columnheader", { name: h })).toBeTruthy();
    }
  });

  it("signs another session out and drops it from the table", async () => {
    const { to } = mockRoutes({ [SESSIONS]: jsonResponse(sessionsFixture()), [END_PHONE]: noContent });
    const user = userEvent.setup();
    renderPage();
    const table = await screen.findByRole("table", { name: "Your sessions" });
    await user.click(within(row(table, "sess-phone")).getByRole("button", { name: /^Sign out/ }));
    await waitFor(() => expect(row(table, "sess-phone")).toBeNull());
    expect(to(END_PHONE)).toHaveLength(1);
    expect(row(table, "sess-current")).toBeTruthy();
    expect(adminSession.get()).toBe("admin-jwt");
  });

  it("shows why a session could not be signed out", async () => {
    mockRoutes({ [SESSIONS]: jsonResponse(sessionsFixture()), [END_PHONE]: problemResponse(500, "database unavailable") });
    const user = userEvent.setup();
    renderPage();
    const table = await screen.findByRole("table", { name: "Your sessions" });
    await user.click(within(row(table, "sess-phone")).getByRole("button", { name: /^Sign out/ }));
    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText("Could not sign that session out")).toBeTruthy();
    expect(within(alert).getByText("database unavailable")).toBeTruthy();
    expect(row(table, "sess-phone")).toBeTruthy();
  });
});

describe("Your account › Sign out everywhere", () => {
  it("asks first, ends every session, forgets this one and returns to the sign-in page", async () => {
    const { to } = mockRoutes({ [SESSIONS]: jsonResponse(sessionsFixture()), [EVERYWHERE]: noContent });
    const user = userEvent.setup();
    const { signOut } = renderPage();
    await screen.findByRole("table", { name: "Your sessions" });
    await user.click(screen.getByRole("button", { name: "Sign out everywhere" }));
    const dialog = screen.getByRole("alertdialog", { name: "Sign out everywhere?" });
    expect(dialog.textContent).toMatch(/this one included/);
    expect(to(EVERYWHERE)).toHaveLength(0);

    await user.click(within(dialog).getByRole("button", { name: "Sign out everywhere" }));
    expect(await screen.findByText(/Login page/)).toBeTruthy();
    expect(screen.getByText(/reason=signed-out/)).toBeTruthy();
    expect(to(EVERYWHERE)).toHaveLength(1);
    expect(to(EVERYWHERE)[0]!.headers.get("Authorization")).toBe("Bearer admin-jwt");
    expect(adminSession.get()).toBeNull();
    expect(adminSession.signedOut).toBe(true);
    expect(signOut).not.toHaveBeenCalled();
  });

  it("cancelling keeps every session", async () => {
    const { to } = mockRoutes({ [SESSIONS]: jsonResponse(sessionsFixture()) });
    const user = userEvent.setup();
    renderPage();
    await screen.findByRole("table", { name: "Your sessions" });
    await user.click(screen.getByRole("button", { name: "Sign out everywhere" }));
    await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(to(EVERYWHERE)).toHaveLength(0);
    expect(adminSession.get()).toBe("admin-jwt");
  });

  it("a refusal stays in the dialog and keeps the session", async () => {
    mockRoutes({ [SESSIONS]: jsonResponse(sessionsFixture()), [EVERYWHERE]: problemResponse(503, "the database is unavailable") });
    const user = userEvent.setup();
    renderPage();
    await screen.findByRole("table", { name: "Your sessions" });
    await user.click(screen.getByRole("button", { name: "Sign out everywhere" }));
    const dialog = screen.getByRole("alertdialog", { name: "Sign out everywhere?" });
    await user.click(within(dialog).getByRole("button", { name: "Sign out everywhere" }));
    expect(await within(dialog).findByText("the database is unavailable")).toBeTruthy();
    expect(within(dialog).getByText("Could not sign out everywhere")).toBeTruthy();
    expect(adminSession.get()).toBe("admin-jwt");
    expect(screen.queryByText(/Login page/)).toBeNull();
  });
});

describe("Your account › Change password", () => {
  async function fill(user: ReturnType<typeof userEvent.setup>, current: string, next: string, confirm = next) {
    if (current) await user.type(screen.getByLabelText("Current password"), current);
    if (next) await user.type(screen.getByLabelText("New password"), next);
    if (confirm) await user.type(screen.getByLabelText("Confirm new password"), confirm);
    await user.click(screen.getByRole("button", { name: "Change password" }));
  }

  it("sends the current and new password, then says the other sessions were signed out", async () => {
    const { to } = mockRoutes({ [SESSIONS]: [jsonResponse(sessionsFixture()), jsonResponse([sessionsFixture()[0]])], [PASSWORD]: noContent });
    const user = userEvent.setup();
    renderPage();
    const table = await screen.findByRole("table", { name: "Your sessions" });
    await fill(user, "correct horse battery", "a brand new passphrase");

    const notice = await screen.findByText("Password changed");
    expect(notice.closest("[role=status]")!.textContent).toMatch(/other sessions were signed out/);
    expect(to(PASSWORD)).toHaveLength(1);
    expect(await to(PASSWORD)[0]!.json()).toEqual({
      current_password: "correct horse battery",
      new_password: "a brand new passphrase",
    });
    // The form is emptied and the sessions table reloaded (only this one is left).
    expect((screen.getByLabelText("Current password") as HTMLInputElement).value).toBe("");
    expect((screen.getByLabelText("New password") as HTMLInputElement).value).toBe("");
    expect((screen.getByLabelText("Confirm new password") as HTMLInputElement).value).toBe("");
    await waitFor(() => expect(row(table, "sess-phone")).toBeNull());
    expect(to(SESSIONS)).toHaveLength(2);
    expect(adminSession.get()).toBe("admin-jwt");
  });

  it("shows the server's field errors under their fields", async () => {
    const { to } = mockRoutes({
      [SESSIONS]: jsonResponse(sessionsFixture()),
      [PASSWORD]: [
        problemResponse(400, "current_password: is not your current password", [
          { field: "current_password", message: "is not your current password" },
        ]),
        problemResponse(400, "new_password: must be at most 1024 bytes", [{ field: "new_password", message: "must be at most 1024 bytes" }]),
      ],
    });
    const user = userEvent.setup();
    renderPage();
    await screen.findByRole("table", { name: "Your sessions" });
    await fill(user, "wrong one", "a brand new passphrase");

    const message = await screen.findByText("is not your current password");
    const current = screen.getByLabelText("Current password");
    expect(current.getAttribute("aria-invalid")).toBe("true");
    expect(current.getAttribute("aria-describedby")).toContain(message.id);
    const alert = screen.getByRole("alert");
    expect(within(alert).getByText("Could not change the password")).toBeTruthy();
    expect(within(alert).getByText("Check the highlighted field.")).toBeTruthy();
    expect(screen.queryByText("Password changed")).toBeNull();

    await user.click(screen.getByRole("button", { name: "Change password" }));
    expect(await screen.findByText("must be at most 1024 bytes")).toBeTruthy();
    expect(screen.getByLabelText("New password").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByLabelText("Current password").getAttribute("aria-invalid")).toBeNull();
    expect(to(PASSWORD)).toHaveLength(2);
  });

  it("checks the length and the confirmation without asking the server", async () => {
    const { to } = mockRoutes({ [SESSIONS]: jsonResponse(sessionsFixture()) });
    const user = userEvent.setup();
    renderPage();
    await screen.findByRole("table", { name: "Your sessions" });
    await fill(user, "correct horse battery", "short", "short");
    expect(screen.getByText("Use at least 10 characters.")).toBeTruthy();
    expect(screen.getByLabelText("New password").getAttribute("aria-invalid")).toBe("true");

    await user.clear(screen.getByLabelText("New password"));
    await user.type(screen.getByLabelText("New password"), "a brand new passphrase");
    await user.clear(screen.getByLabelText("Confirm new password"));
    await user.type(screen.getByLabelText("Confirm new password"), "a brand new passfrase");
    await user.click(screen.getByRole("button", { name: "Change password" }));
    expect(screen.getByText("The new passwords do not match.")).toBeTruthy();
    expect(screen.getByLabelText("Confirm new password").getAttribute("aria-invalid")).toBe("true");
    expect(screen.queryByText("Use at least 10 characters.")).toBeNull();
    expect(to(PASSWORD)).toHaveLength(0);
  });
});
