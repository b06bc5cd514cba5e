import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { request as playwrightRequest, type APIRequestContext, type Page } from "@playwright/test";
import { test, expect, smallPages } from "./fixtures";
import { adminHeaders, adminToken, ok } from "./admin";

// Every screen of the console and of the customer portal, at a laptop's 1280×900 and a phone's
// 390×844, on realistic data (long names, long file names, real SBOM/VEX/CSAF samples):
//
// - the page never scrolls sideways;
// - at 1280 no table is wider than its column (nobody scrolls a table sideways on a laptop);
// - at 390 a table wider than the screen scrolls inside its own container, which says so (a hint);
// - no button is cut off, no cell spills its content, no dialog scrolls sideways, nothing is drawn
//   over something else, no word or slug breaks mid-word, the sidebar agrees with the breadcrumb;
// - a full-page screenshot of each lands in test-results/layout/ (gitignored) to be looked at.
//
// Dialogs, a rejected upload and the phone's menu are screens of their own (`act`). Seeding goes
// through the API once per server; the setup page replays a first-run status answer.
//
// The route list below is checked against the route files: a route added there and not here fails.

const here = path.dirname(fileURLToPath(import.meta.url));
const SRC = path.resolve(here, "../src");
const OUT = path.resolve(here, "../test-results/layout");
const SAMPLES = process.env.PORTAL_SAMPLES_DIR ?? "/work/shared/samples";

// The journey's administrator: this spec runs on the same server, after it or on its own.

const PRODUCT = {
  name: "Industrial Edge Gateway IEG-4000 Series with Extended Long-Term Support",
  slug: "industrial-edge-gateway-ieg-4000-series-extended-lts",
  description:
    "Ruggedised DIN-rail edge gateway for brownfield factory networks: OPC UA, Modbus/TCP and MQTT bridging, " +
    "signed firmware updates, and a hardened Linux base image maintained for ten years.",
};
const OTHER_PRODUCT = { name: "Sensor Hub", slug: "sensor-hub", description: "Battery-powered LoRaWAN sensor hub." };
const VERSIONS = {
  old: { version: "2.0.0", release_date: "2023-01-15", support_until: "2025-01-31", status: "end_of_support" },
  current: { version: "3.1.4", release_date: "2025-02-01", support_until: "2030-12-31" },
  beta: { version: "3.2.0-beta.2", release_date: "2025-06-14", support_until: "2031-06-30" },
} as const;
const LONG_SBOM_NAME = "industrial-edge-gateway-ieg-4000-firmware-3.1.4-full-system-image-sbom.cdx-1.4.json";
const CVE = "CVE-2024-3094";
const TOKEN_NAME = "Müller-Lüdenscheidt Industrieautomation GmbH & Co. KG (Procurement)";

interface Seed {
  url: string;
  org: string;
  portal: string;
  product: string;
  token: string;
  tokenId: string;
  sbomId: string;
  vexId: string;
  csafId: string;
  withdrawnId: string;
  spdxId: string;
}

const VIEWPORTS = [
  { name: "laptop", width: 1280, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;
type Viewport = (typeof VIEWPORTS)[number];

// ---------------------------------------------------------------------------------------------
// The routes

const ROUTE_FILES = {
  app: "App.tsx",
  admin: "admin/AdminApp.tsx",
  adminPortal: "admin/portal/routes.tsx",
  portal: "portal/PortalApp.tsx",
} as const;

interface Screen {
  /** Which route file declares it, and its `path=` there ("index" for an index route). */
  file: keyof typeof ROUTE_FILES;
  route: string;
  name: string;
  as: "admin" | "customer" | "nobody";
  url: (s: Seed) => string;
  /** The document title it must reach (proves the page loaded, not an error or a redirect). */
  title: (s: Seed) => RegExp;
  /** Something to do before measuring: open a dialog, upload a rejected file… */
  act?: (page: Page, s: Seed) => Promise<void>;
  only?: Viewport["name"];
  /** A dialog or the menu is open over the page: the screenshot is of the screen. */
  overlay?: boolean;
  allowHttp?: number[];
  setup?: (page: Page) => Promise<void>;
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const t = (s: string) => new RegExp(`^${esc(s)} · Supplier Portal$`);
/** Where /admin and /admin/:org land: the organisation's home. */
const HOME = /^(Overview|Products) · Supplier Portal$/;
const adm = (s: Seed, rest: string) => `/admin/${s.org}/${rest}`;
const prod = (s: Seed, rest = "") => adm(s, `products/${PRODUCT.slug}${rest}`);
const cust = (s: Seed, rest = "") => `/portal/${s.portal}${rest}`;

async function dropFile(page: Page, file: string, name = path.basename(file)) {
  const content = readFileSync(file, "utf8");
  const dataTransfer = await page.evaluateHandle(
    ({ name, content }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([content], name, { type: "application/json" }));
      return dt;
    },
    { name, content },
  );
  await page.dispatchEvent('[data-testid="dropzone"]', "dragenter", { dataTransfer });
  await page.dispatchEvent('[data-testid="dropzone"]', "drop", { dataTransfer });
}

const SCREENS: Screen[] = [
  // App.tsx
  { file: "app", route: "/", name: "root-redirect", as: "admin", url: () => "/", title: () => HOME },
  { file: "app", route: "/admin/*", name: "admin-redirect", as: "admin", url: () => "/admin", title: () => HOME },
  { file: "app", route: "/portal/:slug/*", name: "portal-products", as: "customer", url: (s) => cust(s), title: () => /Industrial Edge Gateway Security/ },
  { file: "app", route: "*", name: "not-found", as: "nobody", url: () => "/no-such-page", title: () => t("Not found") },

  // admin/AdminApp.tsx
  {
    file: "admin",
    route: "setup",
    name: "admin-setup",
    as: "nobody",
    url: () => "/admin/setup",
    title: () => t("Set up"),
    // The server is set up already: its status answer is replayed as on a first run.
    setup: async (page) => {
      await page.route("**/api/v1/setup", (r) =>
        r.request().method() === "GET"
          ? r.fulfill({ json: { setup_required: true, setup_code_required: true } })
          : r.continue(),
      );
    },
  },
  { file: "admin", route: "login", name: "admin-login", as: "nobody", url: () => "/admin/login?reason=expired", title: () => t("Sign in") },
  {
    file: "admin",
    route: "login",
    name: "admin-forgot-password",
    as: "nobody",
    url: () => "/admin/login",
    title: () => t("Sign in"),
    act: async (page) => {
      await page.getByRole("button", { name: "Forgot password?" }).click();
      await expect(page.getByRole("heading", { name: "Forgot your password?" })).toBeVisible();
    },
  },
  // Without a session in the fragment the single sign-on landing goes back to sign in, saying why.
  { file: "admin", route: "sso", name: "admin-sso-failed", as: "nobody", url: () => "/admin/sso", title: () => t("Sign in") },
  {
    file: "admin",
    route: "invitation",
    name: "admin-invitation",
    as: "nobody",
    url: () => "/admin/invitation#spi_layout-example-secret",
    title: () => t("Accept invitation"),
  },
  {
    file: "admin",
    route: "reset-password",
    name: "admin-reset-password",
    as: "nobody",
    url: () => "/admin/reset-password#spr_layout-example-secret",
    title: () => t("Choose a new password"),
  },
  { file: "admin", route: ":org", name: "admin-org-redirect", as: "admin", url: (s) => `/admin/${s.org}`, title: () => HOME },
  { file: "admin", route: "overview", name: "admin-overview", as: "admin", url: (s) => adm(s, "overview"), title: () => t("Overview") },
  { file: "admin", route: "products", name: "admin-products", as: "admin", url: (s) => adm(s, "products"), title: () => t("Products") },
  {
    file: "admin",
    route: "products",
    name: "admin-products-new-dialog",
    overlay: true,
    as: "admin",
    url: (s) => adm(s, "products"),
    title: () => t("Products"),
    act: async (page) => {
      await page.getByRole("button", { name: "New product" }).first().click();
      await expect(page.getByRole("dialog", { name: "New product" })).toBeVisible();
    },
  },
  { file: "admin", route: "products/:product", name: "admin-product", as: "admin", url: (s) => prod(s), title: () => t(PRODUCT.name) },
  {
    file: "admin",
    route: "products/:product/versions/:version",
    name: "admin-version",
    as: "admin",
    url: (s) => prod(s, `/versions/${VERSIONS.current.version}`),
    title: () => t(`${PRODUCT.name} ${VERSIONS.current.version}`),
  },
  {
    file: "admin",
    route: "products/:product/versions/:version",
    name: "admin-version-beta",
    as: "admin",
    url: (s) => prod(s, `/versions/${VERSIONS.beta.version}`),
    title: () => t(`${PRODUCT.name} ${VERSIONS.beta.version}`),
  },
  {
    file: "admin",
    route: "products/:product/versions/:version",
    name: "admin-version-publish-dialog",
    overlay: true,
    as: "admin",
    url: (s) => prod(s, `/versions/${VERSIONS.current.version}`),
    title: () => t(`${PRODUCT.name} ${VERSIONS.current.version}`),
    act: async (page) => {
      await page.getByRole("button", { name: `Publish SBOM ${LONG_SBOM_NAME}` }).click();
      await expect(page.getByRole("alertdialog", { name: `Publish ${LONG_SBOM_NAME}?` })).toBeVisible();
    },
  },
  {
    file: "admin",
    route: "products/:product/versions/:version",
    name: "admin-version-withdraw-dialog",
    overlay: true,
    as: "admin",
    url: (s) => prod(s, `/versions/${VERSIONS.current.version}`),
    title: () => t(`${PRODUCT.name} ${VERSIONS.current.version}`),
    act: async (page) => {
      const name = "redhat-ose-cinder-csi-operator-amd64-syft.cdx-1.6.json";
      await page.getByRole("button", { name: `Withdraw SBOM ${name}` }).click();
      await expect(page.getByRole("alertdialog", { name: `Withdraw ${name}?` })).toBeVisible();
    },
  },
  {
    file: "admin",
    route: "products/:product/versions/:version",
    name: "admin-version-upload-rejected",
    as: "admin",
    url: (s) => prod(s, `/versions/${VERSIONS.beta.version}`),
    title: () => t(`${PRODUCT.name} ${VERSIONS.beta.version}`),
    allowHttp: [422],
    act: async (page) => {
      await dropFile(page, path.join(SAMPLES, "csaf/invalid/oasis-6-1-08-01-invalid-cvss.json"));
      await page.getByLabel("Kind").selectOption("advisory");
      await page.getByRole("button", { name: "Upload", exact: true }).click();
      const alert = page.getByRole("alert").filter({ hasText: "rejected" });
      await expect(alert).toBeVisible();
      // The parser's own words, unfolded: they must stay inside their cell.
      for (const summary of await alert.locator("summary").all()) await summary.click();
    },
  },
  {
    file: "admin",
    route: "products/:product/checklist",
    name: "admin-checklist",
    as: "admin",
    url: (s) => prod(s, "/checklist"),
    title: () => t(`CRA checklist · ${PRODUCT.name}`),
  },
  { file: "admin", route: "artifacts", name: "admin-artifacts", as: "admin", url: (s) => adm(s, "artifacts"), title: () => t("Artifacts") },
  {
    file: "admin",
    route: "artifacts/:id",
    name: "admin-artifact-sbom",
    as: "admin",
    url: (s) => adm(s, `artifacts/${s.sbomId}`),
    title: () => / · Supplier Portal$/,
  },
  { file: "admin", route: "artifacts/:id", name: "admin-artifact-spdx", as: "admin", url: (s) => adm(s, `artifacts/${s.spdxId}`), title: () => / · Supplier Portal$/ },
  { file: "admin", route: "artifacts/:id", name: "admin-artifact-vex", as: "admin", url: (s) => adm(s, `artifacts/${s.vexId}`), title: () => / · Supplier Portal$/ },
  { file: "admin", route: "artifacts/:id", name: "admin-artifact-csaf", as: "admin", url: (s) => adm(s, `artifacts/${s.csafId}`), title: () => / · Supplier Portal$/ },
  {
    file: "admin",
    route: "artifacts/:id",
    name: "admin-artifact-withdrawn",
    as: "admin",
    url: (s) => adm(s, `artifacts/${s.withdrawnId}`),
    title: () => / · Supplier Portal$/,
  },
  { file: "admin", route: "vulnerabilities", name: "admin-vulnerabilities", as: "admin", url: (s) => adm(s, "vulnerabilities"), title: () => t("Vulnerabilities") },
  {
    file: "admin",
    route: "vulnerabilities/:id",
    name: "admin-vulnerability",
    as: "admin",
    url: (s) => adm(s, `vulnerabilities/${CVE}`),
    title: () => t(`${CVE} · Vulnerabilities`),
  },
  { file: "admin", route: "notifications", name: "admin-notifications", as: "admin", url: (s) => adm(s, "notifications"), title: () => t("Notifications") },
  { file: "admin", route: "settings/members", name: "admin-members", as: "admin", url: (s) => adm(s, "settings/members"), title: () => t("Members") },
  {
    file: "admin",
    route: "settings/members",
    name: "admin-members-invite-dialog",
    overlay: true,
    as: "admin",
    url: (s) => adm(s, "settings/members"),
    title: () => t("Members"),
    act: async (page) => {
      await page.getByRole("button", { name: "Invite member" }).click();
      await expect(page.getByRole("dialog", { name: "Invite member" })).toBeVisible();
    },
  },
  { file: "admin", route: "settings/api-keys", name: "admin-api-keys", as: "admin", url: (s) => adm(s, "settings/api-keys"), title: () => t("API Keys") },
  { file: "admin", route: "settings/audit-log", name: "admin-audit-log", as: "admin", url: (s) => adm(s, "settings/audit-log"), title: () => t("Audit Log") },
  {
    file: "admin",
    route: "settings/checklist-template",
    name: "admin-checklist-template",
    as: "admin",
    url: (s) => adm(s, "settings/checklist-template"),
    title: () => t("Checklist template"),
  },
  { file: "admin", route: "account", name: "admin-account", as: "admin", url: (s) => adm(s, "account"), title: () => t("Your account") },
  { file: "admin", route: "*", name: "admin-not-found", as: "admin", url: (s) => adm(s, "no-such-screen"), title: () => t("Not found") },
  {
    file: "admin",
    route: "products",
    name: "admin-phone-menu",
    overlay: true,
    as: "admin",
    only: "phone",
    url: (s) => adm(s, "products"),
    title: () => t("Products"),
    act: async (page) => {
      await page.getByRole("button", { name: "Open menu" }).click();
      await expect(page.getByRole("complementary", { name: "Console navigation" })).toBeVisible();
    },
  },

  // admin/portal/routes.tsx
  { file: "adminPortal", route: "settings/portal", name: "admin-portal-settings", as: "admin", url: (s) => adm(s, "settings/portal"), title: () => t("Supplier Portal") },
  {
    file: "adminPortal",
    route: "settings/portal/tokens",
    name: "admin-portal-tokens",
    as: "admin",
    url: (s) => adm(s, "settings/portal/tokens"),
    title: () => t("Access Tokens"),
  },
  {
    file: "adminPortal",
    route: "settings/portal/tokens/:id",
    name: "admin-portal-token-usage",
    as: "admin",
    url: (s) => adm(s, `settings/portal/tokens/${s.tokenId}`),
    title: () => t(`${TOKEN_NAME} · Access token`),
  },
  {
    file: "adminPortal",
    route: "settings/portal/tokens/:id/subscriptions",
    name: "admin-portal-token-subscriptions",
    as: "admin",
    url: (s) => adm(s, `settings/portal/tokens/${s.tokenId}/subscriptions`),
    title: () => t(`${TOKEN_NAME} · Subscriptions`),
  },
  {
    file: "adminPortal",
    route: "settings/portal/renewals",
    name: "admin-portal-renewals",
    as: "admin",
    url: (s) => adm(s, "settings/portal/renewals"),
    title: () => t("Renewal requests"),
  },
  {
    file: "adminPortal",
    route: "settings/portal/access-requests",
    name: "admin-portal-access-requests",
    as: "admin",
    url: (s) => adm(s, "settings/portal/access-requests"),
    title: () => / · Supplier Portal$/,
  },
  {
    file: "adminPortal",
    route: "settings/portal/tokens/:id/preview",
    name: "admin-portal-token-preview",
    as: "admin",
    url: (s) => adm(s, `settings/portal/tokens/${s.tokenId}/preview`),
    title: () => t(`View as ${TOKEN_NAME}`),
  },
  {
    file: "adminPortal",
    route: "settings/portal/preview",
    name: "admin-portal-anonymous-preview",
    as: "admin",
    url: (s) => adm(s, "settings/portal/preview"),
    title: () => / · Supplier Portal$/,
  },
  {
    file: "adminPortal",
    route: "settings/portal/distribution",
    name: "admin-portal-distribution",
    as: "admin",
    url: (s) => adm(s, "settings/portal/distribution"),
    title: () => t("Distribution"),
  },
  {
    file: "adminPortal",
    route: "settings/portal/statistics",
    name: "admin-portal-statistics",
    as: "admin",
    url: (s) => adm(s, "settings/portal/statistics"),
    title: () => t("Statistics"),
  },

  // portal/PortalApp.tsx
  {
    file: "portal",
    route: "login",
    name: "portal-login",
    as: "nobody",
    url: (s) => cust(s, "/login"),
    // A cold visit of a private portal asks nothing that answers 401 (the console would log it).
    title: () => /^Sign in · /,
  },
  {
    file: "portal",
    route: "request-access",
    name: "portal-request-access",
    as: "nobody",
    url: (s) => cust(s, "/request-access"),
    title: () => /^Request access · Industrial Edge Gateway Security/,
  },
  { file: "portal", route: "index", name: "portal-index", as: "customer", url: (s) => cust(s), title: () => /Industrial Edge Gateway Security/ },
  {
    file: "portal",
    route: "index",
    name: "portal-index-paged",
    as: "customer",
    url: (s) => cust(s),
    title: () => /Industrial Edge Gateway Security/,
    // One product a page: the list ends in "Show more products".
    setup: (page) => smallPages(page, 1),
    act: async (page) => {
      await expect(page.getByRole("button", { name: "Show more products" })).toBeVisible();
    },
  },
  {
    file: "portal",
    route: "products/:product",
    name: "portal-product",
    as: "customer",
    url: (s) => cust(s, `/products/${PRODUCT.slug}`),
    title: () => t(PRODUCT.name),
  },
  {
    file: "portal",
    route: "products/:product/versions/:version",
    name: "portal-version",
    as: "customer",
    url: (s) => cust(s, `/products/${PRODUCT.slug}/versions/${VERSIONS.current.version}`),
    title: () => t(`${PRODUCT.name} ${VERSIONS.current.version}`),
  },
  {
    file: "portal",
    route: "products/:product/versions/:version",
    name: "portal-version-old",
    as: "customer",
    url: (s) => cust(s, `/products/${PRODUCT.slug}/versions/${VERSIONS.old.version}`),
    title: () => t(`${PRODUCT.name} ${VERSIONS.old.version}`),
  },
  {
    file: "portal",
    route: "products/:product/checklist",
    name: "portal-checklist",
    as: "customer",
    url: (s) => cust(s, `/products/${PRODUCT.slug}/checklist`),
    title: () => t(`CRA checklist · ${PRODUCT.name}`),
  },
  { file: "portal", route: "advisories", name: "portal-advisories", as: "customer", url: (s) => cust(s, "/advisories"), title: () => t("Security advisories") },
  {
    file: "portal",
    route: "vulnerabilities/:id",
    name: "portal-vulnerability",
    as: "customer",
    url: (s) => cust(s, `/vulnerabilities/${CVE}`),
    title: () => t(`Am I affected by ${CVE}?`),
  },
  { file: "portal", route: "notifications", name: "portal-notifications", as: "customer", url: (s) => cust(s, "/notifications"), title: () => t("Notifications") },
  { file: "portal", route: "access", name: "portal-access", as: "customer", url: (s) => cust(s, "/access"), title: () => t("Your access") },
];

// ---------------------------------------------------------------------------------------------
// Seeding, through the API, once per server (a worker restarted after a failure reuses it)

async function customerToken(api: APIRequestContext, portal: string, token: string): Promise<string> {
  const r = await api.post(`/api/v1/portal/${portal}/session`, { data: { token } });
  return (await ok<{ access_token: string }>(r, "portal session")).access_token;
}

async function seed(api: APIRequestContext, url: string): Promise<Seed> {
  const headers = await adminHeaders(api);
  const me = await ok<{ memberships: { organization: { slug: string } }[] }>(await api.get("/api/v1/me", { headers }), "me");
  const org = me.memberships[0]!.organization.slug;
  const o = `/api/v1/orgs/${org}`;
  const p = `${o}/products/${PRODUCT.slug}`;

  for (const pr of [PRODUCT, OTHER_PRODUCT]) {
    await ok(await api.post(`${o}/products`, { headers, data: pr }), `product ${pr.slug}`, [409]);
  }
  for (const v of Object.values(VERSIONS)) {
    await ok(await api.post(`${p}/versions`, { headers, data: v }), `version ${v.version}`, [409]);
  }

  async function upload(version: string, file: string, opts: { kind?: string; publish?: boolean; filename?: string; type?: string } = {}) {
    const params = new URLSearchParams();
    if (opts.kind) params.set("kind", opts.kind);
    if (opts.publish) params.set("publish", "true");
    params.set("filename", opts.filename ?? path.basename(file));
    const r = await api.post(`${p}/versions/${version}/artifacts?${params}`, {
      headers: { ...headers, "content-type": opts.type ?? "application/json" },
      data: readFileSync(path.join(SAMPLES, file)),
    });
    return (await ok<{ id: string }>(r, `upload ${file}`)).id;
  }

  const cur = VERSIONS.current.version;
  await upload(VERSIONS.old.version, "sbom/cyclonedx/redhat-openssl-3.0.7-18.el9_2.cdx-1.6.json", { kind: "sbom", publish: true });
  const sbomId = await upload(cur, "sbom/cyclonedx/redhat-ose-cinder-csi-operator-amd64-syft.cdx-1.6.json", { kind: "sbom", publish: true });
  const spdxId = await upload(cur, "sbom/spdx/redhat-openssl-3.0.7-18.el9_2.spdx-2.3.json", { kind: "sbom" });
  await upload(cur, "sbom/cyclonedx/spring-petclinic-maven.cdx-1.4.json", { kind: "sbom", filename: LONG_SBOM_NAME });
  const vexId = await upload(cur, "vex/cyclonedx/use-case-9-multi-product.cdx-1.4.json", { kind: "vex", publish: true });
  await upload(cur, "vex/openvex/vexctl-sample-2vulns.openvex.json", { kind: "vex", publish: true });
  const csafId = await upload(cur, "csaf/valid/redhat-rhsa-2022_0011.csaf_security_advisory.json", { kind: "advisory", publish: true });
  await upload(cur, "csaf/valid/oasis-2022-evd-uc-03-ms-001.csaf_vex.json", { kind: "vex" });
  const withdrawnId = await upload(cur, "csaf/valid/bsi-2022-0001.csaf_security_advisory.json", { kind: "advisory", publish: true });
  await ok(
    await api.post(`${o}/artifacts/${withdrawnId}/withdraw`, {
      headers,
      data: { reason: "Superseded by the corrected advisory BSI-2022-0001 revision 2 after the affected range was narrowed down" },
    }),
    "withdraw",
    [409],
  );
  await upload(VERSIONS.beta.version, "sbom/cyclonedx/trivy-minikube-kbom.cdx-1.5.json", { kind: "sbom" });

  // A vulnerability triaged across the versions, and one still open.
  await ok(
    await api.post(`${o}/vulnerabilities`, {
      headers,
      data: {
        id: CVE,
        title: "Malicious code in the xz/liblzma upstream tarballs allows unauthorised access through systemd-linked sshd",
        severity: "critical",
        description:
          "Malicious code was discovered in the upstream tarballs of xz, starting with version 5.6.0. The liblzma build " +
          "process extracts a prebuilt object file from a disguised test file, which modifies functions in liblzma.",
        aliases: ["GHSA-rxwq-x6h5-x525"],
        cvss_v3_vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H",
        actively_exploited: true,
      },
    }),
    "vulnerability",
    [409],
  );
  await ok(
    await api.put(`${o}/vulnerabilities/${CVE}/assessments`, {
      headers,
      data: [
        {
          product: PRODUCT.slug,
          version: VERSIONS.old.version,
          status: "not_affected",
          justification: "vulnerable_code_not_present",
          impact_statement: "The 2.x base image ships xz-utils 5.2.5, which predates the backdoored releases.",
        },
        {
          product: PRODUCT.slug,
          version: cur,
          status: "affected",
          action_statement:
            "Install the hotfix package ieg4000-hotfix-2024-03-xz from the service portal, or update to 3.2.0 as soon as it is released.",
        },
        { product: PRODUCT.slug, version: VERSIONS.beta.version, status: "fixed" },
      ],
    }),
    "assessments",
  );
  await ok(await api.post(`${o}/vulnerabilities/${CVE}/publish`, { headers, data: { tlp: "clear" } }), "publish vulnerability", [409]);
  await ok(
    await api.post(`${o}/vulnerabilities`, {
      headers,
      data: { id: "GHSA-4374-p667-p6c8", title: "Request smuggling in the bundled HTTP/1.1 reverse proxy", severity: "high" },
    }),
    "second vulnerability",
    [409],
  );

  // The portal: enabled, private, with long texts; its sign-in page takes access requests behind an
  // NDA (on servers that have the landing page: older ones refuse the field, and are asked without).
  const settings = await ok<{ slug: string }>(await api.get(`${o}/portal`, { headers }), "portal settings");
  const portalSettings = {
    enabled: true,
    visibility: "private",
    slug: settings.slug,
    display_name: "Industrial Edge Gateway Security & Compliance Evidence Centre",
    description:
      "SBOMs, VEX statements and CSAF security advisories for every supported release of our industrial edge " +
      "gateways, as required by the EU Cyber Resilience Act.",
    contact_email: "product-security-incident-response@acme-devices.example",
  };
  const landing = await api.put(`${o}/portal`, {
    headers,
    data: {
      ...portalSettings,
      landing: {
        show_description: true,
        show_contact: true,
        access_requests: true,
        nda: {
          version: "2026-12",
          text:
            "MUTUAL NON-DISCLOSURE AGREEMENT\n\n1. Confidential information. Everything published in this portal — SBOMs, " +
            "VEX statements, CSAF advisories and compliance documents — is confidential information of ACME Devices GmbH.\n\n" +
            "2. Use. The recipient uses it only to assess the security of the products it has bought or intends to buy.",
        },
      },
    },
  });
  if (!landing.ok()) await ok(await api.put(`${o}/portal`, { headers, data: portalSettings }), "portal");
  if (landing.ok()) {
    const nda = await ok<{ nda?: { version: string; sha256: string } | null }>(
      await api.get(`/api/v1/portal/${settings.slug}/landing`),
      "landing",
    );
    await api.post(`/api/v1/portal/${settings.slug}/access-requests`, {
      data: {
        name: "Dr. Friederike Oberhauser-Lindqvist",
        company: "Oberhauser-Lindqvist Prozessautomatisierung Aktiengesellschaft",
        email: "friederike.oberhauser-lindqvist@prozessautomatisierung-oberhauser.example",
        reason:
          "We operate 140 IEG-4000 gateways in our bottling plants and need the SBOMs and VEX statements for our " +
          "NIS2 supplier risk assessment due at the end of the quarter.",
        nda_version: nda?.nda?.version ?? null,
        nda_sha256: nda?.nda?.sha256 ?? null,
      },
    });
  }

  // The first request for the provider metadata makes the signing key.
  await api.get(`/api/v1/portal/${settings.slug}/csaf/provider-metadata.json`);

  const created = await ok<{ id: string; token: string }>(
    await api.post(`${o}/portal/tokens`, {
      headers,
      data: { name: TOKEN_NAME, expires_in: "90d", contact_email: "security-procurement@mueller-luedenscheidt-industrieautomation.example" },
    }),
    "access token",
  );
  await ok(
    await api.post(`${o}/portal/tokens/${created.id}/subscriptions`, {
      headers,
      data: { email: "psirt-notifications@mueller-luedenscheidt-industrieautomation.example" },
    }),
    "token subscription",
  );

  // The checklist, answered and published.
  const checklist = await ok<{ sections: { id: string }[] }>(await api.get(`${p}/checklist`, { headers }), "checklist");
  const [first, second] = checklist.sections;
  await ok(
    await api.put(`${p}/checklist`, {
      headers,
      data: {
        published: true,
        sections: [
          {
            id: first!.id,
            status: "met",
            statement:
              "Every release is covered by the IEG-4000 secure development lifecycle; see the attached SBOM of the full system image.",
            evidence: [sbomId],
            reviewer: "Maximilian Mustermann-Schneider",
            review_date: "2025-03-01",
          },
          ...(second ? [{ id: second.id, status: "partially_met", statement: "Coordinated vulnerability disclosure via psirt@acme-devices.example; bug bounty planned." }] : []),
        ],
      },
    }),
    "checklist answers",
  );

  // Members join by invitation: the accept link (no mail server here) carries the secret after `#`.
  const member = { email: "maximilian.mustermann-schneider@acme-devices.example", name: "Maximilian Mustermann-Schneider" };
  const invited = await ok<{ accept_url?: string | null }>(
    await api.post(`${o}/invitations`, { headers, data: { email: member.email, role: "publisher" } }),
    "invitation",
    [409],
  );
  if (invited.accept_url) {
    const secret = invited.accept_url.slice(invited.accept_url.indexOf("#") + 1);
    await ok(
      await api.post("/api/v1/invitations/accept", {
        data: { secret, password: "another long password", display_name: member.name },
      }),
      "accept invitation",
    );
  }
  // One still pending, with a long address, for the invitations table.
  await ok(
    await api.post(`${o}/invitations`, {
      headers,
      data: { email: "procurement.liaison.quality-assurance@mueller-luedenscheidt-industrieautomation.example", role: "viewer" },
    }),
    "pending invitation",
    [409],
  );
  await ok(
    await api.post(`${o}/api-keys`, {
      headers,
      data: { name: "Jenkins nightly firmware release pipeline (factory line 3)", scopes: ["artifacts:write", "artifacts:publish"], expires_in: "1y" },
    }),
    "API key",
  );

  // The customer: signs in, downloads, acknowledges, subscribes, asks for a renewal.
  const customer = { authorization: `Bearer ${await customerToken(api, settings.slug, created.token)}` };
  const c = `/api/v1/portal/${settings.slug}`;
  await ok(await api.get(`${c}/artifacts/${sbomId}/download`, { headers: customer }), "download");
  await ok(
    await api.post(`${c}/products/${PRODUCT.slug}/checklist/acknowledgements`, {
      headers: customer,
      data: { name: "Grete Müller-Lüdenscheidt", title: "Head of Procurement and Supplier Quality" },
    }),
    "acknowledgement",
    [409],
  );
  await ok(
    await api.post(`${c}/subscriptions`, { headers: customer, data: { email: "ot-security@mueller-luedenscheidt-industrieautomation.example" } }),
    "customer subscription",
    [409],
  );
  await ok(
    await api.post(`${c}/renewal-requests`, {
      headers: customer,
      data: { message: "Our framework contract was extended until 2027; please extend our access to the evidence accordingly." },
    }),
    "renewal request",
    [409],
  );

  return { url, org, portal: settings.slug, product: PRODUCT.slug, token: created.token, tokenId: created.id, sbomId, vexId, csafId, withdrawnId, spdxId };
}

let S: Seed;
let adminJwt = "";
let customerJwt = "";

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const url = process.env.PORTAL_E2E_URL!;
  const api = await playwrightRequest.newContext({ baseURL: url });
  try {
    mkdirSync(OUT, { recursive: true });
    // One file per server: another run of this spec against its own server may share test-results/.
    const cache = path.join(OUT, `seed-${new URL(url).port}.json`);
    const cached = existsSync(cache) ? (JSON.parse(readFileSync(cache, "utf8")) as Seed) : null;
    // A worker restarted after a failure finds the data its predecessor made on this server.
    const still = async (s: Seed) => {
      const setup = await ok<{ setup_required: boolean }>(await api.get("/api/v1/setup"), "setup status");
      if (setup.setup_required) return false;
      const headers = { authorization: `Bearer ${await adminToken(api)}` };
      return (await api.get(`/api/v1/orgs/${s.org}/artifacts/${s.sbomId}`, { headers })).ok();
    };
    if (cached && cached.url === url && (await still(cached))) {
      S = cached;
    } else {
      S = await seed(api, url);
      writeFileSync(cache, JSON.stringify(S, null, 2));
    }
    adminJwt = await adminToken(api);
    customerJwt = await customerToken(api, S.portal, S.token);
  } finally {
    await api.dispose();
  }
});

// ---------------------------------------------------------------------------------------------
// The measurements, in the page

interface Findings {
  problems: string[];
  notes: string[];
}

function measure({ phone }: { phone: boolean }): Findings {
  const problems: string[] = [];
  const notes: string[] = [];
  const de = document.documentElement;
  const vw = de.clientWidth;

  const describe = (el: Element): string => {
    let s = el.tagName.toLowerCase();
    const cls = (el.getAttribute("class") ?? "").trim().split(/\s+/).filter(Boolean).slice(0, 3);
    if (cls.length) s += `.${cls.join(".")}`;
    const label = (el.getAttribute("aria-label") ?? (el as HTMLElement).innerText ?? "").trim().replace(/\s+/g, " ").slice(0, 50);
    return label ? `${s} "${label}"` : s;
  };
  // Rendered and seen: not inside a closed <details>, not display:none, not visibility:hidden.
  const visible = (el: Element) =>
    el.checkVisibility({ visibilityProperty: true }) && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  const scroller = (el: Element): HTMLElement | null => {
    for (let a = el.parentElement; a && a !== document.body && a !== de; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if (o === "auto" || o === "scroll") return a;
    }
    return null;
  };

  // 1. The page itself never scrolls sideways.
  if (de.scrollWidth > vw) {
    const culprits: Element[] = [];
    for (const el of Array.from(document.body.querySelectorAll("*"))) {
      if (!visible(el) || scroller(el)) continue;
      if (el.getBoundingClientRect().right > vw + 1) culprits.push(el);
    }
    const innermost = culprits.filter((c) => !culprits.some((o) => o !== c && c.contains(o)));
    problems.push(`the page scrolls sideways (${de.scrollWidth} > ${vw} px): ${innermost.slice(0, 4).map(describe).join("; ")}`);
  }

  // 2. Tables.
  for (const table of Array.from(document.querySelectorAll("table"))) {
    if (!visible(table)) continue;
    const name =
      table.getAttribute("aria-label") ?? table.querySelector("caption")?.textContent?.trim() ?? describe(table).slice(0, 60);
    const parent = table.parentElement!;
    const sc = scroller(table);
    const width = Math.ceil(table.getBoundingClientRect().width);
    const tooWide = width > parent.clientWidth + 1;
    const scrolls = !!sc && sc.scrollWidth > sc.clientWidth + 1;
    if (!phone) {
      if (tooWide) problems.push(`table "${name}" is ${width} px wide in a ${parent.clientWidth} px column`);
      else if (scrolls) problems.push(`table "${name}" scrolls sideways in its container (${sc!.scrollWidth} > ${sc!.clientWidth} px)`);
    } else if (tooWide || scrolls || table.getBoundingClientRect().right > vw + 1) {
      if (!sc) problems.push(`table "${name}" overflows (${width} px in ${parent.clientWidth} px) without its own scroll container`);
      else if (sc.getBoundingClientRect().right > vw + 1) problems.push(`the scroll container of table "${name}" is wider than the screen`);
      else if (!sc.classList.contains("table-scroll")) problems.push(`table "${name}" scrolls sideways without a hint (use <TableScroll>)`);
      else if (!sc.previousElementSibling?.matches(".scroll-hint")) problems.push(`table "${name}" scrolls sideways but its hint is missing`);
    }
    // Content spilling out of a cell.
    for (const cell of Array.from(table.querySelectorAll<HTMLElement>("th, td"))) {
      if (!visible(cell)) continue;
      if (cell.scrollWidth > cell.clientWidth + 2) {
        problems.push(`a cell of table "${name}" spills its content (${cell.scrollWidth} > ${cell.clientWidth} px): ${describe(cell)}`);
        break;
      }
    }
  }

  // 3. Controls cut off by a clipping ancestor, or outside the screen.
  for (const el of Array.from(document.querySelectorAll<HTMLElement>("button, a.button, select, textarea, input:not([type=hidden])"))) {
    if (!visible(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 4 || r.height < 4) continue; // visually hidden inputs (switches, file inputs)
    let inScroller = false;
    for (let a = el.parentElement; a && a !== de; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if (o === "auto" || o === "scroll") {
        inScroller = true;
        break;
      }
      if (o === "hidden" || o === "clip") {
        const ar = a.getBoundingClientRect();
        if (r.left < ar.left - 1 || r.right > ar.right + 1) {
          problems.push(`${describe(el)} is cut off by ${describe(a).slice(0, 60)}`);
          break;
        }
      }
    }
    if (!inScroller && (r.right > vw + 1 || r.left < -1)) problems.push(`${describe(el)} sticks out of the screen`);
  }

  // 4. Boxes other than a table's scroll container or a code block that scroll sideways (a dialog
  //    whose text does not wrap).
  for (const el of Array.from(document.body.querySelectorAll<HTMLElement>("*"))) {
    if (!visible(el) || el.clientWidth < 4) continue;
    const o = getComputedStyle(el).overflowX;
    if (o !== "auto" && o !== "scroll") continue;
    if (el.scrollWidth <= el.clientWidth + 1) continue;
    if (el.matches("pre, textarea, code, .table-wrap, .table-scroll") || el.querySelector(":scope > table")) continue;
    problems.push(`${describe(el).slice(0, 80)} scrolls sideways (${el.scrollWidth} > ${el.clientWidth} px)`);
  }

  // 5. Text cut off without a way to read it (an ellipsis with no title, a clipped box).
  for (const el of Array.from(document.body.querySelectorAll<HTMLElement>("*"))) {
    if (!visible(el) || el.clientWidth < 4 || el.clientHeight < 4) continue; // visually hidden
    const cs = getComputedStyle(el);
    if (cs.overflowX !== "hidden" && cs.overflowX !== "clip") continue;
    if (el.scrollWidth <= el.clientWidth + 1 || el.clientWidth === 0) continue;
    if (!el.innerText.trim()) continue;
    const why = `${describe(el)} shows its text cut off (${el.scrollWidth} > ${el.clientWidth} px)`;
    if (el.title || el.closest("[title]")) notes.push(`${why}; the full text is in its tooltip`);
    else problems.push(why);
  }

  // 6. Words and slugs broken mid-word: a line break between two letters of a plain word
  //    ("Publis|hed") or of a slug ("smart-thermo|stat") where a hyphen would have done. URLs,
  //    package URLs, hashes and keys are identifiers that may break anywhere.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let reported = 0;
  for (let n = walker.nextNode(); n && reported < 5; n = walker.nextNode()) {
    const text = n.textContent ?? "";
    const parentEl = n.parentElement;
    if (!parentEl || text.trim().length < 4 || !visible(parentEl)) continue;
    if (parentEl.closest("pre, textarea, script, style, svg")) continue;
    for (const m of text.matchAll(/\S{4,}/g)) {
      const token = m[0];
      const word = token.replace(/^[("'“‘]+|[)"'”’.,;:!?]+$/g, "");
      const plain = /^[A-Za-zÀ-ÿ]{4,30}$/.test(word);
      const slug = /^[a-z0-9]+(?:-[a-z0-9]+)+$/.test(word) && !/^[0-9a-f-]{32,}$/.test(word);
      if (!plain && !slug) continue;
      const start = m.index! + token.indexOf(word);
      range.setStart(n, start);
      range.setEnd(n, start + word.length);
      const tops = new Set(
        Array.from(range.getClientRects())
          .filter((r) => r.width > 0)
          .map((r) => Math.round(r.top)),
      );
      if (tops.size < 2) continue;
      let prevTop: number | null = null;
      for (let i = 0; i < word.length; i++) {
        range.setStart(n, start + i);
        range.setEnd(n, start + i + 1);
        const rr = range.getBoundingClientRect();
        if (rr.width === 0) continue;
        if (prevTop !== null && rr.top > prevTop + 4) {
          const before = word[i - 1] ?? "";
          const after = word[i] ?? "";
          const segEnd = word.indexOf("-", i);
          const segment = word.slice(word.lastIndexOf("-", i - 1) + 1, segEnd < 0 ? word.length : segEnd);
          if (/[A-Za-zÀ-ÿ0-9]/.test(before) && /[A-Za-zÀ-ÿ0-9]/.test(after) && segment.length <= 24) {
            problems.push(`"${word}" breaks mid-word ("${word.slice(0, i)}|${word.slice(i)}") in ${describe(parentEl).slice(0, 60)}`);
            reported++;
          }
          break;
        }
        prevTop = rr.top;
      }
    }
  }

  // 7. Things drawn over one another: links, buttons, badges, tiles, form controls and headings
  //    whose boxes (each line of an inline one) intersect. Over an open dialog or the phone's menu
  //    only what is inside it counts; what a sticky bar covers while scrolled does not.
  const layer =
    document.querySelector("dialog[open]") ?? (document.querySelector(".menu-open") ? document.querySelector(".sidebar") : null);
  const pinned = (el: Element) => {
    for (let a: Element | null = el; a && a !== document.body; a = a.parentElement) {
      const p = getComputedStyle(a).position;
      if (p === "fixed" || p === "sticky") return true;
    }
    return false;
  };
  // What is seen of an element: its boxes cut to the ancestors that clip or scroll it.
  const clip = (el: Element): { left: number; top: number; right: number; bottom: number } => {
    let c = { left: -Infinity, top: -Infinity, right: Infinity, bottom: Infinity };
    for (let a = el.parentElement; a && a !== document.body && a !== de; a = a.parentElement) {
      const cs = getComputedStyle(a);
      if (cs.overflowX === "visible" && cs.overflowY === "visible") continue;
      const r = a.getBoundingClientRect();
      c = {
        left: Math.max(c.left, r.left),
        top: Math.max(c.top, r.top),
        right: Math.min(c.right, r.right),
        bottom: Math.min(c.bottom, r.bottom),
      };
    }
    return c;
  };
  const boxes: { el: Element; r: { left: number; top: number; right: number; bottom: number } }[] = [];
  for (const el of Array.from(
    (layer ?? document.body).querySelectorAll("a, button, .badge, .kpi, input:not([type=hidden]), select, textarea, h1, h2, h3"),
  )) {
    if (!visible(el) || (!layer && pinned(el))) continue;
    const c = clip(el);
    for (const f of Array.from(el.getClientRects())) {
      const r = {
        left: Math.max(f.left, c.left),
        top: Math.max(f.top, c.top),
        right: Math.min(f.right, c.right),
        bottom: Math.min(f.bottom, c.bottom),
      };
      if (r.right - r.left >= 4 && r.bottom - r.top >= 4) boxes.push({ el, r });
    }
  }
  boxes.sort((a, b) => a.r.top - b.r.top);
  let overlaps = 0;
  for (let i = 0; i < boxes.length && overlaps < 3; i++) {
    const a = boxes[i]!;
    for (let j = i + 1; j < boxes.length && boxes[j]!.r.top < a.r.bottom - 6; j++) {
      const b = boxes[j]!;
      if (a.el === b.el || a.el.contains(b.el) || b.el.contains(a.el)) continue;
      const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
      const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
      if (w > 4 && h > 6) {
        problems.push(`${describe(a.el).slice(0, 60)} and ${describe(b.el).slice(0, 60)} are drawn over one another`);
        overlaps++;
        break;
      }
    }
  }

  // 8. The sidebar highlights the section the breadcrumb starts from.
  const crumb = document.querySelector<HTMLAnchorElement>(".crumbs a");
  const navLinks = Array.from(document.querySelectorAll<HTMLAnchorElement>(".sidebar .nav-link"));
  if (crumb && navLinks.some((a) => a.pathname === crumb.pathname)) {
    const active = navLinks.find((a) => a.classList.contains("active"));
    if (active?.pathname !== crumb.pathname) {
      problems.push(`the breadcrumb starts at "${crumb.textContent}" but the sidebar highlights "${active?.textContent ?? "nothing"}"`);
    }
  }

  return { problems, notes };
}

// ---------------------------------------------------------------------------------------------
// The tests

test("the layout test covers every route in the route files", () => {
  for (const [file, rel] of Object.entries(ROUTE_FILES) as [keyof typeof ROUTE_FILES, string][]) {
    const src = readFileSync(path.join(SRC, rel), "utf8");
    const declared = new Set([...src.matchAll(/\bpath="([^"]*)"/g)].map((m) => m[1]!));
    if (/<Route\s+index\b/.test(src) && file === "portal") declared.add("index");
    const covered = new Set(SCREENS.filter((s) => s.file === file).map((s) => s.route));
    const missing = [...declared].filter((r) => !covered.has(r));
    const stale = [...covered].filter((r) => !declared.has(r));
    expect(missing, `routes of src/${rel} this spec does not visit`).toEqual([]);
    expect(stale, `routes this spec visits that src/${rel} no longer declares`).toEqual([]);
  }
});

for (const vp of VIEWPORTS) {
  for (const screen of SCREENS) {
    if (screen.only && screen.only !== vp.name) continue;
    test(`${vp.width}×${vp.height} ${screen.name}`, async ({ page, guard }, info) => {
      if (screen.allowHttp) guard.allowHttp(...screen.allowHttp);
      await page.setViewportSize({ width: vp.width, height: vp.height });
      await page.emulateMedia({ reducedMotion: "reduce" });
      if (screen.as === "admin") {
        await page.addInitScript((jwt) => window.sessionStorage.setItem("sp.admin.session", jwt), adminJwt);
      } else if (screen.as === "customer") {
        await page.addInitScript(
          ([slug, jwt]) => window.sessionStorage.setItem(`sp.portal.session.${slug}`, jwt),
          [S.portal, customerJwt] as const,
        );
      }
      await screen.setup?.(page);
      await page.goto(screen.url(S));
      await expect(page).toHaveTitle(screen.title(S));
      await expect(page.locator("h1").first()).toBeVisible();
      await page.waitForLoadState("networkidle");
      await expect(page.locator(".loading")).toHaveCount(0);
      await expect(page.locator(".error-state")).toHaveCount(0);
      if (screen.act) {
        await screen.act(page, S);
        await page.waitForLoadState("networkidle");
      }
      await page.evaluate(() => document.fonts.ready);
      // Let resize observers (scroll hints) settle.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

      const found = await page.evaluate(measure, { phone: vp.name === "phone" });
      // The whole page, up to 8000 px (Chromium cannot paint much taller captures in one piece);
      // with a dialog or the menu open, what the screen shows.
      if (!screen.overlay) await page.evaluate(() => window.scrollTo(0, 0)); // the sticky top bar stays on top
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      await page.screenshot({
        path: path.join(OUT, `${screen.name}-${vp.width}.png`),
        animations: "disabled",
        ...(screen.overlay ? {} : { fullPage: true, clip: { x: 0, y: 0, width: vp.width, height: Math.min(height, 8000) } }),
      });
      if (found.notes.length) {
        info.annotations.push(...found.notes.map((d) => ({ type: "note", description: d })));
        console.log(`[layout] ${screen.name} @${vp.width}: ${found.notes.join(" | ")}`);
      }
      expect(found.problems, `layout problems on ${screen.url(S)} at ${vp.width}×${vp.height}`).toEqual([]);
    });
  }
}
