import type { ReactNode } from "react";
import { readFacts, type AdvisoryFacts, type ArtifactFacts, type DocumentFacts, type SbomFacts } from "../api/types";
import { SeverityBadge } from "./Badge";
import { formatBytes, formatDateTime } from "../format";

export function FactList({ children }: { children: ReactNode }) {
  return <dl className="facts">{children}</dl>;
}

export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd>{children ?? <span className="muted">–</span>}</dd>
    </div>
  );
}

function List({ items, mono }: { items: string[]; mono?: boolean }) {
  if (items.length === 0) return <span className="muted">None</span>;
  return (
    <ul className={`chips${mono ? " mono" : ""}`}>
      {items.map((i) => (
        <li key={i}>{i}</li>
      ))}
    </ul>
  );
}

/** "CycloneDX 1.6 (JSON)", "SPDX 2.3 (JSON)", "SPDX 3.0.1 (JSON-LD)" from a format such as `spdx-json 2.3`. */
export function sbomSpecification(format: string | undefined, specVersion: string): string {
  const family = (format ?? "").toLowerCase().split(" ")[0] ?? "";
  if (family === "spdx-jsonld") return `SPDX ${specVersion} (JSON-LD)`;
  if (family.startsWith("spdx")) return `SPDX ${specVersion} (JSON)`;
  if (family.startsWith("cyclonedx")) return `CycloneDX ${specVersion} (JSON)`;
  return specVersion;
}

export function SbomFactsView({ facts, format }: { facts: SbomFacts; format?: string }) {
  const pc = facts.primary_component;
  const family = (format ?? "").toLowerCase().split(" ")[0];
  const serialLabel = family === "spdx-jsonld" ? "Document id" : family === "spdx-json" ? "Document namespace" : "Serial number";
  return (
    <FactList>
      <Fact label="Components">
        <span className="big-number">{facts.component_count_total}</span>
        {facts.component_count_total !== facts.component_count && (
          <span className="muted small"> ({facts.component_count} top-level)</span>
        )}
      </Fact>
      <Fact label="Primary component">
        {pc ? (
          <>
            {pc.name} {pc.version && <span className="mono">{pc.version}</span>}
            {pc.purl && <div className="muted small mono break">{pc.purl}</div>}
          </>
        ) : (
          <span className="muted">Not stated</span>
        )}
      </Fact>
      <Fact label="Supplier">{facts.supplier ?? <span className="muted">Not stated</span>}</Fact>
      {(facts.authors?.length ?? 0) > 0 && (
        <Fact label="Authors">
          <List items={facts.authors ?? []} />
        </Fact>
      )}
      <Fact label="Specification">{sbomSpecification(format, facts.spec_version)}</Fact>
      {facts.document_name && <Fact label="Document name">{facts.document_name}</Fact>}
      <Fact label={serialLabel}>
        {facts.serial_number ? <span className="mono break">{facts.serial_number}</span> : <span className="muted">–</span>}
      </Fact>
      <Fact label="Generated">{formatDateTime(facts.timestamp)}</Fact>
      <Fact label="Tools">
        <List items={facts.tools} />
      </Fact>
      <Fact label="Licences">
        <List items={facts.licenses} />
      </Fact>
      {facts.vulnerabilities.length > 0 && (
        <Fact label="Embedded vulnerabilities">
          <List items={facts.vulnerabilities} mono />
        </Fact>
      )}
    </FactList>
  );
}

export function AdvisoryFactsView({ facts }: { facts: AdvisoryFacts }) {
  return (
    <FactList>
      <Fact label="Severity">
        <SeverityBadge severity={facts.severity} score={facts.max_cvss_base_score} />
      </Fact>
      <Fact label="CVEs">
        <List items={facts.cves} mono />
      </Fact>
      <Fact label="Tracking id">
        <span className="mono">{facts.tracking_id}</span> <span className="muted small">v{facts.tracking_version}</span>
      </Fact>
      <Fact label="Title">{facts.title}</Fact>
      <Fact label="Category">{facts.category.replace(/_/g, " ")}</Fact>
      <Fact label="Status">{facts.status}</Fact>
      <Fact label="Publisher">{facts.publisher_name}</Fact>
      <Fact label="Released">{formatDateTime(facts.initial_release_date)}</Fact>
      <Fact label="Current release">{formatDateTime(facts.current_release_date)}</Fact>
      {facts.tlp_label && <Fact label="TLP">{facts.tlp_label}</Fact>}
      <Fact label="Vulnerabilities">{facts.vulnerability_count}</Fact>
    </FactList>
  );
}

export function DocumentFactsView({ facts }: { facts: DocumentFacts }) {
  return (
    <FactList>
      <Fact label="Title">{facts.title ?? <span className="muted">Not stated</span>}</Fact>
      {facts.pdf_version && <Fact label="PDF version">{facts.pdf_version}</Fact>}
      <Fact label="Size">{formatBytes(facts.size_bytes)}</Fact>
    </FactList>
  );
}

/** The parsed facts of any artifact, by kind. */
export function ArtifactFactsView({ facts }: { facts: ArtifactFacts | null | undefined }) {
  const f = readFacts(facts);
  if (f.sbom) return <SbomFactsView facts={f.sbom} format={f.format} />;
  if (f.advisory) return <AdvisoryFactsView facts={f.advisory} />;
  if (f.document) return <DocumentFactsView facts={f.document} />;
  return null;
}
