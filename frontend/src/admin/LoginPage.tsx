import { useEffect, useState, type FormEvent } from "react";
import { Navigate, useNavigate, useSearchParams } from "react-router";
import { adminApi, unwrap } from "../api/client";
import { adminSession } from "../api/session";
import { useResource, useSubmit, useTitle } from "../hooks";
import { Field } from "../components/Field";
import { Alert, ProblemAlert } from "../components/Alert";
import { Brand } from "../components/Brand";
import { Loading } from "../components/States";

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
  const setup = useResource(() => unwrap(adminApi.GET("/api/v1/setup")), []);
  const reason = params.get("reason");

  const login = useSubmit(async () => {
    const res = await unwrap(adminApi.POST("/api/v1/auth/login", { body: { email: email.trim(), password } }));
    adminSession.set(res.access_token);
    navigate(safeNext(params.get("next")), { replace: true });
  });

  useEffect(() => {
    if (adminSession.get() && !reason) navigate(safeNext(params.get("next")), { replace: true });
  }, [navigate, params, reason]);

  if (setup.data?.setup_required) return <Navigate to="/admin/setup" replace />;
  if (setup.loading && !setup.data) return <Loading />;

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    void login.submit();
  }

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
          <ProblemAlert error={login.error} shownFields={["email", "password"]} title="Could not sign in" />
          <button type="submit" className="button button-primary button-block" disabled={login.busy}>
            {login.busy ? "Signing in…" : "Sign in"}
          </button>
        </form>
      </div>
    </main>
  );
}
