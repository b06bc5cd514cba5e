import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { adminApi, unwrap } from "../../api/client";
import type { PortalSettings, SigningKeyView } from "../../api/types";
import { saveBlob } from "../../api/download";
import { useInvalidate, useQuery, useSubmit, useTitle } from "../../hooks";
import { useOrg } from "../context";
import { PageHeader } from "../../components/PageHeader";
import { Async, EmptyState } from "../../components/States";
import { Alert, ProblemAlert } from "../../components/Alert";
import { Badge } from "../../components/Badge";
import { BreakableUrl } from "../../components/BreakableUrl";
import { CopyButton } from "../../components/CopyButton";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Dialog } from "../../components/Dialog";
import { Field } from "../../components/Field";
import { formatDate, formatDateTime, groupFingerprint } from "../../format";
import { PortalTabs } from "./PortalTabs";
import { AdminsOnly } from "./PortalSettingsPage";
import { TableScroll } from "../../components/TableScroll";

/** Where customers' tools find a portal (the server's routes; see the README's "For customers' tools"). */
export function discoveryUrls(origin: string, slug: string) {
  const portal = `${origin}/api/v1/portal/${encodeURIComponent(slug)}`;
  return {
    csafMetadata: `${portal}/csaf/provider-metadata.json`,
    teaRoot: `${portal}/tea/v0.4.0`,
    securityTxt: `${portal}/.well-known/security.txt`,
    /** The instance's well-known addresses, which speak for its default portal. */
    wellKnown: {
      csafMetadata: `${origin}/.well-known/csaf/provider-metadata.json`,
      tea: `${origin}/.well-known/tea`,
      securityTxt: `${origin}/.well-known/security.txt`,
    },
  };
}

/** The active key first, then retired ones, newest first. */
export function activeFirst(keys: SigningKeyView[]): SigningKeyView[] {
  return [...keys].sort((a, b) => Number(b.active) - Number(a.active) || b.created_at.localeCompare(a.created_at));
}

function UrlRow({ label, hint, url }: { label: string; hint: string; url: string }) {
  return (
    <li className="url-row">
      <div className="url-row-text">
        <h3 className="url-row-label">{label}</h3>
        <code className="url-row-value url-breakable">
          <BreakableUrl url={url} />
        </code>
        <p className="muted small">{hint}</p>
      </div>
      <CopyButton text={url} ariaLabel={`Copy the ${label} URL`} className="button button-small" />
    </li>
  );
}

function DiscoveryCard({ org, settings }: { org: string; settings: PortalSettings }) {
  const urls = discoveryUrls(window.location.origin, settings.slug);
  return (
    <section className="card" aria-labelledby="discovery-heading">
      <h2 id="discovery-heading" className="card-title">
        Discovery URLs
      </h2>
      <p className="muted small">
        Customers’ tools consume these unchanged. The same customer access token (
        <code>Authorization: Bearer spt_…</code>) works in the portal, the REST API and these feeds, and every document
        or artifact fetched through them is audited like any other download.
      </p>
      {!settings.enabled && (
        <Alert tone="warning" title="Nothing is published yet">
          The portal is off: nothing is published at these addresses until you enable it in{" "}
          <Link to={`/admin/${org}/settings/portal`}>Settings</Link>.
        </Alert>
      )}
      <ul className="url-list" data-testid="discovery-urls">
        <UrlRow
          label="CSAF provider metadata"
          hint="CSAF 2.0 trusted provider: your published advisories and CSAF VEX documents per TLP label, with hashes, ROLIE feeds and OpenPGP signatures. Point a CSAF downloader here."
          url={urls.csafMetadata}
        />
        <UrlRow
          label="TEA API"
          hint="Transparency Exchange API (consumer API v0.4.0): products, releases and a collection of each release’s published artifacts."
          url={urls.teaRoot}
        />
        <UrlRow
          label="security.txt"
          hint={`RFC 9116, generated from the portal settings: ${
            settings.contact_email ? `Contact ${settings.contact_email}` : "Contact (the portal URL until you set a contact e-mail)"
          }, Expires (180 days ahead), Canonical and CSAF (the provider metadata).`}
          url={urls.securityTxt}
        />
      </ul>
      <p className="muted small">
        If this is the instance’s default portal (<code>PORTAL_DEFAULT_PORTAL</code>, or the only enabled portal), tools
        also find it from the domain alone: <code className="break">{urls.wellKnown.csafMetadata}</code>, the TEA API
        announced by <code className="break">{urls.wellKnown.tea}</code>, and{" "}
        <code className="break">{urls.wellKnown.securityTxt}</code>.
      </p>
    </section>
  );
}

function AccessCard({ org, settings }: { org: string; settings: PortalSettings }) {
  const isPublic = settings.visibility === "public";
  return (
    <section className="card" aria-labelledby="tlp-heading">
      <h2 id="tlp-heading" className="card-title">
        Who can read which CSAF documents
      </h2>
      <ul className="plain-list tlp-list" data-testid="tlp-access">
        {isPublic ? (
          <>
            <li>
              <Badge tone="success">Open</Badge> TLP:WHITE (CLEAR) documents: this portal is public, so anyone can read them.
            </li>
            <li>
              <Badge tone="info">Access token</Badge> TLP:GREEN, TLP:AMBER and TLP:RED, and documents without a TLP label
              (treated as restricted), need a customer access token.
            </li>
          </>
        ) : (
          <li>
            <Badge tone="info">Access token</Badge> Every document, TLP:WHITE included: this portal is private, so each one
            needs a customer access token. Only a public portal opens its TLP:WHITE documents to anyone.
          </li>
        )}
      </ul>
      <p className="muted small" data-testid="tlp-clearance-note">
        Each access token reads up to its own TLP clearance (TLP:AMBER unless changed in{" "}
        <Link to={`/admin/${org}/settings/portal/tokens`}>Access Tokens</Link>), and every token reads CSAF documents
        without a label. “View as” on a token shows exactly what it sees.
      </p>
      <p className="muted small">
        The provider metadata, the signing keys and the ROLIE service document are always public, so tools can find where
        to authenticate.{!isPublic && " A private portal asks aggregators not to list or mirror it."}
      </p>
    </section>
  );
}

function ImportKeyDialog({
  org,
  onClose,
  onImported,
}: {
  org: string;
  onClose: () => void;
  onImported: (k: SigningKeyView) => void;
}) {
  const [armored, setArmored] = useState("");
  const [missing, setMissing] = useState<string | undefined>(undefined);
  const importKey = useSubmit(async () => {
    const k = await unwrap(
      adminApi.POST("/api/v1/orgs/{org}/portal/signing-keys", {
        params: { path: { org } },
        body: { import_secret_key: armored.trim() },
      }),
    );
    onImported(k);
  });
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (armored.trim() === "") {
      setMissing("Paste the ASCII-armoured secret key.");
      return;
    }
    setMissing(undefined);
    void importKey.submit();
  }
  return (
    <Dialog
      title="Import signing key"
      onClose={onClose}
      dismissible={!importKey.busy}
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={importKey.busy}>
            Cancel
          </button>
          <button type="submit" form="import-key-form" className="button button-primary" disabled={importKey.busy}>
            {importKey.busy ? "Importing…" : "Import key"}
          </button>
        </>
      }
    >
      <form id="import-key-form" onSubmit={onSubmit} noValidate>
        <p className="small">
          The imported key becomes active: CSAF documents are re-signed with it on their next request. The current key is
          retired but stays published, so signatures made with it still verify.
        </p>
        <Field
          label="Secret key"
          hint="An ASCII-armoured OpenPGP secret key (-----BEGIN PGP PRIVATE KEY BLOCK-----) that can sign and is not protected by a passphrase. It is stored sealed and never shown again."
          error={missing ?? importKey.fieldError("import_secret_key")}
        >
          {(c) => (
            <textarea
              {...c}
              name="import_secret_key"
              className="mono"
              rows={10}
              data-autofocus
              required
              autoComplete="off"
              spellCheck={false}
              value={armored}
              onChange={(e) => setArmored(e.target.value)}
            />
          )}
        </Field>
        <ProblemAlert error={importKey.error} shownFields={["import_secret_key"]} title="Could not import the key" />
      </form>
    </Dialog>
  );
}

function downloadPublicKey(k: SigningKeyView) {
  saveBlob(new Blob([k.public_key], { type: "application/pgp-keys" }), `${k.fingerprint}.asc`);
}

function KeysTable({ keys }: { keys: SigningKeyView[] }) {
  return (
    <TableScroll label="OpenPGP signing keys" className="card card-flush">
      <table className="table" data-testid="signing-keys">
        <caption className="visually-hidden">OpenPGP signing keys</caption>
        <thead>
          <tr>
            <th scope="col">Fingerprint</th>
            <th scope="col">Algorithm</th>
            <th scope="col">Created</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {activeFirst(keys).map((k) => {
            const grouped = groupFingerprint(k.fingerprint);
            return (
              <tr key={k.id} className={k.active ? undefined : "row-muted"}>
                <td>
                  <code className="fingerprint" data-testid="fingerprint">
                    {grouped}
                  </code>
                  <div className="muted small break">{k.user_id}</div>
                </td>
                <td className="nowrap">
                  {k.algorithm}
                </td>
                <td className="nowrap">
                  <span title={formatDateTime(k.created_at)}>{formatDate(k.created_at)}</span>
                  <div className="muted small">{k.created_by}</div>
                </td>
                <td className="nowrap">
                  {k.active ? <Badge tone="success">Active</Badge> : <Badge>Retired</Badge>}
                  {k.retired_at && (
                    <div className="muted small">
                      since <span title={formatDateTime(k.retired_at)}>{formatDate(k.retired_at)}</span>
                    </div>
                  )}
                </td>
                <td className="row-actions">
                  <button
                    type="button"
                    className="button button-small"
                    aria-label={`Download public key ${grouped}`}
                    onClick={() => downloadPublicKey(k)}
                  >
                    Download public key
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}

export function DistributionPage() {
  useTitle("Distribution");
  const { org, isAdmin } = useOrg();
  const [rotating, setRotating] = useState(false);
  const [importing, setImporting] = useState(false);
  const [changed, setChanged] = useState<{ how: "rotated" | "generated" | "imported"; key: SigningKeyView } | null>(null);
  // The portal's settings (its slug) are for admins only; everyone may read the keys.
  const settings = useQuery({
    queryKey: ["org", org.slug, "portal", "settings"],
    queryFn: () => unwrap(adminApi.GET("/api/v1/orgs/{org}/portal", { params: { path: { org: org.slug } } })),
    enabled: isAdmin,
  });
  const keys = useQuery({
    queryKey: ["org", org.slug, "portal", "signing-keys"],
    queryFn: () => unwrap(adminApi.GET("/api/v1/orgs/{org}/portal/signing-keys", { params: { path: { org: org.slug } } })),
  });
  const hasActive = (keys.data ?? []).some((k) => k.active);
  const invalidate = useInvalidate();

  function done(how: "rotated" | "generated" | "imported", key: SigningKeyView) {
    setChanged({ how, key });
    invalidate(["org", org.slug, "portal", "signing-keys"]);
  }

  return (
    <>
      <PageHeader
        crumbs={[{ label: "Settings" }, { label: "Supplier Portal" }]}
        title="Supplier Portal"
        subtitle="Where customers’ tools find your CSAF advisories, TEA collections and security contact, and the keys your CSAF documents are signed with."
      />
      <PortalTabs org={org.slug} />
      {!isAdmin ? (
        <AdminsOnly what="see the portal’s address and its discovery URLs" />
      ) : (
        <Async resource={settings}>
          {(s) =>
            s && (
              <>
                <DiscoveryCard org={org.slug} settings={s} />
                <AccessCard org={org.slug} settings={s} />
              </>
            )
          }
        </Async>
      )}

      <section aria-labelledby="keys-heading">
        <div className="row-between wrap">
          <div>
            <h2 id="keys-heading" className="section-title">
              OpenPGP signing keys
            </h2>
            <p className="muted small section-description">
              CSAF documents are signed with the active key. Retired keys stay published in the provider metadata, so
              older signatures still verify.
            </p>
          </div>
          {isAdmin && (
            <div className="button-row">
              <button type="button" className="button" onClick={() => setImporting(true)}>
                Import key
              </button>
              {keys.data && (
                <button type="button" className="button button-primary" onClick={() => setRotating(true)}>
                  {hasActive ? "Rotate key" : "Generate key"}
                </button>
              )}
            </div>
          )}
        </div>
        {changed && (
          <Alert
            tone="success"
            polite
            title={changed.how === "rotated" ? "Signing key rotated" : changed.how === "generated" ? "Signing key generated" : "Signing key imported"}
          >
            The active key is now <code className="nowrap">{groupFingerprint(changed.key.fingerprint)}</code>.
            Documents are re-signed with it on their next request.
          </Alert>
        )}
        <Async resource={keys} loadingLabel="Loading signing keys…">
          {(list) =>
            list.length === 0 ? (
              <EmptyState title="No signing key yet">
                One is generated on first use: when a CSAF tool first asks for the provider metadata or a signature.
                {isAdmin && " You can also generate one now, or import your own."}
              </EmptyState>
            ) : (
              <KeysTable keys={list} />
            )
          }
        </Async>
      </section>

      {rotating && (
        <ConfirmDialog
          title={hasActive ? "Rotate the signing key?" : "Generate a signing key?"}
          confirmLabel={hasActive ? "Rotate key" : "Generate key"}
          onClose={() => setRotating(false)}
          onConfirm={async () => {
            const k = await unwrap(
              adminApi.POST("/api/v1/orgs/{org}/portal/signing-keys", { params: { path: { org: org.slug } }, body: {} }),
            );
            done(hasActive ? "rotated" : "generated", k);
          }}
        >
          {hasActive ? (
            <p>
              A new Ed25519 key becomes active, and documents are re-signed with it on their next request. The current key
              is retired but stays published, so signatures made with it still verify.
            </p>
          ) : (
            <p>
              A new Ed25519 key is generated and becomes active; documents are signed with it on their next request.
            </p>
          )}
        </ConfirmDialog>
      )}
      {importing && (
        <ImportKeyDialog
          org={org.slug}
          onClose={() => setImporting(false)}
          onImported={(k) => {
            setImporting(false);
            done("imported", k);
          }}
        />
      )}
    </>
  );
}
