import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, waitFor, within } from "../test/render";
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

function renderPage(signOut = vi.fn(async () => {}), me = meFixture(), reloadMe = vi.fn()) {
  adminSession.set("admin-jwt");
  render(
    <MemoryRouter initialEntries={["/admin/acme/account"]}>
      <AdminContext.Provider value={{ me, reloadMe, signOut }}>
        <Routes>
          <Route path="/admin/:org/account" element={<AccountPage />} />
          <Route path="/admin/login" element={<LoginStandIn />} />
        </Routes>
      </AdminContext.Provider>
    </MemoryRouter>,
  );
  return { signOut, reloadMe };
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

describe("Your account › Two-factor sign-in", () => {
  const START = "POST /api/v1/me/totp";
  const CONFIRM = "POST /api/v1/me/totp/confirm";
  const DISABLE = "POST /api/v1/me/totp/disable";
  const ENROLMENT = {
    otpauth_url: "otpauth://totp/Supplier%20Portal:ada%40acme.example?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Supplier%20Portal",
    secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
  };
  const CODES = Array.from({ length: 10 }, (_, i) => `a1b2-c3d4-000${i}`);

  const section = () => screen.getByRole("region", { name: "Two-factor sign-in" });

  it("off: turning on shows the QR code and the key, confirms a code, then shows the ten recovery codes once", async () => {
    Object.defineProperty(window, "isSecureContext", { value: true, configurable: true });
    const { to } = mockRoutes({
      [SESSIONS]: jsonResponse(sessionsFixture()),
      [START]: jsonResponse(ENROLMENT, 201),
      [CONFIRM]: jsonResponse({ recovery_codes: CODES }),
    });
    const user = userEvent.setup();
    const { reloadMe } = renderPage();
    expect(within(section()).getByText("Off")).toBeTruthy();
    expect(within(section()).queryByLabelText("Code from the app")).toBeNull();

    await user.click(within(section()).getByRole("button", { name: "Turn on" }));
    const qr = (await within(section()).findByRole("img", { name: /QR code/ })) as HTMLImageElement;
    expect(qr.src).toMatch(/^data:image\/svg\+xml/);
    expect(decodeURIComponent(qr.src)).toContain("<svg");
    expect(to(START)).toHaveLength(1);
    expect(to(START)[0]!.headers.get("Authorization")).toBe("Bearer admin-jwt");
    expect(within(section()).getByTestId("totp-secret").textContent).toBe("JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP");
    await user.click(within(section()).getByRole("button", { name: "Copy key" }));
    expect(await navigator.clipboard.readText()).toBe(ENROLMENT.secret);

    const code = within(section()).getByLabelText("Code from the app");
    expect(code.getAttribute("autocomplete")).toBe("one-time-code");
    expect(code.getAttribute("inputmode")).toBe("numeric");
    await user.type(code, "123 456");
    await user.click(within(section()).getByRole("button", { name: "Confirm and turn on" }));

    const dialog = await screen.findByRole("dialog", { name: "Two-factor sign-in is on" });
    expect(await to(CONFIRM)[0]!.json()).toEqual({ code: "123456" });
    expect(within(dialog).getByText("Store these recovery codes now. They are only shown once.")).toBeTruthy();
    const list = within(dialog).getByRole("list", { name: "Recovery codes" });
    expect(within(list).getAllByRole("listitem").map((li) => li.textContent)).toEqual(CODES);
    expect(within(section()).getByText("On")).toBeTruthy();
    expect(within(section()).getByRole("button", { name: "Turn off" })).toBeTruthy();
    expect(reloadMe).toHaveBeenCalledTimes(1);

    await user.click(within(dialog).getByRole("button", { name: "Copy recovery codes" }));
    expect(await navigator.clipboard.readText()).toBe(CODES.join("\n"));

    // Download as text: a plain-text file with every code.
    const blobs: Blob[] = [];
    const create = vi.spyOn(URL, "createObjectURL").mockImplementation((b) => {
      blobs.push(b as Blob);
      return "blob:recovery";
    });
    await user.click(within(dialog).getByRole("button", { name: "Download as text" }));
    expect(blobs).toHaveLength(1);
    expect(blobs[0]!.type).toMatch(/^text\/plain/);
    const text = await blobs[0]!.text();
    for (const c of CODES) expect(text).toContain(c);
    expect(text).toContain("ada@acme.example");
    create.mockRestore();

    await user.click(within(dialog).getByRole("button", { name: "Done" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(screen.queryByText(CODES[0]!)).toBeNull();
    expect(screen.queryByTestId("totp-secret")).toBeNull();
  });

  it("a wrong code stays on the form with the server's message under the field", async () => {
    const { to } = mockRoutes({
      [SESSIONS]: jsonResponse(sessionsFixture()),
      [START]: jsonResponse(ENROLMENT, 201),
      [CONFIRM]: problemResponse(400, "code: does not match: enter the current code of your authenticator app", [
        { field: "code", message: "does not match: enter the current code of your authenticator app" },
      ]),
    });
    const user = userEvent.setup();
    const { reloadMe } = renderPage();
    await user.click(within(section()).getByRole("button", { name: "Turn on" }));
    await within(section()).findByRole("img", { name: /QR code/ });

    // Nothing typed: asked for a code without a request.
    await user.click(within(section()).getByRole("button", { name: "Confirm and turn on" }));
    expect(within(section()).getByText("Enter the code the app shows.")).toBeTruthy();
    expect(to(CONFIRM)).toHaveLength(0);

    await user.type(within(section()).getByLabelText("Code from the app"), "000000");
    await user.click(within(section()).getByRole("button", { name: "Confirm and turn on" }));
    const message = await within(section()).findByText("does not match: enter the current code of your authenticator app");
    const field = within(section()).getByLabelText("Code from the app");
    expect(field.getAttribute("aria-invalid")).toBe("true");
    expect(field.getAttribute("aria-describedby")).toContain(message.id);
    expect(within(screen.getByRole("alert")).getByText("Could not turn two-factor sign-in on")).toBeTruthy();
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(within(section()).getByText("Off")).toBeTruthy();
    expect(reloadMe).not.toHaveBeenCalled();

    // Cancel: back to the "Turn on" button, the key forgotten.
    await user.click(within(section()).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByTestId("totp-secret")).toBeNull();
    expect(within(section()).getByRole("button", { name: "Turn on" })).toBeTruthy();
  });

  it("shows why turning on could not start", async () => {
    mockRoutes({ [SESSIONS]: jsonResponse(sessionsFixture()), [START]: problemResponse(503, "the database is unavailable") });
    const user = userEvent.setup();
    renderPage();
    await user.click(within(section()).getByRole("button", { name: "Turn on" }));
    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText("Could not start turning two-factor sign-in on")).toBeTruthy();
    expect(within(alert).getByText("the database is unavailable")).toBeTruthy();
    expect(screen.queryByTestId("totp-secret")).toBeNull();
  });

  it("on: a badge, and turning off asks for a current code or a recovery code", async () => {
    const { to } = mockRoutes({
      [SESSIONS]: jsonResponse(sessionsFixture()),
      [DISABLE]: [
        problemResponse(400, "code: does not match a current code or an unused recovery code", [
          { field: "code", message: "does not match a current code or an unused recovery code" },
        ]),
        noContent,
      ],
    });
    const user = userEvent.setup();
    const { reloadMe } = renderPage(undefined, meFixture({ totp_enabled: true }));
    expect(within(section()).getByText("On")).toBeTruthy();
    expect(within(section()).queryByRole("button", { name: "Turn on" })).toBeNull();

    await user.click(within(section()).getByRole("button", { name: "Turn off" }));
    const code = within(section()).getByLabelText("Current code or recovery code");
    expect(code.getAttribute("autocomplete")).toBe("one-time-code");
    await user.type(code, "ffff-0000-1111");
    await user.click(within(section()).getByRole("button", { name: "Turn off two-factor sign-in" }));
    expect(await within(section()).findByText("does not match a current code or an unused recovery code")).toBeTruthy();
    expect(code.getAttribute("aria-invalid")).toBe("true");
    expect(within(section()).getByText("On")).toBeTruthy();

    await user.clear(code);
    await user.type(code, " a1b2-c3d4-e5f6 ");
    await user.click(within(section()).getByRole("button", { name: "Turn off two-factor sign-in" }));
    expect(await within(section()).findByText(/Two-factor sign-in is off/)).toBeTruthy();
    expect(to(DISABLE)).toHaveLength(2);
    expect(await to(DISABLE)[1]!.json()).toEqual({ code: "a1b2-c3d4-e5f6" });
    expect(within(section()).getByText("Off")).toBeTruthy();
    expect(within(section()).getByRole("button", { name: "Turn on" })).toBeTruthy();
    expect(reloadMe).toHaveBeenCalledTimes(1);
  });

  it("turning off can be cancelled without a request", async () => {
    const { to } = mockRoutes({ [SESSIONS]: jsonResponse(sessionsFixture()) });
    const user = userEvent.setup();
    renderPage(undefined, meFixture({ totp_enabled: true }));
    await user.click(within(section()).getByRole("button", { name: "Turn off" }));
    await user.click(within(section()).getByRole("button", { name: "Turn off two-factor sign-in" }));
    expect(within(section()).getByText("Enter a code.")).toBeTruthy();
    await user.click(within(section()).getByRole("button", { name: "Cancel" }));
    expect(within(section()).queryByLabelText("Current code or recovery code")).toBeNull();
    expect(to(DISABLE)).toHaveLength(0);
    expect(within(section()).getByText("On")).toBeTruthy();
  });
});
