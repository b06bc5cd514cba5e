import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, within } from "../test/render";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router";
import { OrgContext } from "./context";
import type { ChecklistTemplate, Role } from "../api/types";
import { jsonResponse, mockRoutes, problemResponse } from "../test/util";
import { ChecklistTemplatePage } from "./ChecklistTemplatePage";
import { orgFixture } from "../test/fixtures";

afterEach(() => vi.unstubAllGlobals());

const GET = "GET /api/v1/orgs/acme/checklist-template";
const PUT = "PUT /api/v1/orgs/acme/checklist-template";

const TEMPLATE: ChecklistTemplate = {
  sections: [
    { id: "general-compliance", title: "General Compliance", clauses: ["The Partner shall adhere to all applicable laws."] },
    {
      id: "sbom",
      title: "Software Bill of Materials (SBOM)",
      clauses: ["The Partner shall provide an SBOM.", "The SBOM must be updated."],
    },
  ],
};

function renderPage(role: Role = "admin") {
  const org = orgFixture();
  return render(
    <MemoryRouter>
      <OrgContext.Provider value={{ org, role, isAdmin: role === "admin", canPublish: role !== "viewer" }}>
        <ChecklistTemplatePage />
      </OrgContext.Provider>
    </MemoryRouter>,
  );
}

describe("the checklist template", () => {
  it("admins edit a section's title and clauses; blank clauses are left out", async () => {
    const { to } = mockRoutes({ [GET]: jsonResponse(TEMPLATE), [PUT]: jsonResponse(TEMPLATE) });
    const user = userEvent.setup();
    renderPage();
    const sbom = await screen.findByRole("region", { name: /2\. Software Bill of Materials \(SBOM\)/ });
    const title = within(sbom).getByLabelText("Title");
    await user.clear(title);
    await user.type(title, "SBOM ");
    await user.click(within(sbom).getByRole("button", { name: "Remove clause 1 of SBOM" }));
    await user.click(within(sbom).getByRole("button", { name: "Add clause" }));
    await user.type(within(sbom).getByLabelText("Clause 2"), "SBOMs are signed.");
    await user.click(within(sbom).getByRole("button", { name: "Add clause" }));
    await user.click(screen.getByRole("button", { name: "Save template" }));
    expect(await screen.findByText("Saved")).toBeTruthy();
    expect(await to(PUT)[0]!.json()).toEqual({
      sections: [
        TEMPLATE.sections[0],
        { id: "sbom", title: "SBOM", clauses: ["The SBOM must be updated.", "SBOMs are signed."] },
      ],
    });
  });

  it("shows the server's field errors at the section", async () => {
    mockRoutes({
      [GET]: jsonResponse(TEMPLATE),
      [PUT]: problemResponse(400, "sections[1].title: must be 1 to 200 characters", [
        { field: "sections[1].title", message: "must be 1 to 200 characters" },
      ]),
    });
    const user = userEvent.setup();
    renderPage();
    const sbom = await screen.findByRole("region", { name: /2\. Software Bill of Materials/ });
    await user.clear(within(sbom).getByLabelText("Title"));
    await user.click(screen.getByRole("button", { name: "Save template" }));
    expect(await within(sbom).findByText("must be 1 to 200 characters")).toBeTruthy();
    expect(within(sbom).getByLabelText("Title").getAttribute("aria-invalid")).toBe("true");
  });

  it("others read it without editing", async () => {
    mockRoutes({ [GET]: jsonResponse(TEMPLATE) });
    renderPage("publisher");
    expect(await screen.findByText("Only organisation administrators can edit the template.")).toBeTruthy();
    expect((screen.getAllByLabelText("Title")[0] as HTMLInputElement).disabled).toBe(true);
    expect(screen.queryByRole("button", { name: "Save template" })).toBeNull();
  });
});
