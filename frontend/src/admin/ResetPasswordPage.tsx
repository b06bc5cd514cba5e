import { useState, type FormEvent } from "react";
import { Link, useLocation, useNavigate } from "react-router";
import { adminApi, unwrap } from "../api/client";
import { useSubmit, useTitle } from "../hooks";
import { Field } from "../components/Field";
import { ProblemAlert } from "../components/Alert";
import { AuthCard, IncompleteLink, linkSecret } from "./InvitationPage";
import type { LoginNotice } from "./LoginPage";

const MIN_PASSWORD = 10;

/**
 * Setting a new password with a one-time reset link (`/admin/reset-password#<secret>`), from the
 * "Forgot password?" e-mail or from an admin. Every session of the account ends; two factors stay on.
 */
export function ResetPasswordPage() {
  useTitle("Choose a new password");
  const location = useLocation();
  const navigate = useNavigate();
  const secret = linkSecret(location.hash);
  const [next, setNext] = useState("");
  const [confirm, setConfirm] = useState("");
  const [problem, setProblem] = useState<{ next?: string; confirm?: string }>({});

  const reset = useSubmit(async () => {
    await unwrap(adminApi.POST("/api/v1/auth/password-reset", { body: { secret, new_password: next } }));
    const notice: LoginNotice = {
      notice: "Your password is changed and every session of your account has ended. Sign in with the new password.",
    };
    navigate("/admin/login", { replace: true, state: notice });
  });

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const found: { next?: string; confirm?: string } = {};
    if (next.length < MIN_PASSWORD) found.next = `Use at least ${MIN_PASSWORD} characters.`;
    if (confirm !== next) found.confirm = "The passwords do not match.";
    setProblem(found);
    if (found.next || found.confirm) {
      reset.reset();
      return;
    }
    void reset.submit();
  }

  return (
    <AuthCard title="Choose a new password">
      {!secret ? (
        <IncompleteLink what="e-mail or the message with the reset link" />
      ) : (
        <>
          <p className="muted">
            The link works once, for an hour. Setting a new password signs your account out everywhere; two-factor sign-in
            stays as it is.
          </p>
          <form onSubmit={onSubmit} noValidate>
            <Field
              label="New password"
              hint={`At least ${MIN_PASSWORD} characters.`}
              error={problem.next ?? reset.fieldError("new_password")}
            >
              {(c) => (
                <input
                  {...c}
                  type="password"
                  name="new_password"
                  autoComplete="new-password"
                  required
                  minLength={MIN_PASSWORD}
                  autoFocus
                  value={next}
                  onChange={(e) => setNext(e.target.value)}
                />
              )}
            </Field>
            <Field label="Confirm new password" error={problem.confirm}>
              {(c) => (
                <input
                  {...c}
                  type="password"
                  name="confirm_password"
                  autoComplete="new-password"
                  required
                  value={confirm}
                  onChange={(e) => setConfirm(e.target.value)}
                />
              )}
            </Field>
            <ProblemAlert error={reset.error} shownFields={["new_password"]} title="Could not set the password" />
            <button type="submit" className="button button-primary button-block" disabled={reset.busy}>
              {reset.busy ? "Saving…" : "Set new password"}
            </button>
          </form>
          <p className="auth-alt">
            <Link to="/admin/login">Back to sign in</Link>
          </p>
        </>
      )}
    </AuthCard>
  );
}
