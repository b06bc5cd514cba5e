import { useRef, useState, type FormEvent } from "react";
import { Navigate, useNavigate } from "react-router";
import { adminApi, unwrap } from "../api/client";
import { beginAdminSession } from "./LoginPage";
import { useInvalidate, useQuery, useSubmit, useTitle } from "../hooks";
import { InputField } from "../components/Field";
import { ProblemAlert } from "../components/Alert";
import { AuthCard } from "./AuthCard";
import { EmailField, MIN_PASSWORD, PASSWORD_TOO_SHORT, PasswordField } from "./AccountFields";
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
    const short = password.length < MIN_PASSWORD;
    const noCode = codeRequired && setupCode.trim() === "";
    setTooShort(short);
    setCodeMissing(noCode);
    if (short || noCode) return;
    void setup.submit();
  }

  return (
    <AuthCard title="Set up Supplier Portal" subtitle="First-run setup" wide>
      <p className="muted">
        Create your organisation and its first administrator. You can invite colleagues afterwards.
      </p>
      <form onSubmit={onSubmit} noValidate>
        {codeRequired && (
          <fieldset className="fieldset">
            <legend>This server</legend>
            <InputField
              label="Setup code"
              hint={
                <>
                  This server is reachable from the network, so setup needs its one-time code: the server prints it in its
                  log when it starts (or it is the value of <code>PORTAL_SETUP_CODE</code>).
                </>
              }
              error={codeError}
              name="setup_code"
              className="mono"
              autoComplete="off"
              spellCheck={false}
              required
              autoFocus
              value={setupCode}
              onChange={setSetupCode}
            />
          </fieldset>
        )}
        <fieldset className="fieldset">
          <legend>Organisation</legend>
          <InputField
            label="Organisation name"
            hint="The manufacturer, as customers know it, e.g. “ACME Devices GmbH”."
            error={setup.fieldError("org_name")}
            name="org_name"
            required
            autoFocus={!codeRequired}
            value={orgName}
            onChange={(name) => {
              setOrgName(name);
              if (!slugTouched) setOrgSlug(slugify(name));
            }}
          />
          <InputField
            label="Organisation slug"
            hint="Lower-case letters, digits and hyphens; it appears in URLs."
            error={setup.fieldError("org_slug")}
            name="org_slug"
            required
            className="mono"
            value={orgSlug}
            onChange={(slug) => {
              setSlugTouched(true);
              setOrgSlug(slug);
            }}
          />
        </fieldset>
        <fieldset className="fieldset">
          <legend>Administrator</legend>
          <InputField
            label="Your name"
            error={setup.fieldError("display_name")}
            name="display_name"
            autoComplete="name"
            required
            value={displayName}
            onChange={setDisplayName}
          />
          <EmailField error={setup.fieldError("email")} value={email} onChange={setEmail} />
          <PasswordField
            label="Password"
            hint={`At least ${MIN_PASSWORD} characters.`}
            error={tooShort ? PASSWORD_TOO_SHORT : setup.fieldError("password")}
            name="password"
            autoComplete="new-password"
            minLength={MIN_PASSWORD}
            value={password}
            onChange={setPassword}
          />
        </fieldset>
        <ProblemAlert error={setup.error} shownFields={SHOWN} title="Setup failed" />
        <button type="submit" className="button button-primary button-block" disabled={setup.busy}>
          {setup.busy ? "Setting up…" : "Create organisation"}
        </button>
      </form>
    </AuthCard>
  );
}
