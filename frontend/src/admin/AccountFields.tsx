import { useState, type ComponentProps } from "react";
import { InputField } from "../components/Field";

/** The shortest password the server takes for a new one. */
export const MIN_PASSWORD = 10;
/** The form's own complaint about a new password shorter than that. */
export const PASSWORD_TOO_SHORT = `Use at least ${MIN_PASSWORD} characters.`;

type FieldProps = Omit<ComponentProps<typeof InputField>, "type" | "required">;

/**
 * A password input: `autoComplete` says which one ("current-password" to sign in or confirm,
 * "new-password" where one is chosen, so password managers offer to make one).
 */
export function PasswordField(props: FieldProps & { name: string; autoComplete: "current-password" | "new-password" }) {
  return <InputField {...props} type="password" required />;
}

/** The e-mail address of one's own account: the user name password managers fill in. */
export function EmailField(props: Omit<FieldProps, "label" | "name" | "autoComplete">) {
  return <InputField label="E-mail" {...props} type="email" name="email" autoComplete="username" required />;
}

export interface NewPassword {
  next: string;
  confirm: string;
  setNext: (value: string) => void;
  setConfirm: (value: string) => void;
  /** The form's own complaints, after `check`. */
  problem: { next?: string; confirm?: string };
  /** Checks the length and the confirmation before the server is asked: true when both are fine. */
  check: () => boolean;
  /** Empties both fields (after the password was set). */
  clear: () => void;
}

/** The state of a new password and its confirmation; `mismatch` is what to say when they differ. */
export function useNewPassword(mismatch: string): NewPassword {
  const [next, setNext] = useState("");
  const [confirm, setConfirm] = useState("");
  const [problem, setProblem] = useState<NewPassword["problem"]>({});
  return {
    next,
    confirm,
    setNext,
    setConfirm,
    problem,
    check() {
      const found: NewPassword["problem"] = {};
      if (next.length < MIN_PASSWORD) found.next = PASSWORD_TOO_SHORT;
      if (confirm !== next) found.confirm = mismatch;
      setProblem(found);
      return !found.next && !found.confirm;
    },
    clear() {
      setNext("");
      setConfirm("");
    },
  };
}

/** "New password" and "Confirm new password", with the form's complaints or else the server's (`error`). */
export function NewPasswordFields({ password, error, autoFocus }: { password: NewPassword; error?: string; autoFocus?: boolean }) {
  return (
    <>
      <PasswordField
        label="New password"
        hint={`At least ${MIN_PASSWORD} characters.`}
        error={password.problem.next ?? error}
        name="new_password"
        autoComplete="new-password"
        minLength={MIN_PASSWORD}
        autoFocus={autoFocus}
        value={password.next}
        onChange={password.setNext}
      />
      <PasswordField
        label="Confirm new password"
        error={password.problem.confirm}
        name="confirm_password"
        autoComplete="new-password"
        value={password.confirm}
        onChange={password.setConfirm}
      />
    </>
  );
}
