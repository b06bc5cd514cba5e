import { useRef, useState, type FormEvent } from "react";
import { Navigate, useNavigate } from "react-router";
import { adminApi, unwrap } from "../api/client";
import { beginAdminSession } from "./LoginPage";
import { useInvalidate, useQuery, useSubmit, useTitle } from "../hooks";
import { Field } from "../components/Field";
import { ProblemAlert } from "../components/Alert";
import { Brand } from "../components/Brand";
import { Loading } from "../components/States";
import { slugify } from "../format";
import { ApiError } from "../api/problem";

const SHOWN = ["org_name", "org_slug", "display_name", "email", "password", "setup_code"];

/** First run: creates the manufacturer's organisation and its first administrator. */
export function SetupPage() {
  useTitle("Set up");
  const navigate = useNavigate();
  const status = useQuery({ queryKey: ["setup"], queryFn: () => unwrap(adminApi.GET("/api/v1/setup")) });
  const invalidate = useInvalidate();
  const finished = useRef(false);
  const [orgName, setOrgName] = useState("");
  const [orgSlug, setOrgSlug] = useState("");
  const [slugTouched, setSlugTouched] = useState(false);
  const [displayName, setDisplayName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [tooShort, setTooShort] = useState(false);
  const [setupCode, setSetupCode] = useState("");
  const [codeMissing, setCodeMissing] = useState(false);
  const codeRequired = status.data?.setup_code_required === true;

  const setup = useSubmit(async () => {
    await unwrap(
      adminApi.POST("/api/v1/setup", {
        body: {
          org_name: orgName.trim(),
          org_slug: orgSlug.trim(),
          display_name: displayName.trim(),
          email: email.trim(),
          password,
          setup_code: codeRequired ? setupCode.trim() : undefined,
        },
      }),
    );
    invalidate(["setup"]);
    const login = await unwrap(adminApi.POST("/api/v1/auth/login", { body: { email: email.trim(), password } }));
    beginAdminSession(login.access_token);
    // Set up and signed in: the status now says "no setup needed", which must not send this
    // screen to the sign-in page before the navigation below has taken effect.
    finished.current = true;
    navigate(`/admin/${orgSlug.trim()}/products`, { replace: true });
  });

  if (status.isPending) return <Loading />;
  // The server refuses setup without the right one-time code with a 403 (its detail says why).
  const codeRefused = setup.error instanceof ApiError && setup.error.status === 403;
  const codeError = codeMissing
    ? "Enter the setup code from the server's log."
    : setup.fieldError("setup_code") ?? (codeRefused ? "The setup code is missing or wrong." : undefined);
  if (status.data && !status.data.setup_required && !setup.busy && !finished.current) return <Navigate to="/admin/login" replace />;

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const short = password.length < 10;
    const noCode = codeRequired && setupCode.trim() === "";
    setTooShort(short);
    setCodeMissing(noCode);
    if (short || noCode) return;
    void setup.submit();
  }

  return (
    <main className="auth-page">
      <div className="auth-card auth-card-wide card">
        <Brand subtitle="First-run setup" />
        <h1 className="auth-title">Set up Supplier Portal</h1>
        <p className="muted">
          Create your organisation and its first administrator. You can invite colleagues afterwards.
        </p>
        <form onSubmit={onSubmit} noValidate>
          {codeRequired && (
            <fieldset className="fieldset">
              <legend>This server</legend>
              <Field
                label="Setup code"
                hint={
                  <>
                    This server is reachable from the network, so setup needs its one-time code: the server prints it in its
                    log when it starts (or it is the value of <code>PORTAL_SETUP_CODE</code>).
                  </>
                }
                error={codeError}
              >
                {(c) => (
                  <input
                    {...c}
                    name="setup_code"
                    className="mono"
                    autoComplete="off"
                    spellCheck={false}
                    required
                    autoFocus
                    value={setupCode}
                    onChange={(e) => setSetupCode(e.target.value)}
                  />
                )}
              </Field>
            </fieldset>
          )}
          <fieldset className="fieldset">
            <legend>Organisation</legend>
            <Field
              label="Organisation name"
              hint="The manufacturer, as customers know it, e.g. “ACME Devices GmbH”."
              error={setup.fieldError("org_name")}
            >
              {(c) => (
                <input
                  {...c}
                  name="org_name"
                  required
                  autoFocus={!codeRequired}
                  value={orgName}
                  onChange={(e) => {
                    setOrgName(e.target.value);
                    if (!slugTouched) setOrgSlug(slugify(e.target.value));
                  }}
                />
              )}
            </Field>
            <Field
              label="Organisation slug"
              hint="Lower-case letters, digits and hyphens; it appears in URLs."
              error={setup.fieldError("org_slug")}
            >
              {(c) => (
                <input
                  {...c}
                  name="org_slug"
                  required
                  className="mono"
                  value={orgSlug}
                  onChange={(e) => {
                    setSlugTouched(true);
                    setOrgSlug(e.target.value);
                  }}
                />
              )}
            </Field>
          </fieldset>
          <fieldset className="fieldset">
            <legend>Administrator</legend>
            <Field label="Your name" error={setup.fieldError("display_name")}>
              {(c) => (
                <input
                  {...c}
                  name="display_name"
                  autoComplete="name"
                  required
                  value={displayName}
                  onChange={(e) => setDisplayName(e.target.value)}
                />
              )}
            </Field>
            <Field label="E-mail" error={setup.fieldError("email")}>
              {(c) => (
                <input
                  {...c}
                  type="email"
                  name="email"
                  autoComplete="username"
                  required
                  value={email}
                  onChange={(e) => setEmail(e.target.value)}
                />
              )}
            </Field>
            <Field
              label="Password"
              hint="At least 10 characters."
              error={tooShort ? "Use at least 10 characters." : setup.fieldError("password")}
            >
              {(c) => (
                <input
                  {...c}
                  type="password"
                  name="password"
                  autoComplete="new-password"
                  required
                  minLength={10}
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                />
              )}
            </Field>
          </fieldset>
          <ProblemAlert error={setup.error} shownFields={SHOWN} title="Setup failed" />
          <button type="submit" className="button button-primary button-block" disabled={setup.busy}>
            {setup.busy ? "Setting up…" : "Create organisation"}
          </button>
        </form>
      </div>
    </main>
  );
}
