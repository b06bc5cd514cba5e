import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, within } from "../test/render";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { createApi } from "../api/client";
import { SessionStore } from "../api/session";
import type { Acknowledgement, PortalCaller, PortalInfo, PortalProduct } from "../api/types";
import { jsonResponse, mockRoutes } from "../test/util";
import { checklistFixture } from "../test/fixtures";
import { PortalContext } from "./context";
import { PortalChecklistPage } from "./PortalChecklistPage";
import { PortalProductPage } from "./PortalProductPage";

afterEach(() => vi.unstubAllGlobals());

const CHECKLIST = "GET /api/v1/portal/acme/products/router/checklist";
const ACK = "POST /api/v1/portal/acme/products/router/checklist/acknowledgements";
const SHA = "5f".repeat(32);

const TOKEN: PortalCaller = { type: "access_token", name: "ACME Corporation", tlp_labels: ["clear", "green", "amber"] };
const ANONYMOUS: PortalCaller = { type: "anonymous", tlp_labels: ["clear"] };

function problem(status: number, title: string, detail: string): Response {
  return new Response(JSON.stringify({ type: "about:blank", title, status, detail, request_id: "req-9" }), {
    status,
    headers: { "Content-Type": "application/problem+json" },
  });
}

function renderAt(path: string, caller: PortalCaller = TOKEN) {
  const api = createApi({ session: new SessionStore("test.portal.checklist"), baseUrl: "http://portal.test" });
  const info: PortalInfo = {
    slug: "acme",
    display_name: "ACME Security",
    description: "",
    visibility: "public",
    caller,
  };
  return render(
    <MemoryRouter initialEntries={[path]}>
      <PortalContext.Provider value={{ slug: "acme", api, info, signOut: () => {} }}>
        <Routes>
          <Route path="/portal/:slug/products/:product" element={<PortalProductPage />} />
          <Route path="/portal/:slug/products/:product/checklist" element={<PortalChecklistPage />} />
          <Route path="/portal/:slug/login" element={<p>Login page</p>} />
        </Routes>
      </PortalContext.Provider>
    </MemoryRouter>,
  );
}

const renderPage = (caller?: PortalCaller) => renderAt("/portal/acme/products/router/checklist", caller);

function ack(over: Partial<Acknowledgement> = {}): Acknowledgement {
  return {
    id: "ack-1",
    token_id: "tok-1",
    token_name: "ACME Corporation",
    name: "Grace Buyer",
    title: "Head of Procurement",
    sha256: SHA,
    acknowledged_at: "2025-05-03T09:30:00Z",
    ...over,
  };
}

async function fillAndAcknowledge(user: ReturnType<typeof userEvent.setup>) {
  const form = await screen.findByRole("form", { name: "Acknowledge the checklist" });
  await user.type(within(form).getByLabelText("Name"), "Grace Buyer");
  await user.type(within(form).getByLabelText(/^Title/), "Head of Procurement");
  await user.click(within(form).getByRole("button", { name: "Acknowledge" }));
  return form;
}

describe("the customer's CRA checklist", () => {
  it("shows every section with its status, clauses, statement, evidence linked to its download, reviewer and date", async () => {
    mockRoutes({ [CHECKLIST]: jsonResponse(checklistFixture()) });
    renderPage();
    expect(await screen.findByRole("heading", { name: "CRA checklist: Router", level: 1 })).toBeTruthy();
    expect(screen.getByTestId("checklist-sha256").textContent).toBe(SHA);
    expect(screen.getByText(/2 met · 1 partially met · 1 not applicable · 1 not assessed/)).toBeTruthy();

    const doc = screen.getByTestId("checklist-document");
    const sections = [...doc.querySelectorAll<HTMLElement>("section.checklist-section")];
    expect(sections.map((s) => within(s).getByRole("heading", { level: 2 }).textContent)).toEqual([
      "1. General Compliance",
      "2. Secure Development and Production",
      "3. Cybersecurity Risk Management",
      "4. Vulnerability Management",
      "5. Software Bill of Materials (SBOM)",
    ]);
    expect(sections.map((s) => s.querySelector(".checklist-section-head .badge")!.textContent)).toEqual([
      "Met",
      "Partially met",
      "Not assessed",
      "Not applicable",
      "Met",
    ]);
    expect(sections[0]!.querySelector(".checklist-section-head .badge")!.className).toBe("badge badge-success");

    const sbom = within(doc).getByRole("region", { name: "5. Software Bill of Materials (SBOM)" });
    expect(within(sbom).getByText("The SBOM must be updated as components change.")).toBeTruthy();
    expect(within(sbom).getByText("A CycloneDX 1.6 SBOM is published with every release.")).toBeTruthy();
    const link = within(sbom).getByRole("link", { name: "Download router-fw (router-2.0.cdx.json)" });
    expect(link.getAttribute("href")).toBe("/api/v1/portal/acme/artifacts/sbom-1/download");
    expect(within(sbom).getByText(/SBOM · router-2\.0\.cdx\.json/)).toBeTruthy();
    expect(within(sbom).getByText("Reviewed by Ada Admin on 1 May 2025")).toBeTruthy();

    // On paper: the signature block for both parties.
    const signatures = within(doc).getByTestId("signature-block");
    expect(signatures.className).toContain("print-only");
    expect([...signatures.querySelectorAll(".signature-party")].map((p) => p.textContent)).toEqual([
      "Partner (ACME Security)",
      "Buyer",
    ]);
    expect(screen.getByRole("button", { name: "Print" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Download Markdown" })).toBeTruthy();
  });

  it("the evidence link downloads through the API (recording the download) and checks the SHA-256", async () => {
    const saveAs = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(() => {});
    const { to } = mockRoutes({
      [CHECKLIST]: jsonResponse(checklistFixture()),
      "GET /api/v1/portal/acme/artifacts/sbom-1/download": new Response("{}", {
        headers: { "Content-Type": "application/vnd.cyclonedx+json" },
      }),
    });
    const user = userEvent.setup();
    renderPage();
    await user.click(await screen.findByRole("link", { name: "Download router-fw (router-2.0.cdx.json)" }));
    expect(await screen.findByText("The downloaded bytes do not match the published SHA-256")).toBeTruthy();
    expect(to("GET /api/v1/portal/acme/artifacts/sbom-1/download")).toHaveLength(1);
    expect(saveAs).toHaveBeenCalled();
  });

  it("acknowledges with name, title and the SHA-256 shown (201), then says who acknowledged and when", async () => {
    const { to } = mockRoutes({
      [CHECKLIST]: jsonResponse(checklistFixture()),
      [ACK]: jsonResponse(ack(), 201),
    });
    const user = userEvent.setup();
    renderPage();
    await fillAndAcknowledge(user);
    const done = await screen.findByTestId("acknowledged");
    expect(done.textContent).toMatch(/^Acknowledged by Grace Buyer, Head of Procurement, on 3 May 2025/);
    expect(done.textContent).toContain("with the access token “ACME Corporation”");
    expect(screen.queryByRole("form", { name: "Acknowledge the checklist" })).toBeNull();
    expect(to(ACK)).toHaveLength(1);
    expect(await to(ACK)[0]!.json()).toEqual({ name: "Grace Buyer", title: "Head of Procurement", sha256: SHA });
  });

  it("409: the checklist changed since it was opened; reloading reads the current one", async () => {
    const changed = "6a".repeat(32);
    const { to } = mockRoutes({
      [CHECKLIST]: [jsonResponse(checklistFixture()), jsonResponse(checklistFixture({ sha256: changed }))],
      [ACK]: [
        problem(409, "Conflict", "the checklist changed since you read it: read it again, then acknowledge what you read"),
        jsonResponse(ack({ sha256: changed }), 201),
      ],
    });
    const user = userEvent.setup();
    renderPage();
    const form = await fillAndAcknowledge(user);
    expect(
      await within(form).findByText("The checklist changed since you opened it: reload to read the current version"),
    ).toBeTruthy();
    expect(screen.queryByTestId("acknowledged")).toBeNull();

    await user.click(within(form).getByRole("button", { name: "Reload the checklist" }));
    await vi.waitFor(() => expect(screen.getByTestId("checklist-sha256").textContent).toBe(changed));
    expect(to(CHECKLIST)).toHaveLength(2);
    expect(within(form).queryByText(/The checklist changed since you opened it/)).toBeNull();
    // What was typed is kept; the acknowledgement now names the current text.
    await user.click(within(form).getByRole("button", { name: "Acknowledge" }));
    expect(await screen.findByTestId("acknowledged")).toBeTruthy();
    expect(((await to(ACK)[1]!.json()) as { sha256: string }).sha256).toBe(changed);
  });

  it("anonymous visitors are asked to sign in with their access token to acknowledge", async () => {
    const { to } = mockRoutes({ [CHECKLIST]: jsonResponse(checklistFixture()) });
    renderPage(ANONYMOUS);
    const alert = (await screen.findByText("Sign in with your access token to acknowledge")).closest(".alert") as HTMLElement;
    expect(within(alert).getByRole("link", { name: "Sign in" }).getAttribute("href")).toBe(
      `/portal/acme/login?next=${encodeURIComponent("/portal/acme/products/router/checklist")}`,
    );
    expect(screen.queryByRole("form", { name: "Acknowledge the checklist" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Acknowledge" })).toBeNull();
    expect(to(ACK)).toHaveLength(0);
  });

  it("a 401 on acknowledging (no access token) gives the same message", async () => {
    mockRoutes({
      [CHECKLIST]: jsonResponse(checklistFixture()),
      [ACK]: problem(401, "Unauthorized", "acknowledging needs your access token: it records who acknowledged"),
    });
    const user = userEvent.setup();
    renderPage();
    await fillAndAcknowledge(user);
    expect(await screen.findByText("Sign in with your access token to acknowledge")).toBeTruthy();
  });

  it("an unpublished checklist (404) says so", async () => {
    mockRoutes({ [CHECKLIST]: problem(404, "Not Found", "product `router` has no published checklist") });
    renderPage();
    expect(await screen.findByText("No checklist published for this product")).toBeTruthy();
  });
});

describe("the customer's product page links to the checklist when one is published", () => {
  const product = (checklist_published: boolean): PortalProduct => ({
    name: "Router",
    slug: "router",
    description: "",
    checklist_published,
    versions: [{ version: "2.0", status: "supported", artifact_count: 1 }],
  });

  it("published: a link to it, without asking for the checklist itself", async () => {
    const { to } = mockRoutes({ "GET /api/v1/portal/acme/products/router": jsonResponse(product(true)) });
    renderAt("/portal/acme/products/router");
    const link = await screen.findByRole("link", { name: "CRA checklist" });
    expect(link.getAttribute("href")).toBe("/portal/acme/products/router/checklist");
    expect(to(CHECKLIST)).toHaveLength(0);
  });

  it("not published: no link", async () => {
    mockRoutes({ "GET /api/v1/portal/acme/products/router": jsonResponse(product(false)) });
    renderAt("/portal/acme/products/router");
    expect(await screen.findByRole("heading", { name: "Router", level: 1 })).toBeTruthy();
    expect(screen.queryByRole("link", { name: "CRA checklist" })).toBeNull();
  });
});
