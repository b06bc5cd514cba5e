import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, within } from "../../test/render";
import { MemoryRouter, Route, Routes } from "react-router";
import { OrgContext } from "../context";
import type { Preview, ProductView, Role } from "../../api/types";
import { jsonResponse, mockRoutes } from "../../test/util";
import { PreviewPage } from "./PreviewPage";
import { orgFixture } from "../../test/fixtures";

afterEach(() => vi.unstubAllGlobals());

const TOKEN_PREVIEW = "GET /api/v1/orgs/acme/portal/tokens/t1/preview";
const ANON_PREVIEW = "GET /api/v1/orgs/acme/portal/preview";
const PRODUCTS = "GET /api/v1/orgs/acme/products";

/** As `GET …/portal/tokens/t1/preview` answers for a token cleared up to AMBER, limited to one product. */
const PREVIEW: Preview = {
  reader: {
    type: "access_token",
    token_id: "t1",
    name: "ACME Corporation",
    labels: ["clear", "green", "amber", "unlabeled"],
    product_ids: ["p1"],
    admitted: true,
  },
  products: [
    {
      slug: "thermostat",
      name: "Smart Thermostat",
      versions: [
        {
          version: "2.4.1",
          artifacts: [
            { id: "a1", kind: "sbom", format: "cyclonedx-json 1.6", filename: "bom.json", title: "thermostat-fw", tlp: "clear", tlp_source: "portal_default" },
            { id: "a2", kind: "advisory", format: "csaf 2.0", filename: "acme-2025-001.json", title: "Heap overflow in the web UI", tlp: "amber", tlp_source: "document" },
            { id: "a3", kind: "document", format: "pdf", filename: "doc.pdf", title: null, tlp: "green", tlp_source: "explicit" },
          ],
        },
        { version: "2.5.0", artifacts: [] },
      ],
    },
  ],
  hidden: [
    {
      id: "h1",
      kind: "advisory",
      filename: "acme-2025-002.json",
      title: "Embargoed advisory",
      tlp: "red",
      why: { reason: "above_clearance", tlp: "red", clearance: "amber" },
      message: "TLP:RED is above the token's clearance (TLP:AMBER)",
    },
    {
      id: "h2",
      kind: "sbom",
      filename: "gateway-bom.json",
      title: null,
      tlp: "clear",
      why: { reason: "out_of_scope" },
      message: "filed only under products outside the token's product scope",
    },
  ],
};

const PRODUCT_LIST: ProductView[] = [
  {
    id: "p1",
    slug: "thermostat",
    name: "Smart Thermostat",
    description: "",
    portal_visible: true,
    archived: false,
    version_count: 2,
    created_at: "2025-01-01T00:00:00Z",
    updated_at: "2025-01-01T00:00:00Z",
  },
];

function renderAt(path: string, role: Role = "admin") {
  const org = orgFixture();
  return render(
    <MemoryRouter initialEntries={[path]}>
      <OrgContext.Provider value={{ org, role, isAdmin: role === "admin", canPublish: role !== "viewer" }}>
        <Routes>
          <Route path="/admin/:org/settings/portal/tokens/:id/preview" element={<PreviewPage />} />
          <Route path="/admin/:org/settings/portal/preview" element={<PreviewPage />} />
        </Routes>
      </OrgContext.Provider>
    </MemoryRouter>,
  );
}

describe("View as this customer", () => {
  it("says who is viewing and what they are cleared for, shows the tree with labels, and what is held back", async () => {
    mockRoutes({ [TOKEN_PREVIEW]: jsonResponse(PREVIEW), [PRODUCTS]: jsonResponse(PRODUCT_LIST) });
    renderAt("/admin/acme/settings/portal/tokens/t1/preview");

    expect(await screen.findByRole("heading", { name: "View as ACME Corporation", level: 1 })).toBeTruthy();
    const banner = screen.getByTestId("preview-banner");
    expect(banner.textContent).toContain("You are viewing the portal as ACME Corporation, cleared up to TLP:AMBER");
    expect(banner.textContent).toContain("It reads TLP:CLEAR, TLP:GREEN and TLP:AMBER documents, and CSAF documents without a label.");
    expect(await within(banner).findByText(/Products: Smart Thermostat\./)).toBeTruthy();

    // The tree: product → version → artifacts, each with its badge (and where a default label applies).
    const tree = screen.getByTestId("preview-tree");
    const product = within(tree).getByRole("region", { name: "Smart Thermostat" });
    const items = within(within(product).getByRole("list", { name: "Smart Thermostat 2.4.1" })).getAllByRole("listitem");
    expect(items).toHaveLength(3);
    expect(within(items[0]!).getByRole("link", { name: "thermostat-fw" }).getAttribute("href")).toBe("/admin/acme/artifacts/a1");
    expect(within(items[0]!).getByText("TLP:CLEAR")).toBeTruthy();
    expect(within(items[0]!).getByText("portal default")).toBeTruthy();
    expect(within(items[1]!).getByText("TLP:AMBER").getAttribute("title")).toContain("from the document");
    expect(within(items[1]!).queryByText("portal default")).toBeNull();
    expect(within(items[2]!).getByRole("link", { name: "doc.pdf" })).toBeTruthy();
    expect(within(items[2]!).getByText("TLP:GREEN")).toBeTruthy();
    expect(within(product).getByText("Nothing this reader can see in this version.")).toBeTruthy();
    expect(screen.getByRole("heading", { name: /What ACME Corporation sees · 3 artifacts/ })).toBeTruthy();

    // Not visible: with the label and the server's words.
    const hidden = screen.getByRole("table", { name: "Not visible to this customer" });
    const rows = within(hidden).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(2);
    expect(within(rows[0]!).getByRole("link", { name: "Embargoed advisory" })).toBeTruthy();
    expect(within(rows[0]!).getByText("TLP:RED")).toBeTruthy();
    expect(within(rows[0]!).getByText("TLP:RED is above the token's clearance (TLP:AMBER)")).toBeTruthy();
    expect(within(rows[1]!).getByRole("link", { name: "gateway-bom.json" })).toBeTruthy();
    expect(rows[1]!.getAttribute("data-reason")).toBe("out_of_scope");

    // Read-only: nothing on the page changes anything.
    expect(screen.queryByRole("button")).toBeNull();
    expect(screen.getByRole("link", { name: "ACME Corporation" }).getAttribute("href")).toBe("/admin/acme/settings/portal/tokens/t1");
  });

  it("a revoked token sees nothing, and the banner says why", async () => {
    const revoked: Preview = {
      reader: { ...PREVIEW.reader, admitted: false },
      products: [],
      hidden: [{ ...PREVIEW.hidden[1]!, why: { reason: "token_not_live" }, message: "the access token has expired or was revoked" }],
    };
    mockRoutes({ [TOKEN_PREVIEW]: jsonResponse(revoked), [PRODUCTS]: jsonResponse(PRODUCT_LIST) });
    renderAt("/admin/acme/settings/portal/tokens/t1/preview");
    const banner = await screen.findByTestId("preview-banner");
    expect(banner.textContent).toContain("You are viewing the portal as ACME Corporation, who sees nothing");
    expect(banner.textContent).toContain("This access token has expired or was revoked");
    expect(screen.getByText("Nothing visible")).toBeTruthy();
    expect(screen.queryByTestId("preview-tree")).toBeNull();
    expect(within(screen.getByRole("table", { name: "Not visible to this customer" })).getByText("the access token has expired or was revoked")).toBeTruthy();
  });

  it("View as anonymous visitor: a public portal's CLEAR content; a private one shows nothing", async () => {
    const anonymous: Preview = {
      reader: { type: "anonymous", token_id: null, name: null, labels: ["clear"], product_ids: null, admitted: true },
      products: [{ ...PREVIEW.products[0]!, versions: [{ version: "2.4.1", artifacts: [PREVIEW.products[0]!.versions[0]!.artifacts[0]!] }] }],
      hidden: [{ ...PREVIEW.hidden[1]!, id: "h3", tlp: "green", why: { reason: "needs_token", tlp: "green" }, message: "only access tokens may read TLP:GREEN" }],
    };
    const { to } = mockRoutes({ [ANON_PREVIEW]: jsonResponse(anonymous) });
    const { unmount } = renderAt("/admin/acme/settings/portal/preview");
    expect(await screen.findByRole("heading", { name: "View as anonymous visitor", level: 1 })).toBeTruthy();
    const banner = screen.getByTestId("preview-banner");
    expect(banner.textContent).toContain("You are viewing the portal as an anonymous visitor, cleared up to TLP:CLEAR");
    expect(banner.textContent).toContain("Visitors without an access token read TLP:CLEAR documents; CSAF documents without a label need an access token.");
    expect(within(screen.getByTestId("preview-tree")).getAllByRole("listitem")).toHaveLength(1);
    expect(within(screen.getByRole("table", { name: "Not visible to anonymous visitors" })).getByText("only access tokens may read TLP:GREEN")).toBeTruthy();
    expect(to(PRODUCTS)).toHaveLength(0);
    unmount();

    mockRoutes({
      [ANON_PREVIEW]: jsonResponse({
        reader: { type: "anonymous", token_id: null, name: null, labels: ["clear"], product_ids: null, admitted: false },
        products: [],
        hidden: [],
      } satisfies Preview),
    });
    renderAt("/admin/acme/settings/portal/preview");
    const closed = await screen.findByTestId("preview-banner");
    expect(closed.textContent).toContain("You are viewing the portal as an anonymous visitor, who sees nothing");
    expect(closed.textContent).toContain("The portal is private");
  });

  it("is for admins only", async () => {
    const { fn } = mockRoutes({});
    renderAt("/admin/acme/settings/portal/tokens/t1/preview", "publisher");
    expect(await screen.findByText("Administrators only")).toBeTruthy();
    expect(fn).not.toHaveBeenCalled();
  });
});
