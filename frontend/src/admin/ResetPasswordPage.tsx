import type { FormEvent } from "react";
import { Link, useLocation, useNavigate } from "react-router";
import { adminApi, unwrap } from "../api/client";
import { useSubmit, useTitle } from "../hooks";
import { ProblemAlert } from "../components/Alert";
import { AuthCard, IncompleteLink, linkSecret } from "./AuthCard";
import { NewPasswordFields, useNewPassword } from "./AccountFields";
import type { LoginNotice } from "./LoginPage";

/**
 * Setting a new password with a one-time reset link (`/admin/reset-password#<secret>`), from the
 * "Forgot password?" e-mail or from an admin. Every session of the account ends; two factors stay on.
 */
export function ResetPasswordPage() {
  useTitle("Choose a new password");
  const location = useLocation();
  const navigate = useNavigate();
  const secret = linkSecret(location.hash);
  const password = useNewPassword("The passwords do not match.");

  const reset = useSubmit(async () => {
    await unwrap(adminApi.POST("/api/v1/auth/password-reset", { body: { secret, new_password: password.next } }));
    const notice: LoginNotice = {
      notice: "Your password is changed and every session of your account has ended. Sign in with the new password.",
    };
    navigate("/admin/login", { replace: true, state: notice });
  });

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    reset.submitIf(password.check());
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
            <NewPasswordFields password={password} error={reset.fieldError("new_password")} autoFocus />
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
