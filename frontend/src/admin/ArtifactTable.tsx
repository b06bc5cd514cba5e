import { Link } from "react-router";
import type { ArtifactView } from "../api/types";
import { StatusBadge } from "../components/Badge";
import { formatBytes, formatDateTime } from "../format";
import { ArtifactActions } from "./ArtifactActions";
import { ArtifactTlpBadge } from "./ArtifactLabel";

interface ArtifactTableProps {
  org: string;
  artifacts: ArtifactView[];
  canPublish: boolean;
  onChanged: () => void;
  showVersion?: boolean;
  caption: string;
}

export function ArtifactTable({ org, artifacts, canPublish, onChanged, showVersion, caption }: ArtifactTableProps) {
  return (
    <div className="table-wrap card card-flush">
      <table className="table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">Document</th>
            {showVersion && <th scope="col">Product version</th>}
            <th scope="col">Format</th>
            <th scope="col" className="num">
              Size
            </th>
            <th scope="col">TLP</th>
            <th scope="col">Status</th>
            <th scope="col">Uploaded</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {artifacts.map((a) => (
            <tr key={a.id} data-artifact-id={a.id}>
              <td>
                <StatusBadge status={a.kind} />
              </td>
              <td className="doc-cell">
                <Link to={`/admin/${org}/artifacts/${a.id}`} className="strong-link">
                  {a.title || a.filename}
                </Link>
                {a.title && <div className="muted small">{a.filename}</div>}
              </td>
              {showVersion && (
                <td className="nowrap">
                  <Link to={`/admin/${org}/products/${a.product_version.product_slug}`}>{a.product_version.product_name}</Link>{" "}
                  <Link
                    className="mono"
                    to={`/admin/${org}/products/${a.product_version.product_slug}/versions/${encodeURIComponent(a.product_version.version)}`}
                  >
                    {a.product_version.version}
                  </Link>
                </td>
              )}
              <td className="nowrap">{a.format}</td>
              <td className="num nowrap">{formatBytes(a.size)}</td>
              <td className="nowrap">
                <ArtifactTlpBadge artifact={a} />
              </td>
              <td>
                <StatusBadge status={a.status} />
              </td>
              <td className="nowrap" title={`by ${a.uploaded_by.name}`}>
                {formatDateTime(a.uploaded_at)}
              </td>
              <td className="row-actions">
                <ArtifactActions org={org} artifact={a} canPublish={canPublish} onChanged={onChanged} compact />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
