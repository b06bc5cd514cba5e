import { useId, useRef, useState, type DragEvent } from "react";
import { Link } from "react-router";
import { ApiError, describeError, isConformanceRefusal } from "../api/problem";
import {
  SPDX_MEDIA_TYPE,
  uploadArtifact,
  uploadMediaType,
  type UploadProgress,
  type UploadRequest,
  type UploadResponse,
} from "../api/upload";
import { adminSession } from "../api/session";
import {
  DOCUMENT_TYPES,
  KIND_LABELS,
  TLP_TEXT,
  type ArtifactKind,
  type ArtifactView,
  type DocumentType,
  type Tlp,
} from "../api/types";
import { formatBytes } from "../format";
import { readableMessage } from "../api/readable";
import { Alert } from "./Alert";
import { Checkbox, Field, TlpOptions } from "./Field";

type Phase =
  | { name: "idle" }
  | { name: "uploading"; progress: UploadProgress }
  | { name: "done"; response: UploadResponse }
  | { name: "failed"; error: unknown };

interface ProgressProps {
  filename: string;
  loaded: number;
  total: number;
}

/** Upload progress: bytes sent, then "checking" while the server validates the document. */
export function UploadProgressBar({ filename, loaded, total }: ProgressProps) {
  const pct = total > 0 ? Math.min(100, Math.round((loaded / total) * 100)) : 0;
  const sent = total > 0 && loaded >= total;
  const labelId = useId();
  return (
    <div className="upload-progress">
      <div className="upload-progress-text" id={labelId}>
        <span className="upload-progress-name">{filename}</span>
        <span className="muted">
          {sent ? "Checking the document…" : `${pct}% · ${formatBytes(loaded)} of ${formatBytes(total)}`}
        </span>
      </div>
      <progress
        className="progress"
        max={100}
        value={pct}
        aria-labelledby={labelId}
        aria-valuetext={sent ? "Upload complete, checking the document" : `${pct}%`}
      />
    </div>
  );
}

/** The server's message exactly as it was sent, folded away under the readable one. */
export function RawDetails({ raw, summary = "Technical details" }: { raw: string; summary?: string }) {
  return (
    <details className="raw-details">
      <summary>{summary}</summary>
      <pre>{raw}</pre>
    </details>
  );
}

/**
 * The defects of a rejected document, located by JSON pointer (or CSAF test id). When publishing
 * was refused because the SBOM fails a required conformance profile, `onKeepDraft` offers to
 * upload it as a draft instead.
 */
export function RejectionDetails({ error, onKeepDraft }: { error: unknown; onKeepDraft?: () => void }) {
  const problem = error instanceof ApiError ? error.problem : null;
  const status = problem?.status;
  const gate = isConformanceRefusal(error);
  const title = gate
    ? "Not published: the SBOM fails a required conformance profile"
    : status === 422
      ? "The document was rejected"
      : status === 413
        ? "The file is too large"
        : status === 415
          ? "This kind of file is not accepted"
          : (problem?.title ?? "The upload failed");
  const defects = problem?.errors ?? [];
  const detail = readableMessage(describeError(error));
  return (
    <Alert tone="danger" title={title}>
      <p>{detail.text}</p>
      {detail.raw && <RawDetails raw={detail.raw} summary="The validator’s full message" />}
      {defects.length > 0 && (
        <div className="table-wrap">
          <table className="table table-compact defects-table">
            <caption className="visually-hidden">Defects found in the document</caption>
            <thead>
              <tr>
                <th scope="col">Where</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {defects.map((d, i) => {
                const m = readableMessage(d.message);
                return (
                  <tr key={i}>
                    <td>
                      <code>{d.field || "(document)"}</code>
                    </td>
                    <td>
                      {m.text}
                      {m.raw && <RawDetails raw={m.raw} />}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {gate && (
        <>
          <p>
            Nothing was stored. Upload it as a draft to see every rule it fails on its page, then upload a corrected
            SBOM; the required profiles are set in Settings › Supplier Portal.
          </p>
          {onKeepDraft && (
            <p>
              <button type="button" className="button" onClick={onKeepDraft}>
                Upload as a draft instead
              </button>
            </p>
          )}
        </>
      )}
      {problem?.request_id && !gate && <p className="muted small">Request id: {problem.request_id}</p>}
    </Alert>
  );
}

interface UploadPanelProps {
  org: string;
  product: string;
  version: string;
  canPublish: boolean;
  onUploaded?: (artifact: ArtifactView, created: boolean) => void;
  /** For tests: replaces the XMLHttpRequest upload. */
  upload?: (req: UploadRequest) => Promise<UploadResponse>;
}

/** Drag-and-drop (or pick) a file, choose its kind, and upload it with a progress bar. */
export function UploadPanel({ org, product, version, canPublish, onUploaded, upload }: UploadPanelProps) {
  const [file, setFile] = useState<File | null>(null);
  const [kind, setKind] = useState<ArtifactKind | "">("");
  const [documentType, setDocumentType] = useState<DocumentType>("other");
  const [tlp, setTlp] = useState<Tlp | "">("");
  const [publish, setPublish] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [phase, setPhase] = useState<Phase>({ name: "idle" });
  const inputRef = useRef<HTMLInputElement>(null);
  const abortRef = useRef<AbortController | null>(null);
  const dropHintId = useId();
  const busy = phase.name === "uploading";

  function choose(f: File | null | undefined) {
    if (!f) return;
    setFile(f);
    setPhase({ name: "idle" });
    if (!kind) {
      if (/\.(pdf|md|markdown|html?|txt)$/i.test(f.name)) setKind("document");
    }
  }

  function onDrop(e: DragEvent<HTMLDivElement>) {
    e.preventDefault();
    setDragging(false);
    if (busy) return;
    choose(e.dataTransfer.files?.[0]);
  }

  async function start(asDraft = false) {
    if (!file) return;
    if (asDraft) setPublish(false);
    const publishing = publish && !asDraft;
    const controller = new AbortController();
    abortRef.current = controller;
    setPhase({ name: "uploading", progress: { loaded: 0, total: file.size } });
    try {
      const response = await (upload ?? uploadArtifact)({
        path: { org, product, version },
        query: {
          ...(publishing ? { publish: true } : {}),
          // CSAF advisories carry their own label; everything else may be given one.
          ...(tlp && kind !== "advisory" ? { tlp } : {}),
        },
        file,
        fields: {
          kind: kind || undefined,
          document_type: kind === "document" ? documentType : undefined,
        },
        session: adminSession,
        signal: controller.signal,
        onProgress: (progress) => setPhase((p) => (p.name === "uploading" ? { name: "uploading", progress } : p)),
      });
      setPhase({ name: "done", response });
      setFile(null);
      if (inputRef.current) inputRef.current.value = "";
      onUploaded?.(response.artifact, response.status === 201);
    } catch (e) {
      if (e instanceof DOMException && e.name === "AbortError") {
        setPhase({ name: "idle" });
      } else {
        setPhase({ name: "failed", error: e });
      }
    } finally {
      abortRef.current = null;
    }
  }

  return (
    <section className="card upload" aria-labelledby="upload-heading">
      <h2 id="upload-heading" className="card-title">
        Upload evidence
      </h2>
      <div
        className={`dropzone${dragging ? " dropzone-active" : ""}${busy ? " dropzone-busy" : ""}`}
        data-testid="dropzone"
        onDragEnter={(e) => {
          e.preventDefault();
          if (!busy) setDragging(true);
        }}
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = busy ? "none" : "copy";
        }}
        onDragLeave={(e) => {
          if (e.currentTarget.contains(e.relatedTarget as Node | null)) return;
          setDragging(false);
        }}
        onDrop={onDrop}
      >
        <svg className="dropzone-icon" viewBox="0 0 24 24" aria-hidden="true">
          <path d="M12 16V4m0 0l-4 4m4-4l4 4M4 16v3a1 1 0 001 1h14a1 1 0 001-1v-3" />
        </svg>
        <p id={dropHintId}>
          {file ? (
            <>
              <strong>{file.name}</strong>{" "}
              <span className="muted">
                ({formatBytes(file.size)}
                {uploadMediaType(file, kind) === SPDX_MEDIA_TYPE && ", SPDX SBOM"})
              </span>
            </>
          ) : (
            <>Drop an SBOM, VEX, CSAF advisory or document here</>
          )}
        </p>
        <p className="muted small">CycloneDX JSON, SPDX JSON or JSON-LD, OpenVEX, CSAF 2.0, PDF, Markdown, HTML or text</p>
        <input
          ref={inputRef}
          type="file"
          className="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
          data-testid="file-input"
          onChange={(e) => choose(e.target.files?.[0])}
        />
        <button
          type="button"
          className="button"
          disabled={busy}
          aria-describedby={dropHintId}
          onClick={() => inputRef.current?.click()}
        >
          {file ? "Choose another file" : "Choose a file"}
        </button>
      </div>

      <div className="form-grid">
        <Field label="Kind" hint="Leave on “Detect” to let the server tell from the content.">
          {(c) => (
            <select {...c} value={kind} disabled={busy} onChange={(e) => setKind(e.target.value as ArtifactKind | "")}>
              <option value="">Detect from the content</option>
              {(Object.keys(KIND_LABELS) as ArtifactKind[]).map((k) => (
                <option key={k} value={k}>
                  {KIND_LABELS[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
        {kind === "document" && (
          <Field label="Document type">
            {(c) => (
              <select
                {...c}
                value={documentType}
                disabled={busy}
                onChange={(e) => setDocumentType(e.target.value as DocumentType)}
              >
                {DOCUMENT_TYPES.map((d) => (
                  <option key={d.value} value={d.value}>
                    {d.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field
          label="TLP label"
          hint={
            kind === "advisory"
              ? "A CSAF advisory carries its own label (/document/distribution/tlp/label)."
              : "Who may read it in the portal. CSAF documents carry their own label: leave those on the portal default."
          }
        >
          {(c) =>
            kind === "advisory" ? (
              <select {...c} name="tlp" value="" disabled>
                <option value="">From the document</option>
              </select>
            ) : (
              <select {...c} name="tlp" value={tlp} disabled={busy} onChange={(e) => setTlp(e.target.value as Tlp | "")}>
                <TlpOptions none="Portal default" />
              </select>
            )
          }
        </Field>
      </div>
      {canPublish && (
        <Checkbox
          label="Publish immediately"
          hint="Otherwise it is kept as a draft that customers cannot see until you publish it."
          checked={publish}
          disabled={busy}
          onChange={setPublish}
        />
      )}

      <div className="actions">
        <button type="button" className="button button-primary" disabled={!file || busy} onClick={() => void start()}>
          {busy ? "Uploading…" : "Upload"}
        </button>
        {busy && (
          <button type="button" className="button" onClick={() => abortRef.current?.abort()}>
            Cancel upload
          </button>
        )}
      </div>

      <div aria-live="polite">
        {phase.name === "uploading" && (
          <UploadProgressBar
            filename={file?.name ?? "upload"}
            loaded={phase.progress.loaded}
            total={phase.progress.total}
          />
        )}
        {phase.name === "done" && (
          <Alert tone="success" title={phase.response.status === 201 ? "Uploaded" : "Already uploaded"}>
            <p>
              {phase.response.status === 201 ? (
                <>
                  {phase.response.artifact.filename} was stored as a{" "}
                  {phase.response.artifact.status === "published" ? "published" : "draft"}{" "}
                  {KIND_LABELS[phase.response.artifact.kind]} ({phase.response.artifact.format}).
                </>
              ) : (
                <>An identical file is already on this version; nothing new was stored.</>
              )}{" "}
              <Link to={`/admin/${org}/artifacts/${phase.response.artifact.id}`}>View the artifact</Link>
            </p>
            <p className="small">
              TLP label:{" "}
              {phase.response.artifact.tlp ? TLP_TEXT[phase.response.artifact.tlp] : "the portal default"}
            </p>
          </Alert>
        )}
        {phase.name === "done" && (phase.response.artifact.warnings?.length ?? 0) > 0 && (
          <Alert tone="warning" title="Accepted, but worth a look">
            <ul className="problem-list" aria-label="Upload warnings">
              {phase.response.artifact.warnings!.map((w, i) => (
                <li key={i}>{w}</li>
              ))}
            </ul>
          </Alert>
        )}
      </div>
      {phase.name === "failed" && (
        <RejectionDetails error={phase.error} onKeepDraft={file ? () => void start(true) : undefined} />
      )}
    </section>
  );
}
