import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, within } from "../test/render";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { ProductDialog, VersionDialog } from "./ProductDialogs";
import { LoginPage } from "./LoginPage";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { mockFetch, mockRoutes, problemResponse } from "../test/util";
import { SIGN_IN_ROUTES } from "../test/signIn";

afterEach(() => vi.unstubAllGlobals());

describe("forms show the server's problem+json next to the fields", () => {
  it("New product: field errors under their inputs, the rest in the alert", async () => {
    const { requests } = mockFetch(
      problemResponse(400, "slug: may contain only lowercase letters, digits and hyphens", [
        { field: "slug", message: "may contain only lowercase letters, digits and hyphens" },
        { field: "portal_visible", message: "must be a boolean" },
      ]),
    );
    const user = userEvent.setup();
    const onSaved = vi.fn();
    render(<ProductDialog org="acme" onClose={() => {}} onSaved={onSaved} />);
    const dialog = screen.getByRole("dialog", { name: "New product" });
    await user.type(within(dialog).getByLabelText("Name"), "Smart Thermostat");
    const slug = within(dialog).getByLabelText("Slug") as HTMLInputElement;
    expect(slug.value).toBe("smart-thermostat");
    await user.clear(slug);
    await user.type(slug, "Smart_Thermostat");
    await user.click(within(dialog).getByRole("button", { name: "Create product" }));

    const message = await within(dialog).findByText("may contain only lowercase letters, digits and hyphens");
    expect(slug.getAttribute("aria-invalid")).toBe("true");
    expect(slug.getAttribute("aria-describedby")).toContain(message.id);
    const alert = within(dialog).getByRole("alert");
    expect(within(alert).getByText("portal_visible")).toBeTruthy();
    expect(within(alert).getByText("must be a boolean")).toBeTruthy();
    expect(onSaved).not.toHaveBeenCalled();

    const body = (await requests[0]!.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ name: "Smart Thermostat", slug: "Smart_Thermostat", portal_visible: true });
  });

  it("New version: refuses a support period that ends before the release, without asking the server", async () => {
    const { fn } = mockFetch();
    const user = userEvent.setup();
    render(<VersionDialog org="acme" product="thermostat" onClose={() => {}} onSaved={() => {}} />);
    await user.type(screen.getByLabelText("Version"), "2.0.0");
    await user.type(screen.getByLabelText(/Release date/), "2025-06-01");
    await user.type(screen.getByLabelText(/Supported until/), "2025-01-01");
    await user.click(screen.getByRole("button", { name: "Create version" }));
    expect(screen.getByText("The support period cannot end before the release date.")).toBeTruthy();
    expect(fn).not.toHaveBeenCalled();
  });

  it("Sign in: a refused login says why and keeps the form", async () => {
    mockRoutes({
      ...SIGN_IN_ROUTES,
      "POST /api/v1/auth/login": problemResponse(401, "invalid e-mail or password"),
    });
    const user = userEvent.setup();
    render(
      <MemoryRouter initialEntries={["/admin/login"]}>
        <Routes>
          <Route path="/admin/login" element={<LoginPage />} />
        </Routes>
      </MemoryRouter>,
    );
    await user.type(await screen.findByLabelText("E-mail"), "ada@acme.example");
    await user.type(screen.getByLabelText("Password"), "wrong password");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText("Could not sign in")).toBeTruthy();
    expect(within(alert).getByText("invalid e-mail or password")).toBeTruthy();
    expect((screen.getByLabelText("E-mail") as HTMLInputElement).value).toBe("ada@acme.example");
  });

  it("Confirm: a 409 (last admin) stays in the dialog, which stays open", async () => {
    const user = userEvent.setup();
    const onClose = vi.fn();
    const onConfirm = vi.fn(async () => {
      const { ApiError } = await import("../api/problem");
      throw new ApiError({
        type: "about:blank",
        title: "Conflict",
        status: 409,
        detail: "the organisation must keep at least one admin",
      });
    });
    render(
      <ConfirmDialog title="Deactivate Ada?" confirmLabel="Deactivate" danger onConfirm={onConfirm} onClose={onClose}>
        <p>They can no longer act.</p>
      </ConfirmDialog>,
    );
    const dialog = screen.getByRole("alertdialog", { name: "Deactivate Ada?" });
    expect(document.activeElement).toBe(within(dialog).getByRole("button", { name: "Deactivate" }));
    await user.click(within(dialog).getByRole("button", { name: "Deactivate" }));
    expect(await within(dialog).findByText("the organisation must keep at least one admin")).toBeTruthy();
    expect(onClose).not.toHaveBeenCalled();
  });
});
