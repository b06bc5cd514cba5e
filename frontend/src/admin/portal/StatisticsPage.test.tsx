import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, within } from "../../test/render";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { OrgContext } from "../context";
import type { AccessTokenView, DownloadCounts, PortalStats, Role, SharingSignal } from "../../api/types";
import { jsonResponse, mockRoutes } from "../../test/util";
import { StatisticsPage, withoutBaseline } from "./StatisticsPage";
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

function token(id: string, name: string, status: AccessTokenView["status"]): AccessTokenView {
  return {
    id,
    name,
    hint: "spt_…ab12",
    created_at: "2025-01-01T00:00:00Z",
    created_by: "ada@acme.example",
    use_count: 1,
    status,
    max_tlp: "amber",
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
      [TOKENS]: jsonResponse([]),
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

  it("no 'credential sharing' alarm for a volume spike without a usual rate to compare with", async () => {
    expect(withoutBaseline(signal())).toBe(true);
    expect(withoutBaseline(signal({ usual_daily_downloads: 2 }))).toBe(false);
    expect(withoutBaseline(signal({ kind: "many_ips" }))).toBe(false);
    mockRoutes({
      [STATS]: jsonResponse(
        stats({
          sharing_signals: [
            signal(),
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
      [TOKENS]: jsonResponse([]),
    });
    renderPage();
    expect(await screen.findByText("Possible credential sharing: ACME Corporation")).toBeTruthy();
    expect(screen.queryByText(/Brand-new Customer/)).toBeNull();
    expect(screen.queryByText(/0\.0 per day|usually 0\.0/)).toBeNull();
    expect(screen.getByText(/no downloads in the 30 days before to compare with/)).toBeTruthy();
  });

  it("marks active customers whose token has since been revoked or has expired", async () => {
    mockRoutes({
      [STATS]: jsonResponse(stats()),
      [TOKENS]: jsonResponse([token("t-acme", "ACME Corporation", "active"), token("t-old", "Old Customer", "revoked")]),
    });
    renderPage();
    const table = await screen.findByRole("table", { name: "Active customers by token" });
    const old = await within(table).findByText("Revoked");
    expect(old.closest("tr")!.textContent).toContain("Old Customer");
    const acme = within(table).getByText("ACME Corporation").closest("tr")!;
    expect(within(acme).queryByText("Active")).toBeNull();
  });

  it("non-admins do not ask for the token list", async () => {
    const { to } = mockRoutes({ [STATS]: jsonResponse(stats()) });
    renderPage("viewer");
    expect(await screen.findByRole("table", { name: "Active customers by token" })).toBeTruthy();
    expect(to(TOKENS)).toHaveLength(0);
  });
});
