import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, within } from "../test/render";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { OrgContext } from "./context";
import type { ArtifactView, ProductDetail, Role } from "../api/types";
import { jsonResponse, mockRoutes, problemResponse } from "../test/util";
import { ProductPage } from "./ProductPage";
import { orgFixture } from "../test/fixtures";

afterEach(() => vi.unstubAllGlobals());

const PRODUCT = "GET /api/v1/orgs/acme/products/router";
const PATCH = "PATCH /api/v1/orgs/acme/products/router";
const DELETE = "DELETE /api/v1/orgs/acme/products/router";
const ARTIFACTS = "GET /api/v1/orgs/acme/artifacts";

const product: ProductDetail = {
  id: "p1",
  slug: "router",
  name: "Router",
  description: "",
  portal_visible: true,
  archived: false,
  version_count: 0,
  created_at: "2025-01-01T00:00:00Z",
  updated_at: "2025-01-01T00:00:00Z",
  versions: [],
};

/** The artifacts list answers by status: `published` gives `published`, and so on. */
function artifactsByStatus(published: number, withdrawn = 0) {
  return (req: Request) => {
    const status = new URL(req.url).searchParams.get("status");
    const n = status === "published" ? published : status === "withdrawn" ? withdrawn : 0;
    return jsonResponse(Array.from({ length: n }, (_, i) => ({ id: `a${i}` }) as ArtifactView));
  };
}

function renderPage(role: Role = "admin") {
  const org = orgFixture();
  return render(
    <MemoryRouter initialEntries={["/admin/acme/products/router"]}>
      <OrgContext.Provider value={{ org, role, isAdmin: role === "admin", canPublish: role !== "viewer" }}>
        <Routes>
          <Route path="/admin/:org/products/:product" element={<ProductPage />} />
          <Route path="/admin/:org/products" element={<p>Products list</p>} />
        </Routes>
      </OrgContext.Provider>
    </MemoryRouter>,
  );
}

describe("the product page: delete or archive", () => {
  it("a product with published evidence offers Archive, not Delete; Archive patches archived=true", async () => {
    const { to } = mockRoutes({
      [PRODUCT]: jsonResponse(product),
      [ARTIFACTS]: artifactsByStatus(1),
      [PATCH]: jsonResponse({ ...product, archived: true }),
    });
    const user = userEvent.setup();
    renderPage();
    const archive = await screen.findByRole("button", { name: "Archive" });
    // The slug is an identifier: it never breaks inside a word.
    expect(screen.getByText("router", { selector: ".slug" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Delete" })).toBeNull();
    const q = new URL(to(ARTIFACTS)[0]!.url).searchParams;
    expect(q.get("product")).toBe("router");
    expect(q.get("status")).toBe("published");
    await user.click(archive);
    const confirm = screen.getByRole("alertdialog", { name: "Archive Router?" });
    expect(confirm.textContent).toContain("stays on record");
    await user.click(within(confirm).getByRole("button", { name: "Archive product" }));
    expect(await screen.findByText("Archived")).toBeTruthy();
    expect(await to(PATCH)[0]!.json()).toEqual({ archived: true });
    expect(screen.queryByRole("button", { name: "Archive" })).toBeNull();
  });

  it("withdrawn evidence stays on record too", async () => {
    mockRoutes({ [PRODUCT]: jsonResponse(product), [ARTIFACTS]: artifactsByStatus(0, 1) });
    renderPage();
    expect(await screen.findByRole("button", { name: "Archive" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Delete" })).toBeNull();
  });

  it("a product with only drafts can be deleted; a 409 anyway offers Archive instead", async () => {
    mockRoutes({
      [PRODUCT]: jsonResponse(product),
      [ARTIFACTS]: artifactsByStatus(0),
      [DELETE]: problemResponse(409, "product `router` has 1 published or withdrawn artifact(s) that must stay on record"),
    });
    const user = userEvent.setup();
    renderPage();
    await user.click(await screen.findByRole("button", { name: "Delete" }));
    expect(screen.queryByRole("button", { name: "Archive" })).toBeNull();
    const confirm = screen.getByRole("alertdialog", { name: "Delete Router?" });
    await user.click(within(confirm).getByRole("button", { name: "Delete product" }));
    await user.click(await within(confirm).findByRole("button", { name: "Archive it instead" }));
    expect(screen.getByRole("alertdialog", { name: "Archive Router?" })).toBeTruthy();
  });
});
