import { useId, useState, type ReactNode } from "react";
import { Link } from "react-router";
import type { SbomDiff, VersionChanges, VexChange } from "../api/types";
import { keepPreviousData, useQuery, type QueryKey } from "../hooks";
import { plural } from "../format";
import { Badge, StatusBadge } from "./Badge";
import { Async, EmptyState } from "./States";
import { TableScroll } from "./TableScroll";

/**
 * The versions a version can be compared with, from a product's version list (newest first, as
 * the API lists them): the earlier ones first, nearest first (so the previous version comes
 * first), then the later ones, nearest first.
 */
export function comparisonChoices(versions: readonly string[], current: string): { earlier: string[]; later: string[] } {
  const i = versions.indexOf(current);
  if (i < 0) return { earlier: versions.filter((v) => v !== current), later: [] };
  return { earlier: versions.slice(i + 1), later: versions.slice(0, i).reverse() };
}

function Version({ children }: { children: ReactNode }) {
  return <span className="mono nowrap">{children}</span>;
}

function Absent({ children = "–" }: { children?: ReactNode }) {
  return <span className="muted">{children}</span>;
}

type ComponentRow =
  | { change: "added"; name: string; purl?: string | null; from?: null; to?: string | null }
  | { change: "removed"; name: string; purl?: string | null; from?: string | null; to?: null }
  | { change: "changed"; name: string; purl?: string | null; from?: string | null; to?: string | null };

/**
 * -1, 0 or 1 when both are plain dotted numbers ("1.2.10", "v2.0"), else null: other version
 * schemes are not guessed at.
 */
export function compareVersions(a: string | null | undefined, b: string | null | undefined): number | null {
  const parts = (v: string | null | undefined) =>
    v && /^v?\d+(\.\d+)*$/i.test(v.trim()) ? v.trim().replace(/^v/i, "").split(".").map(Number) : null;
  const x = parts(a);
  const y = parts(b);
  if (!x || !y) return null;
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

function ChangeBadge({ row }: { row: ComponentRow }) {
  if (row.change === "added") return <Badge tone="success">Added</Badge>;
  if (row.change === "removed") return <Badge tone="danger">Removed</Badge>;
  const order = compareVersions(row.from, row.to);
  if (order === 1) return <Badge tone="warning">Downgraded</Badge>;
  return <Badge tone="info">{order === -1 ? "Upgraded" : "Changed"}</Badge>;
}

function componentRows(d: SbomDiff): ComponentRow[] {
  return [
    ...d.added.map((e): ComponentRow => ({ change: "added", name: e.name, purl: e.purl, to: e.version })),
    ...d.removed.map((e): ComponentRow => ({ change: "removed", name: e.name, purl: e.purl, from: e.version })),
    ...d.changed.map(
      (c): ComponentRow => ({ change: "changed", name: c.name, purl: c.purl, from: c.from_version, to: c.to_version }),
    ),
  ];
}

function SbomChanges({ diff, from, to }: { diff: SbomDiff; from: string; to: string }) {
  const rows = componentRows(diff);
  return (
    <>
      <p className="changes-counts" data-testid="changes-counts">
        <span>{plural(diff.added.length, "added", "added")}</span>
        <span>{plural(diff.removed.length, "removed", "removed")}</span>
        <span>{plural(diff.changed.length, "version changed", "versions changed")}</span>
        <span>{plural(diff.licence_changes.length, "licence change")}</span>
        <span className="muted">{plural(diff.unchanged, "unchanged", "unchanged")}</span>
      </p>
      {rows.length === 0 ? (
        <p className="muted empty-inline">No component was added or removed, and no version changed.</p>
      ) : (
        <TableScroll label={`Components added, removed and upgraded between ${from} and ${to}`} className="card card-flush">
          <table className="table table-compact">
            <caption className="visually-hidden">
              Components added, removed and upgraded between {from} and {to}
            </caption>
            <thead>
              <tr>
                <th scope="col">Change</th>
                <th scope="col">Component</th>
                <th scope="col">{from}</th>
                <th scope="col">{to}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={`${r.change}-${r.name}-${i}`} data-change={r.change}>
                  <td>
                    <ChangeBadge row={r} />
                  </td>
                  <td className="break">
                    {r.name}
                    {r.purl && <div className="muted small mono">{r.purl}</div>}
                  </td>
                  <td>{r.change === "added" ? <Absent /> : r.from ? <Version>{r.from}</Version> : <Absent>no version</Absent>}</td>
                  <td>{r.change === "removed" ? <Absent /> : r.to ? <Version>{r.to}</Version> : <Absent>no version</Absent>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <h3 className="subsection-title">Licence changes</h3>
      {diff.licence_changes.length === 0 ? (
        <p className="muted empty-inline">No component’s licences changed.</p>
      ) : (
        <TableScroll label={`Licence changes between ${from} and ${to}`} className="card card-flush">
          <table className="table table-compact">
            <caption className="visually-hidden">Licence changes between {from} and {to}</caption>
            <thead>
              <tr>
                <th scope="col">Component</th>
                <th scope="col">{from}</th>
                <th scope="col">{to}</th>
              </tr>
            </thead>
            <tbody>
              {diff.licence_changes.map((l) => (
                <tr key={l.key}>
                  <td className="break">
                    {l.name}
                    {l.purl && <div className="muted small mono">{l.purl}</div>}
                  </td>
                  <td>{l.from.length > 0 ? l.from.join(", ") : <Absent>none stated</Absent>}</td>
                  <td>{l.to.length > 0 ? l.to.join(", ") : <Absent>none stated</Absent>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}

function Status({ status }: { status?: string | null }) {
  return status ? <StatusBadge status={status} /> : <Absent>no statement</Absent>;
}

function VexChanges({ changes, from, to }: { changes: VexChange[]; from: string; to: string }) {
  if (changes.length === 0) return <p className="muted empty-inline">No VEX status changed.</p>;
  return (
    <TableScroll label={`VEX status changes between ${from} and ${to}`} className="card card-flush">
      <table className="table table-compact">
        <caption className="visually-hidden">VEX status changes between {from} and {to}</caption>
        <thead>
          <tr>
            <th scope="col">Vulnerability</th>
            <th scope="col">Product</th>
            <th scope="col">{from}</th>
            <th scope="col">{to}</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((c) => (
            <tr key={`${c.vulnerability_id}-${c.product}`}>
              <td className="mono nowrap">{c.vulnerability_id}</td>
              <td className="break">
                {c.product_name ?? c.product}
                {c.product_name && <div className="muted small mono">{c.product}</div>}
              </td>
              <td>
                <Status status={c.from_status} />
              </td>
              <td>
                <Status status={c.to_status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** Why there is no component diff: which version has no SBOM. */
function NoSbom({ changes }: { changes: VersionChanges }) {
  const missing = [
    ...(changes.from_sbom ? [] : [changes.from]),
    ...(changes.to_sbom ? [] : [changes.to]),
  ];
  return (
    <EmptyState title="No SBOM to compare">
      {missing.length === 0
        ? "The components of these versions cannot be compared."
        : `${missing.join(" and ")} ${missing.length === 1 ? "has" : "have"} no published SBOM.`}
    </EmptyState>
  );
}

/**
 * What changed between two versions, as the API answers it: components added, removed and
 * upgraded, licence changes (between their newest SBOMs) and VEX status changes.
 * `sbomLink` makes the compared SBOMs links (the console).
 */
export function ChangesView({ changes, sbomLink }: { changes: VersionChanges; sbomLink?: (id: string) => string }) {
  const { from, to } = changes;
  return (
    <div className="changes" data-testid="changes">
      <h3 className="subsection-title">Components</h3>
      {sbomLink && changes.from_sbom && changes.to_sbom && (
        <p className="muted small">
          Compares the newest SBOM of each version: <Link to={sbomLink(changes.from_sbom)}>SBOM of {from}</Link> with{" "}
          <Link to={sbomLink(changes.to_sbom)}>SBOM of {to}</Link>.
        </p>
      )}
      {changes.sbom ? <SbomChanges diff={changes.sbom} from={from} to={to} /> : <NoSbom changes={changes} />}
      <h3 className="subsection-title">VEX status changes</h3>
      <VexChanges changes={changes.vex} from={from} to={to} />
    </div>
  );
}

interface WhatChangedProps {
  /** The product's versions, newest first (as the API lists them). */
  versions: readonly string[];
  /** The version on screen. */
  current: string;
  /** Asks the API what changed from `from` to `current`. */
  load: (from: string) => Promise<VersionChanges>;
  /** The query key of the comparisons with `current` (the version compared with is appended). */
  queryKey: QueryKey;
  sbomLink?: (id: string) => string;
  /** What is compared, under the heading. */
  description?: ReactNode;
  className?: string;
}

/** "What changed since …": a choice of the product's other versions (the previous one first) and the differences. */
export function WhatChanged({ versions, current, load, queryKey, sbomLink, description, className }: WhatChangedProps) {
  const { earlier, later } = comparisonChoices(versions, current);
  const [chosen, setChosen] = useState<string | null>(null);
  const from = chosen ?? earlier[0] ?? later[0] ?? null;
  const headingId = useId();
  const selectId = useId();
  const changes = useQuery({
    queryKey: [...queryKey, from],
    queryFn: () => load(from!),
    enabled: from !== null,
    placeholderData: keepPreviousData,
  });
  return (
    <section aria-labelledby={headingId} className={className}>
      <div className="row-between wrap changes-header">
        <h2 id={headingId} className="section-title">
          {from === null ? (
            "What changed"
          ) : (
            <>
              What changed since <span className="mono">{from}</span>
            </>
          )}
        </h2>
        {from !== null && (
          <div className="field-inline">
            <label htmlFor={selectId} className="field-label">
              Compare with
            </label>
            <select id={selectId} value={from} onChange={(e) => setChosen(e.target.value)}>
              {earlier.length > 0 && (
                <optgroup label="Earlier versions">
                  {earlier.map((v) => (
                    <option key={v} value={v}>
                      {v}
                    </option>
                  ))}
                </optgroup>
              )}
              {later.length > 0 && (
                <optgroup label="Later versions">
                  {later.map((v) => (
                    <option key={v} value={v}>
                      {v}
                    </option>
                  ))}
                </optgroup>
              )}
            </select>
          </div>
        )}
      </div>
      {description && <p className="muted small section-description">{description}</p>}
      {from === null ? (
        <p className="muted empty-inline">This is the product’s only version: there is nothing to compare it with.</p>
      ) : (
        <Async resource={changes} loadingLabel="Comparing…">
          {(c) => <ChangesView changes={c} sbomLink={sbomLink} />}
        </Async>
      )}
    </section>
  );
}
