import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, waitFor, within } from "../../test/render";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { OrgContext } from "../context";
import type { NotificationView, Role } from "../../api/types";
import { jsonResponse, mockRoutes } from "../../test/util";
import { NotificationsPage } from "./NotificationsPage";
import { orgFixture } from "../../test/fixtures";

afterEach(() => vi.unstubAllGlobals());

const LOG = "GET /api/v1/orgs/acme/notifications";

function n(over: Partial<NotificationView>): NotificationView {
  return {
    id: "msg_1",
    created_at: "2026-03-01T10:00:00Z",
    event_type: "vex.published",
    channel: "email",
    target: "sec@globex.example",
    status: "sent",
    attempts: 1,
    summary: "VEX for Router 1.0",
    token_id: "t1",
    token_name: "Globex",
    vulnerability: "CVE-2026-1234",
    last_error: null,
    sent_at: "2026-03-01T10:00:05Z",
    ...over,
  };
}

function renderPage(role: Role = "publisher", entry = "/admin/acme/notifications") {
  const org = orgFixture();
  return render(
    <MemoryRouter initialEntries={[entry]}>
      <OrgContext.Provider value={{ org, role, isAdmin: role === "admin", canPublish: role !== "viewer" }}>
        <Routes>
          <Route path="/admin/:org/notifications" element={<NotificationsPage />} />
        </Routes>
      </OrgContext.Provider>
    </MemoryRouter>,
  );
}

describe("Notifications log", () => {
  it("shows each notification's status, attempts and last error, and explains held e-mails", async () => {
    mockRoutes({
      [LOG]: jsonResponse([
        n({}),
        n({ id: "msg_2", status: "held", attempts: 0, sent_at: null, target: "ops@initech.example", token_name: "Initech" }),
        n({
          id: "msg_3",
          channel: "webhook",
          target: "https://hooks.globex.example/sp",
          status: "failed",
          attempts: 3,
          last_error: "HTTP 503 from receiver",
          sent_at: null,
          next_attempt_at: "2026-03-01T10:20:00Z",
        }),
        n({ id: "msg_4", channel: "webhook", target: "https://x.example", status: "dead", attempts: 8, last_error: "connection refused", sent_at: null }),
        n({ id: "msg_5", channel: "webhook", target: "https://y.example", status: "delivered" }),
        n({ id: "msg_6", status: "queued", attempts: 0, sent_at: null }),
      ]),
    });
    renderPage();
    const table = await screen.findByRole("table", { name: "Notifications" });
    const row = (id: string) => table.querySelector(`[data-notification="${id}"]`) as HTMLElement;
    expect(within(row("msg_1")).getByText("Sent").className).toContain("badge-success");
    expect(within(row("msg_2")).getByText("Held").className).toContain("badge-warning");
    expect(within(row("msg_2")).getByText(/no mail server configured/)).toBeTruthy();
    expect(within(row("msg_3")).getByText("Failed")).toBeTruthy();
    expect(within(row("msg_3")).getByText("HTTP 503 from receiver")).toBeTruthy();
    expect(within(row("msg_3")).getByText("3")).toBeTruthy();
    expect(row("msg_3").textContent).toContain("next try");
    expect(within(row("msg_4")).getByText("Dead").className).toContain("badge-danger");
    expect(within(row("msg_5")).getByText("Delivered")).toBeTruthy();
    expect(within(row("msg_6")).getByText("Queued")).toBeTruthy();
    expect(within(row("msg_1")).getByRole("link", { name: "CVE-2026-1234" }).getAttribute("href")).toBe(
      "/admin/acme/vulnerabilities/CVE-2026-1234",
    );
    expect(screen.getByText("Some e-mails are held")).toBeTruthy();
  });

  it("shows a cancelled notification with what cancelled it, and filters by it", async () => {
    const { to } = mockRoutes({
      [LOG]: [
        jsonResponse([
          n({ id: "msg_7", status: "cancelled", attempts: 0, sent_at: null, next_attempt_at: "2026-03-01T10:20:00Z" }),
          n({ id: "msg_8", status: "queued", attempts: 0, sent_at: null }),
        ]),
        jsonResponse([n({ id: "msg_7", status: "cancelled", attempts: 0, sent_at: null })]),
      ],
    });
    const user = userEvent.setup();
    renderPage();
    const table = await screen.findByRole("table", { name: "Notifications" });
    const row = table.querySelector('[data-notification="msg_7"]') as HTMLElement;
    const badge = within(row).getByText("Cancelled");
    expect(badge.className).toContain("badge-neutral");
    expect(badge.closest("[data-status]")!.getAttribute("title")).toMatch(/subscription was deleted, or the access token revoked/);
    expect(within(row).getByText(/subscription was deleted, or its access token revoked, before it went out/)).toBeTruthy();
    // Not retried: no "next try" for a cancelled message.
    expect(row.textContent).not.toContain("next try");
    expect(within(table.querySelector('[data-notification="msg_8"]') as HTMLElement).queryByText(/before it went out/)).toBeNull();

    const select = screen.getByLabelText("Status") as HTMLSelectElement;
    expect(within(select).getByRole("option", { name: "Cancelled" })).toBeTruthy();
    await user.selectOptions(select, "cancelled");
    await waitFor(() => expect(to(LOG)).toHaveLength(2));
    expect(new URL(to(LOG)[1]!.url).searchParams.get("status")).toBe("cancelled");
  });

  it("filters by status", async () => {
    const { to } = mockRoutes({ [LOG]: [jsonResponse([n({})]), jsonResponse([])] });
    const user = userEvent.setup();
    renderPage();
    await screen.findByRole("table", { name: "Notifications" });
    expect(screen.queryByText("Some e-mails are held")).toBeNull();
    await user.selectOptions(screen.getByLabelText("Status"), "dead");
    expect(await screen.findByText("Nothing matches these filters")).toBeTruthy();
    await waitFor(() => expect(to(LOG)).toHaveLength(2));
    expect(new URL(to(LOG)[1]!.url).searchParams.get("status")).toBe("dead");
  });

  it("is for publishers and admins", async () => {
    const { to } = mockRoutes({});
    renderPage("viewer");
    expect(await screen.findByText("Publishers and administrators only")).toBeTruthy();
    expect(to(LOG)).toHaveLength(0);
  });
});
