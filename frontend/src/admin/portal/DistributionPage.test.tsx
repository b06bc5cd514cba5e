import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, within } from "../../test/render";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router";
import { OrgContext } from "../context";
import type { PortalSettings, Role, SigningKeyView } from "../../api/types";
import { jsonResponse, mockRoutes, problemResponse } from "../../test/util";
import { DistributionPage } from "./DistributionPage";
import { orgFixture } from "../../test/fixtures";

afterEach(() => vi.unstubAllGlobals());

const PORTAL = "GET /api/v1/orgs/acme/portal";
const KEYS = "GET /api/v1/orgs/acme/portal/signing-keys";
const ROTATE = "POST /api/v1/orgs/acme/portal/signing-keys";

function settings(over: Partial<PortalSettings> = {}): PortalSettings {
  return {
    enabled: true,
    slug: "acme-psirt",
    visibility: "public",
    display_name: "ACME Security",
    description: "",
    contact_email: "psirt@acme.example",
    url: "http://localhost:3000/portal/acme-psirt",
    default_tlp: "clear",
    csaf_publisher: null,
    require_conformance: [],
    response: { notify_within_hours: 48, critical_fix_business_days: 15, expiry_warning_days: [14, 3] },
    landing: { show_description: true, show_contact: true, access_requests: false, nda: null },
    logo_url: null,
    ...over,
  };
}

function key(over: Partial<SigningKeyView> & Pick<SigningKeyView, "id" | "fingerprint">): SigningKeyView {
  return {
    algorithm: "Ed25519",
    user_id: "ACME Security <psirt@acme.example>",
    active: false,
    created_by: "ada@acme.example",
    created_at: "2025-01-10T09:00:00Z",
    retired_at: null,
    public_key: `-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n${over.id}\n-----END PGP PUBLIC KEY BLOCK-----\n`,
    ...over,
  };
}

const RETIRED = key({
  id: "k1",
  fingerprint: "0123456789ABCDEF0123456789ABCDEF01234567",
  created_at: "2025-01-10T09:00:00Z",
  retired_at: "2025-06-01T10:00:00Z",
});
const ACTIVE = key({
  id: "k2",
  fingerprint: "FEDCBA9876543210FEDCBA9876543210FEDCBA98",
  active: true,
  created_at: "2025-06-01T10:00:00Z",
});
const ROTATED = key({
  id: "k3",
  fingerprint: "AAAA1111BBBB2222CCCC3333DDDD4444EEEE5555",
  active: true,
  created_by: "ada@acme.example",
  created_at: "2025-09-01T08:00:00Z",
});

function renderPage(role: Role = "admin") {
  const org = orgFixture();
  return render(
    <MemoryRouter initialEntries={["/admin/acme/settings/portal/distribution"]}>
      <OrgContext.Provider value={{ org, role, isAdmin: role === "admin", canPublish: role !== "viewer" }}>
        <Routes>
          <Route path="/admin/:org/settings/portal/distribution" element={<DistributionPage />} />
        </Routes>
      </OrgContext.Provider>
    </MemoryRouter>,
  );
}

/** The table's body rows, top to bottom. */
async function keyRows() {
  const table = await screen.findByRole("table", { name: "OpenPGP signing keys" });
  return within(table).getAllByRole("row").slice(1);
}

describe("Settings › Supplier Portal › Distribution", () => {
  it("shows the discovery URLs of the portal's slug, each with a copy button", async () => {
    Object.defineProperty(window, "isSecureContext", { value: true, configurable: true });
    mockRoutes({ [PORTAL]: jsonResponse(settings()), [KEYS]: jsonResponse([ACTIVE]) });
    const user = userEvent.setup();
    renderPage();

    const list = await screen.findByTestId("discovery-urls");
    const origin = window.location.origin;
    const base = `${origin}/api/v1/portal/acme-psirt`;
    expect(within(list).getByText(`${base}/csaf/provider-metadata.json`)).toBeTruthy();
    expect(within(list).getByText(`${base}/tea/v0.4.0`)).toBeTruthy();
    expect(within(list).getByText(`${base}/.well-known/security.txt`)).toBeTruthy();
    // The instance's well-known addresses, for when this is its default portal.
    expect(screen.getByText(`${origin}/.well-known/csaf/provider-metadata.json`)).toBeTruthy();
    expect(screen.getByText(`${origin}/.well-known/tea`)).toBeTruthy();
    expect(screen.queryByText("Nothing is published yet")).toBeNull();

    await user.click(within(list).getByRole("button", { name: "Copy the TEA API URL" }));
    expect(await navigator.clipboard.readText()).toBe(`${base}/tea/v0.4.0`);
    await user.click(within(list).getByRole("button", { name: "Copy the CSAF provider metadata URL" }));
    expect(await navigator.clipboard.readText()).toBe(`${base}/csaf/provider-metadata.json`);
    await user.click(within(list).getByRole("button", { name: "Copy the security.txt URL" }));
    expect(await navigator.clipboard.readText()).toBe(`${base}/.well-known/security.txt`);

    // A public portal opens TLP:WHITE; the rest needs a token.
    const access = screen.getByTestId("tlp-access");
    expect(access.textContent).toContain("TLP:WHITE (CLEAR) documents: this portal is public");
    expect(access.textContent).toContain("TLP:GREEN, TLP:AMBER and TLP:RED");
    // Each token reads up to its own clearance.
    const note = screen.getByTestId("tlp-clearance-note");
    expect(note.textContent).toContain("Each access token reads up to its own TLP clearance");
    expect(within(note).getByRole("link", { name: "Access Tokens" }).getAttribute("href")).toBe("/admin/acme/settings/portal/tokens");
  });

  it("a disabled, private portal: nothing is published until it is enabled, and every document needs a token", async () => {
    mockRoutes({
      [PORTAL]: jsonResponse(settings({ enabled: false, visibility: "private" })),
      [KEYS]: jsonResponse([ACTIVE]),
    });
    renderPage();
    const warning = await screen.findByText("Nothing is published yet");
    const alert = warning.closest(".alert") as HTMLElement;
    expect(alert.textContent).toContain("nothing is published at these addresses until you enable it");
    expect(within(alert).getByRole("link", { name: "Settings" }).getAttribute("href")).toBe("/admin/acme/settings/portal");
    const access = screen.getByTestId("tlp-access");
    expect(access.textContent).toContain("Every document, TLP:WHITE included");
    expect(access.textContent).not.toContain("anyone can read them");
  });

  it("lists the keys active first, fingerprints in blocks of four, and downloads the armoured public key", async () => {
    // The server already answers active first; the screen does not rely on it.
    mockRoutes({ [PORTAL]: jsonResponse(settings()), [KEYS]: jsonResponse([RETIRED, ACTIVE]) });
    renderPage();
    const [first, second] = await keyRows();
    expect(within(first!).getByText("Active")).toBeTruthy();
    expect(within(first!).getByTestId("fingerprint").textContent).toBe("FEDC BA98 7654 3210 FEDC BA98 7654 3210 FEDC BA98");
    expect(within(first!).getByText("1 Jun 2025")).toBeTruthy();
    expect(within(first!).getByText("Ed25519")).toBeTruthy();
    expect(within(second!).getByText("Retired")).toBeTruthy();
    expect(within(second!).getByTestId("fingerprint").textContent).toBe("0123 4567 89AB CDEF 0123 4567 89AB CDEF 0123 4567");
    expect(within(second!).getByText("10 Jan 2025")).toBeTruthy(); // created
    expect(within(second!).getByText("1 Jun 2025").parentElement!.textContent).toBe("since 1 Jun 2025"); // retired

    const blobs: Blob[] = [];
    vi.spyOn(URL, "createObjectURL").mockImplementation((b) => {
      blobs.push(b as Blob);
      return "blob:key";
    });
    const saved: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download);
    });
    const user = userEvent.setup();
    await user.click(within(first!).getByRole("button", { name: /^Download public key FEDC BA98/ }));
    expect(saved).toEqual(["FEDCBA9876543210FEDCBA9876543210FEDCBA98.asc"]);
    expect(await blobs[0]!.text()).toBe(ACTIVE.public_key);
  });

  it("Rotate key explains what happens, posts {} and shows the refreshed list", async () => {
    const { to } = mockRoutes({
      [PORTAL]: jsonResponse(settings()),
      [KEYS]: [jsonResponse([ACTIVE]), jsonResponse([ROTATED, { ...ACTIVE, active: false, retired_at: ROTATED.created_at }])],
      [ROTATE]: jsonResponse(ROTATED, 201),
    });
    const user = userEvent.setup();
    renderPage();
    expect(await keyRows()).toHaveLength(1);

    await user.click(screen.getByRole("button", { name: "Rotate key" }));
    const confirm = screen.getByRole("alertdialog", { name: "Rotate the signing key?" });
    expect(confirm.textContent).toContain("re-signed with it on their next request");
    expect(confirm.textContent).toContain("stays published");
    await user.click(within(confirm).getByRole("button", { name: "Rotate key" }));

    expect(await screen.findByText("Signing key rotated")).toBeTruthy();
    expect(screen.queryByRole("alertdialog")).toBeNull();
    const posts = to(ROTATE);
    expect(posts).toHaveLength(1);
    expect(await posts[0]!.json()).toEqual({});
    expect(to(KEYS)).toHaveLength(2);
    const rows = await keyRows();
    expect(rows).toHaveLength(2);
    expect(within(rows[0]!).getByText("Active")).toBeTruthy();
    expect(within(rows[0]!).getByTestId("fingerprint").textContent).toMatch(/^AAAA 1111/);
    expect(within(rows[1]!).getByText("Retired")).toBeTruthy();
  });

  it("Import key shows the server's reasons (400 under the field, 409 in the dialog) and stays open", async () => {
    const { to } = mockRoutes({
      [PORTAL]: jsonResponse(settings()),
      [KEYS]: jsonResponse([ACTIVE]),
      [ROTATE]: [
        problemResponse(400, "import_secret_key: not an ASCII-armoured OpenPGP secret key: no armor", [
          { field: "import_secret_key", message: "not an ASCII-armoured OpenPGP secret key: no armor" },
        ]),
        new Response(
          JSON.stringify({ type: "about:blank", title: "Conflict", status: 409, detail: "this key is already known", request_id: "req-2" }),
          { status: 409, headers: { "Content-Type": "application/problem+json" } },
        ),
      ],
    });
    const user = userEvent.setup();
    renderPage();
    await keyRows();
    await user.click(screen.getByRole("button", { name: "Import key" }));
    const dialog = screen.getByRole("dialog", { name: "Import signing key" });
    const field = within(dialog).getByLabelText("Secret key") as HTMLTextAreaElement;

    // Nothing pasted: the form says so without asking the server.
    await user.click(within(dialog).getByRole("button", { name: "Import key" }));
    expect(within(dialog).getByText("Paste the ASCII-armoured secret key.")).toBeTruthy();
    expect(to(ROTATE)).toHaveLength(0);

    await user.type(field, "not a key");
    await user.click(within(dialog).getByRole("button", { name: "Import key" }));
    const message = await within(dialog).findByText("not an ASCII-armoured OpenPGP secret key: no armor");
    expect(field.getAttribute("aria-invalid")).toBe("true");
    expect(field.getAttribute("aria-describedby")).toContain(message.id);
    expect(await to(ROTATE)[0]!.json()).toEqual({ import_secret_key: "not a key" });

    await user.click(within(dialog).getByRole("button", { name: "Import key" }));
    const alert = await within(dialog).findByRole("alert");
    expect(within(alert).getByText("Could not import the key")).toBeTruthy();
    expect(within(alert).getByText("this key is already known")).toBeTruthy();
    expect(screen.getByRole("dialog", { name: "Import signing key" })).toBeTruthy();
    expect(to(KEYS)).toHaveLength(1);
  });

  it("viewers see the keys, but neither Rotate nor Import, and the admin-only settings are not asked for", async () => {
    const { to } = mockRoutes({ [KEYS]: jsonResponse([RETIRED, ACTIVE]) });
    renderPage("viewer");
    expect(await keyRows()).toHaveLength(2);
    expect(screen.getByRole("button", { name: /^Download public key FEDC/ })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Rotate key" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Import key" })).toBeNull();
    expect(screen.getByText("Administrators only")).toBeTruthy();
    expect(to(PORTAL)).toHaveLength(0);
    expect(screen.getByRole("link", { name: "Distribution" })).toBeTruthy();
    expect(screen.queryByRole("link", { name: "Settings" })).toBeNull();
  });

  it("with no key yet, says one is generated on first use", async () => {
    mockRoutes({ [PORTAL]: jsonResponse(settings()), [KEYS]: jsonResponse([]) });
    renderPage();
    expect(await screen.findByText("No signing key yet")).toBeTruthy();
    expect(
      screen.getByText(/generated on first use: when a CSAF tool first asks for the provider metadata or a signature/),
    ).toBeTruthy();
    expect(screen.queryByRole("table", { name: "OpenPGP signing keys" })).toBeNull();
  });

  it("with no key yet, offers Generate key (not Rotate key), which posts {} and says a key was generated", async () => {
    const { to } = mockRoutes({
      [PORTAL]: jsonResponse(settings()),
      [KEYS]: [jsonResponse([]), jsonResponse([ROTATED])],
      [ROTATE]: jsonResponse(ROTATED, 201),
    });
    const user = userEvent.setup();
    renderPage();
    await screen.findByText("No signing key yet");
    expect(screen.queryByRole("button", { name: "Rotate key" })).toBeNull();
    await user.click(screen.getByRole("button", { name: "Generate key" }));
    const confirm = screen.getByRole("alertdialog", { name: "Generate a signing key?" });
    expect(confirm.textContent).not.toContain("retired");
    await user.click(within(confirm).getByRole("button", { name: "Generate key" }));
    expect(await screen.findByText("Signing key generated")).toBeTruthy();
    expect(await to(ROTATE)[0]!.json()).toEqual({});
    expect(await screen.findByRole("button", { name: "Rotate key" })).toBeTruthy();
  });
});
