import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, within } from "../test/render";
import userEvent from "@testing-library/user-event";
import { ResetPasswordPage } from "./ResetPasswordPage";
import { mockRoutes, problemResponse } from "../test/util";
import { SIGN_IN_ROUTES, renderBeforeSignIn } from "../test/signIn";

afterEach(() => vi.unstubAllGlobals());

const RESET = "POST /api/v1/auth/password-reset";

const renderAt = (url: string) => renderBeforeSignIn("/admin/reset-password", <ResetPasswordPage />, url);

describe("Choose a new password (/admin/reset-password#secret)", () => {
  it("sends the secret and the new password, then goes to sign in with a note", async () => {
    const { to } = mockRoutes({ ...SIGN_IN_ROUTES, [RESET]: new Response(null, { status: 204 }) });
    const user = userEvent.setup();
    renderAt("/admin/reset-password#spr_secret456");
    await user.type(screen.getByLabelText("New password"), "a brand new password");
    await user.type(screen.getByLabelText("Confirm new password"), "a brand new password");
    await user.click(screen.getByRole("button", { name: "Set new password" }));
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeTruthy();
    expect(screen.getByText(/Your password is changed and every session of your account has ended/)).toBeTruthy();
    expect(await to(RESET)[0]!.json()).toEqual({ secret: "spr_secret456", new_password: "a brand new password" });
  });

  it("checks length and confirmation before asking the server", async () => {
    const { to } = mockRoutes(SIGN_IN_ROUTES);
    const user = userEvent.setup();
    renderAt("/admin/reset-password#spr_secret456");
    await user.type(screen.getByLabelText("New password"), "short");
    await user.type(screen.getByLabelText("Confirm new password"), "other");
    await user.click(screen.getByRole("button", { name: "Set new password" }));
    expect(screen.getByText("Use at least 10 characters.")).toBeTruthy();
    expect(screen.getByText("The passwords do not match.")).toBeTruthy();
    expect(to(RESET)).toHaveLength(0);
  });

  it("an expired link: the server's answer is shown", async () => {
    mockRoutes({
      ...SIGN_IN_ROUTES,
      [RESET]: problemResponse(400, "secret: this link is not valid (used, expired or withdrawn)", [
        { field: "secret", message: "this link is not valid (used, expired or withdrawn)" },
      ]),
    });
    const user = userEvent.setup();
    renderAt("/admin/reset-password#spr_old");
    await user.type(screen.getByLabelText("New password"), "a brand new password");
    await user.type(screen.getByLabelText("Confirm new password"), "a brand new password");
    await user.click(screen.getByRole("button", { name: "Set new password" }));
    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText("Could not set the password")).toBeTruthy();
    expect(within(alert).getByText("this link is not valid (used, expired or withdrawn)")).toBeTruthy();
  });

  it("without the secret: says the link is incomplete", () => {
    mockRoutes(SIGN_IN_ROUTES);
    renderAt("/admin/reset-password");
    expect(screen.getByText("This link is incomplete")).toBeTruthy();
    expect(screen.queryByLabelText("New password")).toBeNull();
  });
});
