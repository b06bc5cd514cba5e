import { useId, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { adminApi, unwrap } from "../api/client";
import { isCsaf, TLP_SOURCE_TEXT, type ArtifactDetail, type ArtifactView, type Tlp } from "../api/types";
import { useSubmit } from "../hooks";
import { Dialog } from "../components/Dialog";
import { Field, TlpOptions } from "../components/Field";
import { ProblemAlert } from "../components/Alert";
import { TlpBadge } from "../components/Badge";

/** An artifact's label as the console lists it: its own badge, or "Portal default" (and which one, when known). */
export function ArtifactTlpBadge({ artifact, defaultTlp }: { artifact: Pick<ArtifactView, "tlp">; defaultTlp?: Tlp }) {
  if (artifact.tlp) return <TlpBadge tlp={artifact.tlp} />;
  return defaultTlp ? (
    <span className="nowrap">
      <TlpBadge tlp={defaultTlp} source="portal_default" /> <span className="muted small">portal default</span>
    </span>
  ) : (
    <span className="muted small" title="No label of its own: the portal's default label applies">
      Portal default
    </span>
  );
}

/** Changes an artifact's explicit label (`PATCH …/artifacts/{id}`), or returns it to the portal default. */
export function EditLabelDialog({
  org,
  artifact,
  onClose,
  onSaved,
}: {
  org: string;
  artifact: ArtifactView;
  onClose: () => void;
  onSaved: (a: ArtifactDetail) => void;
}) {
  const [tlp, setTlp] = useState<Tlp | "">(artifact.tlp && artifact.tlp !== "unlabeled" ? artifact.tlp : "");
  const save = useSubmit(async () => {
    const a = await unwrap(
      adminApi.PATCH("/api/v1/orgs/{org}/artifacts/{id}", {
        params: { path: { org, id: artifact.id } },
        body: { tlp: tlp || null },
      }),
    );
    onSaved(a);
  });
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    void save.submit();
  }
  return (
    <Dialog
      title="Edit TLP label"
      onClose={onClose}
      dismissible={!save.busy}
      size="small"
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={save.busy}>
            Cancel
          </button>
          <button type="submit" form="artifact-label-form" className="button button-primary" disabled={save.busy}>
            {save.busy ? "Saving…" : "Save label"}
          </button>
        </>
      }
    >
      <form id="artifact-label-form" onSubmit={onSubmit} noValidate>
        <p className="muted small">
          {artifact.filename}
          {artifact.status === "published" && " is published: the change applies to customers at once."}
        </p>
        <Field
          label="TLP label"
          hint="A customer sees it only when their access token is cleared for this label; anonymous visitors of a public portal see TLP:CLEAR only."
          error={save.fieldError("tlp")}
        >
          {(c) => (
            <select {...c} name="tlp" data-autofocus value={tlp} onChange={(e) => setTlp(e.target.value as Tlp | "")}>
              <TlpOptions none="Portal default" />
            </select>
          )}
        </Field>
        <ProblemAlert error={save.error} shownFields={["tlp"]} title="Could not change the label" />
      </form>
    </Dialog>
  );
}

/**
 * The artifact page's label: the badge, where it comes from, and (for publishers) "Edit label";
 * CSAF documents carry theirs in the document, so their control is disabled with the reason.
 */
export function ArtifactLabel({
  org,
  artifact,
  canPublish,
  isAdmin,
  defaultTlp,
  onChanged,
}: {
  org: string;
  artifact: ArtifactView;
  canPublish: boolean;
  isAdmin: boolean;
  defaultTlp?: Tlp;
  onChanged: (a: ArtifactDetail) => void;
}) {
  const [editing, setEditing] = useState(false);
  const csafHint = useId();
  const csaf = isCsaf(artifact);
  return (
    <div className="tlp-fact">
      <div className="badge-line">
        <ArtifactTlpBadge artifact={artifact} defaultTlp={defaultTlp} />
        {artifact.tlp && <span className="muted small">{TLP_SOURCE_TEXT[artifact.tlp_source]}</span>}
        {canPublish && (
          <button
            type="button"
            className="button button-small"
            disabled={csaf}
            aria-describedby={csaf ? csafHint : undefined}
            onClick={() => setEditing(true)}
          >
            Edit label
          </button>
        )}
      </div>
      {csaf && (
        <p id={csafHint} className="muted small">
          A CSAF document’s label is its <code>/document/distribution/tlp/label</code>
          {artifact.tlp === "unlabeled" ? " (this one has none: every access token may read it, anonymous visitors may not)" : ""}
          . To change it, upload a corrected document.
        </p>
      )}
      {!artifact.tlp && isAdmin && (
        <p className="muted small">
          The default is set in <Link to={`/admin/${org}/settings/portal`}>Settings › Supplier Portal</Link>.
        </p>
      )}
      {editing && (
        <EditLabelDialog
          org={org}
          artifact={artifact}
          onClose={() => setEditing(false)}
          onSaved={(a) => {
            setEditing(false);
            onChanged(a);
          }}
        />
      )}
    </div>
  );
}

