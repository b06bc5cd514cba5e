import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, waitFor, within } from "../../test/render";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { OrgContext } from "../context";
import type { Role } from "../../api/types";
import { jsonResponse, mockRoutes, problemResponse } from "../../test/util";
import { clock, vulnDetail, vulnView, orgFixture } from "../../test/fixtures";
import { VulnerabilitiesPage } from "./VulnerabilitiesPage";
import { clockState, formatDuration } from "./shared";

afterEach(() => vi.unstubAllGlobals());

const LIST = "GET /api/v1/orgs/acme/vulnerabilities";
const CREATE = "POST /api/v1/orgs/acme/vulnerabilities";
const PRODUCTS = "GET /api/v1/orgs/acme/products";

function renderPage(role: Role = "publisher") {
  const org = orgFixture();
  return render(
    <MemoryRouter initialEntries={["/admin/acme/vulnerabilities"]}>
      <OrgContext.Provider value={{ org, role, isAdmin: role === "admin", canPublish: role !== "viewer" }}>
        <Routes>
          <Route path="/admin/:org/vulnerabilities" element={<VulnerabilitiesPage />} />
          <Route path="/admin/:org/vulnerabilities/:id" element={<p>vulnerability page</p>} />
        </Routes>
      </OrgContext.Provider>
    </MemoryRouter>,
  );
}

describe("clocks", () => {
  it("reads met / due in … / overdue with colours", () => {
    expect(formatDuration(2 * 86400 + 4 * 3600)).toBe("2 d 4 h");
    expect(formatDuration(-(5 * 3600 + 600))).toBe("5 h 10 min");
    expect(clockState(clock("a", "A", "met", { done_at: "2026-03-01T11:00:00Z" }))).toEqual({ tone: "success", text: "Met" });
    expect(clockState(clock("a", "A", "due", { due_in_seconds: 3 * 86400 }))).toEqual({ tone: "info", text: "Due in 3 d" });
    expect(clockState(clock("a", "A", "due", { due_in_seconds: 3600 }))).toEqual({ tone: "warning", text: "Due in 1 h" });
    expect(clockState(clock("a", "A", "overdue", { due_in_seconds: -7200 }))).toEqual({ tone: "danger", text: "Overdue by 2 h" });
    expect(clockState(clock("a", "A", "pending", { due_at: null })).text).toBe("Not started");
  });
});

describe("Vulnerabilities list", () => {
  it("shows severity, the actively-exploited badge, status counts and clocks; open ones by default", async () => {
    const { to } = mockRoutes({
      [PRODUCTS]: jsonResponse([]),
      [LIST]: jsonResponse([
        vulnView(),
        vulnView({
          id: "CVE-2026-0002",
          title: "Auth bypass",
          severity: "high",
          actively_exploited: true,
          overdue: true,
          counts: { under_investigation: 2, affected: 0, not_affected: 3, fixed: 0 },
          clocks: [
            clock("customers_notified", "Customers notified", "met", { done_at: "2026-03-01T12:00:00Z" }),
            clock("early_warning", "Early warning", "overdue", { due_in_seconds: -3 * 3600 }),
          ],
        }),
      ]),
    });
    renderPage();
    const table = await screen.findByRole("table", { name: "Vulnerabilities" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(2);
    const first = rows[0]!;
    expect(within(first).getByRole("link", { name: "CVE-2026-1234" }).getAttribute("href")).toBe("/admin/acme/vulnerabilities/CVE-2026-1234");
    expect(within(first).getByText("Critical")).toBeTruthy();
    expect(within(first).queryByText("Actively exploited")).toBeNull();
    expect(within(first).getByText("1 affected")).toBeTruthy();
    expect(within(first).getByText("Due in 5 h 10 min").className).toContain("badge-warning");
    expect(within(first).getByText("Not started")).toBeTruthy();
    const second = rows[1]!;
    expect(within(second).getByText("Actively exploited")).toBeTruthy();
    expect(within(second).getByText("Met").className).toContain("badge-success");
    expect(within(second).getByText("Overdue by 3 h").className).toContain("badge-danger");
    expect(second.textContent).toContain("2 under investigation");
    expect(second.textContent).toContain("3 not affected");
    expect(new URL(to(LIST)[0]!.url).searchParams.get("open")).toBe("true");
  });

  it("filters: overdue, and a product", async () => {
    const { to } = mockRoutes({
      [PRODUCTS]: jsonResponse([
        { id: "p1", slug: "router", name: "Router", description: "", portal_visible: true, archived: false, version_count: 1, created_at: "", updated_at: "" },
      ]),
      [LIST]: jsonResponse([]),
    });
    const user = userEvent.setup();
    renderPage();
    expect(await screen.findByText("No open vulnerabilities")).toBeTruthy();
    await user.selectOptions(screen.getByLabelText("Show"), "overdue");
    await waitFor(() => expect(to(LIST)).toHaveLength(2));
    let q = new URL(to(LIST)[1]!.url).searchParams;
    expect(q.get("overdue")).toBe("true");
    expect(q.get("open")).toBeNull();
    await screen.findByRole("option", { name: "Router" });
    await user.selectOptions(screen.getByLabelText("Product"), "router");
    await waitFor(() => expect(to(LIST)).toHaveLength(3));
    q = new URL(to(LIST)[2]!.url).searchParams;
    expect(q.get("product")).toBe("router");
    expect(q.get("overdue")).toBe("true");
    expect(await screen.findByText("Nothing matches these filters")).toBeTruthy();
  });

  it("tracks a vulnerability: sends what was entered and opens it", async () => {
    const { to } = mockRoutes({
      [PRODUCTS]: jsonResponse([]),
      [LIST]: jsonResponse([]),
      [CREATE]: [
        problemResponse(422, "invalid", [{ field: "cvss_v3_vector", message: "not a CVSS v3 vector" }]),
        jsonResponse(vulnDetail({ id: "CVE-2026-9999" }), 201),
      ],
    });
    const user = userEvent.setup();
    renderPage();
    await user.click((await screen.findAllByRole("button", { name: "Track a vulnerability" }))[0]!);
    const dialog = screen.getByRole("dialog", { name: "Track a vulnerability" });
    await user.click(within(dialog).getByRole("button", { name: "Track vulnerability" }));
    expect(within(dialog).getByText("Enter the vulnerability’s id, like CVE-2026-1234.")).toBeTruthy();
    expect(to(CREATE)).toHaveLength(0);

    await user.type(within(dialog).getByLabelText("ID"), "CVE-2026-9999");
    await user.type(within(dialog).getByLabelText(/Aliases/), "GHSA-xxxx-yyyy, OSV-1");
    await user.type(within(dialog).getByLabelText("Title"), "RCE in updater");
    await user.selectOptions(within(dialog).getByLabelText("Severity"), "critical");
    await user.type(within(dialog).getByLabelText(/CVSS v3 vector/), "nonsense");
    await user.click(within(dialog).getByLabelText("Actively exploited"));
    const aware = within(dialog).getByLabelText(/Aware since/);
    await user.type(aware, "2026-03-01T09:30");
    await user.click(within(dialog).getByRole("button", { name: "Track vulnerability" }));
    expect(await within(dialog).findByText("not a CVSS v3 vector")).toBeTruthy();

    await user.clear(within(dialog).getByLabelText(/CVSS v3 vector/));
    await user.click(within(dialog).getByRole("button", { name: "Track vulnerability" }));
    expect(await screen.findByText("vulnerability page")).toBeTruthy();
    const bodies = await Promise.all(to(CREATE).map((r) => r.json()));
    expect(bodies[0]).toMatchObject({ cvss_v3_vector: "nonsense" });
    expect(bodies[1]).toEqual({
      id: "CVE-2026-9999",
      aliases: ["GHSA-xxxx-yyyy", "OSV-1"],
      title: "RCE in updater",
      description: "",
      severity: "critical",
      actively_exploited: true,
      aware_at: new Date("2026-03-01T09:30").toISOString(),
    });
  });

  it("viewers see the list but cannot track", async () => {
    mockRoutes({ [PRODUCTS]: jsonResponse([]), [LIST]: jsonResponse([vulnView()]) });
    renderPage("viewer");
    await screen.findByRole("table", { name: "Vulnerabilities" });
    expect(screen.queryByRole("button", { name: "Track a vulnerability" })).toBeNull();
  });
});
