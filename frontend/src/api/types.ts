import type { components } from "./schema";

type S = components["schemas"];

export type Me = S["Me"];
/** One of the signed-in user's open sessions (Your account › Your sessions). */
export type SessionView = S["SessionView"];
export type SetupStatus = S["SetupStatus"];
export type Role = S["Role"];
export type Organization = S["Organization"];
export type Member = S["Member"];
/** An invitation to join an organisation, as admins see it (Settings › Members). */
export type Invitation = S["Invitation"];
export type InvitationSent = S["InvitationSent"];
export type InvitationAccepted = S["InvitationAccepted"];
/** A one-time password reset link for a member, shown once to the admin who asked for it. */
export type ResetLink = S["ResetLink"];
/** How members may sign in on this server (password, single sign-on). */
export type SignInMethods = S["SignInMethods"];
export type SignInPolicy = S["SignInPolicy"];
export type ProductView = S["ProductView"];
export type ProductDetail = S["ProductDetail"];
export type VersionView = S["VersionView"];
export type LifecycleStatus = S["LifecycleStatus"];
export type ArtifactView = S["ArtifactView"];
export type ArtifactDetail = S["ArtifactDetail"];
export type ArtifactKind = S["ArtifactKind"];
export type ArtifactStatus = S["ArtifactStatus"];
export type DocumentType = S["DocumentType"];
export type VexStatementView = S["VexStatementView"];
export type ApiKeyView = S["ApiKeyView"];
export type ApiScope = S["ApiScope"];
export type CreatedApiKey = S["CreatedApiKey"];
export type ExpiresIn = S["ExpiresIn"];

export const ROLES: Role[] = ["admin", "publisher", "viewer"];
export const ARTIFACT_KINDS: ArtifactKind[] = ["sbom", "vex", "advisory", "document"];
export const API_SCOPES: ApiScope[] = ["artifacts:write", "artifacts:publish", "catalogue:read"];

/** The lifetime choices, in the words of Settings › Supplier Portal. */
export const EXPIRY_CHOICES: { value: ExpiresIn; label: string }[] = [
  { value: "30d", label: "30 days" },
  { value: "90d", label: "90 days" },
  { value: "180d", label: "180 days" },
  { value: "1y", label: "1 year" },
  { value: "never", label: "No expiration" },
];

export const DOCUMENT_TYPES: { value: DocumentType; label: string }[] = [
  { value: "declaration_of_conformity", label: "EU declaration of conformity" },
  { value: "security_policy", label: "Security policy" },
  { value: "user_instructions", label: "User instructions" },
  { value: "risk_assessment", label: "Risk assessment" },
  { value: "test_report", label: "Test report" },
  { value: "certificate", label: "Certificate" },
  { value: "other", label: "Other" },
];

export const KIND_LABELS: Record<ArtifactKind, string> = {
  sbom: "SBOM",
  vex: "VEX",
  advisory: "Advisory",
  document: "Document",
};

export const ROLE_LABELS: Record<Role, string> = {
  admin: "Admin",
  publisher: "Publisher",
  viewer: "Viewer",
};

/** Facts parsed at upload, as the server types them (generated from openapi/openapi.json). */
export type SbomFacts = S["SbomFacts"];
export type AdvisoryFacts = S["AdvisoryFacts"];
export type DocumentFacts = S["DocumentFacts"];
export type ArtifactFacts = S["Facts"];
export type ProfileResult = S["ProfileResult"];
export type RuleResult = S["RuleResult"];

/** The conformance profiles every SBOM is checked against, in the server's order. */
export const CONFORMANCE_PROFILES: { id: string; title: string; hint: string }[] = [
  {
    id: "bsi-tr-03183-2-v2.1",
    title: "BSI TR-03183-2 v2.1",
    hint: "The German BSI's technical guideline for SBOMs (CycloneDX 1.6+ or SPDX 3.0.1+, SHA-512 hashes, licences, …).",
  },
  { id: "ntia-2021", title: "NTIA minimum elements", hint: "The US NTIA minimum elements of an SBOM (2021)." },
  { id: "cisa-2025", title: "CISA 2025 minimum elements", hint: "CISA's 2025 update of the minimum elements." },
];

/** A profile's name, for ids the console knows (else the id itself). */
export function profileTitle(id: string): string {
  return CONFORMANCE_PROFILES.find((p) => p.id === id)?.title ?? id;
}

/* "What changed" between two versions of a product. */
export type VersionChanges = S["VersionChanges"];
export type SbomDiff = S["SbomDiff"];
export type DiffEntry = S["DiffEntry"];
export type ComponentChange = S["ComponentChange"];
export type LicenceChange = S["LicenceChange"];
export type VexChange = S["VexChange"];

/** The facts of an artifact (typed by the server; kept as a function for older callers). */
export function readFacts(facts: ArtifactFacts | null | undefined): Partial<ArtifactFacts> {
  return facts ?? {};
}

export type PortalSettings = S["PortalSettings"];
/** What a private portal's sign-in page shows and offers (Settings › Supplier Portal). */
export type LandingSettings = S["LandingSettings"];
/** What anyone may know about a portal before signing in. */
export type PortalLanding = S["PortalLanding"];
export type NewAccessRequest = S["NewAccessRequest"];
export type AccessRequestReceipt = S["AccessRequestReceipt"];
export type AccessRequestView = S["AccessRequestView"];
export type AccessRequestStatus = S["AccessRequestStatus"];
export type AccessDecision = S["AccessDecision"];
export type AccessDecisionResult = S["AccessDecisionResult"];
export type OverviewCounts = S["OverviewCounts"];
/** A version in the overview's lists. */
export type OverviewVersion = S["OverviewVersion"];
/** The console's home: counts and bounded lists of what needs attention. */
export type Overview = S["Overview"];
export type DraftRef = S["OverviewDraft"];
export type TokenRef = S["OverviewToken"];
export type ActivityRef = S["OverviewActivity"];
export type Visibility = S["Visibility"];
export type SigningKeyView = S["SigningKeyView"];
export type AccessTokenView = S["AccessTokenView"];
export type CreatedAccessToken = S["CreatedAccessToken"];
export type PortalInfo = S["PortalInfo"];
export type PortalCaller = S["PortalCaller"];
export type PortalProduct = S["PortalProduct"];
export type PortalVersion = S["PortalVersion"];
export type PortalVersionDetail = S["PortalVersionDetail"];
export type PortalArtifact = S["PortalArtifact"];
export type PortalAdvisory = S["PortalAdvisory"];
export type PortalVexStatement = S["PortalVexStatement"];
export type VulnerabilityReport = S["VulnerabilityReport"];
export type AffectedResult = S["AffectedResult"];

export type PortalStats = S["PortalStats"];
export type DownloadCounts = S["DownloadCounts"];
export type TrendPoint = S["TrendPoint"];
export type SharingSignal = S["SharingSignal"];
export type TokenUsage = S["TokenUsage"];
export type UpdateAccessToken = S["UpdateAccessToken"];
export type AuditEvent = S["AuditEvent"];
export type AuditPage = S["AuditPage"];
export type DeliveryReport = S["DeliveryReport"];

/** Audit actions in words (unknown ones are shown as they are). */
export const ACTION_LABELS: Record<string, string> = {
  "auth.login": "Signed in",
  "auth.logout": "Signed out",
  "auth.logout_everywhere": "Signed out everywhere",
  "auth.password.change": "Password changed",
  "auth.session.revoke": "Session signed out",
  "auth.totp.enable": "Two-factor sign-in turned on",
  "auth.totp.disable": "Two-factor sign-in turned off",
  "auth.password.reset_request": "Password reset requested",
  "auth.password.reset": "Password reset",
  "access.denied": "Access denied (aggregated)",
  "member.create": "Member added",
  "member.invite": "Member invited",
  "member.invitation.revoke": "Invitation withdrawn",
  "member.reset_link": "Reset link issued",
  "org.sign_in_policy.update": "Sign-in policy changed",
  "member.update": "Member changed",
  "member.delete": "Member removed",
  "product.create": "Product created",
  "product.update": "Product changed",
  "product.delete": "Product deleted",
  "version.create": "Version created",
  "version.update": "Version changed",
  "artifact.upload": "Artifact uploaded",
  "artifact.publish": "Artifact published",
  "artifact.withdraw": "Artifact withdrawn",
  "artifact.tlp.update": "Artifact TLP label changed",
  "artifact.link": "Artifact linked to a version",
  "artifact.download": "Artifact downloaded (console)",
  "api_key.create": "API key created",
  "api_key.revoke": "API key revoked",
  "audit.export": "Audit log exported",
  "portal.settings.update": "Portal settings changed",
  "portal.token.create": "Access token created",
  "portal.token.update": "Access token changed",
  "portal.token.revoke": "Access token revoked",
  "portal.login": "Customer login",
  "portal.product.view": "Product viewed",
  "portal.sbom.download": "SBOM downloaded",
  "portal.vex.download": "VEX downloaded",
  "portal.vex.view": "VEX statements viewed",
  "portal.advisory.download": "Advisory downloaded",
  "portal.document.download": "Document downloaded",
  "portal.vulnerability.query": "“Am I affected?” query",
  "portal.changes.view": "“What changed” viewed",
  "checklist.update": "CRA checklist changed",
  "checklist.template.update": "CRA checklist template changed",
  "portal.checklist.view": "CRA checklist viewed",
  "portal.checklist.acknowledge": "CRA checklist acknowledged",
  "portal.logout": "Customer signed out",
  "portal.token.renewal.request": "Access token renewal requested",
  "portal.token.renewal.decide": "Access token renewal decided",
  "portal.access.request": "Portal access requested",
  "portal.access.decide": "Portal access request decided",
  "portal.logo.update": "Portal logo changed",
  "csaf.signing_key.rotate": "CSAF signing key rotated",
  "vulnerability.create": "Vulnerability recorded",
  "vulnerability.update": "Vulnerability changed",
  "vulnerability.assess": "Vulnerability assessed",
  "vulnerability.publish": "Vulnerability published",
  "vulnerability.report": "Vulnerability reported",
  "subscription.create": "Subscription created",
  "subscription.delete": "Subscription removed",
  "notification.queued": "Notification queued",
  "notification.sent": "Notification sent",
  "notification.failed": "Notification failed",
  "notification.dead": "Notification given up",
  "notification.cancelled": "Notification cancelled",
};

/** An audit action in words; codes the console does not know are shown as they are. */
export function actionLabel(code: string): string {
  return ACTION_LABELS[code] ?? code;
}

/* ---------- The disclosure rule: TLP labels, clearances, CSAF publisher, preview ---------- */

export type Tlp = S["Tlp"];
export type TlpSource = S["TlpSource"];
export type CsafPublisher = S["CsafPublisher"];
export type Preview = S["Preview"];
export type PreviewReader = S["PreviewReader"];
export type PreviewProduct = S["PreviewProduct"];
export type PreviewArtifact = S["PreviewArtifact"];
export type HiddenArtifact = S["HiddenArtifact"];
export type HiddenReason = S["Hidden"]["reason"];

/** Every label, least restrictive first (the order of restriction); `unlabeled` last. */
export const TLP_ORDER: Tlp[] = ["clear", "green", "amber", "amber+strict", "red", "unlabeled"];

/** The labels that can be given (to an artifact, as a portal default, as a token's clearance). */
export const TLP_ASSIGNABLE: Exclude<Tlp, "unlabeled">[] = ["clear", "green", "amber", "amber+strict", "red"];

/** A label as FIRST TLP 2.0 writes it. */
export const TLP_TEXT: Record<Tlp, string> = {
  clear: "TLP:CLEAR",
  green: "TLP:GREEN",
  amber: "TLP:AMBER",
  "amber+strict": "TLP:AMBER+STRICT",
  red: "TLP:RED",
  unlabeled: "unlabeled",
};

/** What each label allows (FIRST TLP 2.0, and the portal's rule for unlabeled CSAF documents). */
export const TLP_MEANING: Record<Tlp, string> = {
  clear: "Disclosure is not limited: anyone may read it (anonymous visitors of a public portal included).",
  green: "Limited disclosure: recipients may share it within their community.",
  amber: "Limited disclosure: recipients may share it on a need-to-know basis within their organisation and its clients.",
  "amber+strict": "Limited disclosure: recipients may share it only within their own organisation.",
  red: "For the named recipients only: no further disclosure.",
  unlabeled: "A CSAF document without a TLP label: every valid access token may read it, anonymous visitors may not.",
};

/** Where an artifact's label comes from, in words. */
export const TLP_SOURCE_TEXT: Record<TlpSource, string> = {
  document: "from the document",
  explicit: "explicit label",
  portal_default: "portal default",
};

/** The most restrictive label among `labels` (a reader's clearance), or null when it has none. */
export function clearanceOf(labels: readonly Tlp[]): Exclude<Tlp, "unlabeled"> | null {
  let best: Exclude<Tlp, "unlabeled"> | null = null;
  for (const t of TLP_ASSIGNABLE) if (labels.includes(t)) best = t;
  return best;
}

/** The labels a clearance covers, least restrictive first: `amber` → clear, green, amber. */
export function coveredBy(clearance: Tlp): Tlp[] {
  const i = TLP_ASSIGNABLE.findIndex((t) => t === clearance);
  return i < 0 ? [] : TLP_ASSIGNABLE.slice(0, i + 1);
}

/** "TLP:CLEAR, TLP:GREEN and TLP:AMBER". */
export function tlpList(labels: readonly Tlp[]): string {
  const words = labels.map((t) => TLP_TEXT[t]);
  return words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}

/** CSAF documents carry their label in `/document/distribution/tlp/label`: it cannot be set here. */
export function isCsaf(a: { format: string }): boolean {
  return a.format.toLowerCase().startsWith("csaf");
}

/** CSAF 2.0 §3.2.1.8.1 publisher categories. */
export const CSAF_PUBLISHER_CATEGORIES: { value: string; label: string }[] = [
  { value: "vendor", label: "Vendor" },
  { value: "coordinator", label: "Coordinator" },
  { value: "discoverer", label: "Discoverer" },
  { value: "other", label: "Other" },
  { value: "translator", label: "Translator" },
  { value: "user", label: "User" },
];

/* ---------- The CRA vendor checklist per product ---------- */

export type ChecklistTemplate = S["ChecklistTemplate"];
export type TemplateSection = S["TemplateSection"];
export type ProductChecklist = S["ProductChecklist"];
export type ChecklistSection = S["ChecklistSection"];
export type ChecklistStatus = S["ChecklistStatus"];
export type EvidenceRef = S["EvidenceRef"];
export type UpdateChecklist = S["UpdateChecklist"];
export type SectionAnswer = S["SectionAnswer"];
export type Acknowledgement = S["Acknowledgement"];
export type CreateAcknowledgement = S["CreateAcknowledgement"];

/** How a section is met, in words, in the order of the status select ("Not assessed" is `null`). */
export const CHECKLIST_STATUSES: { value: ChecklistStatus; label: string }[] = [
  { value: "met", label: "Met" },
  { value: "partially_met", label: "Partially met" },
  { value: "not_met", label: "Not met" },
  { value: "not_applicable", label: "Not applicable" },
];

/** A section's status in words, as the Markdown export writes it. */
export function checklistStatusLabel(status: ChecklistStatus | null | undefined): string {
  return CHECKLIST_STATUSES.find((s) => s.value === status)?.label ?? "Not assessed";
}

/** The checklist GETs answer JSON, or Markdown with `?format=markdown`: this is the JSON one. */
export function jsonChecklist(data: ProductChecklist | string): ProductChecklist {
  if (typeof data === "string") throw new Error("The server answered the checklist as text, not JSON.");
  return data;
}

/* ---------- The vulnerability response loop ---------- */

export type Severity = S["Severity"];
export type VulnerabilityView = S["VulnerabilityView"];
export type VulnerabilityDetail = S["VulnerabilityDetail"];
export type CreateVulnerability = S["CreateVulnerability"];
export type UpdateVulnerability = S["UpdateVulnerability"];
export type Clock = S["Clock"];
export type StatusCounts = S["StatusCounts"];
export type AssessmentView = S["AssessmentView"];
export type AssessmentInput = S["AssessmentInput"];
export type AssessmentStatus = S["AssessmentStatus"];
export type Justification = S["Justification"];
export type PreviewDocument = S["PreviewDocument"];
export type PublishResult = S["PublishResult"];
export type PublishedDocument = S["PublishedDocument"];
export type ImpactedCustomer = S["ImpactedCustomer"];
export type ImpactReason = S["ImpactReason"];
export type Delivery = S["Delivery"];
export type TimelineEntry = S["TimelineEntry"];
export type ReportDrafts = S["ReportDrafts"];
export type ReportKind = S["ReportKind"];
export type ReportView = S["ReportView"];
export type NotificationView = S["NotificationView"];
export type DeliveryStatus = S["DeliveryStatus"];
export type EventType = S["EventType"];
export type SubscriptionView = S["SubscriptionView"];
export type CreateSubscription = S["CreateSubscription"];
export type CreatedSubscription = S["CreatedSubscription"];
export type RenewalView = S["RenewalView"];
export type ResponseSettings = S["ResponseSettings"];

export const SEVERITIES: { value: Severity; label: string }[] = [
  { value: "critical", label: "Critical" },
  { value: "high", label: "High" },
  { value: "medium", label: "Medium" },
  { value: "low", label: "Low" },
  { value: "none", label: "None" },
];

/** A version's triage status, in the order of the matrix's select. */
export const ASSESSMENT_STATUSES: { value: AssessmentStatus; label: string }[] = [
  { value: "under_investigation", label: "Under investigation" },
  { value: "affected", label: "Affected" },
  { value: "not_affected", label: "Not affected" },
  { value: "fixed", label: "Fixed" },
];

/** The OpenVEX justifications (CSAF flag labels) for `not_affected`. */
export const JUSTIFICATIONS: { value: Justification; label: string }[] = [
  { value: "component_not_present", label: "Component not present" },
  { value: "vulnerable_code_not_present", label: "Vulnerable code not present" },
  { value: "vulnerable_code_not_in_execute_path", label: "Vulnerable code not in execute path" },
  { value: "vulnerable_code_cannot_be_controlled_by_adversary", label: "Vulnerable code cannot be controlled by adversary" },
  { value: "inline_mitigations_already_exist", label: "Inline mitigations already exist" },
];

export const REPORT_KINDS: { value: ReportKind; label: string; hint: string }[] = [
  { value: "early_warning", label: "Early warning", hint: "Within 24 hours of awareness (CRA Art. 14(2)(a))." },
  { value: "notification", label: "Vulnerability notification", hint: "Within 72 hours of awareness (CRA Art. 14(2)(b))." },
  {
    value: "final_report",
    label: "Final report",
    hint: "No later than 14 days after a corrective or mitigating measure is available (CRA Art. 14(2)(c)).",
  },
];

/** The events a subscription can ask for (the server's default: all of them). */
export const SUBSCRIPTION_EVENTS: { value: EventType; label: string }[] = [
  { value: "advisory.published", label: "Security advisory published" },
  { value: "vex.published", label: "VEX published" },
  { value: "sbom.published", label: "SBOM published" },
  { value: "document.published", label: "Document published" },
  { value: "artifact.withdrawn", label: "Artifact withdrawn" },
  { value: "token.expiring", label: "Access token expiring" },
];

export const EVENT_LABELS: Record<EventType, string> = {
  "advisory.published": "Advisory published",
  "vex.published": "VEX published",
  "sbom.published": "SBOM published",
  "document.published": "Document published",
  "artifact.withdrawn": "Artifact withdrawn",
  "token.expiring": "Token expiring",
  "vulnerability.deadline": "Vulnerability deadline",
  "token.renewal_requested": "Renewal requested",
  "access.requested": "Access requested",
};

export const DELIVERY_STATUSES: { value: DeliveryStatus; label: string; hint: string }[] = [
  { value: "queued", label: "Queued", hint: "Waiting for the sender (retried with backoff after a failure)." },
  { value: "held", label: "Held", hint: "No mail server configured: kept in the outbox and sent once one is configured." },
  { value: "sending", label: "Sending", hint: "Being sent right now." },
  { value: "sent", label: "Sent", hint: "Handed to the mail server." },
  { value: "delivered", label: "Delivered", hint: "The webhook receiver accepted it." },
  { value: "failed", label: "Failed", hint: "The last attempt failed; it will be retried." },
  { value: "dead", label: "Dead", hint: "Given up after the last allowed attempt." },
  {
    value: "cancelled",
    label: "Cancelled",
    hint: "Not sent: the subscription was deleted, or the access token revoked, before it went out.",
  },
];
export type CreateAccessToken = S["CreateAccessToken"];
