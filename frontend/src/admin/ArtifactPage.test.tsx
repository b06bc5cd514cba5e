import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, within } from "../test/render";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { OrgContext } from "./context";
import type { ArtifactDetail, PortalSettings, Role } from "../api/types";
import { jsonResponse, mockRoutes, problemResponse } from "../test/util";
import { bsiFailing, ntiaPassing, orgFixture } from "../test/fixtures";
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
    conformance: [],
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
  require_conformance: [],
    response: { notify_within_hours: 48, critical_fix_business_days: 15, expiry_warning_days: [14, 3] },
    landing: { show_description: true, show_contact: true, access_requests: false, nda: null },
    logo_url: null,
};

function renderPage(role: Role = "admin") {
  const org = orgFixture();
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

describe("an SBOM's conformance on the artifact page", () => {
  const sbom = (over: Partial<ArtifactDetail> = {}) =>
    detail({
      kind: "sbom",
      format: "spdx-json 2.3",
      media_type: "application/spdx+json",
      filename: "router.spdx.json",
      facts: {
        format: "spdx-json 2.3",
        sbom: {
          spec_version: "2.3",
          component_count: 3,
          component_count_total: 3,
          licenses: ["CC0-1.0"],
          tools: [],
          vulnerabilities: [],
          document_name: "router-fw",
          serial_number: "https://acme.example/spdx/router-fw-4.2.0",
        },
        conformance: [bsiFailing(), ntiaPassing()],
      },
      ...over,
    });

  it("shows every profile's badge and rules, and the SPDX format in words", async () => {
    mockRoutes({ [ARTIFACT]: jsonResponse(sbom()), [PORTAL]: jsonResponse(SETTINGS) });
    renderPage();
    const section = (await screen.findByRole("heading", { name: "Conformance" })).closest("section")!;
    expect(within(section).getByText("12 of 14 rules")).toBeTruthy();
    expect(within(section).getByText("meets NTIA minimum elements")).toBeTruthy();
    expect(within(section).getByRole("list", { name: "Rules of BSI TR-03183-2 v2.1" })).toBeTruthy();
    expect(screen.getByText("spdx-json 2.3", { exact: false })).toBeTruthy();
    const spec = screen.getByText("Specification", { selector: "dt" }).parentElement!;
    expect(spec.querySelector("dd")!.textContent).toBe("SPDX 2.3 (JSON)");
    expect(screen.getByText("Document namespace", { selector: "dt" })).toBeTruthy();
  });

  it("publishing refused by the conformance gate: the dialog says why, and the SBOM stays a draft", async () => {
    const refusal =
      "this organisation requires SBOMs to pass bsi-tr-03183-2-v2.1 before publication; this SBOM fails bsi-tr-03183-2-v2.1 (failing: distribution-licences, hash-sha512)";
    const { to } = mockRoutes({
      [ARTIFACT]: jsonResponse(sbom()),
      [PORTAL]: jsonResponse(SETTINGS),
      "POST /api/v1/orgs/acme/artifacts/a1/publish": new Response(
        JSON.stringify({ type: "about:blank", title: "Conflict", status: 409, detail: refusal, request_id: "req-5" }),
        { status: 409, headers: { "Content-Type": "application/problem+json" } },
      ),
    });
    const user = userEvent.setup();
    renderPage();
    await user.click(await screen.findByRole("button", { name: "Publish SBOM router.spdx.json" }));
    const dialog = screen.getByRole("alertdialog", { name: "Publish router.spdx.json?" });
    await user.click(within(dialog).getByRole("button", { name: "Publish" }));
    const alert = await within(dialog).findByRole("alert");
    expect(within(alert).getByText("Not published")).toBeTruthy();
    expect(within(alert).getByText(refusal)).toBeTruthy();
    expect(within(dialog).getByText(/The Conformance section of this page lists every rule it fails/)).toBeTruthy();
    expect(to("POST /api/v1/orgs/acme/artifacts/a1/publish")).toHaveLength(1);
    expect(screen.getAllByText("Draft").length).toBeGreaterThan(0);
  });
});


describe("the artifact page's hashes and deliveries", () => {
  const WITHDRAWN = {
    status: "withdrawn" as const,
    published_at: "2025-02-01T00:00:00Z",
    withdrawn_at: "2025-03-01T10:00:00Z",
    withdrawn_by: "ada@acme.example",
  };

  it("SHA-256 and SHA-512, each with a copy button", async () => {
    mockRoutes({
      [ARTIFACT]: jsonResponse(detail()),
      [PORTAL]: jsonResponse(SETTINGS),
    });
    renderPage();
    expect(within(await screen.findByTestId("sha512")).getByText("cd".repeat(64)).tagName).toBe("CODE");
    expect(screen.getByRole("button", { name: "Copy the SHA-256" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Copy the SHA-512" })).toBeTruthy();
  });

  it("a published CSAF document names where the provider serves it and its signature, each to copy", async () => {
    const path = "/api/v1/portal/acme/csaf/white/2025/acme-sa-2025-001.json";
    mockRoutes({
      [ARTIFACT]: jsonResponse(detail({ kind: "advisory", format: "csaf 2.0", csaf_url: path, signature_url: `${path}.asc` })),
      [PORTAL]: jsonResponse(SETTINGS),
    });
    renderPage();
    expect(await screen.findByText(`${window.location.origin}${path}`)).toBeTruthy();
    expect(screen.getByText(`${window.location.origin}${path}.asc`)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Copy the address of the CSAF document" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Copy the address of the OpenPGP signature" })).toBeTruthy();
  });

  it("an SBOM has no provider address", async () => {
    mockRoutes({ [ARTIFACT]: jsonResponse(detail()), [PORTAL]: jsonResponse(SETTINGS) });
    renderPage();
    await screen.findByTestId("sha512");
    expect(screen.queryByText("CSAF provider")).toBeNull();
    expect(screen.queryByText("Signature")).toBeNull();
  });

  it("a withdrawn artifact nobody downloaded says 'Never delivered', not 'Not delivered yet'", async () => {
    mockRoutes({
      [ARTIFACT]: jsonResponse(detail(WITHDRAWN)),
      [PORTAL]: jsonResponse(SETTINGS),
      [DELIVERIES]: jsonResponse({ deliveries: [], recipients: [] }),
    });
    renderPage();
    expect(await screen.findByText("Never delivered")).toBeTruthy();
    expect(screen.queryByText("Not delivered yet")).toBeNull();
    expect(screen.getByText(/No customer downloaded it before it was withdrawn/)).toBeTruthy();
  });

  it("a withdrawn artifact that was delivered lists who received it before the withdrawal", async () => {
    const { to } = mockRoutes({
      [ARTIFACT]: jsonResponse(detail(WITHDRAWN)),
      [PORTAL]: jsonResponse(SETTINGS),
      [DELIVERIES]: jsonResponse({
        deliveries: [],
        recipients: [
          {
            token_id: "t1",
            token_name: "ACME Corporation",
            deliveries: 2,
            first_at: "2025-02-02T00:00:00Z",
            last_at: "2025-02-03T00:00:00Z",
            sha256: ["ab".repeat(32)],
          },
        ],
      }),
    });
    renderPage();
    const table = await screen.findByRole("table", { name: "Who received this artifact" });
    expect(within(table).getByText("ACME Corporation")).toBeTruthy();
    expect(within(table).getByRole("button", { name: "Copy the SHA-256 delivered to ACME Corporation" })).toBeTruthy();
    expect(screen.getByTestId("delivered-before-withdrawal").textContent).toContain("Delivered to 1 recipient before it was withdrawn");
    expect(screen.queryByText("Not delivered yet")).toBeNull();
    expect(new URL(to(DELIVERIES)[0]!.url).searchParams.get("artifact")).toBe("a1");
  });
});
