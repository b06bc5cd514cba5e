import { readFileSync } from "node:fs";
import path from "node:path";
import { deflateSync } from "node:zlib";
import { request as playwrightRequest, type APIRequestContext, type Page } from "@playwright/test";
import { test, expect, shot, FIXTURES } from "./fixtures";
import { ORG, adminHeaders, ok, signIn } from "./admin";

// The console a compliance team lives in, and the front door of a private portal:
//
//   the admin lands on the overview (a draft, a version without SBOM) and follows a link; turns on
//   access requests with an NDA and uploads a logo; a visitor opens the portal's sign-in page (no
//   401 anywhere), sees whose portal it is and asks for access accepting the NDA; the admin
//   approves and gets the token's secret once; the customer signs in with it and downloads the
//   version as one ZIP.
//
// It runs on the journey's server after journey.spec.ts and layout.spec.ts (files run in name
// order, and the journey must find a fresh server), or on its own: it sets the server up when
// nobody has, and uses a product of its own either way.
test.describe.configure({ mode: "serial" });

const PRODUCT = { name: "Door Controller DC-7", slug: "door-controller-dc7", description: "Access control for server rooms." };
const OLD = "1.0.0"; // supported, nothing published: "without SBOM"
const CURRENT = "1.1.0"; // a published SBOM and a draft
const DRAFT_NAME = "door-controller-1.1.0-draft.cdx.json";
const NDA = {
  version: "2026-01",
  text: [
    "MUTUAL NON-DISCLOSURE AGREEMENT (version 2026-01)",
    "",
    "1. What you read in this portal is confidential information of ACME Devices GmbH.",
    "2. You share it only within your organisation, with people who need it for the products you run.",
    "3. This agreement lasts five years from your acceptance.",
    ...Array.from({ length: 20 }, (_, i) => `${i + 4}. Further clause ${i + 4}, as agreed in the framework contract.`),
  ].join("\n"),
};
const VISITOR = { name: "Grete Müller", company: "Globex Industrial AG", reason: "We run the DC-7 in our plants (framework contract 4711)." };
const VISITOR_EMAIL = `grete.${Date.now()}@globex.example`;

let org = ORG.slug;
let portalPath = "";
let secret = "";

/* ---------- Seeding through the API ---------- */

/** The fixture SBOM with its own serial number (identical bytes would be the same artifact). */
function sbom(serial: string): string {
  const doc = JSON.parse(readFileSync(path.join(FIXTURES, "sbom-min-1.6.json"), "utf8"));
  doc.serialNumber = `urn:uuid:${serial}`;
  doc.metadata = { ...doc.metadata, component: { type: "firmware", name: "dc7-fw", version: CURRENT, "bom-ref": "fw" } };
  return JSON.stringify(doc);
}

/** A real PNG (a blue square with a white bar), for the logo. */
function png(size = 48): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x++) {
      const bar = y > size * 0.4 && y < size * 0.6 && x > size * 0.2 && x < size * 0.8;
      row.set(bar ? [255, 255, 255] : [29, 78, 216], 1 + x * 3);
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** Every answer a page gets with this status, to prove there was none. */
function watchStatus(page: Page, status: number): string[] {
  const seen: string[] = [];
  page.on("response", (r) => {
    if (r.status() === status) seen.push(`${r.request().method()} ${new URL(r.url()).pathname}`);
  });
  return seen;
}

test.beforeAll(async () => {
  const request = await playwrightRequest.newContext({ baseURL: process.env.PORTAL_E2E_URL });
  try {
    await seed(request);
  } finally {
    await request.dispose();
  }
});

async function seed(request: APIRequestContext) {
  const headers = await adminHeaders(request);
  const me = await ok<{ memberships: { organization: { slug: string } }[] }>(await request.get("/api/v1/me", { headers }), "me");
  org = me.memberships[0]!.organization.slug;
  const o = `/api/v1/orgs/${org}`;
  await ok(await request.post(`${o}/products`, { headers, data: PRODUCT }), "product", [409]);
  const today = new Date().toISOString().slice(0, 10);
  for (const version of [OLD, CURRENT]) {
    await ok(
      await request.post(`${o}/products/${PRODUCT.slug}/versions`, {
        headers,
        data: { version, release_date: today, support_until: "2032-12-31" },
      }),
      `version ${version}`,
      [409],
    );
  }
  const upload = (name: string, body: string, publish: boolean) =>
    request.post(
      `${o}/products/${PRODUCT.slug}/versions/${CURRENT}/artifacts?kind=sbom&filename=${encodeURIComponent(name)}${publish ? "&publish=true" : ""}`,
      { headers: { ...headers, "content-type": "application/vnd.cyclonedx+json" }, data: body },
    );
  await ok(await upload("door-controller-1.1.0.cdx.json", sbom("5b0e3a48-7f43-4c5e-9d0b-0c8e2f6a1d11"), true), "published SBOM", [200]);
  await ok(await upload(DRAFT_NAME, sbom("5b0e3a48-7f43-4c5e-9d0b-0c8e2f6a1d12"), false), "draft SBOM", [200]);
}

/* ---------- The story ---------- */

test("the admin lands on the overview: a version without SBOM, a draft, each linked to its page", async ({ page }) => {
  await signIn(page);
  await expect(page).toHaveURL(new RegExp(`/admin/${org}/overview$`));
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link").first()).toHaveText("Overview");
  await expect(nav.getByRole("link", { name: "Overview" })).toHaveAttribute("aria-current", "page");

  const kpis = page.getByRole("region", { name: "Needs attention" });
  await expect(kpis.getByRole("link", { name: /^Versions without SBOM/ })).toContainText(/[1-9]/);
  await expect(kpis.getByRole("link", { name: /^Drafts waiting/ })).toHaveAttribute("href", `/admin/${org}/artifacts?status=draft`);

  const drafts = page.getByRole("region", { name: /^Drafts waiting to be published/ });
  await expect(drafts.getByRole("link", { name: DRAFT_NAME })).toBeVisible();
  const withoutSbom = page.getByRole("region", { name: /^Versions without a published SBOM/ });
  const versionLink = withoutSbom.getByRole("link", { name: `${PRODUCT.name} ${OLD}` });
  await expect(versionLink).toBeVisible();
  await shot(page, "40-overview");

  // The draft opens its artifact page…
  await drafts.getByRole("link", { name: DRAFT_NAME }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/${org}/artifacts/[^/]+$`));
  await expect(page.getByRole("navigation", { name: "Breadcrumb" })).toContainText(DRAFT_NAME);
  await expect(page.getByText("This is a draft: customers cannot see it until it is published.")).toBeVisible();
  // …and the version without SBOM its version page.
  await page.goBack();
  await withoutSbom.getByRole("link", { name: `${PRODUCT.name} ${OLD}` }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/${org}/products/${PRODUCT.slug}/versions/${OLD.replace(/\./g, "\\.")}$`));
  await expect(page.getByRole("heading", { name: `${PRODUCT.name} ${OLD}`, level: 1 })).toBeVisible();

  // A KPI card opens the filtered list.
  await page.goto(`/admin/${org}/overview`);
  await page.getByRole("region", { name: "Needs attention" }).getByRole("link", { name: /^Drafts waiting/ }).click();
  await expect(page.getByRole("heading", { name: "Artifacts", level: 1 })).toBeVisible();
  await expect(page.getByLabel("Status")).toHaveValue("draft");
});

test("the admin turns on access requests with an NDA and uploads a logo", async ({ page }) => {
  await signIn(page);
  await page.goto(`/admin/${org}/settings/portal`);
  const enable = page.getByRole("switch", { name: "Enable Portal" });
  if (!(await enable.isChecked())) await enable.check();
  await page.getByLabel("Private").check();

  const landing = page.getByRole("group", { name: "Sign-in page" });
  await expect(landing.getByLabel("Show the description")).toBeChecked();
  const requests = landing.getByRole("switch", { name: "Let visitors request access" });
  if (!(await requests.isChecked())) await requests.check();
  await landing.getByLabel(/NDA version/).fill(NDA.version);
  await landing.getByLabel(/NDA text/).fill(NDA.text);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("Saved", { exact: true })).toBeVisible();
  portalPath = new URL((await page.getByTestId("portal-url").textContent()) ?? "").pathname;

  // The logo: a PNG, uploaded as it is, previewed from the portal's address for it.
  const card = page.getByRole("region", { name: "Logo" });
  await card.getByTestId("logo-input").setInputFiles({ name: "acme-logo.png", mimeType: "image/png", buffer: png() });
  await expect(card.getByText("Logo saved.")).toBeVisible();
  const preview = card.getByTestId("logo-preview");
  await expect(preview).toHaveAttribute("src", new RegExp(`^/api/v1/portal/[^/]+/logo\\?v=`));
  await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(48);
  await landing.scrollIntoViewIfNeeded();
  await shot(page, "41-portal-settings-landing");
});

test("a visitor opens the private portal's sign-in page (no 401), sees whose it is, and asks for access accepting the NDA", async ({
  browser,
  baseURL,
  guard,
}) => {
  expect(portalPath).not.toBe("");
  const ctx = await browser.newContext({ baseURL });
  const visitor = await ctx.newPage();
  guard.watch(visitor, "visitor");
  const refused = watchStatus(visitor, 401);

  // A cold visit to the portal itself lands on the sign-in page…
  await visitor.goto(portalPath);
  await expect(visitor).toHaveURL(/\/login/);
  await expect(visitor.getByRole("heading", { name: "Sign in with your access token" })).toBeVisible();
  const card = visitor.locator(".auth-card");
  const logo = card.getByTestId("portal-logo");
  await expect(logo).toBeVisible();
  await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(48);
  await expect(card.locator(".brand-name")).not.toHaveText("Supplier Portal");
  await shot(visitor, "42-portal-sign-in-with-logo");

  await card.getByRole("link", { name: "Request access" }).click();
  await expect(visitor.getByRole("heading", { name: "Request access", level: 1 })).toBeVisible();
  const nda = visitor.getByRole("region", { name: `Non-disclosure agreement, version ${NDA.version}` });
  await expect(nda).toContainText("MUTUAL NON-DISCLOSURE AGREEMENT");
  // The text scrolls in its box rather than pushing the form away.
  expect(await nda.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);

  await visitor.getByLabel("Your name").fill(VISITOR.name);
  await visitor.getByLabel("Company").fill(VISITOR.company);
  await visitor.getByLabel("E-mail").fill(VISITOR_EMAIL);
  await visitor.getByLabel("Why do you need access?").fill(VISITOR.reason);
  // Not without accepting the NDA.
  await visitor.getByRole("button", { name: "Request access" }).click();
  await expect(visitor.getByText(`Accept the NDA (version ${NDA.version}) to send your request.`)).toBeVisible();
  await shot(visitor, "43-request-access-nda");
  await visitor.getByLabel(`I accept the NDA (version ${NDA.version})`).check();
  const [sent] = await Promise.all([
    visitor.waitForRequest((r) => r.method() === "POST" && r.url().endsWith("/access-requests")),
    visitor.getByRole("button", { name: "Request access" }).click(),
  ]);
  await expect(visitor.getByText("Request sent")).toBeVisible();
  await expect(visitor.getByText(/reviews access requests and answers by e-mail/)).toBeVisible();
  const body = sent.postDataJSON() as Record<string, string>;
  expect(body.nda_version).toBe(NDA.version);
  expect(body.nda_sha256).toMatch(/^[0-9a-f]{64}$/);
  await shot(visitor, "44-request-access-sent");

  expect(refused, "requests answered 401 during a cold visit").toEqual([]);
  await ctx.close();
});

test("the admin approves the request and gets the token's secret once", async ({ page }) => {
  await signIn(page);
  const kpi = page.getByRole("region", { name: "Needs attention" }).getByRole("link", { name: /^Access requests/ });
  await expect(kpi).toContainText(/[1-9]/);
  await kpi.click();
  await expect(page).toHaveURL(/access-requests\?status=pending$/);
  const row = page.getByTestId("access-requests").getByRole("row").filter({ hasText: VISITOR_EMAIL });
  await expect(row).toContainText(VISITOR.company);
  await expect(row).toContainText(`Version ${NDA.version}`);
  await expect(row.locator("code.hash")).toHaveText(/^[0-9a-f]{12}…$/);
  await expect(row.getByRole("button", { name: `Copy the SHA-256 of the NDA ${VISITOR.name} accepted` })).toBeVisible();
  await shot(page, "45-access-requests");

  await row.getByRole("button", { name: `Approve the request of ${VISITOR.name} (${VISITOR.company})` }).click();
  const dialog = page.getByRole("dialog", { name: `Give ${VISITOR.company} access` });
  await expect(dialog.getByLabel("Token name")).toHaveValue(VISITOR.company);
  await dialog.getByLabel("Expires").selectOption("90d");
  await dialog.getByRole("button", { name: "Approve and create token" }).click();

  const secretDialog = page.getByRole("dialog", { name: "Access granted" });
  await expect(secretDialog.getByText(/only shown once/)).toBeVisible();
  secret = await secretDialog.getByTestId("secret-value").inputValue();
  expect(secret).toMatch(/^spt_/);
  await expect(secretDialog.getByTestId("token-message")).toContainText(`Access token: ${secret}`);
  await shot(page, "46-access-granted-secret");
  await secretDialog.getByRole("link", { name: `open ${VISITOR.company}` }).click();

  // The token's page: its facts, usage and subscriptions.
  await expect(page.getByRole("heading", { name: VISITOR.company, level: 1 })).toBeVisible();
  const facts = page.getByRole("region", { name: "About this token" });
  await expect(facts).toContainText(VISITOR_EMAIL);
  await expect(facts).toContainText("Never used");
  await expect(page.getByRole("region", { name: "Usage" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Subscriptions" })).toBeVisible();
  await shot(page, "47-token-page");

  await page.goto(`/admin/${org}/settings/portal/access-requests`);
  const decided = page.getByTestId("access-requests").getByRole("row").filter({ hasText: VISITOR_EMAIL });
  await expect(decided).toContainText("Approved");
  await expect(decided.getByRole("link", { name: `Token: ${VISITOR.company}` })).toBeVisible();
});

test("the customer signs in with the new token and downloads the version as one ZIP", async ({ browser, baseURL, guard }) => {
  expect(secret).not.toBe("");
  const ctx = await browser.newContext({ baseURL, acceptDownloads: true });
  const customer = await ctx.newPage();
  guard.watch(customer, "customer");
  await customer.goto(`${portalPath}/login`);
  await customer.getByLabel("Access token").fill(secret);
  await customer.getByRole("button", { name: "Sign in" }).click();
  await expect(customer.getByText(`Signed in as ${VISITOR.company}`)).toBeVisible();
  await expect(customer.locator(".portal-header").getByTestId("portal-logo")).toBeVisible();

  await customer.goto(`${portalPath}/products/${PRODUCT.slug}/versions/${CURRENT}`);
  await expect(customer.getByRole("heading", { name: `${PRODUCT.name} ${CURRENT}`, level: 1 })).toBeVisible();
  const button = customer.getByRole("button", { name: /^Download all/ });
  await expect(button).toContainText("1 file, ZIP");
  await shot(customer, "48-portal-version-download-all");
  const [download] = await Promise.all([customer.waitForEvent("download"), button.click()]);
  expect(download.suggestedFilename()).toBe(`${PRODUCT.slug}-${CURRENT}.zip`);
  const zip = readFileSync(await download.path());
  expect(zip.subarray(0, 4).toString("binary")).toBe("PK\x03\x04");
  expect(zip.includes(Buffer.from("SHA256SUMS"))).toBe(true);
  expect(zip.includes(Buffer.from("door-controller-1.1.0.cdx.json"))).toBe(true);
  await expect(customer.getByText(`Saved as ${PRODUCT.slug}-${CURRENT}.zip`)).toBeVisible();
  await ctx.close();
});
