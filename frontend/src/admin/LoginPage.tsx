import { useEffect, useRef, useState, type FormEvent } from "react";
import { Navigate, useNavigate, useSearchParams } from "react-router";
import { adminApi, unwrap } from "../api/client";
import { adminSession } from "../api/session";
import { ApiError } from "../api/problem";
import { useQuery, useSubmit, useTitle } from "../hooks";
import { Field } from "../components/Field";
import { Alert, ProblemAlert } from "../components/Alert";
import { Brand } from "../components/Brand";
import { Loading } from "../components/States";

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
function safeNext(next: string | null): string {
  return next && next.startsWith("/admin/") && !next.startsWith("//") ? next : "/admin";
}

export function LoginPage() {
  useTitle("Sign in");
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  // Set once the server asks for the second factor (the account has two-factor sign-in on).
  const [needTotp, setNeedTotp] = useState(false);
  const [totp, setTotp] = useState("");
  const [recovery, setRecovery] = useState(false);
  const [totpMissing, setTotpMissing] = useState(false);
  const totpRef = useRef<HTMLInputElement>(null);
  const setup = useQuery({ queryKey: ["setup"], queryFn: () => unwrap(adminApi.GET("/api/v1/setup")) });
  const reason = params.get("reason");

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
    adminSession.set(res.access_token);
    navigate(safeNext(params.get("next")), { replace: true });
  });

  useEffect(() => {
    if (needTotp) totpRef.current?.focus();
  }, [needTotp, recovery]);

  useEffect(() => {
    if (adminSession.get() && !reason) navigate(safeNext(params.get("next")), { replace: true });
  }, [navigate, params, reason]);

  if (setup.data?.setup_required) return <Navigate to="/admin/setup" replace />;
  if (setup.isPending) return <Loading />;

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const missing = needTotp && totp.trim() === "";
    setTotpMissing(missing);
    if (missing) {
      login.reset();
      totpRef.current?.focus();
      return;
    }
    void login.submit();
  }

  const totpError = totpMissing
    ? recovery
      ? "Enter one of your recovery codes."
      : "Enter the code your authenticator app shows."
    : needTotp && isTotpRefusal(login.error)
      ? totpMessage(login.error)
      : undefined;

  return (
    <main className="auth-page">
      <div className="auth-card card">
        <Brand subtitle="Admin console" />
        <h1 className="auth-title">Sign in</h1>
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
          <Field label="E-mail" error={login.fieldError("email")}>
            {(c) => (
              <input
                {...c}
                type="email"
                name="email"
                autoComplete="username"
                required
                autoFocus
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
            )}
          </Field>
          <Field label="Password" error={login.fieldError("password")}>
            {(c) => (
              <input
                {...c}
                type="password"
                name="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            )}
          </Field>
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
      </div>
    </main>
  );
}
