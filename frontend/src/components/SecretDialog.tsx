import { useId, useState, type ReactNode } from "react";
import { Dialog } from "./Dialog";
import { CopyButton } from "./CopyButton";
import { Alert } from "./Alert";

interface SecretDialogProps {
  title: string;
  /** What the secret is: "access token", "API key". */
  noun: string;
  secret: string;
  /** Who or what the secret is for, shown above it. */
  name?: string;
  children?: ReactNode;
  /** What to do when it is lost (default: revoke it and create a new one). */
  ifLost?: string;
  onClose: () => void;
}

/**
 * Shows a new secret once: it cannot be fetched again, so the dialog says so plainly and offers a
 * copy button. Closing it forgets the secret.
 */
export function SecretDialog({ title, noun, secret, name, children, ifLost, onClose }: SecretDialogProps) {
  const [copied, setCopied] = useState(false);
  const secretId = useId();
  const warningId = useId();
  return (
    <Dialog
      title={title}
      onClose={onClose}
      size="medium"
      describedBy={warningId}
      footer={
        <button type="button" className="button button-primary" onClick={onClose}>
          {copied ? "Done" : "I have stored it, close"}
        </button>
      }
    >
      <div id={warningId}>
        <Alert tone="warning" title={`Copy this ${noun} now. It is only shown once.`}>
          <p>
            Once you close this dialog the {noun} cannot be shown again. Share it securely{name ? ` with ${name}` : ""};
            if it is lost, {ifLost ?? "revoke it and create a new one"}.
          </p>
        </Alert>
      </div>
      <label htmlFor={secretId} className="field-label">
        {noun.charAt(0).toUpperCase() + noun.slice(1)}
        {name ? ` for ${name}` : ""}
      </label>
      <div className="secret-row">
        <input
          id={secretId}
          className="secret-value mono"
          readOnly
          value={secret}
          spellCheck={false}
          onFocus={(e) => e.currentTarget.select()}
          data-testid="secret-value"
        />
        <CopyButton
          text={secret}
          label={`Copy ${noun}`}
          className="button button-primary"
          onCopied={() => setCopied(true)}
        />
      </div>
      {children}
    </Dialog>
  );
}
