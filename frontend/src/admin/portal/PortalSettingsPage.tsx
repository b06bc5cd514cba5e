import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { adminApi, unwrap } from "../../api/client";
import {
  CONFORMANCE_PROFILES,
  CSAF_PUBLISHER_CATEGORIES,
  TLP_MEANING,
  type CsafPublisher,
  type PortalSettings,
  type Tlp,
  type Visibility,
} from "../../api/types";
import { useQuery, useQueryClient, useSubmit, useTitle } from "../../hooks";
import { useOrg } from "../context";
import { PageHeader } from "../../components/PageHeader";
import { Async } from "../../components/States";
import { Checkbox, Field, Switch, TlpOptions } from "../../components/Field";
import { Alert, ProblemAlert } from "../../components/Alert";
import { BreakableUrl } from "../../components/BreakableUrl";
import { CopyButton } from "../../components/CopyButton";
import { StatusBadge, TlpBadge } from "../../components/Badge";
import { ApiError, describeError } from "../../api/problem";
import { formatBytes } from "../../format";
import { PortalTabs } from "./PortalTabs";

export function AdminsOnly({ what }: { what: string }) {
  return (
    <Alert tone="info" title="Administrators only">
      Only organisation administrators can {what}.
    </Alert>
  );
}

function isPositiveInt(v: string): boolean {
  return /^\d+$/.test(v.trim()) && Number(v) >= 1;
}

/** "14, 3" → [14, 3] (largest first); "" → []; null when something is not a whole number of days. */
export function parseWarningDays(text: string): number[] | null {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  if (!parts.every((p) => /^\d+$/.test(p) && Number(p) >= 1)) return null;
  return [...new Set(parts.map(Number))].sort((a, b) => b - a);
}

/** The portal URL at the top of the page, with copy and open. */
export function PortalUrlCard({ settings }: { settings: PortalSettings }) {
  return (
    <section className="card portal-url" aria-labelledby="portal-url-heading">
      <div className="row-between wrap">
        <div className="portal-url-text">
          <h2 id="portal-url-heading" className="card-eyebrow">
            Your portal URL
          </h2>
          <a href={settings.url} className="portal-url-link mono url-breakable" target="_blank" rel="noreferrer" data-testid="portal-url">
            <BreakableUrl url={settings.url} />
          </a>
          <div className="badge-row">
            <StatusBadge status={settings.enabled ? "enabled" : "disabled"} />
            <StatusBadge status={settings.visibility} />
          </div>
        </div>
        <CopyButton text={settings.url} label="Copy URL" ariaLabel="Copy the portal URL" />
      </div>
      {!settings.enabled && (
        <p className="muted small">The portal is off: customers who open this URL are told it does not exist.</p>
      )}
    </section>
  );
}

/** Whether a CSAF publisher namespace is an http(s) URL, as the server requires. */
export function isNamespaceUrl(value: string): boolean {
  try {
    const u = new URL(value.trim());
    return (u.protocol === "https:" || u.protocol === "http:") && u.hostname !== "";
  } catch {
    return false;
  }
}

/** "View as anonymous visitor": what the portal shows to someone without an access token. */
export function AnonymousPreviewLink({ org }: { org: string }) {
  return (
    <Link to={`/admin/${org}/settings/portal/preview`} className="button">
      View as anonymous visitor
    </Link>
  );
}

/** Largest logo the server takes. */
export const LOGO_LIMIT = 256 * 1024;
const LOGO_TYPES = ["image/png", "image/jpeg"];

/** Why a logo was refused, in words (the server's detail kept for what it alone knows). */
export function logoProblem(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 415) return "Only PNG and JPEG images can be used as a logo.";
    if (e.status === 413) return "The image is larger than 256 KiB. Choose a smaller one.";
    const field = e.fieldMessages("logo")[0];
    if (e.status === 400 && field) return `The file cannot be used as a logo: ${field}.`;
    if (e.status === 409) return "Save the portal settings once before adding a logo.";
  }
  return describeError(e);
}

/** The portal's logo on its sign-in page and header: preview, upload (PNG or JPEG, ≤ 256 KiB), removal. */
export function PortalLogoCard({ org, settings, onChanged }: { org: string; settings: PortalSettings; onChanged: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [local, setLocal] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const upload = useSubmit(async (file: File) => {
    await unwrap(
      adminApi.PUT("/api/v1/orgs/{org}/portal/logo", {
        params: { path: { org } },
        // The raw bytes, with their own type: not JSON.
        body: file as unknown as string,
        bodySerializer: (b: unknown) => b as BodyInit,
        headers: { "Content-Type": file.type },
      }),
    );
    setDone("Logo saved.");
    onChanged();
  });
  const remove = useSubmit(async () => {
    await unwrap(adminApi.DELETE("/api/v1/orgs/{org}/portal/logo", { params: { path: { org } } }));
    setDone("Logo removed.");
    onChanged();
  });
  function onFile(file: File | undefined) {
    setLocal(null);
    setDone(null);
    upload.reset();
    remove.reset();
    if (!file) return;
    if (!LOGO_TYPES.includes(file.type)) {
      setLocal(`${file.name} is not a PNG or JPEG image. Choose a .png or .jpg file.`);
      return;
    }
    if (file.size > LOGO_LIMIT) {
      setLocal(`${file.name} is ${formatBytes(file.size)}; a logo is at most 256 KiB. Choose a smaller image.`);
      return;
    }
    void upload.submit(file);
  }
  const error = local ?? (upload.error ? logoProblem(upload.error) : remove.error ? describeError(remove.error) : null);
  const busy = upload.busy || remove.busy;
  return (
    <section className="card portal-logo-card" aria-labelledby="portal-logo-heading">
      <h2 id="portal-logo-heading" className="card-title">
        Logo
      </h2>
      <div className="logo-row">
        <div className="logo-preview">
          {settings.logo_url ? (
            <img src={settings.logo_url} alt={`Logo of ${settings.display_name}`} data-testid="logo-preview" />
          ) : (
            <span className="muted small">No logo</span>
          )}
        </div>
        <div className="logo-actions">
          <p className="muted small">
            Shown beside the portal’s name on its sign-in page and in its header, so customers recognise you. A PNG or JPEG
            image of at most 256 KiB, ideally about 80 pixels high.
          </p>
          <div className="button-row">
            <button type="button" className="button" disabled={busy} onClick={() => input.current?.click()}>
              {upload.busy ? "Uploading…" : settings.logo_url ? "Replace logo" : "Upload logo"}
            </button>
            <input
              ref={input}
              type="file"
              accept="image/png,image/jpeg"
              className="visually-hidden"
              tabIndex={-1}
              aria-label="Logo image file"
              disabled={busy}
              data-testid="logo-input"
              onChange={(e) => {
                onFile(e.target.files?.[0]);
                e.target.value = "";
              }}
            />
            {settings.logo_url && (
              <button type="button" className="button button-danger-outline" disabled={busy} onClick={() => void remove.submit()}>
                {remove.busy ? "Removing…" : "Remove logo"}
              </button>
            )}
          </div>
          <p role="status" aria-live="polite" className="small">
            {done && !error && <span className="ok">{done}</span>}
          </p>
          {error && (
            <Alert tone="danger" title={remove.error && !upload.error && !local ? "The logo was not removed" : "The logo was not saved"}>
              <p>{error}</p>
            </Alert>
          )}
        </div>
      </div>
    </section>
  );
}

function SettingsForm({ org, settings, onSaved }: { org: string; settings: PortalSettings; onSaved: (s: PortalSettings) => void }) {
  const [enabled, setEnabled] = useState(settings.enabled);
  const [visibility, setVisibility] = useState<Visibility>(settings.visibility);
  const [displayName, setDisplayName] = useState(settings.display_name);
  const [description, setDescription] = useState(settings.description);
  const [contact, setContact] = useState(settings.contact_email ?? "");
  const [slug, setSlug] = useState(settings.slug);
  const [defaultTlp, setDefaultTlp] = useState<Tlp>(settings.default_tlp === "unlabeled" ? "clear" : settings.default_tlp);
  const pub = settings.csaf_publisher;
  const [ownPublisher, setOwnPublisher] = useState(!!pub);
  const [category, setCategory] = useState(pub?.category ?? "vendor");
  const [publisherName, setPublisherName] = useState(pub?.name ?? settings.display_name);
  const [namespace, setNamespace] = useState(pub?.namespace ?? "");
  const [contactDetails, setContactDetails] = useState(pub?.contact_details ?? "");
  const [issuingAuthority, setIssuingAuthority] = useState(pub?.issuing_authority ?? "");
  const [required, setRequired] = useState<string[]>(settings.require_conformance ?? []);
  const resp = settings.response;
  const [notifyHours, setNotifyHours] = useState(String(resp?.notify_within_hours ?? 48));
  const [criticalDays, setCriticalDays] = useState(String(resp?.critical_fix_business_days ?? 15));
  const [warningDays, setWarningDays] = useState((resp?.expiry_warning_days ?? [14, 3]).join(", "));
  const landing = settings.landing;
  const [showDescription, setShowDescription] = useState(landing?.show_description ?? true);
  const [showContact, setShowContact] = useState(landing?.show_contact ?? true);
  const [accessRequests, setAccessRequests] = useState(landing?.access_requests ?? false);
  const [ndaVersion, setNdaVersion] = useState(landing?.nda?.version ?? "");
  const [ndaText, setNdaText] = useState(landing?.nda?.text ?? "");
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  useEffect(
    () => setSaved(false),
    [enabled, visibility, displayName, description, contact, slug, defaultTlp, ownPublisher, category, publisherName, namespace, contactDetails, issuingAuthority, required, notifyHours, criticalDays, warningDays, showDescription, showContact, accessRequests, ndaVersion, ndaText],
  );

  const save = useSubmit(async () => {
    const publisher: CsafPublisher | null = ownPublisher
      ? {
          category,
          name: publisherName.trim(),
          namespace: namespace.trim(),
          contact_details: contactDetails.trim() || null,
          issuing_authority: issuingAuthority.trim() || null,
        }
      : null;
    const s = await unwrap(
      adminApi.PUT("/api/v1/orgs/{org}/portal", {
        params: { path: { org } },
        body: {
          enabled,
          visibility,
          display_name: displayName.trim(),
          description: description.trim(),
          contact_email: contact.trim() || null,
          slug: slug.trim(),
          default_tlp: defaultTlp,
          csaf_publisher: publisher,
          require_conformance: required,
          response: {
            notify_within_hours: Number(notifyHours),
            critical_fix_business_days: Number(criticalDays),
            expiry_warning_days: parseWarningDays(warningDays) ?? [],
          },
          landing: {
            show_description: showDescription,
            show_contact: showContact,
            access_requests: accessRequests,
            // No NDA when both are empty.
            nda: ndaVersion.trim() || ndaText.trim() ? { version: ndaVersion.trim(), text: ndaText } : null,
          },
        },
      }),
    );
    onSaved(s);
    setSaved(true);
  });

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const errors: Record<string, string> = {};
    if (ownPublisher) {
      if (!publisherName.trim()) errors["csaf_publisher.name"] = "Enter the publisher’s name.";
      if (!isNamespaceUrl(namespace)) {
        errors["csaf_publisher.namespace"] = "Enter a URL the publisher controls, like https://www.acme.example.";
      }
    }
    if (!isPositiveInt(notifyHours)) errors["response.notify_within_hours"] = "Enter a whole number of hours, at least 1.";
    if (!isPositiveInt(criticalDays)) errors["response.critical_fix_business_days"] = "Enter a whole number of business days, at least 1.";
    if (ndaVersion.trim() && !ndaText.trim()) errors["landing.nda.text"] = "Paste the text of the NDA, or clear its version for none.";
    if (ndaText.trim() && !ndaVersion.trim()) errors["landing.nda.version"] = "Name this version of the NDA, like 2026-01.";
    if (parseWarningDays(warningDays) === null) {
      errors["response.expiry_warning_days"] = "Enter whole numbers of days separated by commas, like 14, 3 (or leave empty for none).";
    }
    setLocalErrors(errors);
    if (Object.keys(errors).length > 0) return;
    void save.submit();
  }
  const fieldError = (name: string) => localErrors[name] ?? save.fieldError(name);

  return (
    <form className="card" onSubmit={onSubmit} noValidate aria-labelledby="portal-settings-heading">
      <h2 id="portal-settings-heading" className="card-title">
        Portal settings
      </h2>
      <Switch
        label="Enable Portal"
        hint="Customers and business partners can download your published SBOMs, VEX statements, advisories and documents. Every download is logged."
        checked={enabled}
        onChange={setEnabled}
      />
      <fieldset className="fieldset">
        <legend>Portal visibility</legend>
        <div className="radio-cards">
          <label className={`radio-card${visibility === "private" ? " selected" : ""}`}>
            <input
              type="radio"
              name="visibility"
              value="private"
              checked={visibility === "private"}
              onChange={() => setVisibility("private")}
            />
            <span>
              <span className="radio-card-title">Private</span>{" "}
              <span className="badge badge-info">Recommended</span>
              <span className="radio-card-text">Only users with a valid access token can view content.</span>
            </span>
          </label>
          <label className={`radio-card${visibility === "public" ? " selected" : ""}`}>
            <input
              type="radio"
              name="visibility"
              value="public"
              checked={visibility === "public"}
              onChange={() => setVisibility("public")}
            />
            <span>
              <span className="radio-card-title">Public</span>
              <span className="radio-card-text">
                Anyone with the URL can view your published content. Use this only for completely open access.
              </span>
            </span>
          </label>
        </div>
        {save.fieldError("visibility") && <p className="field-error">{save.fieldError("visibility")}</p>}
      </fieldset>
      <Field
        label="Display name"
        hint="Appears in the portal header, so customers know they are in the right place."
        error={save.fieldError("display_name")}
      >
        {(c) => <input {...c} name="display_name" required value={displayName} onChange={(e) => setDisplayName(e.target.value)} />}
      </Field>
      <Field
        label="Description"
        optional
        hint="A welcome message, or what customers can find here."
        error={save.fieldError("description")}
      >
        {(c) => (
          <textarea {...c} name="description" rows={3} value={description} onChange={(e) => setDescription(e.target.value)} />
        )}
      </Field>
      <div className="form-grid">
        <Field
          label="Contact email"
          optional
          hint="Where customers reach your security or compliance team."
          error={save.fieldError("contact_email")}
        >
          {(c) => (
            <input {...c} type="email" name="contact_email" value={contact} onChange={(e) => setContact(e.target.value)} />
          )}
        </Field>
        <Field label="Portal slug" hint="The last part of the portal URL." error={save.fieldError("slug")}>
          {(c) => <input {...c} name="slug" className="mono" required value={slug} onChange={(e) => setSlug(e.target.value)} />}
        </Field>
      </div>
      <fieldset className="fieldset fieldset-section" aria-describedby="landing-hint">
        <legend>Sign-in page</legend>
        <p id="landing-hint" className="muted small">
          What visitors of a private portal see before they sign in: its name and logo always, and as you choose here its
          description and contact e-mail, and a form to ask for access.
        </p>
        <Checkbox
          name="landing.show_description"
          label="Show the description"
          checked={showDescription}
          onChange={setShowDescription}
        />
        <Checkbox
          name="landing.show_contact"
          label="Show the contact e-mail"
          checked={showContact}
          onChange={setShowContact}
        />
        <Switch
          label="Let visitors request access"
          hint="A “Request access” form on the sign-in page (name, company, e-mail, reason). Requests wait under Access requests; approving one creates the requester’s access token."
          checked={accessRequests}
          onChange={setAccessRequests}
        />
        {fieldError("landing.access_requests") && <p className="field-error">{fieldError("landing.access_requests")}</p>}
        {accessRequests && (
          <div className="subform" data-testid="nda-settings">
            <p className="muted small">
              A non-disclosure agreement visitors must accept before they can send a request (optional). Each request records
              the version accepted and the SHA-256 of its text.
            </p>
            <Field label="NDA version" optional hint="Like 2026-01; change it when the text changes." error={fieldError("landing.nda.version")}>
              {(c) => (
                <input {...c} name="landing.nda.version" className="mono" value={ndaVersion} onChange={(e) => setNdaVersion(e.target.value)} />
              )}
            </Field>
            <Field label="NDA text" optional hint="Plain text, shown in a scrollable box above the request form." error={fieldError("landing.nda.text")}>
              {(c) => <textarea {...c} name="landing.nda.text" rows={6} value={ndaText} onChange={(e) => setNdaText(e.target.value)} />}
            </Field>
          </div>
        )}
      </fieldset>
      <fieldset className="fieldset fieldset-section">
        <legend>Who sees what</legend>
        <Field
          label="Default TLP label"
          hint={
            <>
              For SBOMs, VEX and documents uploaded without a label (CSAF documents carry their own).{" "}
              {TLP_MEANING[defaultTlp]} Access tokens read up to their clearance; anonymous visitors of a public portal
              read TLP:CLEAR only.
            </>
          }
          error={fieldError("default_tlp")}
        >
          {(c) => (
            <div className="select-with-badge">
              <select {...c} name="default_tlp" value={defaultTlp} onChange={(e) => setDefaultTlp(e.target.value as Tlp)}>
                <TlpOptions />
              </select>
              <TlpBadge tlp={defaultTlp} />
            </div>
          )}
        </Field>
      </fieldset>
      <fieldset className="fieldset fieldset-section" aria-describedby="require-conformance-hint">
        <legend>SBOM conformance required before publication</legend>
        <p id="require-conformance-hint" className="muted small">
          Every SBOM is checked against these profiles when it is uploaded. One that fails a checked profile can be
          uploaded as a draft, but publishing it is refused with the rules it fails: here, with an API key, and in CI
          uploads with <code>publish=true</code>.
        </p>
        {CONFORMANCE_PROFILES.map((p) => (
          <Checkbox
            key={p.id}
            name="require_conformance"
            label={p.title}
            hint={p.hint}
            checked={required.includes(p.id)}
            onChange={(on) =>
              setRequired((r) => {
                const next = on ? [...r, p.id] : r.filter((id) => id !== p.id);
                // The profiles in their usual order; ids this console does not know are kept.
                const known = CONFORMANCE_PROFILES.map((x) => x.id).filter((id) => next.includes(id));
                return [...known, ...next.filter((id) => !known.includes(id))];
              })
            }
          />
        ))}
        {fieldError("require_conformance") && <p className="field-error">{fieldError("require_conformance")}</p>}
      </fieldset>
      <fieldset className="fieldset fieldset-section" aria-describedby="response-clocks-hint">
        <legend>Vulnerability response clocks</legend>
        <p id="response-clocks-hint" className="muted small">
          What you commit to customers (the CRA vendor checklist §4): each vulnerability’s clocks run from when you became
          aware of it, and admins are reminded before a deadline.
        </p>
        <div className="form-grid">
          <Field
            label="Notify customers within (hours)"
            hint="Impacted customers are told within this many hours of awareness (default 48)."
            error={fieldError("response.notify_within_hours")}
          >
            {(c) => (
              <input
                {...c}
                type="number"
                min={1}
                step={1}
                name="response.notify_within_hours"
                value={notifyHours}
                onChange={(e) => setNotifyHours(e.target.value)}
              />
            )}
          </Field>
          <Field
            label="Fix critical vulnerabilities within (business days)"
            hint="Critical vulnerabilities are addressed within this many business days (default 15)."
            error={fieldError("response.critical_fix_business_days")}
          >
            {(c) => (
              <input
                {...c}
                type="number"
                min={1}
                step={1}
                name="response.critical_fix_business_days"
                value={criticalDays}
                onChange={(e) => setCriticalDays(e.target.value)}
              />
            )}
          </Field>
        </div>
        <Field
          label="Warn before a token expires (days)"
          hint="Tokens with a contact address or a subscription are told this many days before they expire (default 14, 3)."
          error={fieldError("response.expiry_warning_days")}
        >
          {(c) => (
            <input {...c} name="response.expiry_warning_days" value={warningDays} onChange={(e) => setWarningDays(e.target.value)} />
          )}
        </Field>
      </fieldset>
      <fieldset className="fieldset fieldset-section">
        <legend>CSAF publisher</legend>
        <p className="muted small">
          The publisher your CSAF provider metadata names (CSAF 2.0 §3.2.1.8). Uploaded advisories whose{" "}
          <code>/document/publisher</code> differs are accepted with a warning.
        </p>
        <div className="radio-list">
          <label>
            <input
              type="radio"
              name="csaf_publisher_mode"
              checked={!ownPublisher}
              onChange={() => setOwnPublisher(false)}
            />{" "}
            Name the portal (vendor “{displayName.trim() || settings.display_name}”, the portal URL as namespace)
          </label>
          <label>
            <input type="radio" name="csaf_publisher_mode" checked={ownPublisher} onChange={() => setOwnPublisher(true)} />{" "}
            Configure the publisher
          </label>
        </div>
        {ownPublisher && (
          <div className="subform" data-testid="csaf-publisher">
            <div className="form-grid">
              <Field label="Publisher category" error={fieldError("csaf_publisher.category")}>
                {(c) => (
                  <select {...c} name="csaf_publisher.category" value={category} onChange={(e) => setCategory(e.target.value)}>
                    {CSAF_PUBLISHER_CATEGORIES.map((o) => (
                      <option key={o.value} value={o.value}>
                        {o.label}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label="Publisher name" hint="As in your advisories’ /document/publisher/name." error={fieldError("csaf_publisher.name")}>
                {(c) => (
                  <input
                    {...c}
                    name="csaf_publisher.name"
                    required
                    value={publisherName}
                    onChange={(e) => setPublisherName(e.target.value)}
                  />
                )}
              </Field>
            </div>
            <Field
              label="Namespace"
              hint="A URL the publisher controls, e.g. https://www.acme.example."
              error={fieldError("csaf_publisher.namespace")}
            >
              {(c) => (
                <input
                  {...c}
                  type="url"
                  name="csaf_publisher.namespace"
                  className="mono"
                  required
                  placeholder="https://www.acme.example"
                  value={namespace}
                  onChange={(e) => setNamespace(e.target.value)}
                />
              )}
            </Field>
            <Field label="Contact details" optional hint="How to reach the publisher’s security team." error={fieldError("csaf_publisher.contact_details")}>
              {(c) => (
                <input
                  {...c}
                  name="csaf_publisher.contact_details"
                  value={contactDetails}
                  onChange={(e) => setContactDetails(e.target.value)}
                />
              )}
            </Field>
            <Field
              label="Issuing authority"
              optional
              hint="The publisher’s authority to release the advisories."
              error={fieldError("csaf_publisher.issuing_authority")}
            >
              {(c) => (
                <textarea
                  {...c}
                  name="csaf_publisher.issuing_authority"
                  rows={2}
                  value={issuingAuthority}
                  onChange={(e) => setIssuingAuthority(e.target.value)}
                />
              )}
            </Field>
          </div>
        )}
      </fieldset>
      <ProblemAlert
        error={save.error}
        shownFields={[
          "enabled",
          "visibility",
          "display_name",
          "description",
          "contact_email",
          "slug",
          "default_tlp",
          "require_conformance",
          "response.notify_within_hours",
          "response.critical_fix_business_days",
          "response.expiry_warning_days",
          "landing.access_requests",
          ...(accessRequests ? ["landing.nda.version", "landing.nda.text"] : []),
          ...(ownPublisher
            ? [
                "csaf_publisher.category",
                "csaf_publisher.name",
                "csaf_publisher.namespace",
                "csaf_publisher.contact_details",
                "csaf_publisher.issuing_authority",
              ]
            : []),
        ]}
        title="Could not save the portal settings"
      />
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={save.busy}>
          {save.busy ? "Saving…" : "Save"}
        </button>
        <span role="status" aria-live="polite" className="ok small">
          {saved ? "Saved" : ""}
        </span>
      </div>
    </form>
  );
}

export function PortalSettingsPage() {
  useTitle("Supplier Portal");
  const { org, isAdmin } = useOrg();
  const client = useQueryClient();
  const settingsKey = ["org", org.slug, "portal", "settings"];
  const settings = useQuery({
    queryKey: settingsKey,
    queryFn: () => unwrap(adminApi.GET("/api/v1/orgs/{org}/portal", { params: { path: { org: org.slug } } })),
    enabled: isAdmin,
  });
  return (
    <>
      <PageHeader
        crumbs={[{ label: "Settings" }, { label: "Supplier Portal" }]}
        title="Supplier Portal"
        subtitle="Give customers your SBOMs, VEX statements, CSAF advisories and compliance documents (CRA Art. 13)."
        actions={isAdmin && <AnonymousPreviewLink org={org.slug} />}
      />
      <PortalTabs org={org.slug} />
      {!isAdmin ? (
        <AdminsOnly what="configure the portal" />
      ) : (
        <Async resource={settings}>
          {(s) =>
            s && (
              <>
                <PortalUrlCard settings={s} />
                <PortalLogoCard org={org.slug} settings={s} onChanged={() => void settings.refetch()} />
                <SettingsForm org={org.slug} settings={s} onSaved={(saved) => client.setQueryData(settingsKey, saved)} />
              </>
            )
          }
        </Async>
      )}
    </>
  );
}
