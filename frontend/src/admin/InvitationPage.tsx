import { useState, type FormEvent } from "react";
import { Link, useLocation, useNavigate } from "react-router";
import { adminApi, unwrap } from "../api/client";
import { ROLE_LABELS } from "../api/types";
import { useSubmit, useTitle } from "../hooks";
import { InputField } from "../components/Field";
import { ProblemAlert } from "../components/Alert";
import { AuthCard, IncompleteLink, linkSecret } from "./AuthCard";
import { PasswordField } from "./AccountFields";
import type { LoginNotice } from "./LoginPage";

const SHOWN = ["password", "display_name"];

/**
 * Accepting an invitation (`/admin/invitation#<secret>`): a new user chooses a password and gives
 * a name; someone with an account here confirms with its password. Then they sign in as usual.
 */
export function InvitationPage() {
  useTitle("Accept invitation");
  const location = useLocation();
  const navigate = useNavigate();
  const secret = linkSecret(location.hash);
  const [password, setPassword] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [missing, setMissing] = useState(false);

  const accept = useSubmit(async () => {
    const joined = await unwrap(
      adminApi.POST("/api/v1/invitations/accept", {
        body: { secret, password, display_name: displayName.trim() || null },
      }),
    );
    const notice: LoginNotice = {
      email: joined.email,
      notice: `You joined ${joined.organization_name} as ${ROLE_LABELS[joined.role] ?? joined.role}. Sign in to continue.`,
    };
    navigate("/admin/login", { replace: true, state: notice });
  });

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const empty = password === "";
    setMissing(empty);
    accept.submitIf(!empty);
  }

  return (
    <AuthCard title="Accept invitation">
      {!secret ? (
        <IncompleteLink what="invitation" />
      ) : (
        <>
          <p className="muted">
            You are invited to join an organisation in the admin console. If you already have an account on this server,
            enter its password; otherwise choose a password (at least 10 characters) and your name.
          </p>
          <form onSubmit={onSubmit} noValidate>
            <PasswordField
              label="Password"
              hint="Your account’s password, or a new one of at least 10 characters."
              error={missing ? "Enter your password, or choose one." : accept.fieldError("password")}
              name="password"
              autoComplete="new-password"
              autoFocus
              value={password}
              onChange={setPassword}
            />
            <InputField
              label="Your name"
              optional
              hint="For a new account (else your e-mail address is shown); an existing account keeps its name."
              error={accept.fieldError("display_name")}
              name="display_name"
              autoComplete="name"
              value={displayName}
              onChange={setDisplayName}
            />
            <ProblemAlert error={accept.error} shownFields={SHOWN} title="Could not accept the invitation" />
            <button type="submit" className="button button-primary button-block" disabled={accept.busy}>
              {accept.busy ? "Joining…" : "Accept invitation"}
            </button>
          </form>
          <p className="auth-alt">
            Already a member? <Link to="/admin/login">Sign in</Link>
          </p>
        </>
      )}
    </AuthCard>
  );
}
