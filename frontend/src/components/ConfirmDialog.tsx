import { useId, useState, type ReactNode } from "react";
import { Dialog } from "./Dialog";
import { ProblemAlert } from "./Alert";
import { Field } from "./Field";
import { useSubmit } from "../hooks";

interface ConfirmDialogProps {
  title: ReactNode;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  /** Ask for an optional reason (kept on record), e.g. when withdrawing. */
  reasonLabel?: string;
  onConfirm: (reason: string) => Promise<unknown>;
  onClose: () => void;
  onDone?: () => void;
  /** The title of the alert when the action fails (else the problem's title). */
  errorTitle?: ReactNode;
  /** What to do about a failure, under the server's explanation. */
  errorHint?: (error: unknown) => ReactNode;
}

/** Asks before a consequential action; shows the server's answer when it fails. */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  danger,
  reasonLabel,
  onConfirm,
  onClose,
  onDone,
  errorTitle,
  errorHint,
}: ConfirmDialogProps) {
  const [reason, setReason] = useState("");
  const bodyId = useId();
  const action = useSubmit(async () => {
    await onConfirm(reason.trim());
  });
  return (
    <Dialog
      title={title}
      onClose={onClose}
      dismissible={!action.busy}
      size="small"
      role="alertdialog"
      describedBy={bodyId}
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={action.busy}>
            Cancel
          </button>
          <button
            type="button"
            className={`button ${danger ? "button-danger" : "button-primary"}`}
            disabled={action.busy}
            data-autofocus={reasonLabel ? undefined : true}
            onClick={async () => {
              if (await action.submit()) (onDone ?? onClose)();
            }}
          >
            {action.busy ? "Working…" : confirmLabel}
          </button>
        </>
      }
    >
      <div id={bodyId}>{children}</div>
      {reasonLabel && (
        <Field label={reasonLabel} optional error={action.fieldError("reason")}>
          {(c) => (
            <textarea {...c} data-autofocus rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />
          )}
        </Field>
      )}
      <ProblemAlert error={action.error} shownFields={["reason"]} title={action.error ? errorTitle : undefined} />
      {action.error && errorHint?.(action.error)}
    </Dialog>
  );
}
