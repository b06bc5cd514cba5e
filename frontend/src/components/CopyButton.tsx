import { useEffect, useRef, useState } from "react";

async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* fall through to the selection fallback */
  }
  const ta = document.createElement("textarea");
  ta.value = text;
  ta.setAttribute("readonly", "");
  ta.className = "visually-hidden";
  document.body.appendChild(ta);
  ta.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  ta.remove();
  return ok;
}

interface CopyButtonProps {
  text: string;
  label?: string;
  /** Accessible name when the visible label is not enough ("Copy portal URL"). */
  ariaLabel?: string;
  className?: string;
  onCopied?: () => void;
}

/** Copies text to the clipboard and says so (visibly and to screen readers). */
export function CopyButton({ text, label = "Copy", ariaLabel, className, onCopied }: CopyButtonProps) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  return (
    <span className="copy">
      <button
        type="button"
        className={className ?? "button"}
        aria-label={ariaLabel}
        onClick={async () => {
          const ok = await copyText(text);
          setState(ok ? "copied" : "failed");
          if (ok) onCopied?.();
          window.clearTimeout(timer.current);
          timer.current = window.setTimeout(() => setState("idle"), 2500);
        }}
      >
        {state === "copied" ? "Copied" : label}
      </button>
      <span className="visually-hidden" role="status" aria-live="polite">
        {state === "copied" ? "Copied to the clipboard" : state === "failed" ? "Could not copy; select and copy it by hand" : ""}
      </span>
    </span>
  );
}
