import { Link } from "react-router";
import type { ArtifactView } from "../api/types";
import { StatusBadge } from "../components/Badge";
import { formatBytes, formatDate, formatDateTime, formatTime } from "../format";
import { TableScroll } from "../components/TableScroll";
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

/**
 * The artifacts of a version (or of the whole organisation). Reflowed to fit a laptop's column:
 * kind, format and size sit under the document's name, the TLP label under its status, so no
 * column is cut off at 1280 px; narrower screens scroll the table in its own container.
 */
export function ArtifactTable({ org, artifacts, canPublish, onChanged, showVersion, caption }: ArtifactTableProps) {
  return (
    <TableScroll label={caption} className="card card-flush">
      <table className="table artifact-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Document</th>
            {showVersion && <th scope="col">Product version</th>}
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
              <td className="doc-cell">
                <Link to={`/admin/${org}/artifacts/${a.id}`} className="strong-link">
                  {a.title || a.filename}
                </Link>
                {a.title && <div className="muted small">{a.filename}</div>}
                <div className="doc-meta small muted">
                  <StatusBadge status={a.kind} />
                  <span>{a.format}</span>
                  <span className="nowrap">{formatBytes(a.size)}</span>
                </div>
              </td>
              {showVersion && (
                <td className="version-cell">
                  <Link to={`/admin/${org}/products/${a.product_version.product_slug}`}>{a.product_version.product_name}</Link>
                  <div>
                    <Link
                      className="mono"
                      to={`/admin/${org}/products/${a.product_version.product_slug}/versions/${encodeURIComponent(a.product_version.version)}`}
                    >
                      {a.product_version.version}
                    </Link>
                  </div>
                </td>
              )}
              <td className="state-cell">
                <StatusBadge status={a.status} />
                <ArtifactTlpBadge artifact={a} />
              </td>
              <td className="nowrap" title={`${formatDateTime(a.uploaded_at)} by ${a.uploaded_by.name}`}>
                {formatDate(a.uploaded_at)}
                <div className="muted small">{formatTime(a.uploaded_at)}</div>
              </td>
              <td className="row-actions">
                <ArtifactActions org={org} artifact={a} canPublish={canPublish} onChanged={onChanged} compact />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
