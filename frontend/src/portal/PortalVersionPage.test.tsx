import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, within } from "../test/render";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { createApi } from "../api/client";
import { SessionStore } from "../api/session";
import type { PortalArtifact, PortalProduct, PortalVersionDetail } from "../api/types";
import { jsonResponse, mockRoutes, problemResponse } from "../test/util";
import { bsiFailing, changesFixture, ntiaPassing } from "../test/fixtures";
import { PortalContext } from "./context";
import { PortalVersionPage } from "./PortalVersionPage";

afterEach(() => vi.unstubAllGlobals());

const BASE = "/api/v1/portal/acme/products/router";
const VERSION = `GET ${BASE}/versions/2.0`;
const VEX = `GET ${BASE}/versions/2.0/vex`;
const CHANGES = `GET ${BASE}/versions/2.0/changes`;
const PRODUCTS = "GET /api/v1/portal/acme/products";

function sbom(id: string, conformance: PortalArtifact["conformance"]): PortalArtifact {
  return {
    id,
    kind: "sbom",
    format: "cyclonedx-json 1.6",
    media_type: "application/vnd.cyclonedx+json",
    filename: `${id}.cdx.json`,
    size: 1024,
    sha256: "ab".repeat(32),
    sha512: "cd".repeat(64),
    cves: [],
    conformance,
    tlp: "clear",
    download_url: `/api/v1/portal/acme/artifacts/${id}/download`,
  };
}

const detail: PortalVersionDetail = {
  product_name: "Router",
  product_slug: "router",
  version: "2.0",
  status: "supported",
  artifact_count: 1,
  artifacts: { sbom: [sbom("router-2.0", [bsiFailing(), ntiaPassing()])], vex: [], advisory: [], document: [] },
};

const products: PortalProduct[] = [
  {
    name: "Router",
    slug: "router",
    description: "",
    checklist_published: false,
    versions: ["3.0", "2.0", "1.0"].map((version) => ({ version, status: "supported", artifact_count: 1 })),
  },
];

function renderPage(jwt?: string) {
  const session = new SessionStore("test.portal.version");
  if (jwt) session.set(jwt);
  const api = createApi({ session, baseUrl: "http://portal.test" });
  const info = {
    slug: "acme",
    display_name: "ACME",
    description: "",
    visibility: "public" as const,
    caller: { type: "anonymous", tlp_labels: ["clear" as const] },
  };
  return render(
    <MemoryRouter initialEntries={["/portal/acme/products/router/versions/2.0"]}>
      <PortalContext.Provider value={{ slug: "acme", api, info, signOut: () => {} }}>
        <Routes>
          <Route path="/portal/:slug/products/:product/versions/:version" element={<PortalVersionPage />} />
        </Routes>
      </PortalContext.Provider>
    </MemoryRouter>,
  );
}

describe("the customer's version page", () => {
  it("shows each SBOM's conformance", async () => {
    mockRoutes({
      [VERSION]: jsonResponse(detail),
      [VEX]: jsonResponse([]),
      [PRODUCTS]: jsonResponse(products),
      [CHANGES]: jsonResponse(changesFixture({ to: "2.0" })),
    });
    renderPage();
    const item = (await screen.findByText("router-2.0.cdx.json")).closest(".artifact-item") as HTMLElement;
    const conformance = item.querySelector(".artifact-conformance") as HTMLElement;
    expect(within(conformance).getByText("Conformance")).toBeTruthy();
    expect([...conformance.querySelectorAll("summary")].map((s) => s.textContent)).toEqual([
      "BSI TR-03183-2 v2.1" + "12 of 14 rules" + "score 81/100" + " · 4 components checked",
      "meets NTIA minimum elements" + "score 100/100" + " · 4 components checked",
    ]);
    expect(within(conformance).getByRole("list", { name: "Rules of BSI TR-03183-2 v2.1" })).toBeTruthy();
  });

  it("what changed since the previous version, asked of the API; another version can be chosen", async () => {
    const { to } = mockRoutes({
      [VERSION]: jsonResponse(detail),
      [VEX]: jsonResponse([]),
      [PRODUCTS]: jsonResponse(products),
      [CHANGES]: (req) => jsonResponse(changesFixture({ from: new URL(req.url).searchParams.get("from")!, to: "2.0" })),
    });
    const user = userEvent.setup();
    renderPage();
    const heading = await screen.findByRole("heading", { name: "What changed since 1.0" });
    const section = heading.closest("section")!;
    expect(await within(section).findByRole("table", { name: "Components added, removed and upgraded between 1.0 and 2.0" })).toBeTruthy();
    expect(new URL(to(CHANGES)[0]!.url).search).toBe("?from=1.0");

    await user.selectOptions(within(section).getByLabelText("Compare with"), "3.0");
    expect(await within(section).findByRole("table", { name: "VEX status changes between 3.0 and 2.0" })).toBeTruthy();
    expect(new URL(to(CHANGES)[1]!.url).search).toBe("?from=3.0");
    // The product list (not audited) gives the versions; the product itself is not fetched.
    expect(to(`GET ${BASE}`)).toHaveLength(0);
  });

  it("an unsupported version says which supported version to upgrade to", async () => {
    mockRoutes({
      [VERSION]: jsonResponse({ ...detail, status: "end_of_support", release_date: "2024-01-01" }),
      [VEX]: jsonResponse([]),
      [PRODUCTS]: jsonResponse([
        {
          ...products[0]!,
          versions: [
            { version: "3.0", status: "supported", artifact_count: 2, release_date: "2025-01-01", support_until: "2099-12-31" },
            { version: "2.0", status: "end_of_support", artifact_count: 1, release_date: "2024-01-01" },
          ],
        },
      ]),
      [CHANGES]: jsonResponse(changesFixture({ from: "3.0", to: "2.0" })),
    });
    renderPage();
    expect(await screen.findByText("Version 2.0 is no longer supported")).toBeTruthy();
    const link = screen.getByRole("link", { name: "Router 3.0" });
    expect(link.getAttribute("href")).toBe("/portal/acme/products/router/versions/3.0");
    expect(link.parentElement!.textContent).toContain("supported until 31 Dec 2099");
  });

  it("a supported version shows no upgrade hint; its VEX statements come with a count per status", async () => {
    mockRoutes({
      [VERSION]: jsonResponse(detail),
      [VEX]: jsonResponse([
        { vulnerability_id: "CVE-2021-44228", aliases: [], product: "pkg:generic/log4j@2.14.1", status: "not_affected", artifact_id: "v1" },
        { vulnerability_id: "CVE-2021-45105", aliases: [], product: "pkg:generic/log4j@2.14.1", status: "affected", artifact_id: "v1" },
      ]),
      [PRODUCTS]: jsonResponse(products),
      [CHANGES]: jsonResponse(changesFixture({ to: "2.0" })),
    });
    renderPage();
    const summary = await screen.findByRole("list", { name: "Statements by status" });
    expect(within(summary).getAllByRole("button").map((b) => b.textContent)).toEqual(["All 2", "Affected 1", "Not affected 1"]);
    expect(screen.getByRole("table", { name: "VEX statements for Router 2.0" })).toBeTruthy();
    expect(screen.getByRole("link", { name: "CVE-2021-45105" }).getAttribute("href")).toBe(
      "https://www.cve.org/CVERecord?id=CVE-2021-45105",
    );
    expect(screen.queryByText(/is no longer supported/)).toBeNull();
  });

  it("Download all saves the version's ZIP under the server's name, sending the session's token", async () => {
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]);
    const ARCHIVE = `GET ${BASE}/versions/2.0/archive`;
    const { to } = mockRoutes({
      [VERSION]: jsonResponse(detail),
      [VEX]: jsonResponse([]),
      [PRODUCTS]: jsonResponse(products),
      [CHANGES]: jsonResponse(changesFixture({ to: "2.0" })),
      [ARCHIVE]: [
        problemResponse(404, "this version has nothing you may download"),
        new Response(zip, {
          headers: { "Content-Type": "application/zip", "Content-Disposition": 'attachment; filename="router-2.0.zip"' },
        }),
      ],
    });
    const blobs: Blob[] = [];
    vi.spyOn(URL, "createObjectURL").mockImplementation((b) => {
      blobs.push(b as Blob);
      return "blob:zip";
    });
    const saved: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download);
    });
    const user = userEvent.setup();
    renderPage("test-jwt");
    const button = await screen.findByRole("button", { name: /^Download all/ });
    expect(button.textContent).toContain("1 file, ZIP");
    await user.click(button);
    expect(await screen.findByText("this version has nothing you may download")).toBeTruthy();
    await user.click(button);
    expect(await screen.findByText("Saved as router-2.0.zip")).toBeTruthy();
    expect(saved).toEqual(["router-2.0.zip"]);
    expect(new Uint8Array(await blobs[0]!.arrayBuffer())).toEqual(zip);
    expect(to(ARCHIVE)[1]!.headers.get("Authorization")).toBe("Bearer test-jwt");
  });

  it("a version with nothing published offers no download", async () => {
    mockRoutes({
      [VERSION]: jsonResponse({ ...detail, artifact_count: 0, artifacts: { sbom: [], vex: [], advisory: [], document: [] } }),
      [VEX]: jsonResponse([]),
      [PRODUCTS]: jsonResponse(products),
      [CHANGES]: jsonResponse(changesFixture({ to: "2.0" })),
    });
    renderPage();
    expect(await screen.findByText("Nothing published for this version yet")).toBeTruthy();
    expect(screen.queryByRole("button", { name: /^Download all/ })).toBeNull();
  });
});
