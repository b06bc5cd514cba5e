import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, within } from "../test/render";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { jsonResponse, mockRoutes, problemResponse } from "../test/util";
import { landingFixture, NDA_SHA, NDA_TEXT } from "../test/fixtures";
import { PortalApp } from "./PortalApp";

afterEach(() => vi.unstubAllGlobals());

const LANDING = "GET /api/v1/portal/acme/landing";
const INFO = "GET /api/v1/portal/acme";
const REQUEST = "POST /api/v1/portal/acme/access-requests";

function renderAt(path: string) {
  return render(
    <MemoryRouter initialEntries={[path]}>
      <Routes>
        <Route path="/portal/:slug/*" element={<PortalApp />} />
      </Routes>
    </MemoryRouter>,
  );
}

describe("the sign-in page of a private portal", () => {
  it("shows whose portal it is from the public landing, asking nothing that answers 401", async () => {
    const { requests } = mockRoutes({ [LANDING]: jsonResponse(landingFixture()) });
    renderAt("/portal/acme/login");
    expect(await screen.findByText("ACME Security")).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Sign in with your access token" })).toBeTruthy();
    expect(screen.getByTestId("portal-logo").getAttribute("src")).toBe("/api/v1/portal/acme/logo?v=0123456789ab");
    expect(screen.getByText("SBOMs and advisories of ACME's routers.")).toBeTruthy();
    expect(screen.getByRole("link", { name: "psirt@acme.example" }).getAttribute("href")).toBe("mailto:psirt@acme.example");
    expect(screen.getByRole("link", { name: "Request access" }).getAttribute("href")).toBe("/portal/acme/request-access");
    expect(document.title).toBe("Sign in · ACME Security · Supplier Portal");
    expect(requests.map((r) => new URL(r.url).pathname)).toEqual(["/api/v1/portal/acme/landing"]);
  });

  it("without a logo or requests: the product mark, and no request link", async () => {
    mockRoutes({ [LANDING]: jsonResponse(landingFixture({ logo_url: null, access_requests: false, description: null, contact_email: null })) });
    renderAt("/portal/acme/login");
    expect(await screen.findByText("ACME Security")).toBeTruthy();
    expect(screen.queryByTestId("portal-logo")).toBeNull();
    expect(screen.queryByRole("link", { name: "Request access" })).toBeNull();
    expect(screen.queryByText(/Questions\?/)).toBeNull();
  });

  it("a cold visit to the portal itself goes to the sign-in page without a 401", async () => {
    const { to, requests } = mockRoutes({ [LANDING]: jsonResponse(landingFixture()) });
    renderAt("/portal/acme/products/router");
    expect(await screen.findByRole("heading", { name: "Sign in with your access token" })).toBeTruthy();
    expect(to(INFO)).toHaveLength(0);
    expect(requests.every((r) => new URL(r.url).pathname === "/api/v1/portal/acme/landing")).toBe(true);
  });

  it("a public portal opens for anonymous visitors, its logo in the header", async () => {
    mockRoutes({
      [LANDING]: jsonResponse(landingFixture({ visibility: "public" })),
      [INFO]: jsonResponse({
        slug: "acme",
        display_name: "ACME Security",
        description: "",
        visibility: "public",
        caller: { type: "anonymous", tlp_labels: ["clear"] },
      }),
      "GET /api/v1/portal/acme/products": jsonResponse([]),
    });
    renderAt("/portal/acme");
    const header = (await screen.findByRole("link", { name: "ACME Security" })).closest("header") as HTMLElement;
    expect(within(header).getByTestId("portal-logo").getAttribute("src")).toBe("/api/v1/portal/acme/logo?v=0123456789ab");
    expect(within(header).getByRole("link", { name: "Sign in with an access token" })).toBeTruthy();
  });

  it("an unknown portal says so", async () => {
    mockRoutes({ [LANDING]: problemResponse(404, "portal not found") });
    renderAt("/portal/acme/login");
    expect(await screen.findByRole("heading", { name: "Portal not found" })).toBeTruthy();
  });
});

describe("Request access", () => {
  it("the NDA must be accepted; its version and SHA-256 go with the request exactly as given", async () => {
    const { to } = mockRoutes({
      [LANDING]: jsonResponse(landingFixture()),
      [REQUEST]: jsonResponse({ status: "received", message: "Thank you. ACME Security reviews access requests and answers by e-mail." }, 202),
    });
    const user = userEvent.setup();
    renderAt("/portal/acme/request-access");
    expect(await screen.findByRole("heading", { name: "Request access", level: 1 })).toBeTruthy();
    const nda = screen.getByRole("region", { name: "Non-disclosure agreement, version 2026-01" });
    expect(nda.textContent).toBe(NDA_TEXT);
    await user.type(screen.getByLabelText("Your name"), "Grete Müller");
    await user.type(screen.getByLabelText("Company"), "Globex");
    await user.type(screen.getByLabelText("E-mail"), "grete@globex.example");
    await user.type(screen.getByLabelText("Why do you need access?"), "We run Router 2.0.");
    await user.click(screen.getByRole("button", { name: "Request access" }));
    const box = screen.getByLabelText("I accept the NDA (version 2026-01)");
    expect(screen.getByText("Accept the NDA (version 2026-01) to send your request.")).toBeTruthy();
    expect(box.getAttribute("aria-invalid")).toBe("true");
    expect(to(REQUEST)).toHaveLength(0);

    await user.click(box);
    await user.click(screen.getByRole("button", { name: "Request access" }));
    expect(await screen.findByText("Thank you. ACME Security reviews access requests and answers by e-mail.")).toBeTruthy();
    expect(screen.getByText("Request sent")).toBeTruthy();
    expect(await to(REQUEST)[0]!.json()).toEqual({
      name: "Grete Müller",
      company: "Globex",
      email: "grete@globex.example",
      reason: "We run Router 2.0.",
      nda_version: "2026-01",
      nda_sha256: NDA_SHA,
    });
  });

  it("without an NDA nothing is to accept, and no NDA fields are sent", async () => {
    const { to } = mockRoutes({
      [LANDING]: jsonResponse(landingFixture({ nda: null })),
      [REQUEST]: jsonResponse({ status: "received", message: "Thank you." }, 202),
    });
    const user = userEvent.setup();
    renderAt("/portal/acme/request-access");
    await user.type(await screen.findByLabelText("Your name"), "Grete");
    await user.type(screen.getByLabelText("Company"), "Globex");
    await user.type(screen.getByLabelText("E-mail"), "grete@globex.example");
    await user.type(screen.getByLabelText("Why do you need access?"), "Contract 4711");
    expect(screen.queryByRole("checkbox")).toBeNull();
    await user.click(screen.getByRole("button", { name: "Request access" }));
    expect(await screen.findByText("Thank you.")).toBeTruthy();
    expect(Object.keys(await to(REQUEST)[0]!.json())).toEqual(["name", "company", "email", "reason"]);
  });

  it("the server's field errors sit at their fields, the NDA's at the NDA", async () => {
    mockRoutes({
      [LANDING]: jsonResponse(landingFixture()),
      [REQUEST]: problemResponse(400, "2 fields are invalid", [
        { field: "email", message: "is not an e-mail address" },
        { field: "nda_sha256", message: "the non-disclosure agreement changed: read and accept version 2026-02 again" },
      ]),
    });
    const user = userEvent.setup();
    renderAt("/portal/acme/request-access");
    await user.type(await screen.findByLabelText("Your name"), "Grete");
    await user.type(screen.getByLabelText("Company"), "Globex");
    await user.type(screen.getByLabelText("E-mail"), "grete@globex.example");
    await user.type(screen.getByLabelText("Why do you need access?"), "Contract");
    await user.click(screen.getByLabelText("I accept the NDA (version 2026-01)"));
    await user.click(screen.getByRole("button", { name: "Request access" }));
    const message = await screen.findByText("the non-disclosure agreement changed: read and accept version 2026-02 again");
    expect(screen.getByLabelText("I accept the NDA (version 2026-01)").getAttribute("aria-describedby")).toBe(message.id);
    expect(screen.getByLabelText("E-mail").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText("is not an e-mail address")).toBeTruthy();
    expect(screen.getByText("Check the highlighted fields.")).toBeTruthy();
  });

  it("too many requests: try again later", async () => {
    mockRoutes({
      [LANDING]: jsonResponse(landingFixture({ nda: null })),
      [REQUEST]: problemResponse(429, "too many access requests from this address; try again later"),
    });
    const user = userEvent.setup();
    renderAt("/portal/acme/request-access");
    await user.type(await screen.findByLabelText("Your name"), "Grete");
    await user.type(screen.getByLabelText("Company"), "Globex");
    await user.type(screen.getByLabelText("E-mail"), "grete@globex.example");
    await user.type(screen.getByLabelText("Why do you need access?"), "Contract");
    await user.click(screen.getByRole("button", { name: "Request access" }));
    expect(await screen.findByText("Too many requests")).toBeTruthy();
    expect(screen.getByText(/Try again later, or write to/)).toBeTruthy();
  });

  it("a portal that takes no requests says whom to write to", async () => {
    mockRoutes({ [LANDING]: jsonResponse(landingFixture({ access_requests: false })) });
    renderAt("/portal/acme/request-access");
    expect(await screen.findByText(/This portal does not take access requests/)).toBeTruthy();
    expect(screen.queryByLabelText("Your name")).toBeNull();
    expect(screen.getByRole("link", { name: "Sign in" }).getAttribute("href")).toBe("/portal/acme/login");
  });
});
