import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, within } from "../test/render";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { SetupPage } from "./SetupPage";
import { adminSession } from "../api/session";
import { jsonResponse, mockRoutes } from "../test/util";
import { orgFixture } from "../test/fixtures";

afterEach(() => {
  vi.unstubAllGlobals();
  adminSession.clear();
});

const STATUS = "GET /api/v1/setup";
const SETUP = "POST /api/v1/setup";
const LOGIN = "POST /api/v1/auth/login";

const CODE_REFUSED =
  "setup_code: this server is reachable from the network, so setup needs the one-time code printed in its log at start (or PORTAL_SETUP_CODE)";

function forbidden(detail: string): Response {
  return new Response(JSON.stringify({ type: "about:blank", title: "Forbidden", status: 403, detail, request_id: "req-1" }), {
    status: 403,
    headers: { "Content-Type": "application/problem+json" },
  });
}

const created = () =>
  jsonResponse(
    {
      organization: orgFixture({ id: "o1", created_at: "2026-01-01T00:00:00Z" }),
      user: { id: "u1", email: "ada@acme.example", display_name: "Ada", created_at: "2026-01-01T00:00:00Z" },
    },
    201,
  );
const signedIn = () => jsonResponse({ access_token: "jwt-ada", token_type: "Bearer", expires_in: 3600 });

function renderPage() {
  return render(
    <MemoryRouter initialEntries={["/admin/setup"]}>
      <Routes>
        <Route path="/admin/setup" element={<SetupPage />} />
        <Route path="/admin/:org/products" element={<p>Products page</p>} />
      </Routes>
    </MemoryRouter>,
  );
}

async function fillForm(user: ReturnType<typeof userEvent.setup>) {
  await user.type(screen.getByLabelText("Organisation name"), "ACME Devices");
  await user.type(screen.getByLabelText("Your name"), "Ada");
  await user.type(screen.getByLabelText("E-mail"), "ada@acme.example");
  await user.type(screen.getByLabelText("Password"), "correct horse battery");
}

describe("First-run setup", () => {
  it("asks for no setup code when the server does not need one, and sends none", async () => {
    const { to } = mockRoutes({
      [STATUS]: jsonResponse({ setup_required: true, setup_code_required: false }),
      [SETUP]: created(),
      [LOGIN]: signedIn(),
    });
    const user = userEvent.setup();
    renderPage();
    await screen.findByRole("heading", { name: "Set up Supplier Portal" });
    expect(screen.queryByLabelText("Setup code")).toBeNull();
    await fillForm(user);
    await user.click(screen.getByRole("button", { name: "Create organisation" }));
    expect(await screen.findByText("Products page")).toBeTruthy();
    const body = (await to(SETUP)[0]!.json()) as Record<string, unknown>;
    expect(body).toEqual({
      org_name: "ACME Devices",
      org_slug: "acme-devices",
      display_name: "Ada",
      email: "ada@acme.example",
      password: "correct horse battery",
    });
    expect("setup_code" in body).toBe(false);
    expect(adminSession.get()).toBe("jwt-ada");
  });

  it("asks for the setup code, explains where it is, and sends it as setup_code", async () => {
    const { to } = mockRoutes({
      [STATUS]: jsonResponse({ setup_required: true, setup_code_required: true }),
      [SETUP]: created(),
      [LOGIN]: signedIn(),
    });
    const user = userEvent.setup();
    renderPage();
    const code = await screen.findByLabelText("Setup code");
    expect(document.activeElement).toBe(code);
    const hint = document.getElementById(code.getAttribute("aria-describedby")!.split(" ").pop()!)!;
    expect(hint.textContent).toMatch(/log when it starts/);
    expect(hint.textContent).toContain("PORTAL_SETUP_CODE");

    await user.type(code, "  7KQ2-M9XD  ");
    await fillForm(user);
    await user.click(screen.getByRole("button", { name: "Create organisation" }));
    expect(await screen.findByText("Products page")).toBeTruthy();
    expect(await to(SETUP)[0]!.json()).toMatchObject({ org_slug: "acme-devices", setup_code: "7KQ2-M9XD" });
  });

  it("does not send the form without the setup code when one is needed", async () => {
    const { to } = mockRoutes({ [STATUS]: jsonResponse({ setup_required: true, setup_code_required: true }) });
    const user = userEvent.setup();
    renderPage();
    await screen.findByLabelText("Setup code");
    await fillForm(user);
    await user.click(screen.getByRole("button", { name: "Create organisation" }));
    expect(screen.getByText("Enter the setup code from the server's log.")).toBeTruthy();
    expect(screen.getByLabelText("Setup code").getAttribute("aria-invalid")).toBe("true");
    expect(to(SETUP)).toHaveLength(0);
  });

  it("shows the detail of a 403 (wrong code) and marks the field", async () => {
    const { to } = mockRoutes({
      [STATUS]: jsonResponse({ setup_required: true, setup_code_required: true }),
      [SETUP]: forbidden(CODE_REFUSED),
    });
    const user = userEvent.setup();
    renderPage();
    await user.type(await screen.findByLabelText("Setup code"), "wrong-code");
    await fillForm(user);
    await user.click(screen.getByRole("button", { name: "Create organisation" }));
    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText("Setup failed")).toBeTruthy();
    expect(within(alert).getByText(CODE_REFUSED)).toBeTruthy();
    expect(screen.getByLabelText("Setup code").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText("The setup code is missing or wrong.")).toBeTruthy();
    expect(to(SETUP)).toHaveLength(1);
    expect(to(LOGIN)).toHaveLength(0);
    expect(adminSession.get()).toBeNull();
    expect((screen.getByLabelText("Organisation name") as HTMLInputElement).value).toBe("ACME Devices");
  });
});
