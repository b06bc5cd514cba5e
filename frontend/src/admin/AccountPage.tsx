import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { adminApi, unwrap } from "../api/client";
import { adminSession } from "../api/session";
import type { SessionView } from "../api/types";
import { useQuery, useQueryClient, useSubmit, useTitle } from "../hooks";
import { useAdmin } from "./context";
import { PageHeader } from "../components/PageHeader";
import { Badge, StatusBadge } from "../components/Badge";
import { Fact, FactList } from "../components/Facts";
import { Alert, ProblemAlert } from "../components/Alert";
import { Async, EmptyState } from "../components/States";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { TableScroll } from "../components/TableScroll";
import { TwoFactorSection } from "./TwoFactorSection";
import { NewPasswordFields, PasswordField, useNewPassword } from "./AccountFields";
import { describeUserAgent, formatDate, formatDateTime, formatRelative } from "../format";

const PASSWORD_FIELDS = ["current_password", "new_password"];

/** Changes the signed-in user's password; the server signs every other session out. */
function ChangePasswordForm({ email, onChanged }: { email: string; onChanged: () => void }) {
  const [current, setCurrent] = useState("");
  const password = useNewPassword("The new passwords do not match.");
  const [done, setDone] = useState(false);
  const change = useSubmit(async () => {
    await unwrap(adminApi.POST("/api/v1/me/password", { body: { current_password: current, new_password: password.next } }));
    setCurrent("");
    password.clear();
    setDone(true);
    onChanged();
  });

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setDone(false);
    change.submitIf(password.check());
  }

  return (
    <section className="card" aria-labelledby="password-heading">
      <h2 id="password-heading" className="card-title">
        Change password
      </h2>
      <form onSubmit={onSubmit} noValidate aria-labelledby="password-heading">
        {/* Lets password managers tie the new password to the account. */}
        <input type="text" name="username" autoComplete="username" hidden readOnly value={email} />
        <div className="form-grid">
          <PasswordField
            label="Current password"
            error={change.fieldError("current_password")}
            name="current_password"
            autoComplete="current-password"
            value={current}
            onChange={setCurrent}
          />
          <NewPasswordFields password={password} error={change.fieldError("new_password")} />
        </div>
        <ProblemAlert error={change.error} shownFields={PASSWORD_FIELDS} title="Could not change the password" />
        {done && !change.error && (
          <Alert tone="success" title="Password changed">
            Your other sessions were signed out: other browsers and devices must sign in again with the new password.
            This session stays signed in.
          </Alert>
        )}
        <button type="submit" className="button button-primary" disabled={change.busy}>
          {change.busy ? "Changing…" : "Change password"}
        </button>
      </form>
    </section>
  );
}

function SessionsTable({ sessions, onEnded }: { sessions: SessionView[]; onEnded: (id: string) => void }) {
  const [ending, setEnding] = useState<string | null>(null);
  const end = useSubmit(async (s: SessionView) => {
    setEnding(s.id);
    try {
      await unwrap(adminApi.DELETE("/api/v1/me/sessions/{id}", { params: { path: { id: s.id } } }));
      onEnded(s.id);
    } finally {
      setEnding(null);
    }
  });
  // The current session first, then the newest.
  const rows = [...sessions].sort((a, b) => Number(b.current) - Number(a.current) || b.created_at.localeCompare(a.created_at));
  if (rows.length === 0) return <EmptyState title="No open sessions" />;
  return (
    <>
      <ProblemAlert error={end.error} title="Could not sign that session out" />
      <TableScroll label="Your sessions" className="card card-flush">
        <table className="table" data-testid="sessions">
          <caption className="visually-hidden">Your sessions</caption>
          <thead>
            <tr>
              <th scope="col">Opened</th>
              <th scope="col">Expires</th>
              <th scope="col">Address</th>
              <th scope="col">Browser</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((s) => {
              const browser = describeUserAgent(s.user_agent);
              return (
                <tr key={s.id} data-session={s.id}>
                  <td className="nowrap">
                    {formatDateTime(s.created_at)}
                    <div className="muted small">{formatRelative(s.created_at)}</div>
                  </td>
                  <td className="nowrap">{formatDateTime(s.expires_at)}</td>
                  <td className="mono small">{s.ip || <span className="muted">Unknown</span>}</td>
                  <td>
                    <span title={s.user_agent ?? undefined}>{browser}</span>
                  </td>
                  <td className="row-actions">
                    {s.current ? (
                      <Badge tone="accent" title="The session you are using now">
                        This session
                      </Badge>
                    ) : (
                      <button
                        type="button"
                        className="button button-small button-danger-outline"
                        aria-label={`Sign out ${browser}, opened ${formatDateTime(s.created_at)}`}
                        disabled={ending !== null}
                        onClick={() => void end.submit(s)}
                      >
                        {ending === s.id ? "Signing out…" : "Sign out"}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}

/** Who am I: the signed-in user, their role in each organisation, their password, second factor and sessions. */
export function AccountPage() {
  useTitle("Your account");
  const { me, reloadMe, signOut } = useAdmin();
  const navigate = useNavigate();
  const [everywhere, setEverywhere] = useState(false);
  const sessions = useQuery({ queryKey: ["me", "sessions"], queryFn: () => unwrap(adminApi.GET("/api/v1/me/sessions")) });
  const client = useQueryClient();

  async function signOutEverywhere() {
    await unwrap(adminApi.POST("/api/v1/auth/logout-everywhere"));
    // Every session has ended, this one included: forget it as signing out does.
    adminSession.signOut();
    navigate("/admin/login?reason=signed-out", { replace: true });
  }

  return (
    <>
      <PageHeader
        title="Your account"
        actions={
          <button type="button" className="button" onClick={() => void signOut()}>
            Sign out
          </button>
        }
      />
      <div className="grid-2">
        <section className="card" aria-labelledby="me-heading">
          <h2 id="me-heading" className="card-title">
            Signed in as
          </h2>
          <FactList>
            <Fact label="Name">{me.user.display_name}</Fact>
            <Fact label="E-mail">{me.user.email}</Fact>
            <Fact label="Account created">{formatDate(me.user.created_at)}</Fact>
          </FactList>
        </section>
        <section className="card" aria-labelledby="orgs-heading">
          <h2 id="orgs-heading" className="card-title">
            Organisations
          </h2>
          <ul className="plain-list spaced">
            {me.memberships.map((m) => (
              <li key={m.organization.id} className="row-between">
                <Link to={`/admin/${m.organization.slug}/overview`}>{m.organization.name}</Link>
                <StatusBadge status={m.role} />
              </li>
            ))}
          </ul>
        </section>
      </div>
      <ChangePasswordForm email={me.user.email} onChanged={() => void client.invalidateQueries({ queryKey: ["me", "sessions"] })} />
      <TwoFactorSection enabled={me.totp_enabled} email={me.user.email} onChanged={reloadMe} />
      <section aria-labelledby="sessions-heading">
        <div className="row-between wrap">
          <div>
            <h2 id="sessions-heading" className="section-title">
              Your sessions
            </h2>
            <p className="muted small">
              Where your account is signed in. Sign out a browser you no longer use, or one you do not recognise.
            </p>
          </div>
          <button type="button" className="button button-danger-outline" onClick={() => setEverywhere(true)}>
            Sign out everywhere
          </button>
        </div>
        <Async resource={sessions} loadingLabel="Loading your sessions…">
          {(list) => (
            <SessionsTable
              sessions={list}
              onEnded={(id) => client.setQueryData(["me", "sessions"], list.filter((s) => s.id !== id))}
            />
          )}
        </Async>
      </section>
      {everywhere && (
        <ConfirmDialog
          title="Sign out everywhere?"
          confirmLabel="Sign out everywhere"
          danger
          errorTitle="Could not sign out everywhere"
          onClose={() => setEverywhere(false)}
          onConfirm={signOutEverywhere}
          onDone={() => {}}
        >
          <p>
            Every session of your account ends at once, this one included: every browser and device, here too, must sign
            in again.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
