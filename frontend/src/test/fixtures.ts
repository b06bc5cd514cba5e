import type { Clock, Me, ProductDetail, SessionView, VulnerabilityDetail, VulnerabilityView } from "../api/types";
import type { AccessRequestView, AccessTokenView, Overview, PortalLanding, PortalSettings } from "../api/types";
import type { ChecklistSection, ProductChecklist, ProfileResult, RuleResult, VersionChanges } from "../api/types";
import type { AuditEvent, Organization } from "../api/types";

function rule(id: string, title: string, over: Partial<RuleResult> = {}): RuleResult {
  return { id, title, passed: true, failing_components: 0, examples: [], detail: null, ...over };
}

/** BSI TR-03183-2 for an SBOM without SHA-512 hashes or licences: 12 of 14 rules. */
export function bsiFailing(): ProfileResult {
  return {
    id: "bsi-tr-03183-2-v2.1",
    title: "BSI TR-03183-2 v2.1",
    passed: false,
    score: 81,
    components_checked: 4,
    rules: [
      rule("format", "SBOM format: CycloneDX 1.6 or later, or SPDX 3.0.1 or later", { detail: "CycloneDX 1.6" }),
      rule("sbom-creator", "Creator of the SBOM (e-mail address or URL)", { detail: "https://acme.example" }),
      rule("timestamp", "Timestamp of the SBOM", { detail: "2025-01-02T03:04:05Z" }),
      rule("component-creator", "Component creator (e-mail address or URL)"),
      rule("component-name", "Component name"),
      rule("component-version", "Component version"),
      rule("filename", "Filename of the component"),
      rule("dependencies", "Dependencies on other components"),
      rule("distribution-licences", "Distribution licences", {
        passed: false,
        failing_components: 3,
        examples: ["openssl@3.0.7", "libcrypto@3.0.7", "zlib@1.3"],
      }),
      rule("hash-sha512", "SHA-512 hash value of the deployable component", {
        passed: false,
        failing_components: 1,
        examples: ["zlib@1.3"],
      }),
      rule("executable-property", "Executable property (executable / non-executable)"),
      rule("archive-property", "Archive property (archive / no archive)"),
      rule("structured-property", "Structured property (structured / unstructured)"),
      rule("no-vulnerabilities", "No vulnerability information inside the SBOM"),
    ],
    additional: [
      rule("sbom-uri", "SBOM-URI", { passed: false, detail: null }),
      rule("source-code-uri", "Source code URI", { passed: false, failing_components: 4, examples: ["router-fw@4.2.0"] }),
      rule("other-identifiers", "Other unique identifiers (CPE, purl, SWID)"),
    ],
  };
}

export function ntiaPassing(): ProfileResult {
  return {
    id: "ntia-2021",
    title: "NTIA minimum elements",
    passed: true,
    score: 100,
    components_checked: 4,
    rules: [rule("supplier", "Supplier name"), rule("component-name", "Component name"), rule("timestamp", "Timestamp")],
    additional: [],
  };
}

/** What changed from 1.0 to 2.0 of a router firmware. */
export function changesFixture(over: Partial<VersionChanges> = {}): VersionChanges {
  return {
    from: "1.0",
    to: "2.0",
    from_sbom: "sbom-1",
    to_sbom: "sbom-2",
    sbom: {
      added: [{ key: "pkg:generic/libnew", name: "libnew", version: "1.0", purl: "pkg:generic/libnew@1.0" }],
      removed: [{ key: "pkg:generic/openssl", name: "openssl", version: "3.0.7", purl: "pkg:generic/openssl@3.0.7" }],
      changed: [
        {
          key: "pkg:generic/zlib",
          name: "zlib",
          purl: "pkg:generic/zlib@1.3.1",
          from_version: "1.3",
          to_version: "1.3.1",
        },
      ],
      licence_changes: [{ key: "pkg:generic/zlib", name: "zlib", purl: "pkg:generic/zlib@1.3.1", from: ["Zlib"], to: ["MIT"] }],
      unchanged: 7,
    },
    vex: [
      {
        vulnerability_id: "CVE-2023-9999",
        product: "pkg:generic/zlib@1.3.1",
        product_name: "zlib",
        from_status: "affected",
        to_status: "fixed",
      },
      { vulnerability_id: "CVE-2025-0002", product: "pkg:generic/libnew@1.0", from_status: null, to_status: "not_affected" },
    ],
    ...over,
  };
}

/** A router's CRA checklist: five sections, the SBOM (§5) met with its SBOM as evidence. */
export function checklistFixture(over: Partial<ProductChecklist> = {}): ProductChecklist {
  const section = (id: string, title: string, clauses: string[], answer: Partial<ChecklistSection> = {}): ChecklistSection => ({
    id,
    title,
    clauses,
    status: null,
    statement: "",
    evidence: [],
    reviewer: null,
    review_date: null,
    ...answer,
  });
  return {
    product_slug: "router",
    product_name: "Router",
    published: true,
    updated_at: "2025-05-02T10:00:00Z",
    updated_by: "ada@acme.example",
    sha256: "5f".repeat(32),
    sections: [
      section("general-compliance", "General Compliance", ["The Partner shall adhere to all applicable laws."], {
        status: "met",
        statement: "We follow ETSI EN 303 645.",
      }),
      section("secure-development", "Secure Development and Production", ["The Partner agrees to adopt secure-by-design principles."], {
        status: "partially_met",
        statement: "Unique credentials per device; encryption at rest is planned.",
      }),
      section("risk-management", "Cybersecurity Risk Management", ["The Partner shall implement a risk management framework."]),
      section(
        "vulnerability-management",
        "Vulnerability Management",
        ["The Partner shall conduct regular vulnerability testing."],
        { status: "not_applicable" },
      ),
      section(
        "sbom",
        "Software Bill of Materials (SBOM)",
        ["The Partner shall provide an SBOM for each supplied component.", "The SBOM must be updated as components change."],
        {
          status: "met",
          statement: "A CycloneDX 1.6 SBOM is published with every release.",
          evidence: [
            {
              artifact_id: "sbom-1",
              kind: "sbom",
              filename: "router-2.0.cdx.json",
              title: "router-fw",
              status: "published",
              sha256: "ab".repeat(32),
            },
          ],
          reviewer: "Ada Admin",
          review_date: "2025-05-01",
        },
      ),
    ],
    ...over,
  };
}

/* ---------- The vulnerability response loop ---------- */

export function clock(name: string, label: string, state: Clock["state"], over: Partial<Clock> = {}): Clock {
  return { name, label, state, due_at: "2026-03-03T10:00:00Z", done_at: null, due_in_seconds: null, ...over };
}

/** CVE-2026-1234 in the router: 1.0 affected, 2.0 fixed, aware two days ago. */
export function vulnView(over: Partial<VulnerabilityView> = {}): VulnerabilityView {
  return {
    id: "CVE-2026-1234",
    aliases: [],
    title: "Heap overflow in the HTTP parser",
    description: "A crafted request overflows a buffer.",
    severity: "critical",
    cvss_v3_vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    actively_exploited: false,
    aware_at: "2026-03-01T10:00:00Z",
    created_at: "2026-03-01T10:05:00Z",
    updated_at: "2026-03-01T10:05:00Z",
    open: true,
    revision: 0,
    published_at: null,
    closed_at: null,
    overdue: false,
    counts: { under_investigation: 0, affected: 1, not_affected: 0, fixed: 1 },
    clocks: [
      clock("customers_notified", "Customers notified", "due", { due_in_seconds: 5 * 3600 + 600 }),
      clock("critical_addressed", "Critical fixed", "pending", { due_at: null }),
    ],
    ...over,
  };
}

export function vulnDetail(over: Partial<VulnerabilityDetail> = {}): VulnerabilityDetail {
  return {
    ...vulnView(),
    assessments: [],
    documents: [],
    impacted: [],
    reports: [],
    timeline: [],
    ...over,
  };
}

export function productDetail(slug: string, name: string, versions: string[]): ProductDetail {
  return {
    id: `p-${slug}`,
    slug,
    name,
    description: "",
    portal_visible: true,
    archived: false,
    version_count: versions.length,
    created_at: "2025-01-01T00:00:00Z",
    updated_at: "2025-01-01T00:00:00Z",
    versions: versions.map((version) => ({
      id: `v-${slug}-${version}`,
      product_slug: slug,
      version,
      status: "supported",
      created_at: "2025-01-01T00:00:00Z",
      updated_at: "2025-01-01T00:00:00Z",
    })),
  };
}

/** ACME Devices: password sign-in allowed, no second factor required of admins. */
export function orgFixture(over: Partial<Organization> = {}): Organization {
  return {
    id: "org-1",
    slug: "acme",
    name: "ACME Devices",
    created_at: "2025-01-01T00:00:00Z",
    password_login: true,
    admins_need_totp: false,
    ...over,
  };
}

/** Ada, admin of ACME Devices. */
export function meFixture(over: Partial<Me> = {}): Me {
  return {
    user: { id: "u1", email: "ada@acme.example", display_name: "Ada Admin", created_at: "2025-01-01T00:00:00Z" },
    memberships: [{ organization: orgFixture({ id: "o1" }), role: "admin" }],
    totp_enabled: false,
    ...over,
  };
}

const FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const SAFARI_IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

/** One open session of the signed-in user (by default the current one, in Firefox on Linux). */
export function sessionFixture(over: Partial<SessionView> = {}): SessionView {
  return {
    id: "sess-current",
    created_at: "2026-03-01T09:00:00Z",
    expires_at: "2026-03-01T21:00:00Z",
    ip: "192.0.2.10",
    user_agent: FIREFOX_LINUX,
    current: true,
    ...over,
  };
}

/** This session, and another one opened on a phone the day before. */
export function sessionsFixture(): SessionView[] {
  return [
    sessionFixture(),
    sessionFixture({
      id: "sess-phone",
      created_at: "2026-02-28T18:30:00Z",
      expires_at: "2026-03-01T06:30:00Z",
      ip: "2001:db8::7",
      user_agent: SAFARI_IPHONE,
      current: false,
    }),
  ];
}

/* ---------- The audit log ---------- */

/**
 * ACME Corporation (access token t1) downloading router 1.0's SBOM `bom.json` through the portal,
 * as an admin sees it (address and user agent included).
 */
export function auditEventFixture(over: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id: "e1",
    occurred_at: "2025-05-01T10:00:00Z",
    category: "portal",
    action: "portal.sbom.download",
    outcome: "success",
    actor_type: "access_token",
    actor_id: "t1",
    actor_name: "ACME Corporation",
    ip: "192.0.2.10",
    user_agent: FIREFOX_LINUX,
    request_id: "req-0192",
    product_id: "p-router",
    version_id: "v-router-1.0",
    artifact_id: "a1",
    sha256: "ab".repeat(32),
    details: { filename: "bom.json", size: 2048, channel: "portal" } as never,
    object: { kind: "artifact", id: "a1", label: "bom.json", product_slug: "router", version: "1.0" },
    ...over,
  };
}

/* ---------- The console's home, the portal's front door, access requests ---------- */

/** ACME's overview: a draft, a version without SBOM, one without VEX, a token expiring, activity. */
export function overviewFixture(over: Partial<Overview> = {}): Overview {
  return {
    counts: {
      products: 2,
      versions: 5,
      published_artifacts: 12,
      drafts: 1,
      active_tokens: 3,
      versions_without_sbom: 1,
      versions_without_vex: 2,
      tokens_expiring: 1,
      support_ending: 0,
      open_vulnerabilities: 1,
      pending_access_requests: 2,
      pending_renewals: 0,
    },
    versions_without_sbom: [{ product_slug: "router", product_name: "Router", version: "2.1", release_date: "2026-02-01", support_until: "2030-12-31" }],
    versions_without_vex: [
      { product_slug: "router", product_name: "Router", version: "2.1", release_date: "2026-02-01", support_until: "2030-12-31" },
      { product_slug: "gateway", product_name: "Gateway", version: "1.0", release_date: null, support_until: null },
    ],
    drafts: [
      {
        artifact_id: "a-draft",
        filename: "router-2.1.cdx.json",
        kind: "sbom",
        product_slug: "router",
        product_name: "Router",
        version: "2.1",
        uploaded_at: "2026-03-01T10:00:00Z",
        uploaded_by: "ada@acme.example",
      },
    ],
    tokens_expiring: [{ id: "t-globex", name: "Globex", expires_at: "2026-03-20T00:00:00Z" }],
    support_ending: [],
    recent_activity: [
      {
        occurred_at: "2026-03-01T09:00:00Z",
        action: "portal.sbom.download",
        outcome: "success",
        actor_name: "Globex",
        actor_id: "t-globex",
        product_name: "Router",
        product_slug: "router",
        version: "2.0",
        artifact_id: "a-router-sbom",
        filename: "router-2.0.cdx.json",
      },
      {
        occurred_at: "2026-03-01T08:00:00Z",
        action: "portal.product.view",
        outcome: "success",
        actor_name: null,
        actor_id: null,
        product_name: "Router",
        product_slug: "router",
        version: null,
        artifact_id: null,
        filename: null,
      },
    ],
    ...over,
  };
}

/** Nothing needs attention: the counts of a well-kept catalogue, every list empty. */
export function quietOverviewFixture(): Overview {
  return overviewFixture({
    counts: {
      products: 2,
      versions: 5,
      published_artifacts: 12,
      drafts: 0,
      active_tokens: 3,
      versions_without_sbom: 0,
      versions_without_vex: 0,
      tokens_expiring: 0,
      support_ending: 0,
      open_vulnerabilities: 0,
      pending_access_requests: 0,
      pending_renewals: 0,
    },
    versions_without_sbom: [],
    versions_without_vex: [],
    drafts: [],
    tokens_expiring: [],
    support_ending: [],
    recent_activity: [],
  });
}

export const NDA_TEXT = "1. Keep what you read here confidential.\n2. Share it only within your organisation.";
export const NDA_SHA = "9f".repeat(32);

/** The sign-in page of ACME's private portal: logo, description, contact, requests after an NDA. */
export function landingFixture(over: Partial<PortalLanding> = {}): PortalLanding {
  return {
    slug: "acme",
    display_name: "ACME Security",
    visibility: "private",
    description: "SBOMs and advisories of ACME's routers.",
    contact_email: "psirt@acme.example",
    logo_url: "/api/v1/portal/acme/logo?v=0123456789ab",
    access_requests: true,
    nda: { version: "2026-01", text: NDA_TEXT, sha256: NDA_SHA },
    ...over,
  };
}

/** ACME's portal settings (private, no logo, no access requests). */
export function portalSettingsFixture(over: Partial<PortalSettings> = {}): PortalSettings {
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

/** A request from Grete of Globex, pending, with the NDA 2026-01 accepted. */
export function accessRequestFixture(over: Partial<AccessRequestView> = {}): AccessRequestView {
  return {
    id: "r1",
    name: "Grete Müller",
    company: "Globex",
    email: "grete@globex.example",
    reason: "We run Router 2.0 in our plants.",
    nda_version: "2026-01",
    nda_sha256: NDA_SHA,
    requested_at: "2026-03-01T10:00:00Z",
    status: "pending",
    decided_at: null,
    decided_by: null,
    decision_note: null,
    token_id: null,
    ...over,
  };
}

/** Globex's access token: active, cleared up to TLP:AMBER, all products. */
export function accessTokenFixture(over: Partial<AccessTokenView> = {}): AccessTokenView {
  return {
    id: "t1",
    name: "Globex",
    hint: "spt_…ab12",
    created_at: "2026-01-01T00:00:00Z",
    created_by: "ada@acme.example",
    expires_at: "2026-12-31T00:00:00Z",
    last_used_at: "2026-03-01T09:00:00Z",
    last_used_ip: "192.0.2.7",
    use_count: 4,
    status: "active",
    max_tlp: "amber",
    product_ids: null,
    contact_email: "sec@globex.example",
    revoked_at: null,
    ...over,
  };
}
