import { useEffect, useState, type FormEvent } from "react";
import { adminApi, unwrap } from "../../api/client";
import type { PortalSettings, Visibility } from "../../api/types";
import { useResource, useSubmit, useTitle } from "../../hooks";
import { useOrg } from "../context";
import { PageHeader } from "../../components/PageHeader";
import { Async } from "../../components/States";
import { Field, Switch } from "../../components/Field";
import { Alert, ProblemAlert } from "../../components/Alert";
import { CopyButton } from "../../components/CopyButton";
import { StatusBadge } from "../../components/Badge";
import { PortalTabs } from "./PortalTabs";

export function AdminsOnly({ what }: { what: string }) {
  return (
    <Alert tone="info" title="Administrators only">
      Only organisation administrators can {what}.
    </Alert>
  );
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
          <a href={settings.url} className="portal-url-link mono" target="_blank" rel="noreferrer" data-testid="portal-url">
            {settings.url}
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

function SettingsForm({ org, settings, onSaved }: { org: string; settings: PortalSettings; onSaved: (s: PortalSettings) => void }) {
  const [enabled, setEnabled] = useState(settings.enabled);
  const [visibility, setVisibility] = useState<Visibility>(settings.visibility);
  const [displayName, setDisplayName] = useState(settings.display_name);
  const [description, setDescription] = useState(settings.description);
  const [contact, setContact] = useState(settings.contact_email ?? "");
  const [slug, setSlug] = useState(settings.slug);
  const [saved, setSaved] = useState(false);
  useEffect(() => setSaved(false), [enabled, visibility, displayName, description, contact, slug]);

  const save = useSubmit(async () => {
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
        },
      }),
    );
    onSaved(s);
    setSaved(true);
  });

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    void save.submit();
  }

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
      <ProblemAlert
        error={save.error}
        shownFields={["enabled", "visibility", "display_name", "description", "contact_email", "slug"]}
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
  const settings = useResource(
    () =>
      isAdmin
        ? unwrap(adminApi.GET("/api/v1/orgs/{org}/portal", { params: { path: { org: org.slug } } }))
        : Promise.resolve(null),
    [org.slug, isAdmin],
  );
  return (
    <>
      <PageHeader
        crumbs={[{ label: "Settings" }, { label: "Supplier Portal" }]}
        title="Supplier Portal"
        subtitle="Give customers your SBOMs, VEX statements, CSAF advisories and compliance documents (CRA Art. 13)."
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
                <SettingsForm org={org.slug} settings={s} onSaved={settings.setData} />
              </>
            )
          }
        </Async>
      )}
    </>
  );
}
