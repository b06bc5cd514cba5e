import { useState, type FormEvent } from "react";
import { adminApi, unwrap } from "../api/client";
import { ROLES, ROLE_LABELS, type Member, type Role } from "../api/types";
import { useInvalidate, useQuery, useSubmit, useTitle } from "../hooks";
import { useAdmin, useOrg } from "./context";
import { PageHeader } from "../components/PageHeader";
import { Async } from "../components/States";
import { Badge, StatusBadge } from "../components/Badge";
import { Dialog } from "../components/Dialog";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { Field } from "../components/Field";
import { ProblemAlert } from "../components/Alert";
import { formatDate } from "../format";

const ROLE_HINTS: Record<Role, string> = {
  admin: "Everything, including members, API keys and the Supplier Portal.",
  publisher: "Manages products and versions; uploads, publishes and withdraws evidence.",
  viewer: "Reads the catalogue and downloads evidence.",
};

function AddMemberDialog({ org, onClose, onAdded }: { org: string; onClose: () => void; onAdded: () => void }) {
  const [email, setEmail] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const add = useSubmit(async () => {
    await unwrap(
      adminApi.POST("/api/v1/orgs/{org}/members", {
        params: { path: { org } },
        body: {
          email: email.trim(),
          role,
          display_name: displayName.trim() || null,
          password: password || null,
        },
      }),
    );
    onAdded();
  });
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    void add.submit();
  }
  return (
    <Dialog
      title="Add member"
      onClose={onClose}
      dismissible={!add.busy}
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={add.busy}>
            Cancel
          </button>
          <button type="submit" form="add-member-form" className="button button-primary" disabled={add.busy}>
            {add.busy ? "Adding…" : "Add member"}
          </button>
        </>
      }
    >
      <form id="add-member-form" onSubmit={onSubmit} noValidate>
        <Field label="E-mail" error={add.fieldError("email")}>
          {(c) => (
            <input
              {...c}
              type="email"
              name="email"
              data-autofocus
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          )}
        </Field>
        <Field label="Role" hint={ROLE_HINTS[role]} error={add.fieldError("role")}>
          {(c) => (
            <select {...c} name="role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <p className="muted small">
          For someone without an account yet, also give their name and an initial password (at least 10 characters)
          to pass on to them.
        </p>
        <Field label="Name" optional error={add.fieldError("display_name")}>
          {(c) => (
            <input {...c} name="display_name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
          )}
        </Field>
        <Field label="Initial password" optional error={add.fieldError("password")}>
          {(c) => (
            <input
              {...c}
              type="password"
              name="password"
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <ProblemAlert error={add.error} shownFields={["email", "role", "display_name", "password"]} />
      </form>
    </Dialog>
  );
}

export function MembersPage() {
  useTitle("Members");
  const { org, isAdmin } = useOrg();
  const { me, reloadMe } = useAdmin();
  const [adding, setAdding] = useState(false);
  const [confirm, setConfirm] = useState<{ member: Member; action: "deactivate" | "reactivate" | "remove" } | null>(null);
  const membersKey = ["org", org.slug, "members"];
  const invalidate = useInvalidate();
  const members = useQuery({
    queryKey: membersKey,
    queryFn: () => unwrap(adminApi.GET("/api/v1/orgs/{org}/members", { params: { path: { org: org.slug } } })),
  });
  const changeRole = useSubmit(async (m: Member, role: Role) => {
    await unwrap(
      adminApi.PATCH("/api/v1/orgs/{org}/members/{id}", {
        params: { path: { org: org.slug, id: m.id } },
        body: { role },
      }),
    );
    invalidate(membersKey);
    if (m.user_id === me.user.id) reloadMe();
  });

  return (
    <>
      <PageHeader
        title="Members"
        subtitle="People who work in this organisation’s console, and what they may do."
        actions={
          isAdmin && (
            <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
              Add member
            </button>
          )
        }
      />
      <ProblemAlert error={changeRole.error} title="Could not change the role" />
      <Async resource={members}>
        {(list) => (
          <div className="table-wrap card card-flush">
            <table className="table">
              <caption className="visually-hidden">Members</caption>
              <thead>
                <tr>
                  <th scope="col">Member</th>
                  <th scope="col">Role</th>
                  <th scope="col">Status</th>
                  <th scope="col">Added</th>
                  {isAdmin && (
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {list.map((m) => (
                  <tr key={m.id} className={m.active ? undefined : "row-muted"}>
                    <td>
                      <div className="strong">
                        {m.display_name} {m.user_id === me.user.id && <Badge>You</Badge>}
                      </div>
                      <div className="muted small">{m.email}</div>
                    </td>
                    <td>
                      {isAdmin ? (
                        <select
                          aria-label={`Role of ${m.display_name}`}
                          value={m.role}
                          disabled={changeRole.busy}
                          onChange={(e) => void changeRole.submit(m, e.target.value as Role)}
                        >
                          {ROLES.map((r) => (
                            <option key={r} value={r}>
                              {ROLE_LABELS[r]}
                            </option>
                          ))}
                        </select>
                      ) : (
                        <StatusBadge status={m.role} />
                      )}
                    </td>
                    <td>{m.active ? <Badge tone="success">Active</Badge> : <Badge>Deactivated</Badge>}</td>
                    <td className="nowrap">{formatDate(m.created_at)}</td>
                    {isAdmin && (
                      <td className="row-actions">
                        <div className="button-row">
                          <button
                            type="button"
                            className="button button-small"
                            onClick={() => setConfirm({ member: m, action: m.active ? "deactivate" : "reactivate" })}
                          >
                            {m.active ? "Deactivate" : "Reactivate"}
                          </button>
                          <button
                            type="button"
                            className="button button-small button-danger-outline"
                            aria-label={`Remove ${m.display_name}`}
                            onClick={() => setConfirm({ member: m, action: "remove" })}
                          >
                            Remove
                          </button>
                        </div>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Async>
      {adding && (
        <AddMemberDialog
          org={org.slug}
          onClose={() => setAdding(false)}
          onAdded={() => {
            setAdding(false);
            invalidate(membersKey);
          }}
        />
      )}
      {confirm && (
        <ConfirmDialog
          title={
            confirm.action === "remove"
              ? `Remove ${confirm.member.display_name}?`
              : confirm.action === "deactivate"
                ? `Deactivate ${confirm.member.display_name}?`
                : `Reactivate ${confirm.member.display_name}?`
          }
          confirmLabel={confirm.action === "remove" ? "Remove" : confirm.action === "deactivate" ? "Deactivate" : "Reactivate"}
          danger={confirm.action !== "reactivate"}
          onClose={() => setConfirm(null)}
          onConfirm={async () => {
            const path = { org: org.slug, id: confirm.member.id };
            if (confirm.action === "remove") {
              await unwrap(adminApi.DELETE("/api/v1/orgs/{org}/members/{id}", { params: { path } }));
            } else {
              await unwrap(
                adminApi.PATCH("/api/v1/orgs/{org}/members/{id}", {
                  params: { path },
                  body: { active: confirm.action === "reactivate" },
                }),
              );
            }
            invalidate(membersKey);
          }}
        >
          <p>
            {confirm.action === "remove"
              ? "They lose access to this organisation. Their past actions stay in the audit log."
              : confirm.action === "deactivate"
                ? "They can no longer act in this organisation until reactivated."
                : "They can act in this organisation again, with their current role."}
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
