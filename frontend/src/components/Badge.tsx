import type { ReactNode } from "react";
import {
  checklistStatusLabel,
  TLP_MEANING,
  TLP_SOURCE_TEXT,
  TLP_TEXT,
  type ChecklistStatus,
  type Tlp,
  type TlpSource,
} from "../api/types";

export type Tone = "neutral" | "info" | "success" | "warning" | "danger" | "accent";

export function Badge({ tone = "neutral", children, title }: { tone?: Tone; children: ReactNode; title?: string }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

const STATUS: Record<string, { tone: Tone; label: string }> = {
  draft: { tone: "neutral", label: "Draft" },
  published: { tone: "success", label: "Published" },
  withdrawn: { tone: "danger", label: "Withdrawn" },
  active: { tone: "success", label: "Active" },
  expired: { tone: "warning", label: "Expired" },
  revoked: { tone: "danger", label: "Revoked" },
  supported: { tone: "success", label: "Supported" },
  end_of_support: { tone: "warning", label: "End of support" },
  not_affected: { tone: "success", label: "Not affected" },
  affected: { tone: "danger", label: "Affected" },
  fixed: { tone: "info", label: "Fixed" },
  under_investigation: { tone: "warning", label: "Under investigation" },
  admin: { tone: "accent", label: "Admin" },
  publisher: { tone: "info", label: "Publisher" },
  viewer: { tone: "neutral", label: "Viewer" },
  sbom: { tone: "info", label: "SBOM" },
  vex: { tone: "accent", label: "VEX" },
  advisory: { tone: "warning", label: "Advisory" },
  document: { tone: "neutral", label: "Document" },
  enabled: { tone: "success", label: "Enabled" },
  disabled: { tone: "neutral", label: "Disabled" },
  public: { tone: "warning", label: "Public" },
  private: { tone: "info", label: "Private" },
  met: { tone: "success", label: "Met" },
  partially_met: { tone: "warning", label: "Partially met" },
  not_met: { tone: "danger", label: "Not met" },
  not_applicable: { tone: "neutral", label: "Not applicable" },
  queued: { tone: "info", label: "Queued" },
  held: { tone: "warning", label: "Held" },
  sending: { tone: "info", label: "Sending" },
  sent: { tone: "success", label: "Sent" },
  delivered: { tone: "success", label: "Delivered" },
  failed: { tone: "warning", label: "Failed" },
  dead: { tone: "danger", label: "Dead" },
  cancelled: { tone: "neutral", label: "Cancelled" },
  pending: { tone: "warning", label: "Pending" },
  approved: { tone: "success", label: "Approved" },
  declined: { tone: "neutral", label: "Declined" },
  open: { tone: "warning", label: "Open" },
  closed: { tone: "neutral", label: "Closed" },
  downloaded: { tone: "danger", label: "Downloaded" },
  subscribed: { tone: "warning", label: "Subscribed" },
  entitled: { tone: "neutral", label: "Entitled" },
};

/** A badge for any status word the API uses (artifact, token, version, VEX, role, kind). */
export function StatusBadge({ status }: { status: string }) {
  const s = STATUS[status] ?? { tone: "neutral" as Tone, label: status.replace(/_/g, " ") };
  return <Badge tone={s.tone}>{s.label}</Badge>;
}

/** How a checklist section is met; a section not assessed yet reads "Not assessed". */
export function ChecklistStatusBadge({ status }: { status: ChecklistStatus | null | undefined }) {
  if (!status) return <Badge tone="neutral">{checklistStatusLabel(null)}</Badge>;
  return <StatusBadge status={status} />;
}

const SEVERITY: Record<string, Tone> = {
  critical: "danger",
  high: "danger",
  important: "danger",
  medium: "warning",
  moderate: "warning",
  low: "info",
  none: "neutral",
};

export function SeverityBadge({ severity, score }: { severity?: string | null; score?: number | null }) {
  if (!severity && (score === null || score === undefined)) return <span className="muted">–</span>;
  const label = severity ? severity.charAt(0).toUpperCase() + severity.slice(1).toLowerCase() : "CVSS";
  const tone = SEVERITY[(severity ?? "").toLowerCase()] ?? "neutral";
  return (
    <Badge tone={tone}>
      {label}
      {score !== null && score !== undefined ? ` ${score.toFixed(1)}` : ""}
    </Badge>
  );
}

/**
 * A TLP label in FIRST TLP 2.0's colours (coloured text on black; CLEAR white with a border), with
 * what it allows as its tooltip. `unlabeled` (a CSAF document without a label) is a neutral badge.
 * `source` adds where the label comes from ("portal default") to the tooltip.
 */
export function TlpBadge({ tlp, source }: { tlp: Tlp; source?: TlpSource }) {
  const text = TLP_TEXT[tlp];
  const from = source ? ` (${TLP_SOURCE_TEXT[source]})` : "";
  const cls = tlp === "unlabeled" ? "badge badge-neutral tlp tlp-unlabeled" : `badge tlp tlp-${tlp.replace("+", "-")}`;
  return (
    <span className={cls} title={`${text}${from}: ${TLP_MEANING[tlp]}`} data-tlp={tlp}>
      {text}
    </span>
  );
}
