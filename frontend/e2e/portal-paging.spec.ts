import { readFileSync } from "node:fs";
import path from "node:path";
import { request as playwrightRequest, type APIRequestContext } from "@playwright/test";
import { test, expect, shot, smallPages } from "./fixtures";
import { adminHeaders, enablePortal, ok, signIn } from "./admin";

// The customer portal's lists come a page at a time (the server's keyset paging, the next page in
// the `Link` header): a customer pages through its products and through advisories filtered by
// CVE, the filter kept on every page; the product picker still offers every product. The
// administrator's overview then links the customer's download to its version and its artifact.
//
// Pages are made small (`limit`) in the browser so that a few products span several pages.
// Runs after journey.spec.ts (which needs a fresh server), on the same server, or on its own.
test.describe.configure({ mode: "serial" });

const SAMPLES = process.env.PORTAL_SAMPLES_DIR ?? "/work/shared/samples";
const CVE = "CVE-2022-27193";
const stamp = Date.now().toString(36);
const PRODUCTS = [
  { name: `Paging Valve ${stamp}`, slug: `paging-valve-${stamp}`, description: "Valve controller." },
  { name: `Paging Meter ${stamp}`, slug: `paging-meter-${stamp}`, description: "Flow meter." },
  { name: `Paging Relay ${stamp}`, slug: `paging-relay-${stamp}`, description: "Safety relay." },
];
const VERSION = { version: "1.0.0", release_date: "2025-01-01", support_until: "2031-12-31" };
const ADVISORIES = [1, 2, 3].map((n) => `PAGING-${stamp}-${n}`.toUpperCase());

let org = "";
let portalSlug = "";
let token = "";
let firstAdvisoryId = "";

/** A copy of a real CSAF advisory under its own tracking id (its own bytes, so uploads never clash). */
function advisory(trackingId: string): string {
  const doc = JSON.parse(readFileSync(path.join(SAMPLES, "csaf/valid/bsi-2022-0001.csaf_security_advisory.json"), "utf8"));
  doc.document.tracking.id = trackingId;
  return JSON.stringify(doc);
}

async function seed(api: APIRequestContext) {
  const headers = await adminHeaders(api);
  const me = await ok<{ memberships: { organization: { slug: string } }[] }>(await api.get("/api/v1/me", { headers }), "me");
  org = me.memberships[0]!.organization.slug;
  const o = `/api/v1/orgs/${org}`;
  const ids: string[] = [];
  for (const pr of PRODUCTS) {
    ids.push((await ok<{ id: string }>(await api.post(`${o}/products`, { headers, data: pr }), `product ${pr.slug}`)).id);
    await ok(await api.post(`${o}/products/${pr.slug}/versions`, { headers, data: VERSION }), `version of ${pr.slug}`);
  }
  // One advisory per product (the portal shows a product once something of it is published).
  for (const [i, id] of ADVISORIES.entries()) {
    const r = await api.post(
      `${o}/products/${PRODUCTS[i]!.slug}/versions/${VERSION.version}/artifacts?kind=advisory&publish=true&filename=${id.toLowerCase()}.json`,
      { headers: { ...headers, "content-type": "application/json" }, data: advisory(id) },
    );
    const a = await ok<{ id: string }>(r, `advisory ${id}`);
    firstAdvisoryId ||= a.id;
  }

  portalSlug = await enablePortal(api, o, headers);
  // A customer who sees exactly these products (and so exactly these advisories).
  const created = await ok<{ token: string }>(
    await api.post(`${o}/portal/tokens`, { headers, data: { name: `Paging Customer ${stamp}`, expires_in: "30d", product_ids: ids } }),
    "token",
  );
  token = created.token;
}

test.beforeAll(async () => {
  const api = await playwrightRequest.newContext({ baseURL: process.env.PORTAL_E2E_URL });
  try {
    await seed(api);
  } finally {
    await api.dispose();
  }
});

test("the customer pages through products and filtered advisories; the picker offers every product", async ({ browser, baseURL, guard }) => {
  const ctx = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 } });
  const customer = await ctx.newPage();
  guard.watch(customer, "customer");
  await smallPages(customer, 2);
  await customer.goto(`/portal/${portalSlug}/login`);
  await customer.getByLabel("Access token").fill(token);
  await customer.getByRole("button", { name: "Sign in" }).click();
  await expect(customer.getByText(`Signed in as Paging Customer ${stamp}`)).toBeVisible();

  // Products by name: Meter, Relay on the first page, Valve on the next.
  await customer.goto(`/portal/${portalSlug}`);
  const names = customer.locator(".product-card h2");
  await expect(names).toHaveText([PRODUCTS[1]!.name, PRODUCTS[2]!.name]);
  const more = customer.getByRole("button", { name: "Show more products" });
  await shot(customer, "60-portal-products-first-page");
  await more.click();
  await expect(names).toHaveText([PRODUCTS[1]!.name, PRODUCTS[2]!.name, PRODUCTS[0]!.name]);
  await expect(more).toHaveCount(0);

  // Advisories about one CVE: two, then the third, each page asked with the filter.
  const asked: URL[] = [];
  customer.on("request", (r) => {
    const u = new URL(r.url());
    if (u.pathname.endsWith("/advisories")) asked.push(u);
  });
  await customer.getByRole("link", { name: "Security advisories" }).click();
  await customer.getByRole("textbox", { name: "CVE", exact: true }).fill(CVE);
  await customer.getByRole("button", { name: "Filter" }).click();
  await expect(customer).toHaveURL(new RegExp(`[?&]cve=${CVE}`));
  // The address changes at once, the page follows in a transition: until the list says it holds
  // the filtered advisories, a "Show more" on screen may still be the unfiltered list's.
  await expect(customer.getByRole("status").filter({ hasText: "Showing" })).toHaveText(`Showing 2 advisories about ${CVE} — more below`);
  const items = customer.locator(".artifact-item");
  await expect(items).toHaveCount(2);
  await customer.getByRole("button", { name: "Show more advisories" }).click();
  await expect(items).toHaveCount(3);
  await expect(customer.getByRole("button", { name: "Show more advisories" })).toHaveCount(0);
  for (const id of ADVISORIES) await expect(customer.getByText(id, { exact: true })).toBeVisible();
  const withCursor = asked.filter((u) => u.searchParams.has("cursor"));
  expect(withCursor.length).toBeGreaterThan(0);
  for (const u of withCursor) expect(u.searchParams.get("cve")).toBe(CVE);
  await shot(customer, "61-portal-advisories-all-pages");

  // The picker reads every page of products.
  const picker = customer.getByRole("combobox", { name: "Product", exact: true });
  await expect(picker.locator("option")).toHaveText(["All products", PRODUCTS[1]!.name, PRODUCTS[2]!.name, PRODUCTS[0]!.name]);
  await picker.selectOption(PRODUCTS[1]!.slug);
  await expect(customer.getByRole("status").filter({ hasText: "Showing" })).toHaveText(`Showing 1 advisory about ${CVE} for ${PRODUCTS[1]!.name}`);
  await expect(items).toHaveCount(1);
  await expect(items).toContainText(ADVISORIES[1]!);
  await ctx.close();
});

test("the overview links a customer's download to its version and its artifact", async ({ page, request }) => {
  // The customer downloads an advisory with its token, as a tool would.
  const dl = await request.get(`/api/v1/portal/${portalSlug}/artifacts/${firstAdvisoryId}/download`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(dl.ok()).toBe(true);

  await signIn(page);
  const activity = page.getByTestId("recent-activity");
  const row = activity.getByRole("row").filter({ hasText: `Paging Customer ${stamp}` }).filter({ hasText: ADVISORIES[0]!.toLowerCase() }).first();
  await expect(row.getByRole("link", { name: `${PRODUCTS[0]!.name} ${VERSION.version}` })).toHaveAttribute(
    "href",
    `/admin/${org}/products/${PRODUCTS[0]!.slug}/versions/${VERSION.version}`,
  );
  await shot(page, "62-overview-activity-links");
  await row.getByRole("link", { name: `${ADVISORIES[0]!.toLowerCase()}.json` }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/${org}/artifacts/${firstAdvisoryId}$`));
});
