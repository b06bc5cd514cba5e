import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, within } from "../test/render";
import userEvent from "@testing-library/user-event";
import { InvitationPage } from "./InvitationPage";
import { linkSecret } from "./AuthCard";
import { jsonResponse, mockRoutes, problemResponse } from "../test/util";
import { SIGN_IN_ROUTES, renderBeforeSignIn } from "../test/signIn";

afterEach(() => vi.unstubAllGlobals());

const ACCEPT = "POST /api/v1/invitations/accept";

const renderAt = (url: string) => renderBeforeSignIn("/admin/invitation", <InvitationPage />, url);

describe("the secret of an account link", () => {
  it("is the fragment without its #", () => {
    expect(linkSecret("#spi_abc")).toBe("spi_abc");
    expect(linkSecret("#spi%5Fabc")).toBe("spi_abc");
    expect(linkSecret("")).toBe("");
    expect(linkSecret("#")).toBe("");
  });
});

describe("Accept invitation (/admin/invitation#secret)", () => {
  it("explains both cases, sends the secret, password and name, then signs in with the e-mail filled in", async () => {
    const { to } = mockRoutes({
      ...SIGN_IN_ROUTES,
      [ACCEPT]: jsonResponse({ organization: "acme", organization_name: "ACME Devices", email: "grete@acme.example", role: "publisher" }),
    });
    const user = userEvent.setup();
    renderAt("/admin/invitation#spi_secret123");
    expect(screen.getByRole("heading", { name: "Accept invitation" })).toBeTruthy();
    expect(
      screen.getByText(/If you already have an account on this server, enter its password; otherwise choose a password \(at least 10 characters\) and your name/),
    ).toBeTruthy();
    await user.type(screen.getByLabelText("Password"), "a long new password");
    await user.type(screen.getByLabelText(/Your name/), " Grete Müller ");
    await user.click(screen.getByRole("button", { name: "Accept invitation" }));

    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeTruthy();
    expect(screen.getByText("You joined ACME Devices as Publisher. Sign in to continue.")).toBeTruthy();
    expect((screen.getByLabelText("E-mail") as HTMLInputElement).value).toBe("grete@acme.example");
    expect(await to(ACCEPT)[0]!.json()).toEqual({ secret: "spi_secret123", password: "a long new password", display_name: "Grete Müller" });
  });

  it("shows the server's field errors (a short password, a wrong password of an existing account)", async () => {
    const { to } = mockRoutes({
      ...SIGN_IN_ROUTES,
      [ACCEPT]: [
        problemResponse(400, "password: use at least 10 characters", [{ field: "password", message: "use at least 10 characters" }]),
        problemResponse(400, "invalid", [
          { field: "password", message: "this address already has an account here: enter that account's password to join" },
        ]),
      ],
    });
    const user = userEvent.setup();
    renderAt("/admin/invitation#spi_secret123");
    const password = screen.getByLabelText("Password");
    await user.type(password, "short");
    await user.click(screen.getByRole("button", { name: "Accept invitation" }));
    const message = await screen.findByText("use at least 10 characters");
    expect(password.getAttribute("aria-invalid")).toBe("true");
    expect(password.getAttribute("aria-describedby")).toContain(message.id);
    expect(within(screen.getByRole("alert")).getByText("Could not accept the invitation")).toBeTruthy();

    await user.type(password, "-but-wrong");
    await user.click(screen.getByRole("button", { name: "Accept invitation" }));
    expect(await screen.findByText("this address already has an account here: enter that account's password to join")).toBeTruthy();
    expect(to(ACCEPT)).toHaveLength(2);
    expect(await to(ACCEPT)[1]!.json()).toMatchObject({ password: "short-but-wrong", display_name: null });
  });

  it("a used or expired link: the server's complaint about the secret is listed", async () => {
    mockRoutes({
      ...SIGN_IN_ROUTES,
      [ACCEPT]: problemResponse(400, "secret: this link is not valid (used, expired or withdrawn)", [
        { field: "secret", message: "this link is not valid (used, expired or withdrawn)" },
      ]),
    });
    const user = userEvent.setup();
    renderAt("/admin/invitation#spi_used");
    await user.type(screen.getByLabelText("Password"), "a long new password");
    await user.click(screen.getByRole("button", { name: "Accept invitation" }));
    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText("this link is not valid (used, expired or withdrawn)")).toBeTruthy();
  });

  it("without a password nothing is sent", async () => {
    const { fn } = mockRoutes(SIGN_IN_ROUTES);
    const user = userEvent.setup();
    renderAt("/admin/invitation#spi_secret123");
    await user.click(screen.getByRole("button", { name: "Accept invitation" }));
    expect(screen.getByText("Enter your password, or choose one.")).toBeTruthy();
    expect(fn).not.toHaveBeenCalled();
  });

  it("a link cut off before the #: says so", () => {
    mockRoutes(SIGN_IN_ROUTES);
    renderAt("/admin/invitation");
    expect(screen.getByText("This link is incomplete")).toBeTruthy();
    expect(screen.queryByLabelText("Password")).toBeNull();
    expect(screen.getByRole("link", { name: "Go to sign in" }).getAttribute("href")).toBe("/admin/login");
  });
});
