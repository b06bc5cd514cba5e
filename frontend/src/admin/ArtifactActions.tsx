import { useState } from "react";
import { Link } from "react-router";
import { isConformanceRefusal } from "../api/problem";
import { adminApi, unwrap } from "../api/client";
import type { ArtifactDetail, ArtifactView } from "../api/types";
import { KIND_LABELS } from "../api/types";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { DownloadButton } from "../components/Download";

export function adminDownload(org: string, id: string): () => Promise<Blob> {
  return async () =>
    (await unwrap(
      adminApi.GET("/api/v1/orgs/{org}/artifacts/{id}/download", {
        params: { path: { org, id } },
        parseAs: "blob",
      }),
    )) as Blob;
}

interface ArtifactActionsProps {
  org: string;
  artifact: ArtifactView;
  canPublish: boolean;
  onChanged: (a: ArtifactDetail) => void;
  compact?: boolean;
}

/** Download, and (for publishers) publish or withdraw with a confirmation. */
export function ArtifactActions({ org, artifact, canPublish, onChanged, compact }: ArtifactActionsProps) {
  const [confirm, setConfirm] = useState<"publish" | "withdraw" | null>(null);
  const what = `${KIND_LABELS[artifact.kind]} ${artifact.filename}`;
  const small = compact ? " button-small" : "";
  return (
    <div className="button-row">
      <DownloadButton
        filename={artifact.filename}
        size={artifact.size}
        sha256={artifact.sha256}
        fetchBlob={adminDownload(org, artifact.id)}
        className={`button${small}${compact ? " button-icon-only" : ""}`}
        iconOnly={compact}
      />
      {canPublish && artifact.status === "draft" && (
        <button
          type="button"
          className={`button button-primary${small}`}
          aria-label={`Publish ${what}`}
          onClick={() => setConfirm("publish")}
        >
          Publish
        </button>
      )}
      {canPublish && artifact.status === "published" && (
        <button
          type="button"
          className={`button button-danger-outline${small}`}
          aria-label={`Withdraw ${what}`}
          onClick={() => setConfirm("withdraw")}
        >
          Withdraw
        </button>
      )}
      {confirm === "publish" && (
        <ConfirmDialog
          title={`Publish ${artifact.filename}?`}
          confirmLabel="Publish"
          errorTitle="Not published"
          errorHint={(e) =>
            isConformanceRefusal(e) && (
              <p className="small">
                It stays a draft.{" "}
                {compact ? (
                  <Link to={`/admin/${org}/artifacts/${artifact.id}#conformance`}>See every rule it fails</Link>
                ) : (
                  "The Conformance section of this page lists every rule it fails."
                )}{" "}
                Upload a corrected SBOM, or change the required profiles in Settings › Supplier Portal.
              </p>
            )
          }
          onClose={() => setConfirm(null)}
          onConfirm={async () => {
            const a = await unwrap(
              adminApi.POST("/api/v1/orgs/{org}/artifacts/{id}/publish", {
                params: { path: { org, id: artifact.id } },
              }),
            );
            onChanged(a);
          }}
        >
          <p>
            Customers with access to the Supplier Portal can see and download this {KIND_LABELS[artifact.kind]} as soon
            as it is published. Every download is logged.
          </p>
        </ConfirmDialog>
      )}
      {confirm === "withdraw" && (
        <ConfirmDialog
          title={`Withdraw ${artifact.filename}?`}
          confirmLabel="Withdraw"
          danger
          reasonLabel="Reason (kept on record)"
          onClose={() => setConfirm(null)}
          onConfirm={async (reason) => {
            const a = await unwrap(
              adminApi.POST("/api/v1/orgs/{org}/artifacts/{id}/withdraw", {
                params: { path: { org, id: artifact.id } },
                body: { reason: reason || null },
              }),
            );
            onChanged(a);
          }}
        >
          <p>
            Customers will no longer see or download it. The artifact stays on record and cannot be published again;
            upload a corrected document instead.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
