import { lazy, Suspense, useCallback, useMemo, useSyncExternalStore, type ReactNode } from "react";
import { Navigate, Outlet, Route, Routes, useLocation } from "react-router";
import { adminApi, unwrap } from "../api/client";
import { adminSession } from "../api/session";
import { useInvalidate, useQuery, useSessionScope } from "../hooks";
import { ErrorState, Loading } from "../components/States";
import { AdminContext, useAdmin } from "./context";
import { SetupPage } from "./SetupPage";
import { LoginPage } from "./LoginPage";
import { SsoPage } from "./SsoPage";
import { InvitationPage } from "./InvitationPage";
import { ResetPasswordPage } from "./ResetPasswordPage";
import { AdminLayout } from "./AdminLayout";
import { OverviewPage } from "./OverviewPage";
import { ProductsPage } from "./ProductsPage";
import { ProductPage } from "./ProductPage";
import { VersionPage } from "./VersionPage";
import { ArtifactsPage } from "./ArtifactsPage";
import { ArtifactPage } from "./ArtifactPage";
import { MembersPage } from "./MembersPage";
import { ApiKeysPage } from "./ApiKeysPage";
import { AccountPage } from "./AccountPage";
import { AuditLogPage } from "./AuditLogPage";
import { ChecklistPage } from "./ChecklistPage";
import { ChecklistTemplatePage } from "./ChecklistTemplatePage";
import { NotFound } from "../NotFound";
import { portalRoutes } from "./portal/routes";

// The vulnerability response screens load when first opened.
const VulnerabilitiesPage = lazy(() => import("./vulnerabilities/VulnerabilitiesPage").then((m) => ({ default: m.VulnerabilitiesPage })));
const VulnerabilityPage = lazy(() => import("./vulnerabilities/VulnerabilityPage").then((m) => ({ default: m.VulnerabilityPage })));
const NotificationsPage = lazy(() => import("./vulnerabilities/NotificationsPage").then((m) => ({ default: m.NotificationsPage })));

function Lazy({ children }: { children: ReactNode }) {
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
}

export function useAdminToken(): string | null {
  return useSyncExternalStore(
    (l) => adminSession.subscribe(l),
    () => adminSession.get(),
  );
}

/** Sends the user to sign in (or to first-run setup) when there is no session. */
function RequireSession() {
  const token = useAdminToken();
  const location = useLocation();

  const me = useQuery({ queryKey: ["me"], queryFn: () => unwrap(adminApi.GET("/api/v1/me")), enabled: !!token });
  const invalidate = useInvalidate();
  const reloadMe = useCallback(() => invalidate(["me"]), [invalidate]);
  const signOut = useCallback(async () => {
    try {
      await adminApi.POST("/api/v1/auth/logout");
    } catch {
      /* signing out locally is what matters */
    }
    adminSession.signOut();
  }, []);

  const value = useMemo(() => (me.data ? { me: me.data, reloadMe, signOut } : null), [me.data, reloadMe, signOut]);

  if (!token) {
    // No session, or the server just refused it (a 401 on any call ends it: expired, or signed
    // out elsewhere): sign in, then come back here.
    const params = new URLSearchParams();
    if (adminSession.endedReason) params.set("reason", "expired");
    else if (adminSession.signedOut) params.set("reason", "signed-out");
    const here = location.pathname + location.search;
    if (here !== "/admin" && here !== "/admin/" && !adminSession.signedOut) params.set("next", here);
    const qs = params.toString();
    return <Navigate to={`/admin/login${qs ? `?${qs}` : ""}`} replace />;
  }
  if (me.error && !me.data) {
    return (
      <main className="centered-page">
        <ErrorState error={me.error} onRetry={() => void me.refetch()} title="Could not load your account" />
      </main>
    );
  }
  if (!value) return <Loading label="Loading your account…" />;
  return (
    <AdminContext.Provider value={value}>
      <Outlet />
    </AdminContext.Provider>
  );
}

/** `/admin` → the overview of the first organisation the user belongs to. */
function OrgRedirect() {
  const { me } = useAdmin();
  const first = me.memberships[0];
  if (!first) {
    return (
      <main className="centered-page">
        <div className="card narrow">
          <h1>No organisation</h1>
          <p>Your account is not a member of any organisation. Ask an administrator to invite you.</p>
        </div>
      </main>
    );
  }
  return <Navigate to={`/admin/${first.organization.slug}/overview`} replace />;
}

export function AdminApp() {
  // What the console loaded belongs to the signed-in user: forgotten when they sign out or another signs in.
  useSessionScope(adminSession, ["me"], ["org"]);
  return (
    <Routes>
      <Route path="setup" element={<SetupPage />} />
      <Route path="login" element={<LoginPage />} />
      <Route path="sso" element={<SsoPage />} />
      <Route path="invitation" element={<InvitationPage />} />
      <Route path="reset-password" element={<ResetPasswordPage />} />
      <Route element={<RequireSession />}>
        <Route index element={<OrgRedirect />} />
        <Route path=":org" element={<AdminLayout />}>
          <Route index element={<Navigate to="overview" replace />} />
          <Route path="overview" element={<OverviewPage />} />
          <Route path="products" element={<ProductsPage />} />
          <Route path="products/:product" element={<ProductPage />} />
          <Route path="products/:product/versions/:version" element={<VersionPage />} />
          <Route path="products/:product/checklist" element={<ChecklistPage />} />
          <Route path="artifacts" element={<ArtifactsPage />} />
          <Route path="artifacts/:id" element={<ArtifactPage />} />
          <Route path="vulnerabilities" element={<Lazy><VulnerabilitiesPage /></Lazy>} />
          <Route path="vulnerabilities/:id" element={<Lazy><VulnerabilityPage /></Lazy>} />
          <Route path="notifications" element={<Lazy><NotificationsPage /></Lazy>} />
          <Route path="settings/members" element={<MembersPage />} />
          <Route path="settings/api-keys" element={<ApiKeysPage />} />
          <Route path="settings/audit-log" element={<AuditLogPage />} />
          <Route path="settings/checklist-template" element={<ChecklistTemplatePage />} />
          {portalRoutes()}
          <Route path="account" element={<AccountPage />} />
          <Route path="*" element={<NotFound inline />} />
        </Route>
      </Route>
    </Routes>
  );
}
