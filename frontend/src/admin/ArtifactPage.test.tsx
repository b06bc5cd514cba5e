import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { OrgContext } from "./context";
import type { ArtifactDetail, PortalSettings, Role } from "../api/types";
import { jsonResponse, mockRoutes, problemResponse } from "../test/util";
import { ArtifactPage } from "./ArtifactPage";

afterEach(() => vi.unstubAllGlobals());

const ARTIFACT = "GET /api/v1/orgs/acme/artifacts/a1";
const PATCH = "PATCH /api/v1/orgs/acme/artifacts/a1";
const PORTAL = "GET /api/v1/orgs/acme/portal";
const DELIVERIES = "GET /api/v1/orgs/acme/deliveries";

function detail(over: Partial<ArtifactDetail> = {}): ArtifactDetail {
  const pv = { product_id: "p", product_slug: "thermostat", product_name: "Thermostat", version_id: "v", version: "1.0.0" };
  return {
    id: "a1",
    kind: "document",
    format: "pdf",
    media_type: "application/pdf",
    filename: "security-policy.pdf",
    title: null,
    size: 2048,
    sha256: "ab".repeat(32),
    sha512: "cd".repeat(64),
    status: "draft",
    tlp: null,
    tlp_source: "portal_default",
    product_version: pv,
    uploaded_by: { type: "user", name: "ada@acme.example" },
    uploaded_at: "2025-01-01T00:00:00Z",
    facts: { format: "text" },
    applies_to: [pv],
    vex_statements: [],
    ...over,
  };
}

const SETTINGS: PortalSettings = {
  enabled: true,
  slug: "acme",
  visibility: "private",
  display_name: "ACME Security",
  description: "",
  url: "http://localhost/portal/acme",
  default_tlp: "green",
  csaf_publisher: null,
};

function renderPage(role: Role = "admin") {
  const org = { id: "org-1", name: "ACME Devices", slug: "acme", created_at: "2025-01-01T00:00:00Z" };
  return render(
    <MemoryRouter initialEntries={["/admin/acme/artifacts/a1"]}>
      <OrgContext.Provider value={{ org, role, isAdmin: role === "admin", canPublish: role !== "viewer" }}>
        <Routes>
          <Route path="/admin/:org/artifacts/:id" element={<ArtifactPage />} />
        </Routes>
      </OrgContext.Provider>
    </MemoryRouter>,
  );
}

/** The "TLP label" fact of the Record card. */
async function labelFact() {
  const term = await screen.findByText("TLP label", { selector: "dt" });
  return term.parentElement!.querySelector("dd")!;
}

describe("the artifact page's TLP label", () => {
  it("shows which default applies, and Edit label sets an explicit label, then returns it to the default", async () => {
    const { to } = mockRoutes({
      [ARTIFACT]: jsonResponse(detail()),
      [PORTAL]: jsonResponse(SETTINGS),
      [PATCH]: [
        jsonResponse(detail({ tlp: "amber", tlp_source: "explicit" })),
        jsonResponse(detail({ tlp: null, tlp_source: "portal_default" })),
      ],
    });
    const user = userEvent.setup();
    renderPage();
    const fact = await labelFact();
    expect(await within(fact).findByText("TLP:GREEN")).toBeTruthy();
    expect(within(fact).getByText("portal default")).toBeTruthy();

    await user.click(within(fact).getByRole("button", { name: "Edit label" }));
    let dialog = screen.getByRole("dialog", { name: "Edit TLP label" });
    const select = within(dialog).getByLabelText("TLP label") as HTMLSelectElement;
    expect(select.value).toBe("");
    await user.selectOptions(select, "amber");
    await user.click(within(dialog).getByRole("button", { name: "Save label" }));
    expect(await within(fact).findByText("TLP:AMBER")).toBeTruthy();
    expect(within(fact).getByText("explicit label")).toBeTruthy();
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(await to(PATCH)[0]!.json()).toEqual({ tlp: "amber" });

    await user.click(within(fact).getByRole("button", { name: "Edit label" }));
    dialog = screen.getByRole("dialog", { name: "Edit TLP label" });
    expect((within(dialog).getByLabelText("TLP label") as HTMLSelectElement).value).toBe("amber");
    await user.selectOptions(within(dialog).getByLabelText("TLP label"), "");
    await user.click(within(dialog).getByRole("button", { name: "Save label" }));
    expect(await within(fact).findByText("TLP:GREEN")).toBeTruthy();
    expect(await to(PATCH)[1]!.json()).toEqual({ tlp: null });
  });

  it("a CSAF document's label is in the document: the control is disabled, with the reason", async () => {
    const { to } = mockRoutes({
      [ARTIFACT]: jsonResponse(
        detail({ kind: "advisory", format: "csaf 2.0", status: "published", tlp: "amber", tlp_source: "document" }),
      ),
      [PORTAL]: jsonResponse(SETTINGS),
      [DELIVERIES]: jsonResponse({ deliveries: [], recipients: [] }),
    });
    renderPage();
    const fact = await labelFact();
    expect(within(fact).getByText("TLP:AMBER")).toBeTruthy();
    expect(within(fact).getByText("from the document")).toBeTruthy();
    const button = within(fact).getByRole("button", { name: "Edit label" }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    const reason = document.getElementById(button.getAttribute("aria-describedby")!)!;
    expect(reason.textContent).toContain("/document/distribution/tlp/label");
    expect(reason.textContent).toContain("upload a corrected document");
    expect(to(PATCH)).toHaveLength(0);
  });

  it("the server's refusal stays in the dialog", async () => {
    mockRoutes({
      [ARTIFACT]: jsonResponse(detail()),
      [PORTAL]: jsonResponse(SETTINGS),
      [PATCH]: problemResponse(422, "tlp: a CSAF document's label is its /document/distribution/tlp/label", [
        { field: "tlp", message: "a CSAF document's label is its /document/distribution/tlp/label" },
      ]),
    });
    const user = userEvent.setup();
    renderPage();
    await user.click(within(await labelFact()).getByRole("button", { name: "Edit label" }));
    const dialog = screen.getByRole("dialog", { name: "Edit TLP label" });
    await user.selectOptions(within(dialog).getByLabelText("TLP label"), "red");
    await user.click(within(dialog).getByRole("button", { name: "Save label" }));
    expect(await within(dialog).findByText("a CSAF document's label is its /document/distribution/tlp/label")).toBeTruthy();
    expect(within(dialog).getByLabelText("TLP label").getAttribute("aria-invalid")).toBe("true");
  });

  it("viewers see the label but cannot edit it, and publishers are not asked for the admin-only settings", async () => {
    const { to } = mockRoutes({ [ARTIFACT]: jsonResponse(detail({ tlp: "red", tlp_source: "explicit" })) });
    renderPage("viewer");
    const fact = await labelFact();
    expect(within(fact).getByText("TLP:RED")).toBeTruthy();
    expect(within(fact).queryByRole("button", { name: "Edit label" })).toBeNull();
    expect(to(PORTAL)).toHaveLength(0);
  });
});
