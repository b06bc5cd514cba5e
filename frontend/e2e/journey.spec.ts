import { readFileSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "@playwright/test";
import { test, expect, shot, sha256, totpCode, FIXTURES, ConsoleGuard } from "./fixtures";

// One organisation's story, in order, on one fresh server: setup → catalogue → upload → publish →
// portal → access token → customer download → CRA checklist → revoke. Later steps use what earlier
// ones made.
test.describe.configure({ mode: "serial" });

const ADMIN = { email: "ada@acme.example", password: "correct horse battery", name: "Ada Admin" };
const ORG = { name: "ACME Devices GmbH", slug: "acme-devices" };
const PRODUCT = { name: "Smart Thermostat", slug: "smart-thermostat" };
const VERSION = "2.4.1";
const SBOM_PATH = path.join(FIXTURES, "sbom-min-1.6.json");
const SBOM = readFileSync(SBOM_PATH);

let accessToken = "";

async function signIn(page: Page) {
  await page.goto("/admin/login");
  await page.getByLabel("E-mail").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // The console's home.
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
}

async function dropFile(page: Page, name: string, content: string, type: string) {
  const dataTransfer = await page.evaluateHandle(
    ({ name, content, type }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([content], name, { type }));
      return dt;
    },
    { name, content, type },
  );
  await page.dispatchEvent('[data-testid="dropzone"]', "dragenter", { dataTransfer });
  await page.dispatchEvent('[data-testid="dropzone"]', "drop", { dataTransfer });
}

/** A valid CycloneDX 1.6 SBOM of about `bytes` bytes, to watch the progress bar move. */
function bigSbom(bytes: number): string {
  const components = [];
  let i = 0;
  let size = 0;
  while (size < bytes) {
    const c = {
      type: "library",
      name: `component-${i}`,
      version: `1.${i % 50}.${i % 7}`,
      "bom-ref": `c${i}`,
      purl: `pkg:npm/component-${i}@1.${i % 50}.${i % 7}`,
      description: "x".repeat(200),
    };
    size += JSON.stringify(c).length + 1;
    components.push(c);
    i++;
  }
  return JSON.stringify({
    bomFormat: "CycloneDX",
    specVersion: "1.6",
    serialNumber: "urn:uuid:8c1f7a7e-4b8e-4d6f-9a43-1d7f7e5b2c10",
    version: 1,
    metadata: { component: { type: "firmware", name: "thermostat-fw", version: "2.4.1", "bom-ref": "fw" } },
    components,
  });
}

async function versionPage(page: Page) {
  await page.goto(`/admin/${ORG.slug}/products/${PRODUCT.slug}/versions/${VERSION}`);
  await expect(page.getByRole("heading", { name: `${PRODUCT.name} ${VERSION}`, level: 1 })).toBeVisible();
}

test("first run: setup shows the server's field errors, then creates the organisation", async ({ page, guard }) => {
  guard.allowHttp(400, 422);
  await page.goto("/");
  await expect(page).toHaveURL(/\/admin\/setup$/);
  await expect(page.getByRole("heading", { name: "Set up Supplier Portal" })).toBeVisible();

  await page.getByLabel("Organisation name").fill(ORG.name);
  await expect(page.getByLabel("Organisation slug")).toHaveValue("acme-devices-gmbh");
  await page.getByLabel("Organisation slug").fill("Not A Slug");
  await page.getByLabel("Your name").fill(ADMIN.name);
  await page.getByLabel("E-mail").fill(ADMIN.email);
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create organisation" }).click();
  await expect(page.getByText("Use at least 10 characters.")).toBeVisible();

  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Create organisation" }).click();
  // The server's problem+json names the field; the message sits under the slug input.
  const slug = page.getByLabel("Organisation slug");
  await expect(slug).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator(".field-invalid .field-error")).toContainText(/lowercase|hyphen/i);
  await shot(page, "01-setup-field-error");

  await slug.fill(ORG.slug);
  await page.getByRole("button", { name: "Create organisation" }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/${ORG.slug}/products$`));
  await expect(page.getByText("No products yet")).toBeVisible();
  await expect(page.getByRole("complementary", { name: "Console navigation" })).toContainText(ADMIN.name);
  await shot(page, "02-products-empty");

  // Signing out and in again.
  await page.getByRole("button", { name: "Sign out" }).first().click();
  await expect(page.getByText("You are signed out.")).toBeVisible();
  await shot(page, "03-login");
  await page.getByLabel("E-mail").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
  await expect(page.getByText("No products yet")).toBeVisible();
});

test("creates a product and a version with its support period", async ({ page }) => {
  await signIn(page);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Products" }).click();
  await page.getByRole("button", { name: "New product" }).first().click();
  const dialog = page.getByRole("dialog", { name: "New product" });
  await expect(dialog.getByLabel("Name")).toBeFocused();
  await dialog.getByLabel("Name").fill(PRODUCT.name);
  await expect(dialog.getByLabel("Slug")).toHaveValue(PRODUCT.slug);
  await dialog.getByLabel("Description").fill("Wi-Fi thermostat with cloud scheduling.");
  await dialog.getByRole("button", { name: "Create product" }).click();
  await expect(page.getByRole("heading", { name: PRODUCT.name, level: 1 })).toBeVisible();

  await page.getByRole("button", { name: "New version" }).click();
  const v = page.getByRole("dialog", { name: "New version" });
  await v.getByLabel("Version").fill(VERSION);
  await v.getByLabel("Release date").fill("2025-03-01");
  await v.getByLabel("Supported until").fill("2030-12-31");
  await v.getByRole("button", { name: "Create version" }).click();
  await expect(page.getByRole("heading", { name: `${PRODUCT.name} ${VERSION}`, level: 1 })).toBeVisible();
  await expect(page.getByText("Until 31 Dec 2030")).toBeVisible();
  await expect(page.getByText("No artifacts yet")).toBeVisible();
});

test("uploads the SBOM by drag and drop with a progress bar, then publishes it", async ({ page }) => {
  await signIn(page);
  await versionPage(page);

  // A large SBOM on a throttled connection: the bar moves through intermediate values.
  const big = bigSbom(1_500_000);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 20,
    downloadThroughput: -1,
    uploadThroughput: 1_000_000,
  });
  await page.evaluate(() => {
    const seen: number[] = [];
    (window as unknown as { __progress: number[] }).__progress = seen;
    const obs = new MutationObserver(() => {
      const p = document.querySelector("progress");
      if (p && !seen.includes(p.value)) seen.push(p.value);
    });
    obs.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["value"] });
  });
  await dropFile(page, "thermostat-full.cdx.json", big, "application/vnd.cyclonedx+json");
  await expect(page.getByTestId("dropzone")).toContainText("thermostat-full.cdx.json");
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(page.locator("progress")).toBeVisible();
  await shot(page, "04-upload-progress");
  await expect(page.locator(".alert-title", { hasText: /^Uploaded$/ })).toBeVisible({ timeout: 30_000 });
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: -1,
  });
  const seen = await page.evaluate(() => (window as unknown as { __progress: number[] }).__progress);
  expect(seen.some((v) => v > 0 && v < 100), `intermediate progress values, saw ${seen.join(",")}`).toBe(true);

  // The fixture SBOM customers will download.
  await dropFile(page, "sbom-min-1.6.json", SBOM.toString("utf8"), "application/json");
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "sbom-min-1.6.json was stored as a draft SBOM" })).toBeVisible();
  const row = page.getByRole("row").filter({ hasText: "sbom-min-1.6.json" });
  await expect(row.getByText("Draft")).toBeVisible();

  await row.getByRole("button", { name: /^Publish SBOM/ }).click();
  const confirm = page.getByRole("alertdialog", { name: "Publish sbom-min-1.6.json?" });
  await expect(confirm.getByRole("button", { name: "Publish" })).toBeFocused();
  await confirm.getByRole("button", { name: "Publish" }).click();
  await expect(confirm).toBeHidden();
  await expect(row.getByText("Published")).toBeVisible();
  await shot(page, "05-version-artifacts");

  // Parsed facts on the artifact page.
  await row.getByRole("link").first().click();
  await expect(page.getByRole("heading", { name: "SBOM facts" })).toBeVisible();
  await expect(page.locator(".facts").first()).toContainText("router-fw");
  await expect(page.locator(".big-number")).toHaveText("3");
  await expect(page.getByText(sha256(SBOM))).toBeVisible();
  // Its conformance: the minimal fixture fails some of BSI TR-03183-2's rules.
  const bsi = page.locator('details[data-profile="bsi-tr-03183-2-v2.1"]');
  await expect(bsi.locator("summary .badge")).toHaveText(/^\d+ of \d+ rules$/);
  await bsi.locator("summary").click();
  await expect(bsi.getByRole("list", { name: "Rules of BSI TR-03183-2 v2.1" })).toBeVisible();
  await shot(page, "06-artifact-facts");
});

test("publishes a VEX and a CSAF advisory at once; the VEX statements table shows", async ({ page }) => {
  await signIn(page);
  await versionPage(page);
  for (const [file, kind] of [
    ["cdx-vex.json", "vex"],
    ["csaf-advisory.json", "advisory"],
  ] as const) {
    await dropFile(page, file, readFileSync(path.join(FIXTURES, file), "utf8"), "application/json");
    await page.getByLabel("Kind").selectOption(kind);
    await page.getByLabel("Publish immediately").check();
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    await expect(page.getByRole("status").filter({ hasText: `${file} was stored as a published` })).toBeVisible();
  }
  const vexRow = page.getByRole("row").filter({ hasText: "cdx-vex.json" });
  await expect(vexRow.getByText("Published")).toBeVisible();
  await vexRow.getByRole("link").first().click();
  const table = page.getByRole("table", { name: "VEX statements" });
  await expect(table.getByRole("row").filter({ hasText: "CVE-2021-44228" })).toContainText("Not affected");
  await expect(table.getByRole("row").filter({ hasText: "CVE-2021-44228" })).toContainText("Code not reachable");
  await expect(table.getByRole("row").filter({ hasText: "CVE-2021-45105" })).toContainText("Affected");
  await shot(page, "06b-vex-statements");
});

test("a document the validator rejects shows where and why", async ({ page, guard }) => {
  guard.allowHttp(422);
  await signIn(page);
  await versionPage(page);
  const bad = readFileSync(path.join(FIXTURES, "sbom-bad-serial.json"), "utf8");
  await dropFile(page, "sbom-bad-serial.json", bad, "application/json");
  await page.getByLabel("Kind").selectOption("sbom");
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  const alert = page.getByRole("alert").filter({ hasText: "The document was rejected" });
  await expect(alert).toBeVisible();
  await expect(alert.locator("code", { hasText: "/serialNumber" })).toBeVisible();
  await shot(page, "07-upload-rejected");
});

test("Settings › Supplier Portal: enable, private, name, contact; the URL is at the top", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signIn(page);
  await page.getByRole("link", { name: "Supplier Portal" }).click();
  await expect(page.getByRole("heading", { name: "Supplier Portal", level: 1 })).toBeVisible();
  const form = page.locator("form", { has: page.getByRole("heading", { name: "Portal settings" }) });
  const toggle = form.getByRole("switch", { name: "Enable Portal" });
  if (!(await toggle.isChecked())) await toggle.check();
  await form.getByLabel("Private").check();
  await form.getByLabel("Display name").fill("ACME Security Evidence");
  await form.getByLabel(/^Description/).fill("SBOMs, VEX statements and advisories for ACME Devices products.");
  await form.getByLabel("Contact email").fill("psirt@acme.example");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByText("Saved")).toBeVisible();
  const url = page.getByTestId("portal-url");
  await expect(url).toHaveText(/\/portal\/[a-z0-9-]+$/);
  await page.getByRole("button", { name: "Copy the portal URL" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await url.textContent());
  await shot(page, "08-portal-settings");
});

test("Create Access Token: the secret is shown once, with a copy button", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signIn(page);
  await page.goto(`/admin/${ORG.slug}/settings/portal/tokens`);
  await page.getByRole("button", { name: "Create Access Token" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Create Access Token" });
  await dialog.getByLabel("Name").fill("ACME Corporation");
  await dialog.getByLabel("Expires").selectOption({ label: "90 days" });
  await dialog.getByRole("button", { name: "Create Access Token" }).click();

  const secret = page.getByRole("dialog", { name: "Access token created" });
  await expect(secret.getByText("Copy this access token now. It is only shown once.")).toBeVisible();
  accessToken = await secret.getByTestId("secret-value").inputValue();
  expect(accessToken).toMatch(/^spt_/);
  await secret.getByRole("button", { name: "Copy access token" }).click();
  await expect(secret.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(accessToken);
  await shot(page, "09-token-created");
  await secret.getByRole("button", { name: "Done" }).click();
  await expect(secret).toBeHidden();

  // Once closed, the secret is gone: the list shows only its hint.
  await expect(page.getByText(accessToken)).toHaveCount(0);
  const row = page.getByRole("row").filter({ hasText: "ACME Corporation" });
  await expect(row.getByText("Never used")).toBeVisible();
  await expect(row.getByText("Active")).toBeVisible();
  // The default clearance.
  await expect(row.locator(".tlp")).toHaveText("TLP:AMBER");
  await shot(page, "10-access-tokens");

  // "View as this customer": what the disclosure rule shows this token, with the labels.
  await row.getByRole("link", { name: "View the portal as ACME Corporation" }).click();
  await expect(page.getByRole("heading", { name: "View as ACME Corporation", level: 1 })).toBeVisible();
  await expect(page.getByTestId("preview-banner")).toContainText(
    "You are viewing the portal as ACME Corporation, cleared up to TLP:AMBER",
  );
  const tree = page.getByTestId("preview-tree");
  await expect(tree.locator("li", { hasText: "sbom-min-1.6.json" }).locator(".tlp")).toHaveText("TLP:CLEAR");
  await expect(tree.locator("li", { hasText: "csaf-advisory.json" }).locator(".tlp")).toHaveText("TLP:CLEAR");
  await expect(page.getByRole("heading", { name: "Not visible to this customer" })).toBeVisible();
  await shot(page, "10c-view-as-customer");

  // An anonymous visitor of this private portal sees nothing.
  await page.goto(`/admin/${ORG.slug}/settings/portal/tokens`);
  await page.getByRole("link", { name: "View as anonymous visitor" }).click();
  await expect(page.getByTestId("preview-banner")).toContainText("You are viewing the portal as an anonymous visitor, who sees nothing");
  await expect(page.getByText("Nothing visible")).toBeVisible();
});

test("Distribution: the URLs customers' tools use; the signing key is made on first use, then rotated", async ({
  page,
  context,
  baseURL,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signIn(page);
  await page.goto(`/admin/${ORG.slug}/settings/portal`);
  await page.getByRole("link", { name: "Distribution" }).click();
  await expect(page).toHaveURL(/\/settings\/portal\/distribution$/);
  const urls = page.getByTestId("discovery-urls");
  const metadataUrl = `${baseURL}/api/v1/portal/${ORG.slug}/csaf/provider-metadata.json`;
  await expect(urls.getByText(metadataUrl, { exact: true })).toBeVisible();
  await expect(urls.getByText(`${baseURL}/api/v1/portal/${ORG.slug}/tea/v0.4.0`, { exact: true })).toBeVisible();
  await expect(page.getByText("No signing key yet")).toBeVisible();

  // A CSAF tool asks for the metadata (the copied URL): that makes the first key.
  await urls.getByRole("button", { name: "Copy the CSAF provider metadata URL" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(metadataUrl);
  const first = await page.request.get(metadataUrl);
  expect(first.status()).toBe(200);
  await page.reload();
  const keys = page.getByRole("table", { name: "OpenPGP signing keys" });
  await expect(keys.getByRole("row")).toHaveCount(2);
  const original = ((await keys.getByTestId("fingerprint").first().textContent()) ?? "").replace(/\s/g, "");
  expect(original).toMatch(/^[0-9A-F]{40}$/);
  expect(((await first.json()) as { public_openpgp_keys: { fingerprint: string }[] }).public_openpgp_keys).toEqual([
    expect.objectContaining({ fingerprint: original }),
  ]);

  await page.getByRole("button", { name: "Rotate key" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Rotate the signing key?" });
  await expect(confirm).toContainText("stays published");
  await confirm.getByRole("button", { name: "Rotate key" }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByText("Signing key rotated")).toBeVisible();
  await expect(keys.getByRole("row")).toHaveCount(3);
  const rows = keys.getByRole("row");
  await expect(rows.nth(1).getByText("Active")).toBeVisible();
  await expect(rows.nth(2).getByText("Retired")).toBeVisible();
  expect(((await rows.nth(2).getByTestId("fingerprint").textContent()) ?? "").replace(/\s/g, "")).toBe(original);
  const rotated = ((await rows.nth(1).getByTestId("fingerprint").textContent()) ?? "").replace(/\s/g, "");
  expect(rotated).not.toBe(original);
  await shot(page, "10b-distribution");

  // Both stay published, the new one first.
  const after = (await (await page.request.get(metadataUrl)).json()) as { public_openpgp_keys: { fingerprint: string }[] };
  expect(after.public_openpgp_keys.map((k) => k.fingerprint)).toEqual([rotated, original]);
});

async function customerPage(browser: Browser, guard: ConsoleGuard, baseURL: string) {
  const ctx = await browser.newContext({ baseURL, acceptDownloads: true });
  const page = await ctx.newPage();
  guard.watch(page, "customer");
  return { ctx, page };
}

test("the customer signs in with the token and downloads the SBOM; its bytes match", async ({ browser, guard, baseURL, page }) => {
  guard.allowHttp(401);
  expect(accessToken).not.toBe("");
  await signIn(page);
  await page.goto(`/admin/${ORG.slug}/settings/portal`);
  const portalPath = new URL((await page.getByTestId("portal-url").textContent()) ?? "").pathname;

  const { ctx, page: customer } = await customerPage(browser, guard, baseURL!);
  await customer.goto(portalPath);
  await expect(customer).toHaveURL(/\/login/);
  await expect(customer.getByRole("heading", { name: "Sign in with your access token" })).toBeVisible();
  await shot(customer, "11-portal-login");
  await customer.getByLabel("Access token").fill(accessToken);
  await customer.getByRole("button", { name: "Sign in" }).click();

  await expect(customer.getByRole("link", { name: "ACME Security Evidence" })).toBeVisible();
  await expect(customer.getByText("psirt@acme.example")).toBeVisible();
  await expect(customer.getByText("Signed in as ACME Corporation")).toBeVisible();
  // Only the session JWT is kept, never the raw token.
  const stored = await customer.evaluate(() => JSON.stringify({ ...sessionStorage, ...localStorage }));
  expect(stored).not.toContain(accessToken);
  expect(await customer.evaluate(() => localStorage.length)).toBe(0);
  await shot(customer, "12-portal-products");

  await customer.getByRole("link", { name: VERSION }).click();
  await expect(customer.getByRole("heading", { name: `${PRODUCT.name} ${VERSION}`, level: 1 })).toBeVisible();
  await expect(customer.getByText("Until 31 Dec 2030")).toBeVisible();
  const item = customer.locator(".artifact-item", { hasText: "sbom-min-1.6.json" });
  await expect(item).toContainText(sha256(SBOM));
  await expect(item).toContainText("1.1 KB");
  await expect(item.locator(".tlp")).toHaveText("TLP:CLEAR");
  await expect(item.locator('details[data-profile="bsi-tr-03183-2-v2.1"] summary .badge')).toHaveText(/^\d+ of \d+ rules$/);
  await expect(customer.getByTestId("portal-clearance")).toContainText("Cleared up to TLP:AMBER");
  await shot(customer, "13-portal-version");

  // VEX statements and the advisory, with its severity and CVE.
  const vex = customer.getByRole("table", { name: `VEX statements for ${PRODUCT.name} ${VERSION}` });
  await expect(vex.getByRole("row").filter({ hasText: "CVE-2021-44228" })).toContainText("Not affected");
  const advisory = customer.locator(".artifact-item", { hasText: "csaf-advisory.json" });
  await expect(advisory).toContainText("CVE-2025-0001");

  const [download] = await Promise.all([
    customer.waitForEvent("download"),
    item.getByRole("button", { name: /^Download sbom-min-1\.6\.json/ }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("sbom-min-1.6.json");
  const saved = await download.path();
  expect(sha256(readFileSync(saved))).toBe(sha256(SBOM));
  await expect(item.getByText("✓ SHA-256 verified")).toBeVisible();
  // The advisory's detached OpenPGP signature, as the CSAF provider serves it.
  const [signature] = await Promise.all([
    customer.waitForEvent("download"),
    advisory.getByRole("button", { name: "Download the OpenPGP signature of csaf-advisory.json" }).click(),
  ]);
  expect(signature.suggestedFilename()).toMatch(/\.json\.asc$/);
  expect(readFileSync(await signature.path(), "utf8")).toMatch(/^-----BEGIN PGP SIGNATURE-----/);
  await expect(advisory.getByText(/^Saved as .*\.json\.asc$/)).toBeVisible();

  // Security advisories across products, filtered by CVE.
  await customer.getByRole("link", { name: "Security advisories" }).click();
  await customer.getByRole("textbox", { name: "CVE" }).fill("CVE-2025-0001");
  await customer.getByRole("button", { name: "Filter" }).click();
  const adv = customer.locator(".artifact-item", { hasText: "csaf-advisory.json" });
  await expect(adv.locator(".badge", { hasText: "Critical" })).toBeVisible();
  await expect(adv.locator(".tlp")).toHaveText("TLP:CLEAR");
  await expect(adv).toContainText(`${PRODUCT.name} ${VERSION}`);
  await shot(customer, "13b-portal-advisories");

  // "Am I affected?" from the published VEX statements…
  await customer.getByLabel("Am I affected by…").fill("cve-2021-44228");
  await customer.getByRole("button", { name: "Check" }).click();
  await expect(customer.getByRole("heading", { name: "Am I affected by CVE-2021-44228?" })).toBeVisible();
  await expect(customer.getByText("No product version you can see is affected", { exact: false })).toBeVisible();
  await shot(customer, "14a-portal-cve-not-affected");
  // …and with nothing published about it.
  await customer.getByLabel("Am I affected by…").fill("CVE-2024-3094");
  await customer.getByRole("button", { name: "Check" }).click();
  await expect(customer.getByText("No statement published")).toBeVisible();
  await shot(customer, "14-portal-cve");

  await ctx.close();
});

test("Statistics, the Audit Log and the artifact's deliveries show the customer's download", async ({ page }) => {
  await signIn(page);
  await page.goto(`/admin/${ORG.slug}/settings/portal`);
  await page.getByRole("link", { name: "Statistics" }).click();
  await expect(page.getByRole("heading", { name: "Download trend" })).toBeVisible();
  const kpi = page.locator(".kpi").filter({ hasText: "Downloads · Last 30 days" });
  await expect(kpi.locator(".kpi-value")).toHaveText("1");
  const customers = page.getByRole("table", { name: "Active customers by token" });
  await expect(customers.getByRole("row").filter({ hasText: "ACME Corporation" })).toBeVisible();
  await expect(page.locator("canvas[role=img]")).toHaveAttribute("aria-label", /1 download from/);
  await shot(page, "14b-statistics");

  await page.getByRole("link", { name: "Audit Log" }).click();
  // Everything about one customer, chosen by name; the filter is in the address, to be shared.
  await page.getByLabel("Customer", { exact: true }).selectOption({ label: "ACME Corporation" });
  await expect(page).toHaveURL(/[?&]customer=/);
  const table = page.getByTestId("audit-table");
  const row = table.getByRole("row").filter({ hasText: "SBOM downloaded" });
  await expect(row).toContainText("ACME Corporation");
  // The download names its object: the file (linked), its place and the SHA-256 served.
  await expect(row.getByRole("link", { name: "sbom-min-1.6.json" })).toBeVisible();
  await expect(row).toContainText(`${PRODUCT.slug} ${VERSION}`);
  await expect(row).toContainText(sha256(SBOM).slice(0, 12));
  await expect(table.getByRole("row").filter({ hasText: "Customer login" }).first()).toBeVisible();
  // What the admin did to the customer's token is in the same view, and the CVE the customer asked about.
  await expect(table.getByRole("row").filter({ hasText: "Access token created" })).toContainText("ACME Corporation");
  await expect(table.getByRole("link", { name: "CVE-2024-3094" })).toHaveAttribute(
    "href",
    "https://www.cve.org/CVERecord?id=CVE-2024-3094",
  );
  // The row's details: the request id to quote, and the customer's browser.
  await row.getByRole("button", { name: /^Details: SBOM downloaded/ }).click();
  const details = page.getByTestId("audit-details");
  await expect(details.getByRole("button", { name: "Copy the request id" })).toBeVisible();
  await expect(details).toContainText("Chrome");
  await shot(page, "14c-audit-log");

  await row.getByRole("link", { name: "sbom-min-1.6.json" }).click();
  const deliveries = page.getByRole("table", { name: "Who received this artifact" });
  await expect(deliveries.getByRole("row").filter({ hasText: "ACME Corporation" })).toContainText(sha256(SBOM).slice(0, 16));
  await shot(page, "14d-deliveries");
});

test("Vulnerabilities: tracked from the sidebar, with the version in the triage matrix", async ({ page }) => {
  await signIn(page);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Vulnerabilities" }).click();
  await expect(page.getByRole("heading", { name: "Vulnerabilities", level: 1 })).toBeVisible();
  await page.getByRole("button", { name: "Track a vulnerability" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Track a vulnerability" });
  await dialog.getByLabel("ID").fill("CVE-2026-0001");
  await dialog.getByLabel("Title").fill("Heap overflow in the thermostat's HTTP parser");
  await dialog.getByRole("button", { name: "Track vulnerability" }).click();
  await expect(page.getByRole("heading", { name: "CVE-2026-0001", level: 1 })).toBeVisible();
  await expect(page.getByLabel(`Status of ${PRODUCT.name} ${VERSION}`)).toBeVisible();
  await shot(page, "14v-vulnerability");
});

test("CRA checklist: the admin answers the SBOM section with the SBOM as evidence and publishes; the customer acknowledges", async ({
  browser,
  guard,
  baseURL,
  page,
}) => {
  // The private portal's login page asks who is reading before the token is given (401).
  guard.allowHttp(401);
  expect(accessToken).not.toBe("");
  await signIn(page);
  await page.goto(`/admin/${ORG.slug}/products/${PRODUCT.slug}`);
  await page.getByRole("link", { name: "CRA checklist" }).click();
  await expect(page.getByRole("heading", { name: "CRA checklist", level: 1 })).toBeVisible();
  const sbom = page.getByRole("region", { name: "5. Software Bill of Materials (SBOM)" });
  await sbom.getByLabel("Status", { exact: true }).selectOption("met");
  await sbom.getByLabel("Statement").fill("A CycloneDX 1.6 SBOM is published with every release.");
  await sbom.getByRole("checkbox", { name: /sbom-min-1\.6\.json/ }).check();
  await sbom.getByLabel("Reviewer").fill(ADMIN.name);
  await sbom.getByLabel("Review date").fill("2025-03-01");
  await page.getByRole("switch", { name: "Published to customers" }).check();
  await page.getByRole("button", { name: "Save checklist" }).click();
  await expect(page.getByText("Saved", { exact: true })).toBeVisible();
  await expect(page.locator(".page-title .badge")).toHaveText("Published");
  await shot(page, "14e-checklist-editor");

  await page.goto(`/admin/${ORG.slug}/settings/portal`);
  const portalPath = new URL((await page.getByTestId("portal-url").textContent()) ?? "").pathname;
  const portalSlug = portalPath.split("/").pop()!;
  const { ctx, page: customer } = await customerPage(browser, guard, baseURL!);
  await customer.goto(`${portalPath}/login`);
  await customer.getByLabel("Access token").fill(accessToken);
  await customer.getByRole("button", { name: "Sign in" }).click();
  await expect(customer.getByText("Signed in as ACME Corporation")).toBeVisible();
  await customer.getByRole("link", { name: PRODUCT.name }).click();
  await customer.getByRole("link", { name: "CRA checklist" }).click();
  await expect(customer.getByRole("heading", { name: `CRA checklist: ${PRODUCT.name}`, level: 1 })).toBeVisible();
  const section = customer.getByRole("region", { name: "5. Software Bill of Materials (SBOM)" });
  await expect(section.locator(".checklist-section-head .badge")).toHaveText("Met");
  await expect(section).toContainText("A CycloneDX 1.6 SBOM is published with every release.");
  await expect(section).toContainText(`Reviewed by ${ADMIN.name} on 1 Mar 2025`);
  const evidence = section.getByRole("link", { name: /sbom-min-1\.6\.json/ });
  await expect(evidence).toHaveAttribute("href", new RegExp(`^/api/v1/portal/${portalSlug}/artifacts/[^/]+/download$`));
  const [download] = await Promise.all([customer.waitForEvent("download"), evidence.click()]);
  expect(sha256(readFileSync(await download.path()))).toBe(sha256(SBOM));
  await expect(section.getByText("✓ SHA-256 verified")).toBeVisible();

  const sha = (await customer.getByTestId("checklist-sha256").textContent()) ?? "";
  expect(sha).toMatch(/^[0-9a-f]{64}$/);
  const form = customer.getByRole("form", { name: "Acknowledge the checklist" });
  await form.getByLabel("Name").fill("Grace Buyer");
  await form.getByLabel("Title").fill("Head of Procurement");
  await form.getByRole("button", { name: "Acknowledge" }).click();
  await expect(customer.getByTestId("acknowledged")).toContainText("Acknowledged by Grace Buyer, Head of Procurement");
  await shot(customer, "14f-portal-checklist");
  await ctx.close();

  // The manufacturer sees who acknowledged which text.
  await page.goto(`/admin/${ORG.slug}/products/${PRODUCT.slug}/checklist`);
  const row = page.getByRole("table", { name: "Customer acknowledgements" }).getByRole("row").filter({ hasText: "Grace Buyer" });
  await expect(row).toContainText("Head of Procurement");
  await expect(row).toContainText("ACME Corporation");
  await expect(row).toContainText(sha.slice(0, 12));
});

test("revoking the token sends the customer back to the login, told why", async ({ browser, guard, baseURL, page }) => {
  guard.allowHttp(401);
  await signIn(page);
  await page.goto(`/admin/${ORG.slug}/settings/portal`);
  const portalPath = new URL((await page.getByTestId("portal-url").textContent()) ?? "").pathname;

  const { ctx, page: customer } = await customerPage(browser, guard, baseURL!);
  await customer.goto(`${portalPath}/login`);
  await customer.getByLabel("Access token").fill(accessToken);
  await customer.getByRole("button", { name: "Sign in" }).click();
  await expect(customer.getByText("Signed in as ACME Corporation")).toBeVisible();

  await page.goto(`/admin/${ORG.slug}/settings/portal/tokens`);
  const row = page.getByRole("row").filter({ hasText: "ACME Corporation" });
  await expect(row.getByText("Never used")).toHaveCount(0);
  await row.getByRole("button", { name: "Revoke ACME Corporation" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Revoke ACME Corporation?" });
  await confirm.getByRole("button", { name: "Revoke" }).click();
  await expect(row.getByText("Revoked")).toBeVisible();

  await customer.getByRole("link", { name: PRODUCT.name }).click();
  await expect(customer).toHaveURL(/\/login/);
  await expect(customer.getByText("Your access has ended")).toBeVisible();
  await expect(customer.getByText(/revoked/)).toBeVisible();
  await shot(customer, "15-portal-revoked");

  // The revoked token no longer signs in.
  await customer.getByLabel("Access token").fill(accessToken);
  await customer.getByRole("button", { name: "Sign in" }).click();
  await expect(customer.getByText("This access token is not valid.", { exact: false })).toBeVisible();
  await ctx.close();
});

test("API keys: created once with a ready-to-paste curl line; members: invite, accept, change role, reset link", async ({ page, baseURL, browser, guard }) => {
  await signIn(page);
  await page.getByRole("link", { name: "API Keys" }).click();
  await page.getByRole("button", { name: "Create API key" }).click();
  const dialog = page.getByRole("dialog", { name: "Create API key" });
  await dialog.getByLabel("Name").fill("GitLab release pipeline");
  await dialog.getByRole("button", { name: "Create API key" }).click();
  const secret = page.getByRole("dialog", { name: "API key created" });
  expect(await secret.getByTestId("secret-value").inputValue()).toMatch(/^spk_/);
  await secret.getByLabel("Product slug").fill(PRODUCT.slug);
  await secret.getByLabel("Version").fill("2.5.0");
  await expect(secret.getByTestId("curl-line")).toHaveText(
    `curl -X POST -H "X-Api-Key: $KEY" -H "Content-Type: application/vnd.cyclonedx+json" --data-binary @bom.json "${baseURL}/api/v1/orgs/${ORG.slug}/products/${PRODUCT.slug}/versions/2.5.0/artifacts?auto_create=true"`,
  );
  await shot(page, "16-api-key-created");
  await secret.getByRole("button", { name: /close|Done/ }).last().click();
  await expect(page.getByRole("row").filter({ hasText: "GitLab release pipeline" }).getByText("Never used")).toBeVisible();

  // Members join by invitation: without a mail server the admin passes the one-time link on.
  await page.getByRole("link", { name: "Members" }).click();
  await page.getByRole("button", { name: "Invite member" }).click();
  const invite = page.getByRole("dialog", { name: "Invite member" });
  await invite.getByLabel("E-mail").fill("pete@acme.example");
  await invite.getByLabel("Role").selectOption("publisher");
  await invite.getByRole("button", { name: "Send invitation" }).click();
  const created = page.getByRole("dialog", { name: "Invitation created" });
  await expect(created.getByText("Copy this invitation link now. It is only shown once.")).toBeVisible();
  const acceptUrl = new URL(await created.getByTestId("secret-value").inputValue());
  expect(acceptUrl.pathname).toBe("/admin/invitation");
  expect(acceptUrl.hash).toMatch(/^#spi_/);
  await shot(page, "17-invitation-link");
  await created.getByRole("button", { name: /close|Done/ }).last().click();
  await expect(page.getByRole("table", { name: "Invitations" }).getByRole("row").filter({ hasText: "pete@acme.example" })).toContainText(
    "Pending",
  );

  // Pete opens the link in his own browser, chooses a password and his name, and signs in.
  const { ctx, page: pete } = await customerPage(browser, guard, baseURL!);
  await pete.goto(`${acceptUrl.pathname}${acceptUrl.hash}`);
  await expect(pete.getByRole("heading", { name: "Accept invitation" })).toBeVisible();
  await pete.getByLabel("Password").fill("another long password");
  await pete.getByLabel("Your name").fill("Pete Publisher");
  await pete.getByRole("button", { name: "Accept invitation" }).click();
  await expect(pete.getByText(`You joined ${ORG.name} as Publisher. Sign in to continue.`)).toBeVisible();
  await expect(pete.getByLabel("E-mail")).toHaveValue("pete@acme.example");
  await pete.getByLabel("Password").fill("another long password");
  await pete.getByRole("button", { name: "Sign in" }).click();
  await expect(pete.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
  // The link worked once.
  guard.allowHttp(400);
  await pete.goto(`${acceptUrl.pathname}${acceptUrl.hash}`);
  await pete.getByLabel("Password").fill("another long password");
  await pete.getByRole("button", { name: "Accept invitation" }).click();
  await expect(pete.getByRole("alert").filter({ hasText: "Could not accept the invitation" })).toBeVisible();

  await page.reload();
  await expect(page.getByRole("table", { name: "Invitations" }).getByRole("row").filter({ hasText: "pete@acme.example" })).toContainText(
    "Accepted",
  );
  const row = page.getByRole("row").filter({ hasText: "Pete Publisher" });
  await expect(row).toBeVisible();
  await row.getByLabel("Role of Pete Publisher").selectOption("viewer");
  await expect(row.getByLabel("Role of Pete Publisher")).toHaveValue("viewer");

  // A forgotten password: the admin creates a one-time reset link; Pete sets a new password with it.
  await row.getByRole("button", { name: "Reset link for Pete Publisher" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Create reset link" }).click();
  const reset = page.getByRole("dialog", { name: "Reset link created" });
  const resetUrl = new URL(await reset.getByTestId("secret-value").inputValue());
  expect(resetUrl.pathname).toBe("/admin/reset-password");
  await reset.getByRole("button", { name: /close|Done/ }).last().click();
  await pete.goto(`${resetUrl.pathname}${resetUrl.hash}`);
  await pete.getByLabel("New password", { exact: true }).fill("a third long password");
  await pete.getByLabel("Confirm new password").fill("a third long password");
  await pete.getByRole("button", { name: "Set new password" }).click();
  await expect(pete.getByText(/Your password is changed/)).toBeVisible();
  await pete.getByLabel("E-mail").fill("pete@acme.example");
  await pete.getByLabel("Password").fill("a third long password");
  await pete.getByRole("button", { name: "Sign in" }).click();
  await expect(pete.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
  await ctx.close();

  await row.getByRole("button", { name: "Deactivate" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Deactivate" }).click();
  await expect(row.getByText("Deactivated")).toBeVisible();
  await shot(page, "17-members");
});

test("phone width: the sidebar becomes a menu; tables scroll", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ reducedMotion: "reduce" });
  await signIn(page);
  await expect(page.getByRole("complementary", { name: "Console navigation" })).toBeHidden();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await shot(page, "18-phone-overview");
  await page.getByRole("button", { name: "Open menu" }).click();
  const nav = page.getByRole("complementary", { name: "Console navigation" });
  await expect(nav).toBeVisible();
  await shot(page, "19-phone-menu");
  await nav.getByRole("link", { name: "Artifacts" }).click();
  await expect(page.getByRole("heading", { name: "Artifacts", level: 1 })).toBeVisible();
  await expect(nav).toBeHidden();
  // Nothing widens the page: wide tables scroll inside their card.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await shot(page, "20-phone-artifacts");

  // The customer portal on a phone.
  await page.goto(`/admin/${ORG.slug}/settings/portal`);
  await page.getByLabel("Public").check();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Saved")).toBeVisible();
  const portalPath = new URL((await page.getByTestId("portal-url").textContent()) ?? "").pathname;
  await page.goto(`${portalPath}/products/${PRODUCT.slug}/versions/${VERSION}`);
  await expect(page.getByRole("heading", { name: `${PRODUCT.name} ${VERSION}`, level: 1 })).toBeVisible();
  await expect(page.getByRole("link", { name: "Sign in with an access token" })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await shot(page, "21-phone-portal-version", { fullPage: false });
  await page.getByRole("heading", { name: "VEX statements" }).scrollIntoViewIfNeeded();
  await shot(page, "22-phone-portal-vex", { fullPage: false });
});

test("What changed: a newer version's SBOM adds a component, and the customer sees it since the earlier version", async ({ page, request }) => {
  // Through the API (the upload UI is covered above): version 2.5.0 with one more component.
  const login = await request.post("/api/v1/auth/login", { data: { email: ADMIN.email, password: ADMIN.password } });
  const token = (await login.json()).access_token as string;
  const headers = { authorization: `Bearer ${token}` };
  const newer = "2.5.0";
  const created = await request.post(`/api/v1/orgs/${ORG.slug}/products/${PRODUCT.slug}/versions`, {
    headers,
    data: { version: newer, release_date: "2025-06-01" },
  });
  expect(created.status()).toBe(201);
  const sbom = JSON.parse(SBOM.toString("utf8"));
  sbom.serialNumber = "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b99";
  sbom.components.push({ type: "library", name: "libnew", version: "1.0.0", "bom-ref": "libnew", purl: "pkg:generic/libnew@1.0.0" });
  const up = await request.post(`/api/v1/orgs/${ORG.slug}/products/${PRODUCT.slug}/versions/${newer}/artifacts?publish=true`, {
    headers: { ...headers, "content-type": "application/vnd.cyclonedx+json" },
    data: JSON.stringify(sbom),
  });
  expect(up.status(), await up.text()).toBe(201);
  await signIn(page);
  await page.goto(`/admin/${ORG.slug}/settings/portal`);
  const portalPath = new URL((await page.getByTestId("portal-url").textContent()) ?? "").pathname;
  await page.goto(`${portalPath}/products/${PRODUCT.slug}/versions/${newer}`);
  const changes = page.getByRole("region", { name: new RegExp(`What changed since\\s*${VERSION.replace(/\./g, "\\.")}`) });
  await expect(changes).toBeVisible();
  await expect(changes.getByRole("row").filter({ hasText: "libnew" })).toContainText("Added");
  await shot(page, "23-portal-what-changed");
});

test("Your account: sessions; a password change signs the other sessions out; then sign out everywhere", async ({ page, request, guard }) => {
  guard.allowHttp(400);
  const NEW_PASSWORD = "a brand new passphrase";
  // Another browser: a session opened through the API.
  const other = await request.post("/api/v1/auth/login", { data: { email: ADMIN.email, password: ADMIN.password } });
  const otherToken = (await other.json()).access_token as string;
  await signIn(page);
  await page.goto(`/admin/${ORG.slug}/account`);
  const sessions = page.getByRole("table", { name: "Your sessions" });
  const current = sessions.getByRole("row").filter({ hasText: "This session" });
  await expect(current).toHaveCount(1);
  await expect(current).toContainText("Chrome");
  expect(await sessions.getByRole("row").count()).toBeGreaterThan(2);

  // A wrong current password: the server's message sits under the field.
  await page.getByLabel("Current password").fill("not my password");
  await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel("Confirm new password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByLabel("Current password")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("is not your current password")).toBeVisible();

  // The right one: every other session ends, this one stays.
  await page.getByLabel("Current password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Password changed")).toBeVisible();
  await expect(sessions.getByRole("row")).toHaveCount(2);
  expect((await request.get("/api/v1/me", { headers: { authorization: `Bearer ${otherToken}` } })).status()).toBe(401);
  await shot(page, "24-account");

  // Sign out everywhere, this session included: back to the sign-in page.
  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  await page.getByRole("alertdialog", { name: "Sign out everywhere?" }).getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page).toHaveURL(/\/admin\/login\?reason=signed-out$/);
  await expect(page.getByText("You are signed out.")).toBeVisible();

  // Put the password back for anything that runs after this.
  const again = await request.post("/api/v1/auth/login", { data: { email: ADMIN.email, password: NEW_PASSWORD } });
  expect(again.status()).toBe(200);
  const restored = await request.post("/api/v1/me/password", {
    headers: { authorization: `Bearer ${(await again.json()).access_token as string}` },
    data: { current_password: NEW_PASSWORD, new_password: ADMIN.password },
  });
  expect(restored.status()).toBe(204);
});

test("Two-factor sign-in: turned on with a QR code, asked for at sign-in, a recovery code works, then off", async ({ page, request, guard }) => {
  guard.allowHttp(400, 401);
  await signIn(page);
  await page.goto(`/admin/${ORG.slug}/account`);
  const section = page.getByRole("region", { name: "Two-factor sign-in" });
  await expect(section.getByText("Off", { exact: true })).toBeVisible();
  await section.getByRole("button", { name: "Turn on" }).click();
  await expect(section.getByRole("img", { name: /QR code/ })).toBeVisible();
  const secret = ((await section.getByTestId("totp-secret").textContent()) ?? "").replace(/\s/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  await shot(page, "25-two-factor-enrol");
  await section.getByLabel("Code from the app").fill(totpCode(secret));
  await section.getByRole("button", { name: "Confirm and turn on" }).click();
  const dialog = page.getByRole("dialog", { name: "Two-factor sign-in is on" });
  await expect(dialog.getByText("Store these recovery codes now. They are only shown once.")).toBeVisible();
  const codes = await dialog.getByRole("list", { name: "Recovery codes" }).getByRole("listitem").allTextContents();
  expect(codes).toHaveLength(10);
  await shot(page, "26-recovery-codes");
  await dialog.getByRole("button", { name: /I have stored them|Done/ }).click();
  await expect(section.getByText("On", { exact: true })).toBeVisible();

  // Signing in again: the password alone is not enough.
  await page.getByRole("button", { name: "Sign out", exact: true }).first().click();
  await expect(page).toHaveURL(/\/admin\/login/);
  await page.getByLabel("E-mail").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  const code = page.getByLabel("One-time code");
  await expect(code).toBeVisible();
  await expect(code).toHaveAttribute("autocomplete", "one-time-code");
  await code.fill("abcdef");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("The one-time code does not match", { exact: false })).toBeVisible();
  await expect(code).toHaveAttribute("aria-invalid", "true");
  await page.getByRole("button", { name: /Use a recovery code/ }).click();
  await page.getByLabel("Recovery code").fill(codes[0]!);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();

  // Off again with another recovery code; the password alone signs in once more.
  await page.goto(`/admin/${ORG.slug}/account`);
  await expect(section.getByText("On", { exact: true })).toBeVisible();
  await section.getByRole("button", { name: "Turn off" }).click();
  await section.getByLabel("Current code or recovery code").fill(codes[1]!);
  await section.getByRole("button", { name: "Turn off two-factor sign-in" }).click();
  await expect(section.getByText(/Two-factor sign-in is off/)).toBeVisible();
  await expect(section.getByText("Off", { exact: true })).toBeVisible();
  const plain = await request.post("/api/v1/auth/login", { data: { email: ADMIN.email, password: ADMIN.password } });
  expect(plain.status()).toBe(200);
});
