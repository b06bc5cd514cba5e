import { lazy, Suspense } from "react";
import { Route } from "react-router";
import type { NavItem } from "../AdminLayout";
import { Loading } from "../../components/States";
import { PortalSettingsPage } from "./PortalSettingsPage";
import { AccessTokensPage } from "./AccessTokensPage";
import { DistributionPage } from "./DistributionPage";
import { PreviewPage } from "./PreviewPage";
import { TokenSubscriptionsPage } from "./TokenSubscriptionsPage";
import { RenewalRequestsPage } from "./RenewalRequestsPage";

// Screens an admin opens now and then load when first opened.
const AccessRequestsPage = lazy(() => import("./AccessRequestsPage").then((m) => ({ default: m.AccessRequestsPage })));
const TokenPage = lazy(() => import("./TokenPage").then((m) => ({ default: m.TokenPage })));

// The charts (Chart.js) load only when a statistics screen opens.
const StatisticsPage = lazy(() => import("./StatisticsPage").then((m) => ({ default: m.StatisticsPage })));

/** Settings › Supplier Portal in the sidebar: admins land on its settings, others on its statistics. */
export const portalNavItems: NavItem[] = [
  { to: "settings/portal", label: "Supplier Portal", adminOnly: true },
  { to: "settings/portal/statistics", label: "Supplier Portal", nonAdminOnly: true },
];

export function portalRoutes() {
  return (
    <>
      <Route path="settings/portal" element={<PortalSettingsPage />} />
      <Route path="settings/portal/tokens" element={<AccessTokensPage />} />
      <Route
        path="settings/portal/tokens/:id"
        element={
          <Suspense fallback={<Loading />}>
            <TokenPage />
          </Suspense>
        }
      />
      <Route path="settings/portal/tokens/:id/subscriptions" element={<TokenSubscriptionsPage />} />
      <Route path="settings/portal/renewals" element={<RenewalRequestsPage />} />
      <Route
        path="settings/portal/access-requests"
        element={
          <Suspense fallback={<Loading />}>
            <AccessRequestsPage />
          </Suspense>
        }
      />
      <Route path="settings/portal/tokens/:id/preview" element={<PreviewPage />} />
      <Route path="settings/portal/preview" element={<PreviewPage />} />
      <Route path="settings/portal/distribution" element={<DistributionPage />} />
      <Route
        path="settings/portal/statistics"
        element={
          <Suspense fallback={<Loading label="Loading statistics…" />}>
            <StatisticsPage />
          </Suspense>
        }
      />
    </>
  );
}
