import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, within } from "../test/render";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";
import { OrgContext } from "./context";
import type { Role } from "../api/types";
import { jsonResponse, mockRoutes } from "../test/util";
import { overviewFixture, quietOverviewFixture, orgFixture } from "../test/fixtures";
import { OverviewPage } from "./OverviewPage";

afterEach(() => vi.unstubAllGlobals());

const OVERVIEW = "GET /api/v1/orgs/acme/overview";

function Where() {
  const l = useLocation();
  return <p data-testid="where">{l.pathname + l.search}</p>;
}

function renderPage(role: Role = "admin") {
  const org = orgFixture();
  return render(
    <MemoryRouter initialEntries={["/admin/acme/overview"]}>
      <OrgContext.Provider value={{ org, role, isAdmin: role === "admin", canPublish: role !== "viewer" }}>
        <Routes>
          <Route path="/admin/:org/overview" element={<OverviewPage />} />
          <Route path="*" element={<Where />} />
        </Routes>
      </OrgContext.Provider>
    </MemoryRouter>,
  );
}

function section(name: string): HTMLElement {
  return screen.getByRole("region", { name: new RegExp(`^${name}`) });
}

describe("Overview", () => {
  it("shows what needs attention, each item linked to its page", async () => {
    mockRoutes({ [OVERVIEW]: jsonResponse(overviewFixture()) });
    renderPage();
    expect(await screen.findByRole("heading", { name: "Overview", level: 1 })).toBeTruthy();

    const kpis = screen.getByRole("region", { name: "Needs attention" });
    const kpi = (label: string) => within(kpis).getByRole("link", { name: new RegExp(`^${label}`) });
    expect(kpi("Versions without SBOM").getAttribute("href")).toBe("#without-sbom");
    expect(kpi("Versions without SBOM").textContent).toContain("1");
    expect(kpi("Drafts waiting").getAttribute("href")).toBe("/admin/acme/artifacts?status=draft");
    expect(kpi("Open vulnerabilities").getAttribute("href")).toBe("/admin/acme/vulnerabilities");
    expect(kpi("Access requests").getAttribute("href")).toBe("/admin/acme/settings/portal/access-requests?status=pending");
    expect(kpi("Access requests").className).toContain("kpi-attention");
    expect(kpi("Renewal requests").getAttribute("href")).toBe("/admin/acme/settings/portal/renewals");
    expect(kpi("Renewal requests").className).not.toContain("kpi-attention");
    expect(kpi("Tokens expiring").getAttribute("href")).toBe("#tokens-expiring");
    const totals = screen.getByRole("region", { name: "Catalogue" });
    expect(within(totals).getByRole("link", { name: /^Products/ }).textContent).toContain("5 versions");
    expect(within(totals).getByRole("link", { name: /^Published artifacts/ }).getAttribute("href")).toBe(
      "/admin/acme/artifacts?status=published",
    );

    // Each item opens its page: the version, the draft, the token.
    expect(within(section("Versions without a published SBOM")).getByRole("link", { name: "Router 2.1" }).getAttribute("href")).toBe(
      "/admin/acme/products/router/versions/2.1",
    );
    expect(within(section("Versions without published VEX")).getAllByRole("link").map((a) => a.textContent)).toEqual([
      "Router 2.1",
      "Gateway 1.0",
    ]);
    const drafts = section("Drafts waiting to be published");
    expect(within(drafts).getByRole("link", { name: "router-2.1.cdx.json" }).getAttribute("href")).toBe("/admin/acme/artifacts/a-draft");
    expect(drafts.textContent).toContain("SBOM · Router 2.1 · ada@acme.example");
    expect(within(section("Access tokens expiring within 30 days")).getByRole("link", { name: "Globex" }).getAttribute("href")).toBe(
      "/admin/acme/settings/portal/tokens/t-globex",
    );
    // Nothing ends: said plainly.
    expect(section("Support ending within 90 days").textContent).toContain("All good: no support period ends in the next 90 days.");
    expect(screen.queryByText("All good", { selector: ".alert-title" })).toBeNull();

    const activity = screen.getByRole("table", { name: "Latest customer activity" });
    expect(within(activity).getByText("SBOM downloaded")).toBeTruthy();
    expect(within(activity).getByRole("link", { name: "Globex" }).getAttribute("href")).toBe("/admin/acme/settings/portal/tokens/t-globex");
    expect(within(activity).getByText("Anonymous visitor")).toBeTruthy();
  });

  it("each activity row opens what it was on: the version (or product) and the artifact", async () => {
    const o = overviewFixture();
    const download = o.recent_activity[0]!;
    mockRoutes({
      [OVERVIEW]: jsonResponse({
        ...o,
        recent_activity: [
          ...o.recent_activity,
          // A file whose artifact is gone, of a product deleted since: plain words, no links.
          { ...download, product_slug: null, version: "1.0", artifact_id: null, product_name: "Old Router", filename: "old.cdx.json" },
        ],
      }),
    });
    const user = userEvent.setup();
    renderPage();
    const activity = await screen.findByRole("table", { name: "Latest customer activity" });
    const [first, second, third] = within(activity).getAllByRole("row").slice(1);
    expect(within(first!).getByRole("link", { name: "Router 2.0" }).getAttribute("href")).toBe("/admin/acme/products/router/versions/2.0");
    expect(within(first!).getByRole("link", { name: "router-2.0.cdx.json" }).getAttribute("href")).toBe("/admin/acme/artifacts/a-router-sbom");
    // Without a version the product opens.
    expect(within(second!).getByRole("link", { name: "Router" }).getAttribute("href")).toBe("/admin/acme/products/router");
    expect(within(third!).queryByRole("link", { name: /Old Router|old\.cdx\.json/ })).toBeNull();
    expect(third!.textContent).toContain("Old Router 1.0");
    expect(third!.textContent).toContain("old.cdx.json");

    await user.click(within(first!).getByRole("link", { name: "router-2.0.cdx.json" }));
    expect(screen.getByTestId("where").textContent).toBe("/admin/acme/artifacts/a-router-sbom");
  });

  it("a KPI card opens the filtered list", async () => {
    mockRoutes({ [OVERVIEW]: jsonResponse(overviewFixture()) });
    const user = userEvent.setup();
    renderPage();
    await user.click(await screen.findByRole("link", { name: /^Drafts waiting/ }));
    expect(screen.getByTestId("where").textContent).toBe("/admin/acme/artifacts?status=draft");
  });

  it("says all good when nothing needs attention", async () => {
    mockRoutes({ [OVERVIEW]: jsonResponse(quietOverviewFixture()) });
    renderPage();
    expect(await screen.findByText("All good", { selector: ".alert-title" })).toBeTruthy();
    expect(section("Versions without a published SBOM").textContent).toContain("All good: every supported version has a published SBOM.");
    expect(section("Drafts waiting to be published").textContent).toContain("All good: no drafts are waiting.");
    expect(screen.getByText("No customer has used the portal yet.")).toBeTruthy();
  });

  it("a new organisation is sent to create its first product", async () => {
    const o = quietOverviewFixture();
    mockRoutes({ [OVERVIEW]: jsonResponse({ ...o, counts: { ...o.counts, products: 0, versions: 0, published_artifacts: 0 } }) });
    renderPage();
    expect(await screen.findByText("No products yet")).toBeTruthy();
    expect(screen.getByRole("link", { name: "Go to Products" }).getAttribute("href")).toBe("/admin/acme/products");
  });

  it("viewers see no requests or tokens (admins decide those), and customers' names are not links", async () => {
    mockRoutes({ [OVERVIEW]: jsonResponse(overviewFixture()) });
    renderPage("viewer");
    const kpis = await screen.findByRole("region", { name: "Needs attention" });
    expect(within(kpis).queryByRole("link", { name: /^Access requests/ })).toBeNull();
    expect(within(kpis).queryByRole("link", { name: /^Tokens expiring/ })).toBeNull();
    expect(screen.queryByRole("region", { name: /^Access tokens expiring/ })).toBeNull();
    const activity = screen.getByRole("table", { name: "Latest customer activity" });
    expect(within(activity).queryByRole("link", { name: "Globex" })).toBeNull();
    expect(within(activity).getByText("Globex")).toBeTruthy();
    // What they did it on is theirs to open, though.
    expect(within(activity).getByRole("link", { name: "Router 2.0" }).getAttribute("href")).toBe("/admin/acme/products/router/versions/2.0");
  });
});
