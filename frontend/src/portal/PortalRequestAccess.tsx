import { useId, useState, type FormEvent } from "react";
import { Link, useParams } from "react-router";
import { portalApi, unwrap } from "../api/client";
import { ApiError } from "../api/problem";
import type { NewAccessRequest, PortalLanding } from "../api/types";
import { useSubmit, useTitle } from "../hooks";
import { Field } from "../components/Field";
import { Alert, ProblemAlert } from "../components/Alert";
import { Loading, ErrorState } from "../components/States";
import { LandingIdentity, useLanding } from "./landing";

const FIELDS = ["name", "company", "email", "reason", "nda_version", "nda_sha256"];

/** The NDA to accept before asking: its text in a scrollable box, and the box to tick. */
function NdaAcceptance({
  nda,
  accepted,
  onAccepted,
  error,
}: {
  nda: NonNullable<PortalLanding["nda"]>;
  accepted: boolean;
  onAccepted: (on: boolean) => void;
  error?: string;
}) {
  const id = useId();
  return (
    <fieldset className={`fieldset nda${error ? " field-invalid" : ""}`}>
      <legend>Non-disclosure agreement</legend>
      <p className="field-hint">Read the agreement: what this portal shows you is covered by it.</p>
      <div
        className="nda-text"
        tabIndex={0}
        role="region"
        aria-label={`Non-disclosure agreement, version ${nda.version}`}
        data-testid="nda-text"
      >
        {nda.text}
      </div>
      <div className="checkbox">
        <input
          id={id}
          type="checkbox"
          name="nda"
          checked={accepted}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => onAccepted(e.target.checked)}
        />
        <div>
          <label htmlFor={id}>I accept the NDA (version {nda.version})</label>
        </div>
      </div>
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}

function RequestForm({ slug, landing }: { slug: string; landing: PortalLanding }) {
  const [name, setName] = useState("");
  const [company, setCompany] = useState("");
  const [email, setEmail] = useState("");
  const [reason, setReason] = useState("");
  const [accepted, setAccepted] = useState(false);
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const [receipt, setReceipt] = useState<string | null>(null);
  const nda = landing.nda ?? null;
  const send = useSubmit(async () => {
    const body: NewAccessRequest = { name: name.trim(), company: company.trim(), email: email.trim(), reason: reason.trim() };
    if (nda) {
      // Exactly what the landing page gave: the server checks the text accepted is the current one.
      body.nda_version = nda.version;
      body.nda_sha256 = nda.sha256;
    }
    const r = await unwrap(portalApi(slug).POST("/api/v1/portal/{slug}/access-requests", { params: { path: { slug } }, body }));
    setReceipt(r.message);
  });

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const errors: Record<string, string> = {};
    if (!name.trim()) errors.name = "Enter your name.";
    if (!company.trim()) errors.company = "Enter the company you ask for.";
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) errors.email = "Enter an e-mail address, like jane@example.com.";
    if (!reason.trim()) errors.reason = "Say why you need access, e.g. the contract or the product you run.";
    if (nda && !accepted) errors.nda_sha256 = `Accept the NDA (version ${nda.version}) to send your request.`;
    setLocalErrors(errors);
    if (Object.keys(errors).length > 0) return;
    void send.submit();
  }

  if (receipt !== null) {
    return (
      <>
        <Alert tone="success" title="Request sent">
          <p>{receipt}</p>
        </Alert>
        <p>
          <Link to={`/portal/${slug}/login`}>Back to sign-in</Link>
        </p>
      </>
    );
  }

  const fieldError = (field: string) => localErrors[field] ?? send.fieldError(field);
  const tooMany = send.error instanceof ApiError && send.error.status === 429;
  const closed = send.error instanceof ApiError && send.error.status === 404;
  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="request-access-heading">
      <Field label="Your name" error={fieldError("name")}>
        {(c) => <input {...c} name="name" autoComplete="name" required value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label="Company" hint="The company you ask access for." error={fieldError("company")}>
        {(c) => (
          <input {...c} name="company" autoComplete="organization" required value={company} onChange={(e) => setCompany(e.target.value)} />
        )}
      </Field>
      <Field label="E-mail" hint="Where the manufacturer answers, with your access token if approved." error={fieldError("email")}>
        {(c) => (
          <input {...c} type="email" name="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        )}
      </Field>
      <Field label="Why do you need access?" hint="For example your contract, or the product and version you run." error={fieldError("reason")}>
        {(c) => <textarea {...c} name="reason" rows={3} required value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      {nda && (
        <NdaAcceptance
          nda={nda}
          accepted={accepted}
          onAccepted={setAccepted}
          error={fieldError("nda_sha256") ?? fieldError("nda_version")}
        />
      )}
      {tooMany ? (
        <Alert tone="warning" title="Too many requests">
          Too many access requests were sent from your address. Try again later, or write to{" "}
          {landing.contact_email ? <a href={`mailto:${landing.contact_email}`}>{landing.contact_email}</a> : "the manufacturer"}.
        </Alert>
      ) : closed ? (
        <Alert tone="warning" title="This portal no longer takes access requests">
          Ask the manufacturer for an access token directly.
        </Alert>
      ) : (
        <ProblemAlert error={send.error} shownFields={FIELDS} title="Could not send your request" />
      )}
      <button type="submit" className="button button-primary button-block" disabled={send.busy}>
        {send.busy ? "Sending…" : "Request access"}
      </button>
    </form>
  );
}

/** A visitor of a private portal asks the manufacturer for access (after accepting its NDA). */
export function PortalRequestAccess() {
  const { slug = "" } = useParams();
  const landing = useLanding(slug);
  useTitle(landing.data ? `Request access · ${landing.data.display_name}` : "Request access");
  if (landing.error instanceof ApiError && landing.error.status === 404) {
    return (
      <main className="centered-page">
        <div className="card narrow">
          <h1>Portal not found</h1>
          <p>There is no supplier portal at this address, or it is not open at the moment.</p>
        </div>
      </main>
    );
  }
  if (landing.error && !landing.data) {
    return (
      <main className="centered-page">
        <ErrorState error={landing.error} onRetry={() => void landing.refetch()} title="The portal could not be loaded" />
      </main>
    );
  }
  if (!landing.data) return <Loading />;
  const l = landing.data;
  return (
    <main className="auth-page portal-auth">
      <div className="auth-card auth-card-wide card">
        <LandingIdentity landing={l} />
        <h1 id="request-access-heading" className="auth-title">
          Request access
        </h1>
        {l.access_requests ? (
          <>
            <p className="muted">
              {l.display_name} reviews each request and answers by e-mail. Once approved, you receive an access token to sign in
              with.
            </p>
            <RequestForm slug={slug} landing={l} />
          </>
        ) : (
          <Alert tone="info" polite>
            This portal does not take access requests.{" "}
            {l.contact_email ? (
              <>
                Write to <a href={`mailto:${l.contact_email}`}>{l.contact_email}</a> to ask for an access token.
              </>
            ) : (
              "Ask the manufacturer for an access token."
            )}
          </Alert>
        )}
        <p className="auth-alt">
          Already have an access token? <Link to={`/portal/${slug}/login`}>Sign in</Link>
        </p>
      </div>
    </main>
  );
}
