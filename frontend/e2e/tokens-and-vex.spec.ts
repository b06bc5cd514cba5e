import { readFileSync } from "node:fs";
import { request as playwrightRequest, type APIRequestContext } from "@playwright/test";
import { test, expect, shot } from "./fixtures";
import { adminHeaders, enablePortal, ok, signIn } from "./admin";

// A token's life in the console, and what its customer reads about vulnerabilities:
//
//   the admin opens a customer's token from the list, renames it, changes its contact, narrows its
//   clearance and products and extends its expiry, then revokes it on its page; the list hides
//   revoked tokens on request. Another customer reads a version's VEX statements — a count per
//   status that filters them, components by name, CVEs linked — is told which version to upgrade
//   to from one whose support ended, and the admin exports exactly the audit events of that
//   customer.
//
// Runs after journey.spec.ts (which needs a fresh server), on the same server, or on its own.
test.describe.configure({ mode: "serial" });

const PRODUCT = { name: "Pump Controller PC-3", slug: "pump-controller-pc3", description: "Variable-speed pump controller." };
const OLD = { version: "1.0.0", release_date: "2022-03-01", support_until: "2024-12-31", status: "end_of_support" };
const CURRENT = { version: "2.0.0", release_date: "2025-04-01", support_until: "2032-12-31" };
const TOKEN = { name: "Initech Procurement", contact_email: "procurement@initech.example" };
const READER = { name: "Umbrella Water Utilities" };

let org = "";
let portalSlug = "";
let tokenId = "";
let readerToken = "";
let readerId = "";

/** A CycloneDX VEX with each status once: components as purls and as `urn:cdx` references. */
const VEX = JSON.stringify({
  bomFormat: "CycloneDX",
  specVersion: "1.4",
  serialNumber: "urn:uuid:8d3c7a52-1f0e-4a7b-9c55-2b1f6d0e9a31",
  version: 1,
  vulnerabilities: [
    {
      id: "CVE-2024-3094",
      analysis: { state: "not_affected", justification: "code_not_present", detail: "The firmware ships xz-utils 5.2.5." },
      affects: [{ ref: "urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#pkg:generic/xz-utils@5.2.5" }],
    },
    {
      id: "CVE-2023-4863",
      analysis: { state: "exploitable", response: ["update"], detail: "Update to firmware 2.0.1." },
      affects: [{ ref: "pkg:generic/libwebp@1.3.1" }],
    },
    {
      id: "CVE-2022-37434",
      analysis: { state: "resolved" },
      affects: [{ ref: "pkg:generic/zlib@1.2.13" }],
    },
    {
      id: "CVE-2025-0001",
      analysis: { state: "in_triage" },
      affects: [{ ref: "pkg:generic/busybox@1.36.1" }],
    },
  ],
});

function sbom(serial: string, version: string): string {
  return JSON.stringify({
    bomFormat: "CycloneDX",
    specVersion: "1.5",
    serialNumber: `urn:uuid:${serial}`,
    version: 1,
    metadata: {
      timestamp: "2025-04-01T00:00:00Z",
      component: { type: "firmware", name: "pc3-fw", version, "bom-ref": "fw" },
    },
    components: [{ type: "library", name: "zlib", version: "1.2.13", purl: "pkg:generic/zlib@1.2.13", "bom-ref": "zlib" }],
  });
}

async function seed(api: APIRequestContext) {
  const headers = await adminHeaders(api);
  const me = await ok<{ memberships: { organization: { slug: string } }[] }>(await api.get("/api/v1/me", { headers }), "me");
  org = me.memberships[0]!.organization.slug;
  const o = `/api/v1/orgs/${org}`;
  const p = `${o}/products/${PRODUCT.slug}`;
  await ok(await api.post(`${o}/products`, { headers, data: PRODUCT }), "product", [409]);
  for (const v of [OLD, CURRENT]) await ok(await api.post(`${p}/versions`, { headers, data: v }), `version ${v.version}`, [409]);
  const upload = (version: string, kind: string, name: string, body: string) =>
    api.post(`${p}/versions/${version}/artifacts?kind=${kind}&publish=true&filename=${encodeURIComponent(name)}`, {
      headers: { ...headers, "content-type": "application/json" },
      data: body,
    });
  // 409: the same bytes are there already (a second run on this server).
  await ok(await upload(OLD.version, "sbom", "pc3-1.0.0.cdx.json", sbom("0b7f2c1e-5d7a-4c36-8e0e-1c2d3e4f5a61", OLD.version)), "old SBOM", [409]);
  await ok(await upload(CURRENT.version, "sbom", "pc3-2.0.0.cdx.json", sbom("0b7f2c1e-5d7a-4c36-8e0e-1c2d3e4f5a62", CURRENT.version)), "SBOM", [409]);
  await ok(await upload(CURRENT.version, "vex", "pc3-2.0.0.vex.cdx.json", VEX), "VEX", [409]);

  portalSlug = await enablePortal(api, o, headers);

  // A name of its own per run: the list may hold the tokens of earlier runs.
  const stamp = Date.now().toString(36);
  TOKEN.name = `Initech Procurement ${stamp}`;
  READER.name = `Umbrella Water Utilities ${stamp}`;
  const created = await ok<{ id: string }>(
    await api.post(`${o}/portal/tokens`, { headers, data: { name: TOKEN.name, expires_in: "30d", contact_email: TOKEN.contact_email } }),
    "token",
  );
  tokenId = created.id;
  const reader = await ok<{ id: string; token: string }>(
    await api.post(`${o}/portal/tokens`, { headers, data: { name: READER.name, expires_in: "90d" } }),
    "reader token",
  );
  readerToken = reader.token;
  readerId = reader.id;
}

test.beforeAll(async () => {
  const api = await playwrightRequest.newContext({ baseURL: process.env.PORTAL_E2E_URL });
  try {
    await seed(api);
  } finally {
    await api.dispose();
  }
});

test("a token is edited (name, contact, clearance, products, expiry) and revoked on its page; the list hides revoked tokens", async ({
  page,
}) => {
  await signIn(page);
  await page.goto(`/admin/${org}/settings/portal/tokens`);
  await page.getByTestId("access-tokens").getByRole("link", { name: TOKEN.name, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/settings/portal/tokens/${tokenId}$`));
  await expect(page.getByRole("heading", { name: TOKEN.name, level: 1 })).toBeVisible();
  const facts = page.getByRole("region", { name: "About this token" });
  const fact = (label: string) => facts.locator(".fact").filter({ has: page.locator("dt", { hasText: label }) }).locator("dd");
  await expect(fact("Products")).toHaveText("All products");
  const expiresBefore = (await fact("Expires").textContent()) ?? "";

  await page.getByRole("button", { name: "Edit", exact: true }).click();
  const renamed = `${TOKEN.name} (Initech GmbH)`;
  const dialog = page.getByRole("dialog", { name: `Edit ${TOKEN.name}` });
  await dialog.getByLabel("Name").fill(renamed);
  await dialog.getByLabel("Contact e-mail").fill("psirt@initech.example");
  await dialog.getByLabel("Extend expiry").selectOption("1y");
  await dialog.getByLabel("TLP clearance").selectOption("green");
  await dialog.getByLabel("Only these products").check();
  await dialog.getByLabel(PRODUCT.name).check();
  await shot(page, "50-token-edit");
  await dialog.getByRole("button", { name: "Save changes" }).click();
  await expect(dialog).toBeHidden();

  await expect(page.getByRole("heading", { name: renamed, level: 1 })).toBeVisible();
  await expect(fact("Contact e-mail")).toHaveText("psirt@initech.example");
  await expect(fact("TLP clearance")).toContainText("TLP:GREEN");
  await expect(fact("Products")).toHaveText(PRODUCT.name);
  await expect(fact("Expires")).not.toHaveText(expiresBefore);
  await expect(fact("Expires")).toContainText(String(new Date().getUTCFullYear() + 1));

  await page.getByRole("button", { name: "Revoke", exact: true }).click();
  const confirm = page.getByRole("alertdialog", { name: `Revoke ${renamed}?` });
  await confirm.getByRole("button", { name: "Revoke" }).click();
  await expect(fact("Status")).toContainText("Revoked");
  await expect(page.getByRole("button", { name: "Revoke", exact: true })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Edit", exact: true })).toHaveCount(0);
  await shot(page, "51-token-revoked");

  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "Access Tokens" }).click();
  const list = page.getByTestId("access-tokens");
  const row = list.getByRole("row").filter({ hasText: renamed });
  await expect(row).toContainText("Revoked");
  await page.getByLabel(/^Hide revoked tokens/).check();
  await expect(row).toHaveCount(0);
  await expect(page).toHaveURL(/[?&]revoked=hide/);
  await expect(list.getByRole("row").filter({ hasText: READER.name })).toBeVisible();
});

test("the customer reads the VEX statements by status, components by name, CVEs linked; an ended version points to its successor", async ({
  browser,
  baseURL,
  guard,
}) => {
  const ctx = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 } });
  const customer = await ctx.newPage();
  guard.watch(customer, "customer");
  await customer.goto(`/portal/${portalSlug}/login`);
  await customer.getByLabel("Access token").fill(readerToken);
  await customer.getByRole("button", { name: "Sign in" }).click();
  await expect(customer.getByText(`Signed in as ${READER.name}`)).toBeVisible();

  await customer.goto(`/portal/${portalSlug}/products/${PRODUCT.slug}/versions/${CURRENT.version}`);
  await expect(customer.getByRole("heading", { name: `${PRODUCT.name} ${CURRENT.version}`, level: 1 })).toBeVisible();
  const summary = customer.getByRole("list", { name: "Statements by status" });
  const table = customer.getByRole("table", { name: `VEX statements for ${PRODUCT.name} ${CURRENT.version}` });
  const rows = table.locator("tbody tr");
  await expect(rows).toHaveCount(4);
  for (const [label, n] of [["All", 4], ["Affected", 1], ["Under investigation", 1], ["Fixed", 1], ["Not affected", 1]] as const) {
    await expect(summary.getByRole("button", { name: new RegExp(`^${label} ${n}$`) })).toBeVisible();
  }
  // Components by name: no purl or urn:cdx reference as the name.
  await expect(table).toContainText("xz-utils 5.2.5");
  await expect(table).toContainText("libwebp 1.3.1");
  await expect(table.getByText(/^urn:cdx:/)).toHaveCount(0);
  await expect(table.getByRole("link", { name: "CVE-2023-4863" })).toHaveAttribute("href", "https://www.cve.org/CVERecord?id=CVE-2023-4863");

  // A count filters the statements; pressed again, everything shows.
  const affected = summary.getByRole("button", { name: /^Affected 1$/ });
  await affected.click();
  await expect(affected).toHaveAttribute("aria-pressed", "true");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("CVE-2023-4863");
  await shot(customer, "52-portal-vex-affected");
  await affected.click();
  await expect(rows).toHaveCount(4);

  // On a phone the status stays in sight next to the vulnerability; the rest scrolls, with a hint.
  await customer.setViewportSize({ width: 390, height: 844 });
  const status = table.getByRole("columnheader", { name: "Status" });
  await status.scrollIntoViewIfNeeded();
  const box = (await status.boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  await expect(customer.getByRole("region", { name: "VEX statements", exact: true }).getByTestId("scroll-hint")).toBeVisible();
  await customer.setViewportSize({ width: 1280, height: 900 });

  // An ended version names the one to upgrade to.
  await customer.goto(`/portal/${portalSlug}/products/${PRODUCT.slug}/versions/${OLD.version}`);
  const hint = customer.getByRole("status").filter({ hasText: `Version ${OLD.version} is no longer supported` });
  await expect(hint).toBeVisible();
  await hint.getByRole("link", { name: `${PRODUCT.name} ${CURRENT.version}` }).click();
  await expect(customer.getByRole("heading", { name: `${PRODUCT.name} ${CURRENT.version}`, level: 1 })).toBeVisible();
  await ctx.close();
});

test("the audit log exports exactly the filtered view: one customer's portal events", async ({ page }) => {
  await signIn(page);
  await page.goto(`/admin/${org}/settings/audit-log?category=portal&customer=${encodeURIComponent(readerId)}`);
  await expect(page.getByLabel("Customer", { exact: true })).toHaveValue(readerId);
  const table = page.getByTestId("audit-table");
  await expect(table.getByRole("row").filter({ hasText: "Customer login" }).first()).toBeVisible();
  await expect(table.getByRole("row").filter({ hasText: "SBOM downloaded" })).toHaveCount(0);

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export NDJSON" }).click()]);
  const events = readFileSync(await download.path(), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { category: string; action: string; actor_id?: string | null });
  expect(events.length).toBeGreaterThanOrEqual(2);
  for (const e of events) {
    expect(e.category).toBe("portal");
    expect(e.actor_id).toBe(readerId);
  }
  expect(events.map((e) => e.action)).toContain("portal.vex.view");
});
