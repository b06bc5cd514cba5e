import { describe, expect, it } from "vitest";
import { render, screen, within } from "../test/render";
import { MemoryRouter, Route, Routes } from "react-router";
import { AdminContext } from "./context";
import { AdminLayout, activeNavItem } from "./AdminLayout";
import { PageHeader } from "../components/PageHeader";
import type { Me } from "../api/types";
import { orgFixture } from "../test/fixtures";

const me: Me = {
  user: { id: "u1", email: "ada@acme.example", display_name: "Ada Admin", created_at: "2025-01-01T00:00:00Z" },
  memberships: [{ organization: orgFixture({ id: "o1" }), role: "admin" }],
  totp_enabled: false,
};

function renderAt(path: string) {
  return render(
    <MemoryRouter initialEntries={[path]}>
      <AdminContext.Provider value={{ me, reloadMe: () => {}, signOut: async () => {} }}>
        <Routes>
          <Route path="/admin/:org" element={<AdminLayout />}>
            {/* The artifact page's breadcrumb: Products › Router › 2.0 › file. */}
            <Route
              path="artifacts/:id"
              element={
                <PageHeader
                  title="sbom.json"
                  crumbs={[
                    { label: "Products", to: "/admin/acme/products" },
                    { label: "Router", to: "/admin/acme/products/router" },
                    { label: "sbom.json" },
                  ]}
                />
              }
            />
            <Route path="artifacts" element={<PageHeader title="Artifacts" />} />
            <Route path="settings/portal/tokens" element={<PageHeader title="Supplier Portal" crumbs={[{ label: "Settings" }]} />} />
          </Route>
        </Routes>
      </AdminContext.Provider>
    </MemoryRouter>,
  );
}

function current() {
  const nav = screen.getByRole("navigation", { name: "Main" });
  return within(nav)
    .getAllByRole("link")
    .filter((a) => a.getAttribute("aria-current") === "page")
    .map((a) => a.textContent);
}

describe("the sidebar follows the breadcrumb", () => {
  it("an artifact whose breadcrumb says Products highlights Products, not Artifacts", () => {
    renderAt("/admin/acme/artifacts/a1");
    expect(current()).toEqual(["Products"]);
    expect(within(screen.getByRole("navigation", { name: "Main" })).getByRole("link", { name: "Artifacts" }).className).not.toContain(
      "active",
    );
  });

  it("without a linked breadcrumb, the address decides (the longest matching item)", () => {
    renderAt("/admin/acme/artifacts");
    expect(current()).toEqual(["Artifacts"]);
  });

  it("a breadcrumb without links (Settings › …) leaves it to the address", () => {
    renderAt("/admin/acme/settings/portal/tokens");
    expect(current()).toEqual(["Supplier Portal"]);
  });

  it("activeNavItem picks the crumb's section, else the longest prefix of the path", () => {
    const items = ["/admin/acme/products", "/admin/acme/artifacts", "/admin/acme/settings/portal", "/admin/acme/settings/members"];
    expect(activeNavItem(items, "/admin/acme/artifacts/a1", "/admin/acme/products")).toBe("/admin/acme/products");
    expect(activeNavItem(items, "/admin/acme/artifacts/a1", null)).toBe("/admin/acme/artifacts");
    expect(activeNavItem(items, "/admin/acme/settings/portal/tokens/t1", null)).toBe("/admin/acme/settings/portal");
    expect(activeNavItem(items, "/admin/acme/account", null)).toBeNull();
  });
});

describe("the Response section", () => {
  it("links to Vulnerabilities and Notifications, and a vulnerability's page highlights Vulnerabilities", () => {
    render(
      <MemoryRouter initialEntries={["/admin/acme/vulnerabilities/CVE-2026-1234"]}>
        <AdminContext.Provider value={{ me, reloadMe: () => {}, signOut: async () => {} }}>
          <Routes>
            <Route path="/admin/:org" element={<AdminLayout />}>
              <Route
                path="vulnerabilities/:id"
                element={<PageHeader title="CVE-2026-1234" crumbs={[{ label: "Vulnerabilities", to: "/admin/acme/vulnerabilities" }, { label: "CVE-2026-1234" }]} />}
              />
            </Route>
          </Routes>
        </AdminContext.Provider>
      </MemoryRouter>,
    );
    const nav = screen.getByRole("navigation", { name: "Main" });
    expect(within(nav).getByRole("link", { name: "Notifications" }).getAttribute("href")).toBe("/admin/acme/notifications");
    expect(current()).toEqual(["Vulnerabilities"]);
  });
});

describe("the console's home", () => {
  it("Overview comes first in the sidebar, and its page highlights it", () => {
    render(
      <MemoryRouter initialEntries={["/admin/acme/overview"]}>
        <AdminContext.Provider value={{ me, reloadMe: () => {}, signOut: async () => {} }}>
          <Routes>
            <Route path="/admin/:org" element={<AdminLayout />}>
              <Route path="overview" element={<PageHeader title="Overview" />} />
            </Route>
          </Routes>
        </AdminContext.Provider>
      </MemoryRouter>,
    );
    const links = within(screen.getByRole("navigation", { name: "Main" })).getAllByRole("link");
    expect(links[0]!.textContent).toBe("Overview");
    expect(links[0]!.getAttribute("href")).toBe("/admin/acme/overview");
    expect(current()).toEqual(["Overview"]);
  });
});
