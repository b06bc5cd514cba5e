import { useState } from "react";
import type { VexStatementView } from "../api/types";
import { componentName, cveUrl } from "../format";
import { StatusBadge } from "./Badge";
import { EmptyState } from "./States";
import { TableScroll } from "./TableScroll";

function humanize(s: string | null | undefined): string {
  if (!s) return "";
  return s.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}

/** A vulnerability id, linked to its cve.org record when it is a CVE. */
export function VulnerabilityId({ id, className = "mono nowrap" }: { id: string; className?: string }) {
  const url = cveUrl(id);
  return url ? (
    <a href={url} className={className} target="_blank" rel="noreferrer" title={`${id} on cve.org`}>
      {id}
    </a>
  ) : (
    <span className={className}>{id}</span>
  );
}

/** The component a statement is about: its name where the data gives one, the reference underneath. */
function Component({ s }: { s: VexStatementView }) {
  const name = componentName(s.product_name, s.purl, s.product);
  const ref = s.purl ?? s.product;
  // CycloneDX `urn:cdx:` references mean nothing to a reader: kept as a tooltip only.
  const showRef = !!name && ref !== name && !/^urn:cdx:/i.test(ref);
  return (
    <span title={ref}>
      {name ?? ref}
      {showRef && <span className="muted small mono stacked">{ref}</span>}
    </span>
  );
}

/** VEX statuses, most urgent first, in words. */
export const VEX_STATUSES: { value: string; label: string }[] = [
  { value: "affected", label: "Affected" },
  { value: "under_investigation", label: "Under investigation" },
  { value: "fixed", label: "Fixed" },
  { value: "not_affected", label: "Not affected" },
];

/** VEX statements: vulnerability, status, component, justification and what to do. */
export function VexTable({ statements, caption = "VEX statements" }: { statements: VexStatementView[]; caption?: string }) {
  if (statements.length === 0) {
    return <EmptyState title="No VEX statements">This document states nothing about vulnerabilities.</EmptyState>;
  }
  return (
    <TableScroll label={caption}>
      <table className="table vex-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Vulnerability</th>
            <th scope="col">Status</th>
            <th scope="col">Component</th>
            <th scope="col">Justification</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {statements.map((s, i) => (
            <tr key={`${s.vulnerability_id}-${s.product}-${i}`}>
              <td>
                <VulnerabilityId id={s.vulnerability_id} />
                {s.aliases.length > 0 && (
                  <div className="muted small">
                    {s.aliases.map((a, j) => (
                      <span key={a}>
                        {j > 0 && ", "}
                        <VulnerabilityId id={a} className="mono" />
                      </span>
                    ))}
                  </div>
                )}
              </td>
              <td>
                <StatusBadge status={s.status} />
              </td>
              <td className="break">
                <Component s={s} />
              </td>
              <td>{humanize(s.justification) || <span className="muted">–</span>}</td>
              <td className="break">
                {s.impact_statement && <p className="small">{s.impact_statement}</p>}
                {s.action_statement && (
                  <p className="small">
                    <strong>Action:</strong> {s.action_statement}
                  </p>
                )}
                {!s.impact_statement && !s.action_statement && <span className="muted">–</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** How many statements have each status (statuses without statements are left out). */
export function vexCounts(statements: readonly VexStatementView[]): { value: string; label: string; count: number }[] {
  const known = VEX_STATUSES.map((s) => ({ ...s, count: statements.filter((x) => x.status === s.value).length }));
  const others = [...new Set(statements.map((s) => s.status))]
    .filter((v) => !VEX_STATUSES.some((s) => s.value === v))
    .map((v) => ({ value: v, label: humanize(v), count: statements.filter((x) => x.status === v).length }));
  return [...known, ...others].filter((s) => s.count > 0);
}

/**
 * The customer's VEX view: a count per status that doubles as a filter ("Affected 2"), then the
 * statements with the chosen status.
 */
export function VexStatements({ statements, caption }: { statements: VexStatementView[]; caption: string }) {
  const [status, setStatus] = useState<string | null>(null);
  const counts = vexCounts(statements);
  const shown = status ? statements.filter((s) => s.status === status) : statements;
  return (
    <>
      <ul className="vex-summary" aria-label="Statements by status">
        <li>
          <button type="button" className="button button-small" aria-pressed={status === null} onClick={() => setStatus(null)}>
            All <span className="vex-count">{statements.length}</span>
          </button>
        </li>
        {counts.map((c) => (
          <li key={c.value}>
            <button
              type="button"
              className="button button-small"
              aria-pressed={status === c.value}
              onClick={() => setStatus(status === c.value ? null : c.value)}
            >
              {c.label} <span className="vex-count">{c.count}</span>
            </button>
          </li>
        ))}
      </ul>
      <div className="card card-flush">
        <VexTable statements={shown} caption={caption} />
      </div>
    </>
  );
}
