import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, waitFor, within } from "../test/render";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { LoginPage } from "./LoginPage";
import { adminSession } from "../api/session";
import { jsonResponse, mockRoutes } from "../test/util";

afterEach(() => {
  vi.unstubAllGlobals();
  adminSession.clear();
});

const SETUP = "GET /api/v1/setup";
const LOGIN = "POST /api/v1/auth/login";
const METHODS = "GET /api/v1/auth/methods";
const RESET_REQUEST = "POST /api/v1/auth/password-reset/request";
const NEEDS_TOTP =
  "totp: this account signs in with a second factor; send the current code of the authenticator app (or a recovery code) as `totp`";
const WRONG_TOTP = "totp: the one-time code does not match (or was already used)";

function unauthorized(detail: string): Response {
  return new Response(
    JSON.stringify({ type: "about:blank", title: "Unauthorized", status: 401, detail, request_id: "req-1" }),
    { status: 401, headers: { "Content-Type": "application/problem+json", "X-Request-Id": "req-1" } },
  );
}
const signedIn = () => jsonResponse({ access_token: "new-jwt", token_type: "Bearer", expires_in: 43200 });
const setupDone = () => jsonResponse({ setup_required: false, setup_code_required: false });
const noSso = () => jsonResponse({ password: true, sso: null });
const withSso = () => jsonResponse({ password: true, sso: { name: "ACME Login", start_url: "/api/v1/auth/oidc/start" } });

function renderLogin(entry: string | { pathname: string; search?: string; state?: unknown } = "/admin/login?next=/admin/acme/account") {
  render(
    <MemoryRouter initialEntries={[entry]}>
      <Routes>
        <Route path="/admin/login" element={<LoginPage />} />
        <Route path="/admin/acme/account" element={<p>Account page</p>} />
      </Routes>
    </MemoryRouter>,
  );
}

async function signIn(user: ReturnType<typeof userEvent.setup>) {
  await user.type(await screen.findByLabelText("E-mail"), " ada@acme.example ");
  await user.type(screen.getByLabelText("Password"), "correct horse battery");
  await user.click(screen.getByRole("button", { name: "Sign in" }));
}

describe("Sign in", () => {
  it("without two factors: sends e-mail and password only, then follows next", async () => {
    const { to } = mockRoutes({ [SETUP]: setupDone(), [METHODS]: noSso(), [LOGIN]: signedIn() });
    const user = userEvent.setup();
    renderLogin();
    await signIn(user);
    expect(await screen.findByText("Account page")).toBeTruthy();
    expect(await to(LOGIN)[0]!.json()).toEqual({ email: "ada@acme.example", password: "correct horse battery" });
    expect(adminSession.get()).toBe("new-jwt");
  });

  it("a wrong password shows the server's message and no one-time code field", async () => {
    mockRoutes({ [SETUP]: setupDone(), [METHODS]: noSso(), [LOGIN]: unauthorized("invalid e-mail or password") });
    const user = userEvent.setup();
    renderLogin();
    await signIn(user);
    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText("Could not sign in")).toBeTruthy();
    expect(within(alert).getByText("invalid e-mail or password")).toBeTruthy();
    expect(screen.queryByLabelText("One-time code")).toBeNull();
    expect(adminSession.get()).toBeNull();
  });
});

describe("Sign in › two factors", () => {
  it("asks for the one-time code when the server wants it, then sends it with the password", async () => {
    const { to } = mockRoutes({ [SETUP]: setupDone(), [METHODS]: noSso(), [LOGIN]: [unauthorized(NEEDS_TOTP), signedIn()] });
    const user = userEvent.setup();
    renderLogin();
    await signIn(user);

    const code = await screen.findByLabelText("One-time code");
    expect(code.getAttribute("autocomplete")).toBe("one-time-code");
    expect(code.getAttribute("inputmode")).toBe("numeric");
    expect(document.activeElement).toBe(code);
    // Being asked is not an error.
    expect(screen.queryByRole("alert")).toBeNull();
    expect(screen.queryByText(/Could not sign in/)).toBeNull();
    expect(adminSession.get()).toBeNull();
    expect(await to(LOGIN)[0]!.json()).toEqual({ email: "ada@acme.example", password: "correct horse battery" });

    await user.type(code, "123456");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText("Account page")).toBeTruthy();
    expect(to(LOGIN)).toHaveLength(2);
    expect(await to(LOGIN)[1]!.json()).toEqual({
      email: "ada@acme.example",
      password: "correct horse battery",
      totp: "123456",
    });
    expect(adminSession.get()).toBe("new-jwt");
  });

  it("a wrong code shows the server's message under the field; an empty one is not sent", async () => {
    const { to } = mockRoutes({ [SETUP]: setupDone(), [METHODS]: noSso(), [LOGIN]: [unauthorized(NEEDS_TOTP), unauthorized(WRONG_TOTP)] });
    const user = userEvent.setup();
    renderLogin();
    await signIn(user);
    const code = await screen.findByLabelText("One-time code");

    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(screen.getByText("Enter the code your authenticator app shows.")).toBeTruthy();
    expect(to(LOGIN)).toHaveLength(1);

    await user.type(code, "000000");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    const message = await screen.findByText("The one-time code does not match (or was already used)");
    expect(code.getAttribute("aria-invalid")).toBe("true");
    expect(code.getAttribute("aria-describedby")).toContain(message.id);
    expect(within(screen.getByRole("alert")).getByText("Could not sign in")).toBeTruthy();
    expect(await to(LOGIN)[1]!.json()).toMatchObject({ totp: "000000" });
    expect(screen.queryByText("Account page")).toBeNull();
    expect(adminSession.get()).toBeNull();
  });

  it("a recovery code instead of the app's code", async () => {
    const { to } = mockRoutes({ [SETUP]: setupDone(), [METHODS]: noSso(), [LOGIN]: [unauthorized(NEEDS_TOTP), signedIn()] });
    const user = userEvent.setup();
    renderLogin();
    await signIn(user);
    await screen.findByLabelText("One-time code");
    await user.click(screen.getByRole("button", { name: /Use a recovery code/ }));
    const code = screen.getByLabelText("Recovery code");
    expect(code.getAttribute("inputmode")).toBe("text");
    expect(document.activeElement).toBe(code);
    await user.type(code, "a1b2-c3d4-e5f6");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText("Account page")).toBeTruthy();
    expect(await to(LOGIN)[1]!.json()).toMatchObject({ totp: "a1b2-c3d4-e5f6" });
  });
});

describe("Sign in › single sign-on", () => {
  it("offers the provider when the server has one, and goes there in a full page load", async () => {
    mockRoutes({ [SETUP]: setupDone(), [METHODS]: withSso() });
    const assign = vi.fn();
    vi.stubGlobal("location", { ...window.location, assign });
    const user = userEvent.setup();
    renderLogin();
    await user.click(await screen.findByRole("button", { name: "Sign in with ACME Login" }));
    expect(assign).toHaveBeenCalledWith("/api/v1/auth/oidc/start");
    // Where to go afterwards survives the provider's round trip.
    expect(window.sessionStorage.getItem("sp.admin.sso.next")).toBe("/admin/acme/account");
    expect(adminSession.get()).toBeNull();
  });

  it("no provider configured: no such button", async () => {
    const { to } = mockRoutes({ [SETUP]: setupDone(), [METHODS]: noSso() });
    renderLogin();
    await screen.findByLabelText("E-mail");
    await waitFor(() => expect(to(METHODS)).toHaveLength(1));
    expect(screen.queryByRole("button", { name: /Sign in with/ })).toBeNull();
  });

  it("shows why single sign-on failed (the server's redirect with ?sso_error=)", async () => {
    mockRoutes({ [SETUP]: setupDone(), [METHODS]: withSso() });
    renderLogin(`/admin/login?sso_error=${encodeURIComponent("no active member has the e-mail address ada@acme.example")}`);
    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText("Single sign-on did not work")).toBeTruthy();
    expect(within(alert).getByText("no active member has the e-mail address ada@acme.example")).toBeTruthy();
  });
});

describe("Sign in › after an invitation or a reset", () => {
  it("fills in the e-mail and shows the note another page left", async () => {
    mockRoutes({ [SETUP]: setupDone(), [METHODS]: noSso() });
    renderLogin({
      pathname: "/admin/login",
      state: { email: "grete@acme.example", notice: "You joined ACME Devices as Viewer. Sign in to continue." },
    });
    expect(await screen.findByText("You joined ACME Devices as Viewer. Sign in to continue.")).toBeTruthy();
    expect((screen.getByLabelText("E-mail") as HTMLInputElement).value).toBe("grete@acme.example");
    expect(document.activeElement).toBe(screen.getByLabelText("Password"));
  });
});

describe("Sign in › forgot password", () => {
  it("asks for a reset link for the address typed so far and shows the server's answer", async () => {
    const message = "If an account with this address exists, a reset link is on its way.";
    const { to } = mockRoutes({ [SETUP]: setupDone(), [METHODS]: noSso(), [RESET_REQUEST]: jsonResponse({ message }, 202) });
    const user = userEvent.setup();
    renderLogin();
    await user.type(await screen.findByLabelText("E-mail"), "ada@acme.example");
    await user.click(screen.getByRole("button", { name: "Forgot password?" }));
    expect(screen.getByRole("heading", { name: "Forgot your password?" })).toBeTruthy();
    const email = screen.getByLabelText("E-mail") as HTMLInputElement;
    expect(email.value).toBe("ada@acme.example");
    await user.click(screen.getByRole("button", { name: "Send reset link" }));
    expect(await screen.findByText(message)).toBeTruthy();
    expect(await to(RESET_REQUEST)[0]!.json()).toEqual({ email: "ada@acme.example" });
    expect(screen.queryByRole("button", { name: "Send reset link" })).toBeNull();

    await user.click(screen.getByRole("button", { name: "Back to sign in" }));
    expect(screen.getByRole("heading", { name: "Sign in" })).toBeTruthy();
  });

  it("an empty address is not sent", async () => {
    const { to } = mockRoutes({ [SETUP]: setupDone(), [METHODS]: noSso() });
    const user = userEvent.setup();
    renderLogin();
    await user.click(await screen.findByRole("button", { name: "Forgot password?" }));
    await user.click(screen.getByRole("button", { name: "Send reset link" }));
    expect(screen.getByText("Enter the e-mail address of your account.")).toBeTruthy();
    expect(to(RESET_REQUEST)).toHaveLength(0);
  });
});
