import { useState, type FormEvent } from "react";
import { Link, Navigate, useNavigate, useParams, useSearchParams } from "react-router";
import { portalApi, unwrap } from "../api/client";
import { ApiError } from "../api/problem";
import { portalSession } from "../api/session";
import { useSubmit, useTitle } from "../hooks";
import { Field } from "../components/Field";
import { Alert, ProblemAlert } from "../components/Alert";
import { Loading } from "../components/States";
import { LandingIdentity, useLanding } from "./landing";

/** "your access token has been revoked" → "Your access token has been revoked." */
function sentence(s: string): string {
  const t = s.trim();
  const cap = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(cap) ? cap : `${cap}.`;
}

function safeNext(slug: string, next: string | null): string {
  const base = `/portal/${slug}`;
  return next && next.startsWith(`${base}/`) && !next.startsWith(`${base}/login`) ? next : base;
}

/** Customers of a private portal sign in with the access token the manufacturer gave them. */
export function PortalLogin() {
  const { slug = "" } = useParams();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const session = portalSession(slug);
  const [token, setToken] = useState("");
  const [show, setShow] = useState(false);
  const api = portalApi(slug);
  // Whose portal this is: public, so a cold visit to a private portal asks nothing that answers 401.
  const info = useLanding(slug, !session.get());
  useTitle(info.data ? `Sign in · ${info.data.display_name}` : "Sign in");
  const ended = session.endedReason;

  const login = useSubmit(async () => {
    // The raw token goes to the server once and is never stored; only the session JWT is kept.
    const s = await unwrap(api.POST("/api/v1/portal/{slug}/session", { params: { path: { slug } }, body: { token: token.trim() } }));
    session.set(s.access_token);
    setToken("");
    navigate(safeNext(slug, params.get("next")), { replace: true });
  });

  if (info.error instanceof ApiError && info.error.status === 404) {
    return (
      <main className="centered-page">
        <div className="card narrow">
          <h1>Portal not found</h1>
          <p>There is no supplier portal at this address, or it is not open at the moment.</p>
        </div>
      </main>
    );
  }
  if (info.isLoading) return <Loading />;
  if (session.get() && !login.busy) return <Navigate to={safeNext(slug, params.get("next"))} replace />;

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!token.trim()) return;
    void login.submit();
  }

  const loginError =
    login.error instanceof ApiError && login.error.status === 401
      ? "This access token is not valid. It may have expired or been revoked; ask the manufacturer for a new one."
      : undefined;

  return (
    <main className="auth-page portal-auth">
      <div className="auth-card card">
        <LandingIdentity landing={info.data} />
        <h1 className="auth-title">Sign in with your access token</h1>
        {ended && !login.error && (
          <Alert tone="warning" title="Your access has ended">
            <p>{sentence(ended)}</p>
            <p>Sign in again with a valid access token.</p>
          </Alert>
        )}
        {(params.get("reason") === "signed-out" || session.signedOut) && !ended && !login.error && (
          <Alert tone="info" polite>
            You are signed out.
          </Alert>
        )}
        {info.data?.visibility === "public" && (
          <Alert tone="info" polite>
            This portal is public: you can also <a href={`/portal/${slug}`}>browse it without a token</a>.
          </Alert>
        )}
        <form onSubmit={onSubmit} noValidate>
          <Field
            label="Access token"
            hint="It starts with spt_ and was shared with you by the manufacturer."
            error={loginError ?? login.fieldError("token")}
          >
            {(c) => (
              <div className="input-with-button">
                <input
                  {...c}
                  name="token"
                  type={show ? "text" : "password"}
                  className="mono"
                  autoComplete="off"
                  spellCheck={false}
                  required
                  autoFocus
                  value={token}
                  onChange={(e) => setToken(e.target.value)}
                />
                <button
                  type="button"
                  className="button"
                  aria-pressed={show}
                  onClick={() => setShow((s) => !s)}
                >
                  {show ? "Hide" : "Show"}
                </button>
              </div>
            )}
          </Field>
          {!loginError && <ProblemAlert error={login.error} shownFields={["token"]} title="Could not sign in" />}
          <button type="submit" className="button button-primary button-block" disabled={login.busy || !token.trim()}>
            {login.busy ? "Signing in…" : "Sign in"}
          </button>
        </form>
        {info.data?.access_requests && (
          <p className="auth-alt">
            No access token yet?{" "}
            <Link to={`/portal/${slug}/request-access`} className="strong-link">
              Request access
            </Link>
          </p>
        )}
      </div>
    </main>
  );
}
