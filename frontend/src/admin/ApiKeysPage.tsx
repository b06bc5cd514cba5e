import { useState, type FormEvent } from "react";
import { adminApi, unwrap } from "../api/client";
import { API_SCOPES, EXPIRY_CHOICES, type ApiKeyView, type ApiScope, type CreatedApiKey, type ExpiresIn } from "../api/types";
import { useInvalidate, useQuery, useSubmit, useTitle } from "../hooks";
import { useOrg } from "./context";
import { PageHeader } from "../components/PageHeader";
import { Async, EmptyState } from "../components/States";
import { Badge, StatusBadge } from "../components/Badge";
import { Dialog } from "../components/Dialog";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { SecretDialog } from "../components/SecretDialog";
import { Checkbox, Field } from "../components/Field";
import { Alert, ProblemAlert } from "../components/Alert";
import { CurlSnippet } from "./CurlLine";
import { formatDate, formatRelative } from "../format";
import { TableScroll } from "../components/TableScroll";

const SCOPE_HINTS: Record<ApiScope, string> = {
  "artifacts:write": "Upload SBOMs, VEX, advisories and documents (as drafts).",
  "artifacts:publish": "Publish and withdraw artifacts.",
  "catalogue:read": "Read products, versions and artifacts.",
};

function CreateApiKeyDialog({
  org,
  onClose,
  onCreated,
}: {
  org: string;
  onClose: () => void;
  onCreated: (k: CreatedApiKey) => void;
}) {
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<ApiScope[]>(["artifacts:write"]);
  const [expiresIn, setExpiresIn] = useState<ExpiresIn>("90d");
  const [publishOnPush, setPublishOnPush] = useState(false);
  const create = useSubmit(async () => {
    const key = await unwrap(
      adminApi.POST("/api/v1/orgs/{org}/api-keys", {
        params: { path: { org } },
        body: {
          name: name.trim(),
          scopes,
          expires_in: expiresIn,
          publish_on_push: publishOnPush && scopes.includes("artifacts:publish"),
        },
      }),
    );
    onCreated(key);
  });
  function toggle(s: ApiScope, on: boolean) {
    setScopes((cur) => (on ? [...cur, s] : cur.filter((x) => x !== s)));
  }
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    void create.submit();
  }
  return (
    <Dialog
      title="Create API key"
      onClose={onClose}
      dismissible={!create.busy}
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={create.busy}>
            Cancel
          </button>
          <button type="submit" form="api-key-form" className="button button-primary" disabled={create.busy}>
            {create.busy ? "Creating…" : "Create API key"}
          </button>
        </>
      }
    >
      <form id="api-key-form" onSubmit={onSubmit} noValidate>
        <Field
          label="Name"
          hint="What uses it, e.g. “GitLab release pipeline”."
          error={create.fieldError("name")}
        >
          {(c) => <input {...c} name="name" data-autofocus required value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <fieldset className="fieldset" aria-describedby={create.fieldError("scopes") ? "scopes-error" : undefined}>
          <legend>Scopes</legend>
          {API_SCOPES.map((s) => (
            <Checkbox
              key={s}
              label={<code>{s}</code>}
              hint={SCOPE_HINTS[s]}
              checked={scopes.includes(s)}
              onChange={(on) => toggle(s, on)}
            />
          ))}
          {create.fieldError("scopes") && (
            <p id="scopes-error" className="field-error">
              {create.fieldError("scopes")}
            </p>
          )}
        </fieldset>
        <Field label="Expires" error={create.fieldError("expires_in")}>
          {(c) => (
            <select {...c} name="expires_in" value={expiresIn} onChange={(e) => setExpiresIn(e.target.value as ExpiresIn)}>
              {EXPIRY_CHOICES.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Checkbox
          label="Publish on push"
          hint="Dependency-Track style pushes with this key are published at once (needs artifacts:publish)."
          checked={publishOnPush && scopes.includes("artifacts:publish")}
          disabled={!scopes.includes("artifacts:publish")}
          onChange={setPublishOnPush}
        />
        <ProblemAlert error={create.error} shownFields={["name", "scopes", "expires_in"]} />
      </form>
    </Dialog>
  );
}

function KeyFlags({ k }: { k: ApiKeyView }) {
  return (
    <>
      {!k.last_used_at && k.status === "active" && <Badge tone="warning">Never used</Badge>}{" "}
      {!k.expires_at && k.status === "active" && <Badge tone="warning">No expiry</Badge>}
    </>
  );
}

export function ApiKeysPage() {
  useTitle("API Keys");
  const { org, isAdmin } = useOrg();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKeyView | null>(null);
  const invalidate = useInvalidate();
  const keys = useQuery({
    queryKey: ["org", org.slug, "api-keys"],
    queryFn: () => unwrap(adminApi.GET("/api/v1/orgs/{org}/api-keys", { params: { path: { org: org.slug } } })),
    enabled: isAdmin,
  });

  if (!isAdmin) {
    return (
      <>
        <PageHeader title="API Keys" />
        <Alert tone="info" title="Administrators only">
          Only organisation administrators can manage API keys.
        </Alert>
      </>
    );
  }

  return (
    <>
      <PageHeader
        title="API Keys"
        subtitle="Keys let CI pipelines push SBOMs and other evidence without a person signing in."
        actions={
          <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
            Create API key
          </button>
        }
      />
      <Async resource={keys}>
        {(list) =>
          list.length === 0 ? (
            <EmptyState title="No API keys">Create one for each pipeline that pushes SBOMs.</EmptyState>
          ) : (
            <TableScroll label="API keys" className="card card-flush">
              <table className="table">
                <caption className="visually-hidden">API keys</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Scopes</th>
                    <th scope="col">Created</th>
                    <th scope="col">Expires</th>
                    <th scope="col">Last used</th>
                    <th scope="col">Status</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((k) => (
                    <tr key={k.id} className={k.status === "active" ? undefined : "row-muted"}>
                      <td>
                        <div className="strong">{k.name}</div>
                        <div className="muted small mono">{k.hint}</div>
                        <KeyFlags k={k} />
                      </td>
                      <td>
                        <ul className="chips mono">
                          {k.scopes.map((s) => (
                            <li key={s}>{s}</li>
                          ))}
                        </ul>
                        {k.publish_on_push && <div className="muted small">Publishes on push</div>}
                      </td>
                      <td className="nowrap">
                        {formatDate(k.created_at)}
                        <div className="muted small">{k.created_by}</div>
                      </td>
                      <td className="nowrap">{k.expires_at ? formatDate(k.expires_at) : "Never"}</td>
                      <td className="nowrap">{k.last_used_at ? formatRelative(k.last_used_at) : "Never"}</td>
                      <td>
                        <StatusBadge status={k.status} />
                      </td>
                      <td className="row-actions">
                        {k.status === "active" && (
                          <button
                            type="button"
                            className="button button-small button-danger-outline"
                            aria-label={`Revoke ${k.name}`}
                            onClick={() => setRevoking(k)}
                          >
                            Revoke
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )
        }
      </Async>
      {creating && (
        <CreateApiKeyDialog
          org={org.slug}
          onClose={() => setCreating(false)}
          onCreated={(k) => {
            setCreating(false);
            setCreated(k);
            invalidate(["org", org.slug, "api-keys"]);
          }}
        />
      )}
      {created && (
        <SecretDialog
          title="API key created"
          noun="API key"
          name={created.name}
          secret={created.key}
          onClose={() => setCreated(null)}
        >
          <CurlSnippet org={org.slug} />
        </SecretDialog>
      )}
      {revoking && (
        <ConfirmDialog
          title={`Revoke ${revoking.name}?`}
          confirmLabel="Revoke"
          danger
          onClose={() => setRevoking(null)}
          onConfirm={async () => {
            await unwrap(
              adminApi.DELETE("/api/v1/orgs/{org}/api-keys/{id}", {
                params: { path: { org: org.slug, id: revoking.id } },
              }),
            );
            invalidate(["org", org.slug, "api-keys"]);
          }}
        >
          <p>Pipelines using this key stop working at once. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
