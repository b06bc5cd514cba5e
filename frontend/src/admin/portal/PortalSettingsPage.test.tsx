import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, within } from "../../test/render";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { OrgContext } from "../context";
import type { PortalSettings } from "../../api/types";
import { jsonResponse, mockRoutes, problemResponse } from "../../test/util";
import { isNamespaceUrl, PortalSettingsPage } from "./PortalSettingsPage";
import { orgFixture } from "../../test/fixtures";

afterEach(() => vi.unstubAllGlobals());

const GET = "GET /api/v1/orgs/acme/portal";
const PUT = "PUT /api/v1/orgs/acme/portal";

function settings(over: Partial<PortalSettings> = {}): PortalSettings {
  return {
    enabled: true,
    slug: "acme",
    visibility: "private",
    display_name: "ACME Security",
    description: "",
    contact_email: null,
    url: "http://localhost/portal/acme",
    default_tlp: "clear",
    csaf_publisher: null,
    require_conformance: [],
    response: { notify_within_hours: 48, critical_fix_business_days: 15, expiry_warning_days: [14, 3] },
    landing: { show_description: true, show_contact: true, access_requests: false, nda: null },
    logo_url: null,
    ...over,
  };
}

function renderPage() {
  const org = orgFixture();
  return render(
    <MemoryRouter initialEntries={["/admin/acme/settings/portal"]}>
      <OrgContext.Provider value={{ org, role: "admin", isAdmin: true, canPublish: true }}>
        <Routes>
          <Route path="/admin/:org/settings/portal" element={<PortalSettingsPage />} />
        </Routes>
      </OrgContext.Provider>
    </MemoryRouter>,
  );
}

async function form() {
  const heading = await screen.findByRole("heading", { name: "Portal settings" });
  return heading.closest("form") as HTMLFormElement;
}

describe("Settings › Supplier Portal: default label and CSAF publisher", () => {
  it("saves the default label and a configured publisher", async () => {
    const { to } = mockRoutes({ [GET]: jsonResponse(settings()), [PUT]: jsonResponse(settings({ default_tlp: "green" })) });
    const user = userEvent.setup();
    renderPage();
    const f = await form();
    const defaultTlp = within(f).getByLabelText("Default TLP label") as HTMLSelectElement;
    expect(defaultTlp.value).toBe("clear");
    expect([...defaultTlp.options].map((o) => o.value)).toEqual(["clear", "green", "amber", "amber+strict", "red"]);
    await user.selectOptions(defaultTlp, "green");
    expect(within(f).getByText("TLP:GREEN", { selector: ".tlp" })).toBeTruthy();

    // The default publisher names the portal; configuring one shows its fields.
    expect(within(f).queryByLabelText("Namespace")).toBeNull();
    await user.click(within(f).getByLabelText("Configure the publisher"));
    const category = within(f).getByLabelText("Publisher category") as HTMLSelectElement;
    expect([...category.options].map((o) => o.value)).toEqual(["vendor", "coordinator", "discoverer", "other", "translator", "user"]);
    expect(category.value).toBe("vendor");
    await user.selectOptions(category, "coordinator");
    const name = within(f).getByLabelText("Publisher name") as HTMLInputElement;
    expect(name.value).toBe("ACME Security");
    await user.clear(name);
    await user.type(name, "ACME GmbH");
    await user.type(within(f).getByLabelText("Namespace"), "https://acme.example");
    await user.type(within(f).getByLabelText(/Contact details/), "psirt@acme.example");
    await user.click(within(f).getByRole("button", { name: "Save" }));

    expect(await within(f).findByText("Saved")).toBeTruthy();
    expect(await to(PUT)[0]!.json()).toEqual({
      enabled: true,
      visibility: "private",
      display_name: "ACME Security",
      description: "",
      contact_email: null,
      slug: "acme",
      default_tlp: "green",
      csaf_publisher: {
        category: "coordinator",
        name: "ACME GmbH",
        namespace: "https://acme.example",
        contact_details: "psirt@acme.example",
        issuing_authority: null,
      },
      require_conformance: [],
      response: { notify_within_hours: 48, critical_fix_business_days: 15, expiry_warning_days: [14, 3] },
      landing: { show_description: true, show_contact: true, access_requests: false, nda: null },
    });
  });

  it("a configured publisher is shown, and going back to the default sends null", async () => {
    const { to } = mockRoutes({
      [GET]: jsonResponse(
        settings({
          default_tlp: "amber",
          csaf_publisher: { category: "vendor", name: "ACME GmbH", namespace: "https://acme.example", issuing_authority: "PSIRT" },
        }),
      ),
      [PUT]: jsonResponse(settings()),
    });
    const user = userEvent.setup();
    renderPage();
    const f = await form();
    expect((within(f).getByLabelText("Default TLP label") as HTMLSelectElement).value).toBe("amber");
    expect((within(f).getByLabelText("Configure the publisher") as HTMLInputElement).checked).toBe(true);
    expect((within(f).getByLabelText("Namespace") as HTMLInputElement).value).toBe("https://acme.example");
    expect((within(f).getByLabelText(/Issuing authority/) as HTMLTextAreaElement).value).toBe("PSIRT");
    await user.click(within(f).getByLabelText(/^Name the portal/));
    await user.click(within(f).getByRole("button", { name: "Save" }));
    await within(f).findByText("Saved");
    expect(await to(PUT)[0]!.json()).toMatchObject({ default_tlp: "amber", csaf_publisher: null });
  });

  it("the namespace must be a URL: checked before asking, and the server's word shown under the field", async () => {
    const { to } = mockRoutes({
      [GET]: jsonResponse(settings()),
      [PUT]: problemResponse(400, "csaf_publisher.namespace: must be a URL the publisher controls", [
        { field: "csaf_publisher.namespace", message: "must be a URL the publisher controls, e.g. https://www.acme.example" },
      ]),
    });
    const user = userEvent.setup();
    renderPage();
    const f = await form();
    await user.click(within(f).getByLabelText("Configure the publisher"));
    const ns = within(f).getByLabelText("Namespace") as HTMLInputElement;
    await user.type(ns, "acme.example");
    await user.click(within(f).getByRole("button", { name: "Save" }));
    expect(within(f).getByText("Enter a URL the publisher controls, like https://www.acme.example.")).toBeTruthy();
    expect(ns.getAttribute("aria-invalid")).toBe("true");
    expect(to(PUT)).toHaveLength(0);

    await user.clear(ns);
    await user.type(ns, "http://acme.example");
    await user.click(within(f).getByRole("button", { name: "Save" }));
    const message = await within(f).findByText("must be a URL the publisher controls, e.g. https://www.acme.example");
    expect(ns.getAttribute("aria-describedby")).toContain(message.id);
    expect(to(PUT)).toHaveLength(1);
  });

  it("requires conformance profiles before publication: one checkbox per profile, sent as require_conformance", async () => {
    const { to } = mockRoutes({
      [GET]: jsonResponse(settings({ require_conformance: ["ntia-2021"] })),
      [PUT]: [
        jsonResponse(settings({ require_conformance: ["bsi-tr-03183-2-v2.1", "ntia-2021"] })),
        jsonResponse(settings({ require_conformance: [] })),
      ],
    });
    const user = userEvent.setup();
    renderPage();
    const f = await form();
    const group = within(f).getByRole("group", { name: "SBOM conformance required before publication" });
    const boxes = within(group).getAllByRole("checkbox") as HTMLInputElement[];
    expect(boxes.map((b) => [b.labels?.[0]?.textContent, b.checked])).toEqual([
      ["BSI TR-03183-2 v2.1", false],
      ["NTIA minimum elements", true],
      ["CISA 2025 minimum elements", false],
    ]);
    await user.click(within(group).getByLabelText("BSI TR-03183-2 v2.1"));
    await user.click(within(f).getByRole("button", { name: "Save" }));
    await within(f).findByText("Saved");
    // In the profiles' order, whatever the order they were ticked in.
    expect(await to(PUT)[0]!.json()).toMatchObject({ require_conformance: ["bsi-tr-03183-2-v2.1", "ntia-2021"] });

    await user.click(within(group).getByLabelText("BSI TR-03183-2 v2.1"));
    await user.click(within(group).getByLabelText("NTIA minimum elements"));
    await user.click(within(f).getByRole("button", { name: "Save" }));
    await within(f).findByText("Saved");
    expect(await to(PUT)[1]!.json()).toMatchObject({ require_conformance: [] });
  });

  it("the server's refusal of a profile is shown with the checkboxes", async () => {
    mockRoutes({
      [GET]: jsonResponse(settings()),
      [PUT]: problemResponse(400, "require_conformance: `iso-9999` is not a profile", [
        { field: "require_conformance", message: "`iso-9999` is not a profile: bsi-tr-03183-2-v2.1, ntia-2021, cisa-2025" },
      ]),
    });
    const user = userEvent.setup();
    renderPage();
    const f = await form();
    await user.click(within(f).getByLabelText("CISA 2025 minimum elements"));
    await user.click(within(f).getByRole("button", { name: "Save" }));
    const group = within(f).getByRole("group", { name: "SBOM conformance required before publication" });
    expect(await within(group).findByText("`iso-9999` is not a profile: bsi-tr-03183-2-v2.1, ntia-2021, cisa-2025")).toBeTruthy();
    expect(within(f).getByText("Check the highlighted field.")).toBeTruthy();
  });

  it("links to 'View as anonymous visitor'", async () => {
    mockRoutes({ [GET]: jsonResponse(settings()) });
    renderPage();
    await form();
    expect(screen.getByRole("link", { name: "View as anonymous visitor" }).getAttribute("href")).toBe(
      "/admin/acme/settings/portal/preview",
    );
  });
});

describe("isNamespaceUrl", () => {
  it("accepts http(s) URLs only", () => {
    expect(isNamespaceUrl("https://www.acme.example")).toBe(true);
    expect(isNamespaceUrl(" http://acme.example/psirt ")).toBe(true);
    expect(isNamespaceUrl("acme.example")).toBe(false);
    expect(isNamespaceUrl("mailto:psirt@acme.example")).toBe(false);
    expect(isNamespaceUrl("")).toBe(false);
  });
});

describe("Settings › Supplier Portal: vulnerability response clocks", () => {
  it("shows the organisation's clocks and saves them", async () => {
    const { to } = mockRoutes({
      [GET]: jsonResponse(settings()),
      [PUT]: jsonResponse(settings({ response: { notify_within_hours: 24, critical_fix_business_days: 10, expiry_warning_days: [30, 7, 1] } })),
    });
    const user = userEvent.setup();
    renderPage();
    const f = await form();
    const hours = within(f).getByLabelText("Notify customers within (hours)") as HTMLInputElement;
    const days = within(f).getByLabelText("Fix critical vulnerabilities within (business days)") as HTMLInputElement;
    const warn = within(f).getByLabelText("Warn before a token expires (days)") as HTMLInputElement;
    expect(hours.value).toBe("48");
    expect(days.value).toBe("15");
    expect(warn.value).toBe("14, 3");
    await user.clear(hours);
    await user.type(hours, "24");
    await user.clear(days);
    await user.type(days, "0");
    await user.clear(warn);
    await user.type(warn, "7, 30 1");
    await user.click(within(f).getByRole("button", { name: "Save" }));
    expect(within(f).getByText("Enter a whole number of business days, at least 1.")).toBeTruthy();
    expect(to(PUT)).toHaveLength(0);
    await user.clear(days);
    await user.type(days, "10");
    await user.click(within(f).getByRole("button", { name: "Save" }));
    expect(await within(f).findByText("Saved")).toBeTruthy();
    expect(await to(PUT)[0]!.json()).toMatchObject({
      response: { notify_within_hours: 24, critical_fix_business_days: 10, expiry_warning_days: [30, 7, 1] },
    });
  });
});

describe("Settings › Supplier Portal: the sign-in page and the logo", () => {
  it("sends the sign-in page's settings, with the NDA (or null when both fields are empty)", async () => {
    const { to } = mockRoutes({
      [GET]: jsonResponse(settings()),
      [PUT]: jsonResponse(settings()),
    });
    const user = userEvent.setup();
    renderPage();
    const f = await form();
    const group = within(f).getByRole("group", { name: "Sign-in page" });
    expect((within(group).getByLabelText("Show the description") as HTMLInputElement).checked).toBe(true);
    await user.click(within(group).getByLabelText("Show the contact e-mail"));
    expect(within(group).queryByLabelText(/NDA version/)).toBeNull();
    await user.click(within(group).getByRole("switch", { name: "Let visitors request access" }));
    await user.type(within(group).getByLabelText(/NDA version/), "2026-01");
    await user.click(within(f).getByRole("button", { name: "Save" }));
    expect(within(group).getByText("Paste the text of the NDA, or clear its version for none.")).toBeTruthy();
    expect(to(PUT)).toHaveLength(0);
    await user.type(within(group).getByLabelText(/NDA text/), "Keep it confidential.");
    await user.click(within(f).getByRole("button", { name: "Save" }));
    await within(f).findByText("Saved");
    expect((await to(PUT)[0]!.json()).landing).toEqual({
      show_description: true,
      show_contact: false,
      access_requests: true,
      nda: { version: "2026-01", text: "Keep it confidential." },
    });

    await user.clear(within(group).getByLabelText(/NDA version/));
    await user.clear(within(group).getByLabelText(/NDA text/));
    await user.click(within(f).getByRole("button", { name: "Save" }));
    await within(f).findByText("Saved");
    expect((await to(PUT)[1]!.json()).landing).toMatchObject({ access_requests: true, nda: null });
  });

  it("shows a saved NDA, and the server's complaint under its field", async () => {
    mockRoutes({
      [GET]: jsonResponse(
        settings({ landing: { show_description: false, show_contact: true, access_requests: true, nda: { version: "2026-01", text: "Old text" } } }),
      ),
      [PUT]: problemResponse(400, "landing.nda.version: must be 1–50 characters", [
        { field: "landing.nda.version", message: "must be 1–50 characters" },
      ]),
    });
    const user = userEvent.setup();
    renderPage();
    const f = await form();
    expect((within(f).getByLabelText(/NDA version/) as HTMLInputElement).value).toBe("2026-01");
    expect((within(f).getByLabelText(/NDA text/) as HTMLTextAreaElement).value).toBe("Old text");
    expect((within(f).getByLabelText("Show the description") as HTMLInputElement).checked).toBe(false);
    await user.click(within(f).getByRole("button", { name: "Save" }));
    expect(await within(f).findByText("must be 1–50 characters")).toBeTruthy();
    expect(within(f).getByLabelText(/NDA version/).getAttribute("aria-invalid")).toBe("true");
  });

  it("uploads the logo as raw bytes with its type, previews it, and removes it", async () => {
    const LOGO = "PUT /api/v1/orgs/acme/portal/logo";
    const DELETE_LOGO = "DELETE /api/v1/orgs/acme/portal/logo";
    const { to } = mockRoutes({
      [GET]: [jsonResponse(settings()), jsonResponse(settings({ logo_url: "/api/v1/portal/acme/logo?v=abcdef012345" })), jsonResponse(settings())],
      [LOGO]: new Response(null, { status: 204 }),
      [DELETE_LOGO]: new Response(null, { status: 204 }),
    });
    const user = userEvent.setup();
    renderPage();
    const card = (await screen.findByRole("heading", { name: "Logo" })).closest("section") as HTMLElement;
    expect(within(card).getByText("No logo")).toBeTruthy();
    const png = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3])], "acme.png", { type: "image/png" });
    await user.upload(within(card).getByTestId("logo-input"), png);
    expect(await within(card).findByText("Logo saved.")).toBeTruthy();
    const put = to(LOGO)[0]!;
    expect(put.headers.get("Content-Type")).toBe("image/png");
    expect(new Uint8Array(await put.arrayBuffer())).toEqual(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]));
    const preview = await within(card).findByTestId("logo-preview");
    expect(preview.getAttribute("src")).toBe("/api/v1/portal/acme/logo?v=abcdef012345");
    expect(preview.getAttribute("alt")).toBe("Logo of ACME Security");

    await user.click(within(card).getByRole("button", { name: "Remove logo" }));
    expect(await within(card).findByText("Logo removed.")).toBeTruthy();
    expect(to(DELETE_LOGO)).toHaveLength(1);
    expect(await within(card).findByText("No logo")).toBeTruthy();
  });

  it("refuses other images and large files before sending, and explains the server's refusals", async () => {
    const LOGO = "PUT /api/v1/orgs/acme/portal/logo";
    const { to } = mockRoutes({
      [GET]: jsonResponse(settings()),
      [LOGO]: [
        problemResponse(415, "a logo is `image/png` or `image/jpeg`, not `image/gif`"),
        problemResponse(400, "logo: the bytes are neither a PNG nor a JPEG image", [
          { field: "logo", message: "the bytes are neither a PNG nor a JPEG image" },
        ]),
      ],
    });
    const user = userEvent.setup({ applyAccept: false });
    renderPage();
    const card = (await screen.findByRole("heading", { name: "Logo" })).closest("section") as HTMLElement;
    const input = within(card).getByTestId("logo-input");
    await user.upload(input, new File(["GIF89a"], "acme.gif", { type: "image/gif" }));
    expect(within(card).getByText("acme.gif is not a PNG or JPEG image. Choose a .png or .jpg file.")).toBeTruthy();
    await user.upload(input, new File([new Uint8Array(300 * 1024)], "huge.png", { type: "image/png" }));
    expect(within(card).getByText(/huge\.png is 300 KB; a logo is at most 256 KiB/)).toBeTruthy();
    expect(to(LOGO)).toHaveLength(0);

    await user.upload(input, new File(["x"], "a.png", { type: "image/png" }));
    expect(await within(card).findByText("Only PNG and JPEG images can be used as a logo.")).toBeTruthy();
    await user.upload(input, new File(["x"], "b.png", { type: "image/png" }));
    expect(await within(card).findByText("The file cannot be used as a logo: the bytes are neither a PNG nor a JPEG image.")).toBeTruthy();
    expect(within(card).getByText("The logo was not saved")).toBeTruthy();
  });
});
