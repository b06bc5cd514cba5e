import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { OrgContext } from "./context";
import type { AuditEvent, Role } from "../api/types";
import { actionLabel } from "../api/types";
import { jsonResponse, mockRoutes } from "../test/util";
import { AuditLogPage, dayEnd, dayStart } from "./AuditLogPage";

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const AUDIT = "GET /api/v1/orgs/acme/audit";
const MEMBERS = "GET /api/v1/orgs/acme/members";
const TOKENS = "GET /api/v1/orgs/acme/portal/tokens";
const KEYS = "GET /api/v1/orgs/acme/api-keys";

function event(over: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id: "e1",
    occurred_at: "2025-05-01T10:00:00Z",
    category: "portal",
    action: "portal.sbom.download",
    outcome: "success",
    actor_type: "access_token",
    actor_id: "t1",
    actor_name: "ACME Corporation",
    ...over,
  };
}

function renderPage(role: Role = "admin") {
  const org = { id: "org-1", name: "ACME Devices", slug: "acme", created_at: "2025-01-01T00:00:00Z" };
  return render(
    <MemoryRouter initialEntries={["/admin/acme/settings/audit-log"]}>
      <OrgContext.Provider value={{ org, role, isAdmin: role === "admin", canPublish: role !== "viewer" }}>
        <Routes>
          <Route path="/admin/:org/settings/audit-log" element={<AuditLogPage />} />
        </Routes>
      </OrgContext.Provider>
    </MemoryRouter>,
  );
}

const query = (r: Request) => Object.fromEntries(new URL(r.url).searchParams);

describe("the Audit Log as an auditor's tool", () => {
  it("actions in words; unknown codes fall back to the code", async () => {
    expect(actionLabel("portal.sbom.download")).toBe("SBOM downloaded");
    expect(actionLabel("csaf.signing_key.rotate")).toBe("CSAF signing key rotated");
    expect(actionLabel("something.new")).toBe("something.new");
    mockRoutes({
      [AUDIT]: jsonResponse({ events: [event(), event({ id: "e2", action: "something.new", category: "admin" })], next_cursor: null }),
      [MEMBERS]: jsonResponse([]),
      [TOKENS]: jsonResponse([]),
      [KEYS]: jsonResponse([]),
    });
    renderPage();
    const table = await screen.findByTestId("audit-table");
    expect(within(table).getByText("SBOM downloaded")).toBeTruthy();
    expect(within(table).getAllByText("something.new").length).toBeGreaterThan(0);
  });

  it("filters by action (chosen by name), actor and date range, with the API's parameters; the export uses the same", async () => {
    const { to } = mockRoutes({
      [AUDIT]: (req) =>
        new URL(req.url).searchParams.get("format") === "csv"
          ? new Response("id\n", { headers: { "Content-Type": "text/csv" } })
          : jsonResponse({ events: [event()], next_cursor: null }),
      [MEMBERS]: jsonResponse([
        { id: "m1", user_id: "u1", email: "ada@acme.example", display_name: "Ada Admin", role: "admin", active: true, created_at: "2025-01-01T00:00:00Z" },
      ]),
      [TOKENS]: jsonResponse([
        { id: "t1", name: "ACME Corporation", hint: "spt_…", created_at: "2025-01-01T00:00:00Z", created_by: "ada", use_count: 1, status: "active", max_tlp: "amber" },
        { id: "t2", name: "Old Customer", hint: "spt_…", created_at: "2025-01-01T00:00:00Z", created_by: "ada", use_count: 1, status: "revoked", max_tlp: "amber" },
      ]),
      [KEYS]: jsonResponse([]),
    });
    vi.spyOn(URL, "createObjectURL").mockImplementation(() => "blob:x");
    const user = userEvent.setup();
    renderPage();
    await screen.findByTestId("audit-table");

    const action = screen.getByLabelText("Action") as HTMLSelectElement;
    expect([...action.options].some((o) => o.value === "portal.sbom.download" && o.textContent === "SBOM downloaded")).toBe(true);
    await user.selectOptions(action, "portal.*");
    expect(query(to(AUDIT).at(-1)!)).toMatchObject({ action: "portal.*" });

    const who = screen.getByLabelText("Who") as HTMLSelectElement;
    await within(who).findByRole("option", { name: "Old Customer (revoked)" });
    expect(within(who).getByRole("option", { name: "Ada Admin (ada@acme.example)" }).getAttribute("value")).toBe("u1");
    await user.selectOptions(who, "t1");
    expect(query(to(AUDIT).at(-1)!)).toMatchObject({ action: "portal.*", actor: "t1" });

    await user.type(screen.getByLabelText("From"), "2025-05-01");
    await user.type(screen.getByLabelText("To"), "2025-05-31");
    const last = query(to(AUDIT).at(-1)!);
    expect(last.from).toBe(dayStart("2025-05-01"));
    expect(last.to).toBe(dayEnd("2025-05-31"));
    expect(new Date(last.to!).getTime() - new Date(dayStart("2025-05-31")!).getTime()).toBe(86_400_000);

    await user.click(screen.getByRole("button", { name: "Export CSV" }));
    const exported = to(AUDIT).find((r) => new URL(r.url).searchParams.get("format") === "csv")!;
    expect(query(exported)).toMatchObject({ action: "portal.*", actor: "t1", from: last.from, to: last.to, format: "csv" });

    await user.click(screen.getByRole("button", { name: "Clear filters" }));
    const cleared = query(to(AUDIT).at(-1)!);
    expect(cleared.action).toBeUndefined();
    expect(cleared.actor).toBeUndefined();
  });

  it("non-admins choose among members only (tokens and keys are admin lists)", async () => {
    const { to } = mockRoutes({
      [AUDIT]: jsonResponse({ events: [], next_cursor: null }),
      [MEMBERS]: jsonResponse([]),
    });
    renderPage("viewer");
    await screen.findByText("No events");
    expect(to(TOKENS)).toHaveLength(0);
    expect(to(KEYS)).toHaveLength(0);
  });
});
