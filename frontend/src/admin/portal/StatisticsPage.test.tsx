import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, within } from "../../test/render";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { OrgContext } from "../context";
import type { DownloadCounts, PortalStats, Role, SharingSignal } from "../../api/types";
import { jsonResponse, mockRoutes } from "../../test/util";
import { StatisticsPage } from "./StatisticsPage";
import { orgFixture } from "../../test/fixtures";

afterEach(() => vi.unstubAllGlobals());

const STATS = "GET /api/v1/orgs/acme/portal/stats";
const TOKENS = "GET /api/v1/orgs/acme/portal/tokens";

const counts = (total: number, sbom = total): DownloadCounts => ({ total, sbom, vex: total - sbom, advisory: 0, document: 0 });

function signal(over: Partial<SharingSignal> = {}): SharingSignal {
  return {
    token_id: "t-new",
    token_name: "Brand-new Customer",
    kind: "volume_spike",
    description: "24 downloads in 24 hours: 24.0× its usual 0.0 per day",
    ips: [],
    downloads_last_24h: 24,
    usual_daily_downloads: 0,
    ...over,
  };
}

function stats(over: Partial<PortalStats> = {}): PortalStats {
  return {
    range: { from: "2025-04-03", to: "2025-05-02", granularity: "day" },
    downloads_this_month: counts(2),
    downloads_last_month: counts(1),
    downloads_in_range: counts(40, 30),
    top_products: [],
    trend: [{ period: "2025-05-01", downloads: 40 }],
    active_customers: [
      { token_id: "t-acme", name: "ACME Corporation", downloads: 30, events: 50, last_used_at: "2025-05-01T10:00:00Z" },
      { token_id: "t-old", name: "Old Customer", downloads: 10, events: 12, last_used_at: "2025-04-10T10:00:00Z" },
    ],
    sharing_signals: [],
    ...over,
  };
}

function renderPage(role: Role = "admin", entry = "/admin/acme/settings/portal/statistics") {
  const org = orgFixture();
  return render(
    <MemoryRouter initialEntries={[entry]}>
      <OrgContext.Provider value={{ org, role, isAdmin: role === "admin", canPublish: role !== "viewer" }}>
        <Routes>
          <Route path="/admin/:org/settings/portal/statistics" element={<StatisticsPage />} />
        </Routes>
      </OrgContext.Provider>
    </MemoryRouter>,
  );
}

describe("Statistics", () => {
  it("the KPI cards follow the period selector (the API's from/to), this month stays as a note", async () => {
    const { to } = mockRoutes({
      [STATS]: [jsonResponse(stats()), jsonResponse(stats({ downloads_in_range: counts(7, 5) }))],
    });
    const user = userEvent.setup();
    renderPage();
    const kpis = await screen.findByRole("region", { name: "Downloads: Last 30 days" });
    const first = kpis.querySelector(".kpi")!;
    expect(first.querySelector(".kpi-label")!.textContent).toBe("Downloads · Last 30 days");
    expect(first.querySelector(".kpi-value")!.textContent).toBe("40");
    expect(first.querySelector(".kpi-note")!.textContent).toBe("This month: 2 · +100% on last month");
    expect(within(kpis).getByText("SBOMs").parentElement!.querySelector(".kpi-value")!.textContent).toBe("30");

    await user.selectOptions(screen.getByLabelText("Period"), "7");
    const week = await screen.findByRole("region", { name: "Downloads: Last 7 days" });
    expect(week.querySelector(".kpi-value")!.textContent).toBe("7");
    const q = new URL(to(STATS)[1]!.url).searchParams;
    const days = (Date.parse(q.get("to")!) - Date.parse(q.get("from")!)) / 86_400_000;
    expect(days).toBe(6);
  });

  it("shows every sharing signal the server sends, with its usual rate when there is one", async () => {
    mockRoutes({
      [STATS]: jsonResponse(
        stats({
          sharing_signals: [
            signal({ token_id: "t-busy", token_name: "Busy Customer", description: "40 downloads in 24 hours: 8.0× its usual 5.0 per day", downloads_last_24h: 40, usual_daily_downloads: 5 }),
            signal({
              token_id: "t-acme",
              token_name: "ACME Corporation",
              kind: "many_ips",
              description: "Used from 6 addresses in 24 hours",
              usual_daily_downloads: 0,
              ips: [{ ip: "192.0.2.1", events: 3, first_at: "2025-05-01T00:00:00Z", last_at: "2025-05-01T01:00:00Z" }],
            }),
          ],
        }),
      ),
    });
    renderPage();
    const spike = (await screen.findByText("Possible credential sharing: Busy Customer")).closest(".alert")!;
    expect(spike.textContent).toContain("8.0× its usual 5.0 per day");
    expect(spike.textContent).toContain("40 downloads in the last 24 hours (usually 5.0 a day)");
    expect(within(spike as HTMLElement).getByRole("link", { name: "See this token’s usage" }).getAttribute("href")).toBe(
      "/admin/acme/settings/portal/tokens/t-busy",
    );
    const ips = screen.getByText("Possible credential sharing: ACME Corporation").closest(".alert")!;
    expect(ips.textContent).toContain("no downloads in the 30 days before to compare with");
    expect(ips.textContent).toContain("from 192.0.2.1");
  });

  for (const role of ["admin", "viewer"] as Role[]) {
    it(`marks active customers whose token has since been revoked or has expired (${role}), from the statistics alone`, async () => {
      const { to } = mockRoutes({
        [STATS]: jsonResponse(
          stats({
            active_customers: [
              { token_id: "t-acme", name: "ACME Corporation", downloads: 30, events: 50, last_used_at: "2025-05-01T10:00:00Z", status: "active" },
              { token_id: "t-old", name: "Old Customer", downloads: 10, events: 12, last_used_at: "2025-04-10T10:00:00Z", status: "revoked" },
              { token_id: "t-late", name: "Late Customer", downloads: 1, events: 2, last_used_at: "2025-04-01T10:00:00Z", status: "expired" },
              { token_id: "t-gone", name: null, downloads: 1, events: 1, last_used_at: null, status: null },
            ],
          }),
        ),
      });
      renderPage(role);
      const table = await screen.findByRole("table", { name: "Active customers by token" });
      const row = (name: string) => within(table).getByText(name).closest("tr")!;
      expect(within(row("Old Customer")).getByText("Revoked")).toBeTruthy();
      expect(within(row("Late Customer")).getByText("Expired")).toBeTruthy();
      expect(within(row("ACME Corporation")).queryByText("Active")).toBeNull();
      expect(row("Unnamed token").querySelector(".badge")).toBeNull();
      // Nothing is looked up in the token list any more.
      expect(to(TOKENS)).toHaveLength(0);
    });
  }

  it("non-admins do not ask for the token list", async () => {
    const { to } = mockRoutes({ [STATS]: jsonResponse(stats()) });
    renderPage("viewer");
    expect(await screen.findByRole("table", { name: "Active customers by token" })).toBeTruthy();
    expect(to(TOKENS)).toHaveLength(0);
  });
});
