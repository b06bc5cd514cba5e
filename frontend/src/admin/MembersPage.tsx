import { useRef, useState, type FormEvent } from "react";
import { adminApi, unwrap } from "../api/client";
import { ROLES, ROLE_LABELS, type Invitation, type InvitationSent, type Member, type ResetLink, type Role } from "../api/types";
import { useInvalidate, useQuery, useSubmit, useTitle } from "../hooks";
import { useAdmin, useOrg } from "./context";
import { PageHeader } from "../components/PageHeader";
import { Async, EmptyState } from "../components/States";
import { Badge, StatusBadge, type Tone } from "../components/Badge";
import { Dialog } from "../components/Dialog";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { Field, InputField, Switch } from "../components/Field";
import { Alert, ProblemAlert } from "../components/Alert";
import { SecretDialog } from "../components/SecretDialog";
import { TableScroll } from "../components/TableScroll";
import { formatDate, formatDateTime } from "../format";

const ROLE_HINTS: Record<Role, string> = {
  admin: "Everything, including members, API keys and the Supplier Portal.",
  publisher: "Manages products and versions; uploads, publishes and withdraws evidence.",
  viewer: "Reads the catalogue and downloads evidence.",
};

/** The `<option>`s of a role select. */
function RoleOptions() {
  return ROLES.map((r) => (
    <option key={r} value={r}>
      {ROLE_LABELS[r]}
    </option>
  ));
}

function InviteDialog({ org, onClose, onSent }: { org: string; onClose: () => void; onSent: (sent: InvitationSent) => void }) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [missing, setMissing] = useState(false);
  const invite = useSubmit(async () => {
    const sent = await unwrap(
      adminApi.POST("/api/v1/orgs/{org}/invitations", {
        params: { path: { org } },
        body: { email: email.trim(), role },
      }),
    );
    onSent(sent);
  });
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const empty = email.trim() === "";
    setMissing(empty);
    invite.submitIf(!empty);
  }
  return (
    <Dialog
      title="Invite member"
      onClose={onClose}
      dismissible={!invite.busy}
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={invite.busy}>
            Cancel
          </button>
          <button type="submit" form="invite-member-form" className="button button-primary" disabled={invite.busy}>
            {invite.busy ? "Inviting…" : "Send invitation"}
          </button>
        </>
      }
    >
      <form id="invite-member-form" onSubmit={onSubmit} noValidate>
        <p className="muted small">
          They get a one-time link, valid for seven days: with it they choose a password and their name, or confirm with the
          password of their account on this server. When this server cannot send e-mail, you get the link to pass on.
        </p>
        <InputField
          label="E-mail"
          error={missing ? "Enter the e-mail address to invite." : invite.fieldError("email")}
          type="email"
          name="email"
          data-autofocus
          required
          value={email}
          onChange={setEmail}
        />
        <Field label="Role" hint={ROLE_HINTS[role]} error={invite.fieldError("role")}>
          {(c) => (
            <select {...c} name="role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
              <RoleOptions />
            </select>
          )}
        </Field>
        <ProblemAlert error={invite.error} shownFields={["email", "role"]} title="Could not invite" />
      </form>
    </Dialog>
  );
}

const INVITATION_STATUS: Record<string, { tone: Tone; label: string }> = {
  pending: { tone: "warning", label: "Pending" },
  accepted: { tone: "success", label: "Accepted" },
  revoked: { tone: "neutral", label: "Withdrawn" },
  expired: { tone: "neutral", label: "Expired" },
};

function InvitationStatus({ status }: { status: string }) {
  const s = INVITATION_STATUS[status];
  return s ? <Badge tone={s.tone}>{s.label}</Badge> : <StatusBadge status={status} />;
}

/** The organisation's invitations (admins only): who was asked, by whom, and whether they joined. */
function Invitations({ org, queryKey }: { org: string; queryKey: string[] }) {
  const invalidate = useInvalidate();
  const [withdrawing, setWithdrawing] = useState<Invitation | null>(null);
  const invitations = useQuery({
    queryKey,
    queryFn: () => unwrap(adminApi.GET("/api/v1/orgs/{org}/invitations", { params: { path: { org } } })),
  });
  return (
    <section aria-labelledby="invitations-heading">
      <h2 id="invitations-heading" className="section-title">
        Invitations
      </h2>
      <Async resource={invitations} loadingLabel="Loading invitations…">
        {(list) =>
          list.length === 0 ? (
            <EmptyState title="No invitations yet">
              Invite colleagues with “Invite member”: they join once they accept.
            </EmptyState>
          ) : (
            <TableScroll label="Invitations" className="card card-flush">
              <table className="table" data-testid="invitations">
                <caption className="visually-hidden">Invitations</caption>
                <thead>
                  <tr>
                    <th scope="col">Invited</th>
                    <th scope="col">Role</th>
                    <th scope="col">Status</th>
                    <th scope="col">Sent</th>
                    <th scope="col">Expires</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((i) => (
                    <tr key={i.id} className={i.status === "pending" ? undefined : "row-muted"}>
                      <td>
                        <div className="strong">{i.email}</div>
                        <div className="muted small">by {i.invited_by}</div>
                      </td>
                      <td>
                        <StatusBadge status={i.role} />
                      </td>
                      <td>
                        <InvitationStatus status={i.status} />
                      </td>
                      <td className="nowrap">{formatDate(i.created_at)}</td>
                      <td className="nowrap">{i.status === "pending" ? formatDateTime(i.expires_at) : "–"}</td>
                      <td className="row-actions">
                        {i.status === "pending" && (
                          <button
                            type="button"
                            className="button button-small button-danger-outline"
                            aria-label={`Withdraw the invitation of ${i.email}`}
                            onClick={() => setWithdrawing(i)}
                          >
                            Withdraw
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
      {withdrawing && (
        <ConfirmDialog
          title={`Withdraw the invitation of ${withdrawing.email}?`}
          confirmLabel="Withdraw"
          danger
          onClose={() => setWithdrawing(null)}
          onConfirm={async () => {
            await unwrap(
              adminApi.DELETE("/api/v1/orgs/{org}/invitations/{id}", { params: { path: { org, id: withdrawing.id } } }),
            );
            invalidate(queryKey);
          }}
        >
          <p>Its link stops working. You can invite them again later.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

/** Who may act here after which sign-in (admins only): password sign-in on or off, two factors for admins. */
function SignInPolicyCard() {
  const { org } = useOrg();
  const { reloadMe } = useAdmin();
  const [passwordLogin, setPasswordLogin] = useState(org.password_login);
  const [adminsNeedTotp, setAdminsNeedTotp] = useState(org.admins_need_totp);
  const [saved, setSaved] = useState(false);
  const methods = useQuery({ queryKey: ["auth-methods"], queryFn: () => unwrap(adminApi.GET("/api/v1/auth/methods")) });
  const sso = methods.data?.sso ?? null;
  const save = useSubmit(async () => {
    const updated = await unwrap(
      adminApi.PUT("/api/v1/orgs/{org}/sign-in-policy", {
        params: { path: { org: org.slug } },
        body: { password_login: passwordLogin, admins_need_totp: adminsNeedTotp },
      }),
    );
    setPasswordLogin(updated.password_login);
    setAdminsNeedTotp(updated.admins_need_totp);
    setSaved(true);
    reloadMe();
  });
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    void save.submit();
  }
  const passwordError = save.fieldError("password_login");
  const totpError = save.fieldError("admins_need_totp");
  return (
    <form className="card" onSubmit={onSubmit} noValidate aria-labelledby="sign-in-policy-heading">
      <h2 id="sign-in-policy-heading" className="card-title">
        Sign-in policy
      </h2>
      <p className="muted small">
        How members must have signed in to act in {org.name}. It takes effect on their next request.
      </p>
      <Switch
        label="Allow password sign-in"
        hint={
          sso ? (
            <>
              Off: members act here only after signing in with {sso.name}. Only an admin signed in with {sso.name} can turn
              it off, so nobody is locked out.
            </>
          ) : (
            <>Single sign-on is not configured on this server, so password sign-in stays on.</>
          )
        }
        checked={passwordLogin}
        onChange={(on) => {
          setPasswordLogin(on);
          setSaved(false);
        }}
      />
      {passwordError && <p className="field-error">{passwordError}</p>}
      <Switch
        label="Require two-factor sign-in for admins"
        hint="Admins who sign in with a password need two-factor sign-in on (single sign-on counts as enough). Turn it on for your own account first."
        checked={adminsNeedTotp}
        onChange={(on) => {
          setAdminsNeedTotp(on);
          setSaved(false);
        }}
      />
      {totpError && <p className="field-error">{totpError}</p>}
      <ProblemAlert error={save.error} shownFields={["password_login", "admins_need_totp"]} title="Could not change the sign-in policy" />
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={save.busy}>
          {save.busy ? "Saving…" : "Save sign-in policy"}
        </button>
        <span role="status" aria-live="polite" className="ok small">
          {saved && !save.error ? "Saved" : ""}
        </span>
      </div>
    </form>
  );
}

type MemberAction = "deactivate" | "reactivate" | "remove" | "reset-link";

const CONFIRM: Record<MemberAction, { title: (name: string) => string; label: string; danger: boolean }> = {
  deactivate: { title: (n) => `Deactivate ${n}?`, label: "Deactivate", danger: true },
  reactivate: { title: (n) => `Reactivate ${n}?`, label: "Reactivate", danger: false },
  remove: { title: (n) => `Remove ${n}?`, label: "Remove", danger: true },
  "reset-link": { title: (n) => `Create a password reset link for ${n}?`, label: "Create reset link", danger: false },
};

function confirmText(action: MemberAction, m: Member): string {
  switch (action) {
    case "remove":
      return "They lose access to this organisation. Their past actions stay in the audit log.";
    case "deactivate":
      return "They can no longer act in this organisation until reactivated.";
    case "reactivate":
      return "They can act in this organisation again, with their current role.";
    case "reset-link":
      return `A one-time link, valid for an hour, with which whoever opens it sets a new password for ${m.email}. You pass it on to them; once it is used, every session of the account ends.`;
  }
}

export function MembersPage() {
  useTitle("Members");
  const { org, isAdmin } = useOrg();
  const { me, reloadMe } = useAdmin();
  const [inviting, setInviting] = useState(false);
  const [invited, setInvited] = useState<InvitationSent | null>(null);
  const [resetLink, setResetLink] = useState<ResetLink | null>(null);
  const issued = useRef<ResetLink | null>(null);
  const [confirm, setConfirm] = useState<{ member: Member; action: MemberAction } | null>(null);
  const membersKey = ["org", org.slug, "members"];
  const invitationsKey = ["org", org.slug, "invitations"];
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
            <button type="button" className="button button-primary" onClick={() => setInviting(true)}>
              Invite member
            </button>
          )
        }
      />
      {invited?.delivery === "email" && (
        <Alert tone="success" title="Invitation sent" polite>
          <p>
            An e-mail with the link went to {invited.invitation.email}. It works once, until{" "}
            {formatDateTime(invited.invitation.expires_at)}.
          </p>
        </Alert>
      )}
      <ProblemAlert error={changeRole.error} title="Could not change the role" />
      <Async resource={members}>
        {(list) => (
          <TableScroll label="Members" className="card card-flush">
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
                          <RoleOptions />
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
                          {m.user_id !== me.user.id && (
                            <button
                              type="button"
                              className="button button-small"
                              aria-label={`Reset link for ${m.display_name}`}
                              onClick={() => setConfirm({ member: m, action: "reset-link" })}
                            >
                              Reset link
                            </button>
                          )}
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
          </TableScroll>
        )}
      </Async>
      {isAdmin && <Invitations org={org.slug} queryKey={invitationsKey} />}
      {isAdmin && <SignInPolicyCard />}
      {inviting && (
        <InviteDialog
          org={org.slug}
          onClose={() => setInviting(false)}
          onSent={(sent) => {
            setInviting(false);
            setInvited(sent);
            invalidate(invitationsKey);
          }}
        />
      )}
      {invited?.delivery === "link" && invited.accept_url && (
        <SecretDialog
          title="Invitation created"
          noun="invitation link"
          name={invited.invitation.email}
          secret={invited.accept_url}
          ifLost="withdraw the invitation and invite them again"
          onClose={() => setInvited(null)}
        >
          <p className="muted small">
            This server does not send e-mail, so pass the link on yourself. It works once, until{" "}
            {formatDateTime(invited.invitation.expires_at)}: whoever opens it joins {org.name} as{" "}
            {ROLE_LABELS[invited.invitation.role]}, with a new password, or with the password of their account on this
            server.
          </p>
        </SecretDialog>
      )}
      {resetLink && (
        <SecretDialog
          title="Reset link created"
          noun="reset link"
          name={resetLink.email}
          secret={resetLink.reset_url}
          ifLost="create a new one"
          onClose={() => setResetLink(null)}
        >
          <p className="muted small">
            It works once, until {formatDateTime(resetLink.expires_at)} (an hour): whoever opens it sets a new password for{" "}
            {resetLink.email}, and every session of the account ends.
          </p>
        </SecretDialog>
      )}
      {confirm && (
        <ConfirmDialog
          title={CONFIRM[confirm.action].title(confirm.member.display_name)}
          confirmLabel={CONFIRM[confirm.action].label}
          danger={CONFIRM[confirm.action].danger}
          errorTitle={confirm.action === "reset-link" ? "Could not create a reset link" : undefined}
          onClose={() => setConfirm(null)}
          onDone={() => {
            // One render closes this dialog and opens the link's (focus goes back to the member's row after it).
            setConfirm(null);
            setResetLink(issued.current);
            issued.current = null;
          }}
          onConfirm={async () => {
            const path = { org: org.slug, id: confirm.member.id };
            if (confirm.action === "reset-link") {
              issued.current = await unwrap(adminApi.POST("/api/v1/orgs/{org}/members/{id}/reset-link", { params: { path } }));
              return;
            }
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
          <p>{confirmText(confirm.action, confirm.member)}</p>
        </ConfirmDialog>
      )}
    </>
  );
}
