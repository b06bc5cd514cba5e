import { useState } from "react";
import { describeError } from "../api/problem";
import { saveBlob, sha256Hex } from "../api/download";
import { formatBytes, shortHash } from "../format";
import { CopyButton } from "./CopyButton";

interface DownloadButtonProps {
  filename: string;
  size: number;
  sha256: string;
  /** Fetches the bytes (with the caller's Bearer token). */
  fetchBlob: () => Promise<Blob>;
  label?: string;
  className?: string;
  /** Only the icon (tables): the size is in its own column. */
  iconOnly?: boolean;
}

type State =
  | { name: "idle" }
  | { name: "busy" }
  | { name: "done"; verified: boolean | null }
  | { name: "failed"; message: string };

/**
 * Downloads through fetch (so the Bearer header goes along), checks the bytes against the
 * published SHA-256, then saves them. Shows the size and the check's outcome.
 */
export function DownloadButton({ filename, size, sha256, fetchBlob, label, className, iconOnly }: DownloadButtonProps) {
  const [state, setState] = useState<State>({ name: "idle" });
  return (
    <span className="download">
      <button
        type="button"
        className={className ?? "button"}
        disabled={state.name === "busy"}
        aria-label={`${label ?? "Download"} ${filename} (${formatBytes(size)})`}
        title={iconOnly ? `Download ${filename} (${formatBytes(size)})` : undefined}
        onClick={async () => {
          setState({ name: "busy" });
          try {
            const blob = await fetchBlob();
            const actual = await sha256Hex(blob);
            saveBlob(blob, filename);
            setState({ name: "done", verified: actual === null ? null : actual === sha256.toLowerCase() });
          } catch (e) {
            setState({ name: "failed", message: describeError(e) });
          }
        }}
      >
        <svg viewBox="0 0 24 24" className="button-icon" aria-hidden="true">
          <path d="M12 4v12m0 0l-4-4m4 4l4-4M4 20h16" />
        </svg>
        {!iconOnly && (state.name === "busy" ? "Downloading…" : (label ?? "Download"))}
        {!iconOnly && <span className="button-meta">{formatBytes(size)}</span>}
      </button>
      <span role="status" aria-live="polite" className="download-status small">
        {state.name === "done" && state.verified === true && (
          <span className="ok">{iconOnly ? "✓ Verified" : "✓ SHA-256 verified"}</span>
        )}
        {state.name === "done" && state.verified === false && (
          <span className="bad">The downloaded bytes do not match the published SHA-256</span>
        )}
        {state.name === "done" && state.verified === null && <span className="muted">Downloaded</span>}
        {state.name === "failed" && <span className="bad">{state.message}</span>}
      </span>
    </span>
  );
}

/** A SHA-256 in a compact, copyable form. */
export function Sha256({ value }: { value: string }) {
  return (
    <code className="hash" title={value}>
      {value}
    </code>
  );
}

/**
 * A hash and a button that copies it whole. `label` names it for screen readers ("the SHA-256 of
 * bom.json"). `short` shows only its first characters (tables), the whole value in the tooltip;
 * otherwise the whole value wraps beside a small button.
 */
export function CopyableHash({ value, label, short }: { value: string; label: string; short?: number }) {
  if (short) {
    return (
      <span className="hash-inline">
        <code className="hash" title={value}>
          {shortHash(value, short)}
        </code>{" "}
        <CopyButton text={value} label="Copy" ariaLabel={`Copy ${label}`} className="link-button" />
      </span>
    );
  }
  return (
    <span className="hash-row">
      <Sha256 value={value} />
      <CopyButton text={value} label="Copy" ariaLabel={`Copy ${label}`} className="button button-small" />
    </span>
  );
}
