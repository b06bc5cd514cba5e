import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, within } from "../test/render";
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

function renderLogin() {
  render(
    <MemoryRouter initialEntries={["/admin/login?next=/admin/acme/account"]}>
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
    const { to } = mockRoutes({ [SETUP]: setupDone(), [LOGIN]: signedIn() });
    const user = userEvent.setup();
    renderLogin();
    await signIn(user);
    expect(await screen.findByText("Account page")).toBeTruthy();
    expect(await to(LOGIN)[0]!.json()).toEqual({ email: "ada@acme.example", password: "correct horse battery" });
    expect(adminSession.get()).toBe("new-jwt");
  });

  it("a wrong password shows the server's message and no one-time code field", async () => {
    mockRoutes({ [SETUP]: setupDone(), [LOGIN]: unauthorized("invalid e-mail or password") });
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
    const { to } = mockRoutes({ [SETUP]: setupDone(), [LOGIN]: [unauthorized(NEEDS_TOTP), signedIn()] });
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
    const { to } = mockRoutes({ [SETUP]: setupDone(), [LOGIN]: [unauthorized(NEEDS_TOTP), unauthorized(WRONG_TOTP)] });
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
    const { to } = mockRoutes({ [SETUP]: setupDone(), [LOGIN]: [unauthorized(NEEDS_TOTP), signedIn()] });
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
