import { describe, expect, it } from "vitest";
import { MemoryRouter } from "react-router";
import { render, screen } from "../test/render";
import { AuthCard, IncompleteLink } from "./AuthCard";

describe("the frame of the account pages", () => {
  it("names the page and the console, narrow unless asked", () => {
    const { container } = render(
      <AuthCard title="Sign in">
        <p>The form</p>
      </AuthCard>,
    );
    expect(screen.getByRole("main")).toBeTruthy();
    expect(screen.getByRole("heading", { level: 1, name: "Sign in" })).toBeTruthy();
    expect(screen.getByText("Admin console")).toBeTruthy();
    expect(screen.getByText("The form")).toBeTruthy();
    expect(container.querySelector(".auth-card")!.className).toBe("auth-card card");
  });

  it("takes another subtitle and a wider card (first-run setup)", () => {
    const { container } = render(
      <AuthCard title="Set up Supplier Portal" subtitle="First-run setup" wide>
        <p>The form</p>
      </AuthCard>,
    );
    expect(screen.getByText("First-run setup")).toBeTruthy();
    expect(screen.queryByText("Admin console")).toBeNull();
    expect(container.querySelector(".auth-card")!.className).toBe("auth-card auth-card-wide card");
  });

  it("says when a link came without its secret, and leads to sign in", () => {
    render(
      <MemoryRouter>
        <IncompleteLink what="invitation" />
      </MemoryRouter>,
    );
    expect(screen.getByText("This link is incomplete")).toBeTruthy();
    expect(screen.getByText(/Open the whole link from the invitation/)).toBeTruthy();
    expect(screen.getByRole("link", { name: "Go to sign in" }).getAttribute("href")).toBe("/admin/login");
  });
});
