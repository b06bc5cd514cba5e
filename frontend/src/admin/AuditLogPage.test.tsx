import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, within } from "../test/render";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";
import { OrgContext } from "./context";
import type { AuditEvent, Role } from "../api/types";
import { ACTION_LABELS, actionLabel } from "../api/types";
import { jsonResponse, mockRoutes } from "../test/util";
import { auditEventFixture, orgFixture } from "../test/fixtures";
import { adminSession } from "../api/session";
import { auditLogPath, AuditLogPage, dayEnd, dayStart } from "./AuditLogPage";

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const AUDIT = "GET /api/v1/orgs/acme/audit";
const MEMBERS = "GET /api/v1/orgs/acme/members";
const TOKENS = "GET /api/v1/orgs/acme/portal/tokens";
const KEYS = "GET /api/v1/orgs/acme/api-keys";

const event = auditEventFixture;

const TOKEN_LIST = [
  { id: "t1", name: "ACME Corporation", hint: "spt_…", created_at: "2025-01-01T00:00:00Z", created_by: "ada", use_count: 1, status: "active", max_tlp: "amber" },
  { id: "t2", name: "Old Customer", hint: "spt_…", created_at: "2025-01-01T00:00:00Z", created_by: "ada", use_count: 1, status: "revoked", max_tlp: "amber" },
];
const MEMBER_LIST = [
  { id: "m1", user_id: "u1", email: "ada@acme.example", display_name: "Ada Admin", role: "admin", active: true, created_at: "2025-01-01T00:00:00Z" },
];

/** The address bar, as the test sees it. */
function Location() {
  const { search } = useLocation();
  return <output data-testid="location">{search}</output>;
}

function renderPage(role: Role = "admin", url = "/admin/acme/settings/audit-log") {
  const org = orgFixture();
  return render(
    <MemoryRouter initialEntries={[url]}>
      <OrgContext.Provider value={{ org, role, isAdmin: role === "admin", canPublish: role !== "viewer" }}>
        <Routes>
          <Route
            path="/admin/:org/settings/audit-log"
            element={
              <>
                <AuditLogPage />
                <Location />
              </>
            }
          />
        </Routes>
      </OrgContext.Provider>
    </MemoryRouter>,
  );
}

/** The filters in the address bar. */
const address = () => Object.fromEntries(new URLSearchParams(screen.getByTestId("location").textContent ?? ""));
const query = (r: Request) => Object.fromEntries(new URL(r.url).searchParams);

function mockLog(events: AuditEvent[], extra: Parameters<typeof mockRoutes>[0] = {}) {
  return mockRoutes({
    [AUDIT]: (req) => {
      const format = new URL(req.url).searchParams.get("format");
      if (format === "csv") return new Response("id,object_kind,object_label\n", { headers: { "Content-Type": "text/csv" } });
      if (format === "ndjson") return new Response("{}\n", { headers: { "Content-Type": "application/x-ndjson" } });
      return jsonResponse({ events, next_cursor: null });
    },
    [MEMBERS]: jsonResponse(MEMBER_LIST),
    [TOKENS]: jsonResponse(TOKEN_LIST),
    [KEYS]: jsonResponse([]),
    ...extra,
  });
}

/** The row of the table holding `text`. */
async function rowWith(text: string) {
  const table = await screen.findByTestId("audit-table");
  const cell = within(table).getAllByText(text)[0]!;
  return cell.closest("tr")!;
}

describe("the Audit Log's actions in words", () => {
  it("has words for every action the server records; unknown codes fall back to the code", async () => {
    // The server's list of actions (read from its source, outside the SPA: Node's fs, untyped here).
    const fs = (await import(/* @vite-ignore */ ["node", "fs"].join(":"))) as {
      readFileSync: (path: string, encoding: "utf8") => string;
    };
    const { cwd } = (globalThis as unknown as { process: { cwd: () => string } }).process; // frontend/
    const eventRs = fs.readFileSync(`${cwd()}/../api/src/audit/event.rs`, "utf8");
    const codes = [...eventRs.matchAll(/#\[strum\(serialize = "([^"]+)"\)\]/g)].map((m) => m[1]!);
    expect(codes.length).toBeGreaterThan(50);
    expect(codes.filter((c) => !ACTION_LABELS[c])).toEqual([]);
    expect(actionLabel("portal.sbom.download")).toBe("SBOM downloaded");
    expect(actionLabel("auth.totp.enable")).toBe("Two-factor sign-in turned on");
    expect(actionLabel("something.new")).toBe("something.new");

    mockLog([event(), event({ id: "e2", action: "something.new", category: "admin", object: null, sha256: null })]);
    renderPage();
    const table = await screen.findByTestId("audit-table");
    expect(within(table).getByText("SBOM downloaded")).toBeTruthy();
    expect(within(table).getByText("something.new")).toBeTruthy();
    // The internal code is not in the row (it is in the details).
    expect(within(table).queryByText("portal.sbom.download")).toBeNull();
  });

  it("offers every action by name, grouped by area, with 'all of a kind' choices; no code typed by hand", async () => {
    mockLog([]);
    renderPage();
    await screen.findByText("No events");
    const action = screen.getByLabelText("Action") as HTMLSelectElement;
    expect(action.tagName).toBe("SELECT");
    const options = [...action.options];
    for (const code of Object.keys(ACTION_LABELS)) {
      expect(options.find((o) => o.value === code)?.textContent).toBe(ACTION_LABELS[code]);
    }
    const groups = [...action.querySelectorAll("optgroup")].map((g) => g.label);
    expect(groups).toEqual(expect.arrayContaining(["Customer portal", "Sign-in and account"]));
    expect(groups.some((g) => g.startsWith("Admin"))).toBe(true);
    const portal = action.querySelector('optgroup[label="Customer portal"]')!;
    expect(within(portal as HTMLElement).getByRole("option", { name: "SBOM downloaded" })).toBeTruthy();
    expect(options.find((o) => o.value === "portal.token.*")?.textContent).toMatch(/All access token actions/);
    // Options show words, never codes.
    expect(options.filter((o) => o.value && o.textContent === o.value)).toEqual([]);
    const area = screen.getByLabelText("Event type") as HTMLSelectElement;
    expect([...area.options].map((o) => o.textContent)).toEqual(["All areas", "Customer portal", "Admin", "Sign-in", "API"]);
  });
});

describe("the Object column names and links what an event is about", () => {
  const objects: AuditEvent[] = [
    event(),
    event({
      id: "e-version",
      action: "version.create",
      category: "admin",
      actor_type: "user",
      actor_id: "u1",
      actor_name: "Ada Admin",
      artifact_id: null,
      sha256: null,
      object: { kind: "version", id: "v1", label: "Router 1.0", product_slug: "router", version: "1.0" },
    }),
    event({
      id: "e-product",
      action: "portal.product.view",
      artifact_id: null,
      sha256: null,
      object: { kind: "product", id: "p1", label: "Router", product_slug: "router", version: null },
    }),
    event({
      id: "e-token",
      action: "portal.token.revoke",
      category: "admin",
      actor_type: "user",
      actor_id: "u1",
      actor_name: "Ada Admin",
      artifact_id: null,
      sha256: null,
      object: { kind: "access_token", id: "t2", label: "Old Customer" },
    }),
    event({
      id: "e-member",
      action: "member.create",
      category: "admin",
      actor_type: "user",
      artifact_id: null,
      sha256: null,
      object: { kind: "member", id: "m2", label: "bob@acme.example" },
    }),
    event({
      id: "e-key",
      action: "api_key.create",
      category: "admin",
      actor_type: "user",
      artifact_id: null,
      sha256: null,
      object: { kind: "api_key", id: "k1", label: "CI pipeline" },
    }),
    event({
      id: "e-request",
      action: "portal.access.request",
      actor_type: "anonymous",
      actor_id: null,
      actor_name: null,
      artifact_id: null,
      sha256: null,
      object: { kind: "access_request", id: "r1", label: "Globex Ltd" },
    }),
    event({
      id: "e-renewal",
      action: "portal.token.renewal.request",
      artifact_id: null,
      sha256: null,
      object: { kind: "renewal_request", id: "rn1", label: "ACME Corporation" },
    }),
    event({
      id: "e-cve",
      action: "portal.vulnerability.query",
      artifact_id: null,
      sha256: null,
      object: { kind: "vulnerability", id: "CVE-2024-3094", label: "CVE-2024-3094" },
    }),
    event({
      id: "e-ghsa",
      action: "portal.vulnerability.query",
      artifact_id: null,
      sha256: null,
      object: { kind: "vulnerability", id: "GHSA-xxxx-yyyy-zzzz", label: "GHSA-xxxx-yyyy-zzzz" },
    }),
    event({
      id: "e-tracked",
      action: "vulnerability.assess",
      category: "admin",
      actor_type: "user",
      artifact_id: null,
      sha256: null,
      object: null,
      details: { vulnerability: "CVE-2026-1234", step: { changes: ["1.0: affected"] } } as never,
    }),
  ];

  it("labels each object and opens its page", async () => {
    mockLog(objects);
    renderPage();
    await screen.findByTestId("audit-table");
    const link = (name: string) => screen.getByRole("link", { name });

    expect(link("bom.json").getAttribute("href")).toBe("/admin/acme/artifacts/a1");
    const artifactRow = await rowWith("bom.json");
    expect(artifactRow.textContent).toContain("router 1.0");
    // The SHA-256 in short, copyable in full.
    expect(within(artifactRow).getByText(`sha256 ${"ab".repeat(6)}…`).getAttribute("title")).toBe("ab".repeat(32));
    expect(within(artifactRow).getByRole("button", { name: "Copy the SHA-256 of bom.json" })).toBeTruthy();

    expect(link("Router 1.0").getAttribute("href")).toBe("/admin/acme/products/router/versions/1.0");
    expect(link("Router").getAttribute("href")).toBe("/admin/acme/products/router");
    expect(link("Old Customer").getAttribute("href")).toBe("/admin/acme/settings/portal/tokens/t2");
    expect(link("bob@acme.example").getAttribute("href")).toBe("/admin/acme/settings/members");
    expect(link("CI pipeline").getAttribute("href")).toBe("/admin/acme/settings/api-keys");
    expect(link("Globex Ltd").getAttribute("href")).toBe("/admin/acme/settings/portal/access-requests");
    const renewal = within(await rowWith("Access token renewal requested")).getAllByRole("link");
    expect(renewal.map((a) => a.getAttribute("href"))).toContain("/admin/acme/settings/portal/renewals");

    // The CVE asked about, at cve.org; other ids are shown, not linked.
    const cve = link("CVE-2024-3094");
    expect(cve.getAttribute("href")).toBe("https://www.cve.org/CVERecord?id=CVE-2024-3094");
    expect(cve.getAttribute("target")).toBe("_blank");
    expect(screen.queryByRole("link", { name: "GHSA-xxxx-yyyy-zzzz" })).toBeNull();
    expect(screen.getByText("GHSA-xxxx-yyyy-zzzz")).toBeTruthy();
    // The response loop's own steps open the vulnerability.
    expect(link("CVE-2026-1234").getAttribute("href")).toBe("/admin/acme/vulnerabilities/CVE-2026-1234");
  });

  it("viewers see the names, without links to admin-only pages nor addresses", async () => {
    mockLog(objects);
    renderPage("viewer");
    const table = await screen.findByTestId("audit-table");
    expect(within(table).getByText("Old Customer")).toBeTruthy();
    expect(screen.queryByRole("link", { name: "Old Customer" })).toBeNull();
    expect(screen.queryByRole("link", { name: "CI pipeline" })).toBeNull();
    expect(screen.queryByRole("link", { name: "Globex Ltd" })).toBeNull();
    expect(screen.getByRole("link", { name: "bom.json" })).toBeTruthy();
    expect(screen.getByRole("link", { name: "bob@acme.example" })).toBeTruthy();
    expect(within(table).queryByRole("columnheader", { name: "Address" })).toBeNull();
    expect(screen.queryByRole("button", { name: /^Export/ })).toBeNull();
  });
});

describe("each event opens its details", () => {
  it("shows the request id (copyable), user agent and address, and the details as labelled values", async () => {
    mockLog([event()]);
    const user = userEvent.setup();
    renderPage();
    const row = await rowWith("SBOM downloaded");
    const toggle = within(row).getByRole("button", { name: /^Details: SBOM downloaded/ });
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    expect(screen.queryByTestId("audit-details")).toBeNull();

    await user.click(toggle);
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    const details = screen.getByTestId("audit-details");
    expect(toggle.getAttribute("aria-controls")).toBe(details.id);
    expect(within(details).getByText("req-0192")).toBeTruthy();
    expect(within(details).getByRole("button", { name: "Copy the request id" })).toBeTruthy();
    expect(within(details).getByText("portal.sbom.download")).toBeTruthy();
    expect(within(details).getByText("IP address")).toBeTruthy();
    expect(within(details).getByText("192.0.2.10")).toBeTruthy();
    expect(within(details).getByText("Firefox on Linux")).toBeTruthy();
    expect(within(details).getByText(/Gecko\/20100101 Firefox\/128\.0/)).toBeTruthy();
    // The details JSON, in words.
    const fileName = within(details).getByText("File name");
    expect(fileName.tagName).toBe("DT");
    expect(fileName.nextElementSibling?.textContent).toBe("bom.json");
    expect(within(details).getByText("Size").nextElementSibling?.textContent).toBe("2.0 KB");
    expect(within(details).getByText("Channel").nextElementSibling?.textContent).toBe("portal");
    expect(within(details).getByRole("link", { name: "All events of this customer" }).getAttribute("href")).toBe(
      "/admin/acme/settings/audit-log?customer=t1",
    );

    await user.click(toggle);
    expect(screen.queryByTestId("audit-details")).toBeNull();
  });

  it("nested details become nested lists; viewers get no address or user agent", async () => {
    mockLog([
      event({
        ip: null,
        user_agent: null,
        details: { decision: "approved", token_id: "t1", nda: { version: "2", accepted: true } } as never,
      }),
    ]);
    const user = userEvent.setup();
    renderPage("viewer");
    const row = await rowWith("SBOM downloaded");
    await user.click(within(row).getByRole("button", { name: /^Details/ }));
    const details = screen.getByTestId("audit-details");
    expect(within(details).getByText("req-0192")).toBeTruthy();
    expect(within(details).queryByText("IP address")).toBeNull();
    expect(within(details).queryByText("User agent")).toBeNull();
    expect(within(details).getByText("Access token id").nextElementSibling?.textContent).toBe("t1");
    expect(within(details).getByText("Accepted").nextElementSibling?.textContent).toBe("Yes");
    expect(within(details).queryByText(/\{"/)).toBeNull();
    expect(within(details).queryByRole("link", { name: "All events of this customer" })).toBeNull();
  });
});

describe("filters live in the address and go to the API as its parameters", () => {
  it("area, action, who, customer, outcome and a date range", async () => {
    const { to } = mockLog([event()]);
    const user = userEvent.setup();
    renderPage();
    await screen.findByTestId("audit-table");

    await user.selectOptions(screen.getByLabelText("Event type"), "portal");
    expect(address()).toEqual({ category: "portal" });
    expect(query(to(AUDIT).at(-1)!)).toMatchObject({ category: "portal" });

    await user.selectOptions(screen.getByLabelText("Action"), "portal.*");
    expect(address()).toMatchObject({ action: "portal.*" });
    expect(query(to(AUDIT).at(-1)!)).toMatchObject({ category: "portal", action: "portal.*" });

    const who = screen.getByLabelText("Who") as HTMLSelectElement;
    await within(who).findByRole("option", { name: "Old Customer (revoked)" });
    expect(within(who).getByRole("option", { name: "Ada Admin (ada@acme.example)" }).getAttribute("value")).toBe("u1");
    await user.selectOptions(who, "u1");
    expect(address()).toMatchObject({ actor: "u1" });

    const customer = screen.getByLabelText("Customer") as HTMLSelectElement;
    expect([...customer.options].map((o) => o.textContent)).toEqual(["Any customer", "ACME Corporation", "Old Customer (revoked)"]);
    await user.selectOptions(customer, "t1");
    await user.selectOptions(who, "");
    expect(address()).toMatchObject({ customer: "t1" });
    expect(address().actor).toBeUndefined();
    expect(query(to(AUDIT).at(-1)!)).toMatchObject({ customer: "t1" });

    await user.selectOptions(screen.getByLabelText("Outcome"), "denied");
    expect(address()).toMatchObject({ outcome: "denied" });

    await user.type(screen.getByLabelText("From"), "2025-05-01");
    await user.type(screen.getByLabelText("To"), "2025-05-31");
    expect(address()).toMatchObject({ from: "2025-05-01", to: "2025-05-31" });
    const last = query(to(AUDIT).at(-1)!);
    expect(last).toMatchObject({ category: "portal", action: "portal.*", customer: "t1", outcome: "denied" });
    // Local midnights; "to" is the start of the day after.
    expect(last.from).toBe(dayStart("2025-05-01"));
    expect(last.to).toBe(dayEnd("2025-05-31"));
    expect(new Date(last.from!).getHours()).toBe(0);
    expect(new Date(last.to!).getTime() - new Date(dayStart("2025-05-31")!).getTime()).toBe(86_400_000);

    await user.click(screen.getByRole("button", { name: "Clear filters" }));
    expect(address()).toEqual({});
    const cleared = query(to(AUDIT).at(-1)!);
    expect(Object.keys(cleared).sort()).toEqual(["limit"]);
  });

  it("a shared address opens the same filtered view", async () => {
    const { to } = mockLog([event()]);
    renderPage("admin", auditLogPath("acme", { customer: "t1", action: "portal.sbom.download", from: "2025-05-01", artifact: "a1" }));
    await screen.findByTestId("audit-table");
    expect(query(to(AUDIT)[0]!)).toMatchObject({ customer: "t1", action: "portal.sbom.download", artifact: "a1", from: dayStart("2025-05-01") });
    expect((screen.getByLabelText("Action") as HTMLSelectElement).value).toBe("portal.sbom.download");
    expect((screen.getByLabelText("From") as HTMLInputElement).value).toBe("2025-05-01");
    await screen.findByRole("option", { name: "ACME Corporation", selected: true });
    expect(screen.getByTestId("audit-extra-filters").textContent).toContain("artifact (a1)");
  });

  it("a range that ends before it starts is said, not asked", async () => {
    const { to } = mockLog([event()]);
    renderPage("admin", "/admin/acme/settings/audit-log?from=2025-05-10&to=2025-05-01");
    expect(await screen.findByText("Must not be before From")).toBeTruthy();
    expect(screen.getByText(/The range ends before it starts/)).toBeTruthy();
    expect(to(AUDIT)).toHaveLength(0);
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
    expect(screen.queryByLabelText("Customer")).toBeNull();
  });
});

describe("the export", () => {
  it("CSV and NDJSON carry exactly the filters on screen, with the session's bearer token", async () => {
    const { to } = mockLog([event()]);
    const created = vi.spyOn(URL, "createObjectURL").mockImplementation(() => "blob:x");
    vi.spyOn(URL, "revokeObjectURL").mockImplementation(() => {});
    adminSession.set("jwt-ada");
    const user = userEvent.setup();
    renderPage("admin", "/admin/acme/settings/audit-log?category=portal&customer=t1&outcome=success&from=2025-05-01&to=2025-05-31");
    await screen.findByTestId("audit-table");
    const view = query(to(AUDIT).at(-1)!);

    await user.click(screen.getByRole("button", { name: "Export CSV" }));
    await vi.waitFor(() => expect(created).toHaveBeenCalledTimes(1));
    await user.click(screen.getByRole("button", { name: "Export NDJSON" }));
    await vi.waitFor(() => expect(created).toHaveBeenCalledTimes(2));

    const exports = to(AUDIT).filter((r) => new URL(r.url).searchParams.has("format"));
    expect(exports).toHaveLength(2);
    const expected = { category: "portal", customer: "t1", outcome: "success", from: view.from, to: view.to };
    const { limit: _limit, ...filters } = view;
    expect(filters).toEqual(expected);
    // Exactly the view's filters: no page size, no cursor, nothing else.
    expect(query(exports[0]!)).toEqual({ ...expected, format: "csv" });
    expect(query(exports[1]!)).toEqual({ ...expected, format: "ndjson" });
    for (const r of exports) expect(r.headers.get("Authorization")).toBe("Bearer jwt-ada");
    adminSession.clear();
  });
});
