import { useEffect, useRef, useState, type FormEvent } from "react";
import { Navigate, useLocation, useNavigate, useSearchParams } from "react-router";
import { adminApi, unwrap } from "../api/client";
import { adminSession } from "../api/session";
import { ApiError } from "../api/problem";
import { useQuery, useSubmit, useTitle } from "../hooks";
import { Field } from "../components/Field";
import { Alert, ProblemAlert } from "../components/Alert";
import { Loading } from "../components/States";
import { AuthCard } from "./AuthCard";
import { EmailField, PasswordField } from "./AccountFields";

const TOTP_PREFIX = "totp:";

/** The server's refusal for a missing or wrong second factor: a 401 whose detail starts "totp:". */
export function isTotpRefusal(e: unknown): e is ApiError {
  return e instanceof ApiError && e.status === 401 && (e.problem.detail ?? "").startsWith(TOTP_PREFIX);
}

/** The sentence after "totp:", capitalised ("The one-time code does not match …"). */
function totpMessage(e: ApiError): string {
  const rest = (e.problem.detail ?? "").slice(TOTP_PREFIX.length).trim();
  return rest ? rest.charAt(0).toUpperCase() + rest.slice(1) : "The one-time code was not accepted.";
}

/** Only paths inside the console are followed after signing in. */
export function safeNext(next: string | null): string {
  return next && next.startsWith("/admin/") && !next.startsWith("//") ? next : "/admin";
}

/**
 * Starts the console's session with the access token the server issued: after a password
 * sign-in, after first-run setup, and after single sign-on (`/admin/sso`).
 */
export function beginAdminSession(accessToken: string): void {
  adminSession.set(accessToken);
}

/** Where the console was headed when single sign-on began (the provider's round trip loses it). */
const SSO_NEXT = "sp.admin.sso.next";

/** Remembers `next` for after the provider, and answers it once back (`/admin/sso`). */
export const ssoNext = {
  remember(next: string | null): void {
    try {
      if (next) window.sessionStorage.setItem(SSO_NEXT, next);
      else window.sessionStorage.removeItem(SSO_NEXT);
    } catch {
      /* storage disabled: land on the console's home */
    }
  },
  take(): string {
    let next: string | null = null;
    try {
      next = window.sessionStorage.getItem(SSO_NEXT);
      window.sessionStorage.removeItem(SSO_NEXT);
    } catch {
      /* storage disabled */
    }
    return safeNext(next);
  },
};

/** What another page tells the sign-in page (accepted invitation, new password): shown, and the e-mail filled in. */
export interface LoginNotice {
  email?: string;
  notice?: string;
}

/** "Forgot password?": asks for a reset link by e-mail; the answer is the same for every address. */
function ForgotPassword({ initialEmail, onBack }: { initialEmail: string; onBack: () => void }) {
  const [email, setEmail] = useState(initialEmail);
  const [missing, setMissing] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const request = useSubmit(async () => {
    const res = await unwrap(adminApi.POST("/api/v1/auth/password-reset/request", { body: { email: email.trim() } }));
    setMessage(res.message);
  });
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const empty = email.trim() === "";
    setMissing(empty);
    if (empty) return;
    setMessage(null);
    void request.submit();
  }
  return (
    <>
      <p className="muted">
        Enter the e-mail address of your account. When this server can send e-mail, a link to choose a new password (valid
        for an hour) goes to it. Otherwise, ask an administrator of your organisation for a reset link.
      </p>
      {message ? (
        <Alert tone="success" title="Check your e-mail" polite>
          <p>{message}</p>
        </Alert>
      ) : (
        <form onSubmit={onSubmit} noValidate>
          <EmailField
            error={missing ? "Enter the e-mail address of your account." : request.fieldError("email")}
            autoFocus
            value={email}
            onChange={setEmail}
          />
          <ProblemAlert error={request.error} shownFields={["email"]} title="Could not ask for a reset link" />
          <button type="submit" className="button button-primary button-block" disabled={request.busy}>
            {request.busy ? "Sending…" : "Send reset link"}
          </button>
        </form>
      )}
      <p className="auth-alt">
        <button type="button" className="link-button" onClick={onBack}>
          Back to sign in
        </button>
      </p>
    </>
  );
}

export function LoginPage() {
  useTitle("Sign in");
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const location = useLocation();
  const arrived = (location.state ?? null) as LoginNotice | null;
  const [email, setEmail] = useState(arrived?.email ?? "");
  const [forgot, setForgot] = useState(false);
  const [password, setPassword] = useState("");
  // Set once the server asks for the second factor (the account has two-factor sign-in on).
  const [needTotp, setNeedTotp] = useState(false);
  const [totp, setTotp] = useState("");
  const [recovery, setRecovery] = useState(false);
  const [totpMissing, setTotpMissing] = useState(false);
  const totpRef = useRef<HTMLInputElement>(null);
  const setup = useQuery({ queryKey: ["setup"], queryFn: () => unwrap(adminApi.GET("/api/v1/setup")) });
  // Single sign-on, when this server has an OpenID provider configured (its failure is no reason not to sign in).
  const methods = useQuery({ queryKey: ["auth-methods"], queryFn: () => unwrap(adminApi.GET("/api/v1/auth/methods")) });
  const sso = methods.data?.sso ?? null;
  const reason = params.get("reason");
  const ssoError = params.get("sso_error");

  const login = useSubmit(async () => {
    const body = needTotp ? { email: email.trim(), password, totp: totp.trim() } : { email: email.trim(), password };
    let res;
    try {
      res = await unwrap(adminApi.POST("/api/v1/auth/login", { body }));
    } catch (e) {
      // The password was right; the account wants its second factor: ask for it, no error yet.
      if (!needTotp && isTotpRefusal(e)) {
        setNeedTotp(true);
        return;
      }
      throw e;
    }
    beginAdminSession(res.access_token);
    navigate(safeNext(params.get("next")), { replace: true });
  });

  useEffect(() => {
    if (needTotp) totpRef.current?.focus();
  }, [needTotp, recovery]);

  // Already signed in: on into the console (unless this page has something to say first).
  const hasNews = !!(reason || ssoError || arrived?.notice);
  useEffect(() => {
    if (adminSession.get() && !hasNews) navigate(safeNext(params.get("next")), { replace: true });
  }, [navigate, params, hasNews]);

  if (setup.data?.setup_required) return <Navigate to="/admin/setup" replace />;
  if (setup.isPending) return <Loading />;

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const missing = needTotp && totp.trim() === "";
    setTotpMissing(missing);
    login.submitIf(!missing);
    if (missing) totpRef.current?.focus();
  }

  const totpError = totpMissing
    ? recovery
      ? "Enter one of your recovery codes."
      : "Enter the code your authenticator app shows."
    : needTotp && isTotpRefusal(login.error)
      ? totpMessage(login.error)
      : undefined;

  if (forgot) {
    return (
      <AuthCard title="Forgot your password?">
        <ForgotPassword initialEmail={email.trim()} onBack={() => setForgot(false)} />
      </AuthCard>
    );
  }

  return (
    <AuthCard title="Sign in">
      {arrived?.notice && !login.error && (
        <Alert tone="success" polite>
          {arrived.notice}
        </Alert>
      )}
      {ssoError && (
        <Alert tone="danger" title="Single sign-on did not work">
          <p>{ssoError}</p>
        </Alert>
      )}
      {reason === "expired" && !login.error && (
        <Alert tone="warning" polite>
          Your session has ended. Sign in again to continue.
        </Alert>
      )}
      {reason === "signed-out" && !login.error && (
        <Alert tone="info" polite>
          You are signed out.
        </Alert>
      )}
      <form onSubmit={onSubmit} noValidate>
        <EmailField error={login.fieldError("email")} autoFocus={!arrived?.email} value={email} onChange={setEmail} />
        <PasswordField
          label="Password"
          error={login.fieldError("password")}
          name="password"
          autoComplete="current-password"
          autoFocus={!!arrived?.email}
          value={password}
          onChange={setPassword}
        />
        {needTotp && (
          <>
            <Field
              label={recovery ? "Recovery code" : "One-time code"}
              hint={
                recovery
                  ? "One of the recovery codes you stored when you turned two-factor sign-in on; each works once."
                  : "Two-factor sign-in is on for this account: enter the code your authenticator app shows."
              }
              error={totpError}
            >
              {(c) => (
                <input
                  {...c}
                  ref={totpRef}
                  key={recovery ? "recovery" : "totp"}
                  type="text"
                  name={recovery ? "recovery_code" : "totp"}
                  inputMode={recovery ? "text" : "numeric"}
                  autoComplete={recovery ? "off" : "one-time-code"}
                  pattern={recovery ? undefined : "[0-9 ]*"}
                  spellCheck={false}
                  required
                  value={totp}
                  onChange={(e) => setTotp(e.target.value)}
                />
              )}
            </Field>
            <p className="small">
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  setRecovery(!recovery);
                  setTotp("");
                  setTotpMissing(false);
                  login.reset();
                }}
              >
                {recovery ? "Use the authenticator app instead" : "Lost your authenticator app? Use a recovery code"}
              </button>
            </p>
          </>
        )}
        {totpError ? (
          <Alert tone="danger" title="Could not sign in">
            <p>Check the highlighted field.</p>
          </Alert>
        ) : (
          <ProblemAlert error={login.error} shownFields={["email", "password"]} title="Could not sign in" />
        )}
        <button type="submit" className="button button-primary button-block" disabled={login.busy}>
          {login.busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <p className="auth-alt">
        <button type="button" className="link-button" onClick={() => setForgot(true)}>
          Forgot password?
        </button>
      </p>
      {sso && (
        <div className="auth-sso">
          <p className="auth-or" aria-hidden="true">
            or
          </p>
          <button
            type="button"
            className="button button-block"
            onClick={() => {
              ssoNext.remember(params.get("next"));
              window.location.assign(sso.start_url);
            }}
          >
            Sign in with {sso.name}
          </button>
        </div>
      )}
    </AuthCard>
  );
}
