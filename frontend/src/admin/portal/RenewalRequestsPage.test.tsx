import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, waitFor, within } from "../../test/render";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { OrgContext } from "../context";
import type { RenewalView } from "../../api/types";
import { jsonResponse, mockRoutes } from "../../test/util";
import { RenewalRequestsPage } from "./RenewalRequestsPage";
import { orgFixture } from "../../test/fixtures";

afterEach(() => vi.unstubAllGlobals());

const LIST = "GET /api/v1/orgs/acme/portal/renewal-requests";

function req(over: Partial<RenewalView>): RenewalView {
  return {
    id: "r1",
    token_id: "t1",
    token_name: "Globex",
    message: "We still ship your routers.",
    requested_at: "2026-03-01T10:00:00Z",
    status: "pending",
    token_expires_at: "2026-03-10T00:00:00Z",
    ...over,
  };
}

function renderPage() {
  const org = orgFixture();
  return render(
    <MemoryRouter initialEntries={["/admin/acme/settings/portal/renewals"]}>
      <OrgContext.Provider value={{ org, role: "admin", isAdmin: true, canPublish: true }}>
        <Routes>
          <Route path="/admin/:org/settings/portal/renewals" element={<RenewalRequestsPage />} />
        </Routes>
      </OrgContext.Provider>
    </MemoryRouter>,
  );
}

describe("Settings › Supplier Portal › Renewal requests", () => {
  it("approves with a chosen expiry and declines", async () => {
    const { to } = mockRoutes({
      [LIST]: jsonResponse([
        req({}),
        req({ id: "r2", token_id: "t2", token_name: "Initech", message: "" }),
        req({ id: "r3", token_name: "Hooli", status: "declined", decided_by: "ada@acme.example", decided_at: "2026-02-01T00:00:00Z" }),
      ]),
      "POST /api/v1/orgs/acme/portal/renewal-requests/r1/decision": jsonResponse(req({ status: "approved" })),
      "POST /api/v1/orgs/acme/portal/renewal-requests/r2/decision": jsonResponse(req({ id: "r2", status: "declined" })),
    });
    const user = userEvent.setup();
    renderPage();
    const table = await screen.findByRole("table", { name: "Renewal requests" });
    expect(within(table).getAllByText("We still ship your routers.")).toHaveLength(2);
    expect(within(table).queryByRole("button", { name: "Approve the renewal of Hooli" })).toBeNull();
    expect(within(table).getByText("Declined")).toBeTruthy();

    await user.click(within(table).getByRole("button", { name: "Approve the renewal of Globex" }));
    const dialog = screen.getByRole("dialog", { name: "Renew Globex" });
    expect((within(dialog).getByLabelText("New expiry") as HTMLSelectElement).value).toBe("1y");
    await user.selectOptions(within(dialog).getByLabelText("New expiry"), "90d");
    await user.click(within(dialog).getByRole("button", { name: "Approve" }));
    await waitFor(() => expect(screen.queryByRole("dialog", { name: "Renew Globex" })).toBeNull());
    expect(await to("POST /api/v1/orgs/acme/portal/renewal-requests/r1/decision")[0]!.json()).toEqual({
      decision: "approve",
      expires_in: "90d",
    });

    await user.click(within(await screen.findByRole("table", { name: "Renewal requests" })).getByRole("button", { name: "Decline the renewal of Initech" }));
    await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Decline" }));
    await waitFor(() => expect(to("POST /api/v1/orgs/acme/portal/renewal-requests/r2/decision")).toHaveLength(1));
    expect(await to("POST /api/v1/orgs/acme/portal/renewal-requests/r2/decision")[0]!.json()).toEqual({ decision: "decline" });
    expect(to(LIST).length).toBeGreaterThanOrEqual(3);
  });
});
