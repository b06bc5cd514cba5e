import type { VexStatementView } from "../api/types";
import { StatusBadge } from "./Badge";
import { EmptyState } from "./States";

function humanize(s: string | null | undefined): string {
  if (!s) return "";
  return s.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}

/** VEX statements: vulnerability, product, status, justification and what to do. */
export function VexTable({ statements, caption = "VEX statements" }: { statements: VexStatementView[]; caption?: string }) {
  if (statements.length === 0) {
    return <EmptyState title="No VEX statements">This document states nothing about vulnerabilities.</EmptyState>;
  }
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Vulnerability</th>
            <th scope="col">Product</th>
            <th scope="col">Status</th>
            <th scope="col">Justification</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {statements.map((s, i) => (
            <tr key={`${s.vulnerability_id}-${s.product}-${i}`}>
              <td>
                <span className="mono nowrap">{s.vulnerability_id}</span>
                {s.aliases.length > 0 && <div className="muted small">{s.aliases.join(", ")}</div>}
              </td>
              <td className="break">
                {s.product_name ?? s.product}
                {s.product_name && <div className="muted small mono">{s.purl ?? s.product}</div>}
              </td>
              <td>
                <StatusBadge status={s.status} />
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
    </div>
  );
}
