import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, within } from "../test/render";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { OrgContext } from "./context";
import type { Acknowledgement, ArtifactView, ProductChecklist, Role } from "../api/types";
import { jsonResponse, mockRoutes, problemResponse } from "../test/util";
import { checklistFixture, orgFixture } from "../test/fixtures";
import { ChecklistPage } from "./ChecklistPage";

afterEach(() => vi.unstubAllGlobals());

const CHECKLIST = "GET /api/v1/orgs/acme/products/router/checklist";
const PUT = "PUT /api/v1/orgs/acme/products/router/checklist";
const ARTIFACTS = "GET /api/v1/orgs/acme/artifacts";
const ACKS = "GET /api/v1/orgs/acme/products/router/checklist/acknowledgements";

function artifact(id: string, over: Partial<ArtifactView> = {}): ArtifactView {
  return {
    id,
    kind: "sbom",
    format: "cyclonedx-json 1.6",
    media_type: "application/vnd.cyclonedx+json",
    filename: `${id}.json`,
    title: null,
    size: 1024,
    sha256: "ab".repeat(32),
    sha512: "cd".repeat(64),
    status: "published",
    tlp: null,
    tlp_source: "portal_default",
    product_version: { product_id: "p", product_slug: "router", product_name: "Router", version_id: "v", version: "2.0" },
    uploaded_by: { type: "user", name: "ada@acme.example" },
    uploaded_at: "2025-01-01T00:00:00Z",
    ...over,
  };
}

const ARTIFACT_LIST: ArtifactView[] = [
  artifact("sbom-1", { filename: "router-2.0.cdx.json", title: "router-fw" }),
  artifact("vex-1", { kind: "vex", format: "openvex 0.2.0", filename: "router.openvex.json" }),
  artifact("policy-1", { kind: "document", format: "pdf", filename: "security-policy.pdf", status: "draft" }),
];

/** Nothing answered yet, not published. */
function blank(): ProductChecklist {
  const c = checklistFixture({ published: false, updated_at: null, updated_by: null });
  return {
    ...c,
    sections: c.sections.map((s) => ({ ...s, status: null, statement: "", evidence: [], reviewer: null, review_date: null })),
  };
}

function renderPage(role: Role = "admin") {
  const org = orgFixture();
  return render(
    <MemoryRouter initialEntries={["/admin/acme/products/router/checklist"]}>
      <OrgContext.Provider value={{ org, role, isAdmin: role === "admin", canPublish: role !== "viewer" }}>
        <Routes>
          <Route path="/admin/:org/products/:product/checklist" element={<ChecklistPage />} />
        </Routes>
      </OrgContext.Provider>
    </MemoryRouter>,
  );
}

async function section(name: string) {
  return screen.findByRole("region", { name });
}

describe("the admin's CRA checklist editor", () => {
  it("sends every section's answer, with evidence chosen among the product's artifacts, and publishes", async () => {
    const saved = checklistFixture();
    const { to } = mockRoutes({
      [CHECKLIST]: jsonResponse(blank()),
      [ARTIFACTS]: jsonResponse(ARTIFACT_LIST),
      [ACKS]: jsonResponse([]),
      [PUT]: jsonResponse(saved),
    });
    const user = userEvent.setup();
    renderPage();

    const sbom = await section("5. Software Bill of Materials (SBOM)");
    // The clauses are shown, read-only.
    expect(within(sbom).getByText("The Partner shall provide an SBOM for each supplied component.")).toBeTruthy();
    expect(within(sbom).queryByRole("textbox", { name: /The Partner shall/ })).toBeNull();
    const status = within(sbom).getByLabelText("Status") as HTMLSelectElement;
    expect([...status.options].map((o) => o.text)).toEqual(["Not assessed", "Met", "Partially met", "Not met", "Not applicable"]);
    await user.selectOptions(status, "met");
    await user.type(within(sbom).getByLabelText(/Statement/), "  A CycloneDX 1.6 SBOM is published with every release. ");
    // Every artifact of the product can be named, drafts marked as such.
    const evidence = within(sbom).getByRole("group", { name: /Evidence/ });
    expect(within(evidence).getAllByRole("checkbox")).toHaveLength(3);
    expect(within(evidence).getByRole("checkbox", { name: /security-policy\.pdf.*Draft/ })).toBeTruthy();
    await user.click(within(evidence).getByRole("checkbox", { name: /router-2\.0\.cdx\.json/ }));
    await user.type(within(sbom).getByLabelText(/Reviewer/), "Ada Admin");
    await user.type(within(sbom).getByLabelText(/Review date/), "2025-05-01");

    const vm = await section("4. Vulnerability Management");
    await user.selectOptions(within(vm).getByLabelText("Status"), "not_applicable");

    expect(screen.getByText("Unsaved changes")).toBeTruthy();
    await user.click(screen.getByRole("switch", { name: "Published to customers" }));
    await user.click(screen.getByRole("button", { name: "Save checklist" }));

    expect(await screen.findByText("Saved")).toBeTruthy();
    expect(to(PUT)).toHaveLength(1);
    expect(await to(PUT)[0]!.json()).toEqual({
      published: true,
      sections: [
        { id: "general-compliance", status: null, statement: "", evidence: [], reviewer: null, review_date: null },
        { id: "secure-development", status: null, statement: "", evidence: [], reviewer: null, review_date: null },
        { id: "risk-management", status: null, statement: "", evidence: [], reviewer: null, review_date: null },
        { id: "vulnerability-management", status: "not_applicable", statement: "", evidence: [], reviewer: null, review_date: null },
        {
          id: "sbom",
          status: "met",
          statement: "A CycloneDX 1.6 SBOM is published with every release.",
          evidence: ["sbom-1"],
          reviewer: "Ada Admin",
          review_date: "2025-05-01",
        },
      ],
    });
    // The saved checklist is what the page now shows (and prints).
    expect(screen.getByText("Published", { selector: ".page-title .badge" })).toBeTruthy();
    const print = screen.getByTestId("checklist-print");
    expect(within(print).getByText("A CycloneDX 1.6 SBOM is published with every release.")).toBeTruthy();
  });

  it("shows the server's field errors in the section they are about", async () => {
    mockRoutes({
      [CHECKLIST]: jsonResponse(checklistFixture()),
      [ARTIFACTS]: jsonResponse(ARTIFACT_LIST),
      [ACKS]: jsonResponse([]),
      [PUT]: problemResponse(400, "sections[4].evidence: `gone-1` is not an artifact of this product", [
        { field: "sections[4].evidence", message: "`gone-1` is not an artifact of this product" },
        { field: "sections[4].reviewer", message: "must be 1 to 200 characters" },
        { field: "sections[1].statement", message: "must be at most 10000 characters" },
      ]),
    });
    const user = userEvent.setup();
    renderPage();
    await section("5. Software Bill of Materials (SBOM)");
    await user.click(screen.getByRole("button", { name: "Save checklist" }));

    const sbom = await section("5. Software Bill of Materials (SBOM)");
    expect(await within(sbom).findByText("`gone-1` is not an artifact of this product")).toBeTruthy();
    const evidence = within(sbom).getByRole("group", { name: /Evidence/ });
    expect(evidence.getAttribute("aria-describedby")).toBe(within(sbom).getByText("`gone-1` is not an artifact of this product").id);
    const reviewer = within(sbom).getByLabelText(/Reviewer/);
    expect(reviewer.getAttribute("aria-invalid")).toBe("true");
    expect(within(sbom).getByText("must be 1 to 200 characters")).toBeTruthy();
    expect(sbom.className).toContain("checklist-section-invalid");

    const dev = await section("2. Secure Development and Production");
    expect(within(dev).getByText("must be at most 10000 characters")).toBeTruthy();
    expect(within(dev).getByLabelText(/Statement/).getAttribute("aria-invalid")).toBe("true");

    // Not in the other sections, nor repeated in the alert.
    const general = await section("1. General Compliance");
    expect(general.querySelector(".field-error")).toBeNull();
    expect(within(general).getByLabelText(/Reviewer/).getAttribute("aria-invalid")).toBeNull();
    const alert = screen.getByRole("alert");
    expect(within(alert).getByText("Check the highlighted fields.")).toBeTruthy();
    expect(within(alert).queryByText("must be 1 to 200 characters")).toBeNull();
    // The table of contents says which sections need attention.
    const toc = screen.getByRole("navigation", { name: "Sections" });
    expect(
      within(toc)
        .getAllByRole("listitem")
        .filter((li) => li.textContent?.includes("needs attention"))
        .map((li) => li.querySelector("a")!.textContent),
    ).toEqual(["Secure Development and Production", "Software Bill of Materials (SBOM)"]);
  });

  it("lists the customers' acknowledgements; viewers read without editing", async () => {
    const acks: Acknowledgement[] = [
      {
        id: "ack-1",
        token_id: "tok-1",
        token_name: "ACME Corporation",
        name: "Grace Buyer",
        title: "Head of Procurement",
        sha256: "5f".repeat(32),
        acknowledged_at: "2025-05-03T09:30:00Z",
      },
    ];
    const { to } = mockRoutes({
      [CHECKLIST]: jsonResponse(checklistFixture()),
      [ARTIFACTS]: jsonResponse(ARTIFACT_LIST),
      [ACKS]: jsonResponse(acks),
    });
    renderPage("viewer");
    const table = await screen.findByRole("table", { name: "Customer acknowledgements" });
    const row = within(table).getByRole("row", { name: /Grace Buyer/ });
    expect(within(row).getByText("Head of Procurement")).toBeTruthy();
    expect(within(row).getByText("ACME Corporation")).toBeTruthy();
    expect(within(row).getByText("5f5f5f5f5f5f…").getAttribute("title")).toBe("5f".repeat(32));
    expect(within(row).getByText(/3 May 2025/)).toBeTruthy();

    expect(screen.getByText("Read only")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Save checklist" })).toBeNull();
    const sbom = await section("5. Software Bill of Materials (SBOM)");
    expect((within(sbom).getByLabelText("Status") as HTMLSelectElement).disabled).toBe(true);
    expect((within(sbom).getByLabelText("Status") as HTMLSelectElement).value).toBe("met");
    expect((within(sbom).getByRole("checkbox", { name: /router-2\.0\.cdx\.json/ }) as HTMLInputElement).checked).toBe(true);
    expect(screen.queryByRole("link", { name: "Edit template" })).toBeNull();
    // The printed document ends with the signature block.
    const signatures = within(screen.getByTestId("checklist-print")).getByTestId("signature-block");
    expect(signatures.textContent).toContain("Partner (ACME Devices)");
    expect(signatures.textContent).toContain("Buyer");
    expect([...signatures.querySelectorAll("dt")].map((d) => d.textContent)).toEqual(["Name", "Title", "Date", "Name", "Title", "Date"]);
    expect(to(PUT)).toHaveLength(0);
  });
});
