import { useState, type FormEvent } from "react";
import { Navigate, useNavigate } from "react-router";
import { adminApi, unwrap } from "../api/client";
import { adminSession } from "../api/session";
import { useResource, useSubmit, useTitle } from "../hooks";
import { Field } from "../components/Field";
import { ProblemAlert } from "../components/Alert";
import { Brand } from "../components/Brand";
import { Loading } from "../components/States";
import { slugify } from "../format";

const SHOWN = ["org_name", "org_slug", "display_name", "email", "password"];

/** First run: creates the manufacturer's organisation and its first administrator. */
export function SetupPage() {
  useTitle("Set up");
  const navigate = useNavigate();
  const status = useResource(() => unwrap(adminApi.GET("/api/v1/setup")), []);
  const [orgName, setOrgName] = useState("");
  const [orgSlug, setOrgSlug] = useState("");
  const [slugTouched, setSlugTouched] = useState(false);
  const [displayName, setDisplayName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [tooShort, setTooShort] = useState(false);

  const setup = useSubmit(async () => {
    await unwrap(
      adminApi.POST("/api/v1/setup", {
        body: {
          org_name: orgName.trim(),
          org_slug: orgSlug.trim(),
          display_name: displayName.trim(),
          email: email.trim(),
          password,
        },
      }),
    );
    const login = await unwrap(adminApi.POST("/api/v1/auth/login", { body: { email: email.trim(), password } }));
    adminSession.set(login.access_token);
    navigate(`/admin/${orgSlug.trim()}/products`, { replace: true });
  });

  if (status.loading && !status.data) return <Loading />;
  if (status.data && !status.data.setup_required && !setup.busy) return <Navigate to="/admin/login" replace />;

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (password.length < 10) {
      setTooShort(true);
      return;
    }
    setTooShort(false);
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
                  autoFocus
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
