import { lazy, Suspense, useCallback, useMemo, useRef, useState, useSyncExternalStore, type FormEvent } from "react";
import { Link, Navigate, NavLink, Outlet, Route, Routes, useLocation, useNavigate, useParams } from "react-router";
import { portalApi, unwrap } from "../api/client";
import { ApiError } from "../api/problem";
import { portalSession } from "../api/session";
import { keepPreviousData, useQuery, useSessionScope } from "../hooks";
import { ErrorState, Loading } from "../components/States";
import { Alert } from "../components/Alert";
import { formatDate } from "../format";
import { TlpBadge } from "../components/Badge";
import { clearanceOf, tlpList, type PortalCaller } from "../api/types";
import { PortalContext, usePortal } from "./context";
import { PortalLogin } from "./PortalLogin";
import { PortalProducts } from "./PortalProducts";
import { PortalProductPage } from "./PortalProductPage";
import { PortalVersionPage } from "./PortalVersionPage";
import { PortalChecklistPage } from "./PortalChecklistPage";
import { PortalAdvisories } from "./PortalAdvisories";
import { PortalVulnerability } from "./PortalVulnerability";
import { PortalNotifications } from "./PortalNotifications";
import { PortalAccess } from "./PortalAccess";
import { PortalLogo, useLanding } from "./landing";

// Only visitors asking for access need the form.
const PortalRequestAccess = lazy(() => import("./PortalRequestAccess").then((m) => ({ default: m.PortalRequestAccess })));

export function usePortalToken(slug: string): string | null {
  const session = portalSession(slug);
  return useSyncExternalStore(
    (l) => session.subscribe(l),
    () => session.get(),
  );
}

function PortalNotFound() {
  return (
    <main className="centered-page">
      <div className="card narrow">
        <h1>Portal not found</h1>
        <p>There is no supplier portal at this address, or it is not open at the moment.</p>
        <p className="muted">Check the link you were given, or ask the manufacturer for the current one.</p>
      </div>
    </main>
  );
}

/** "Am I affected by CVE-…?" — a search box that opens the vulnerability's report. */
function CveSearch() {
  const { slug } = usePortal();
  const navigate = useNavigate();
  const [id, setId] = useState("");
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const v = id.trim();
    if (v) navigate(`/portal/${slug}/vulnerabilities/${encodeURIComponent(v)}`);
  }
  return (
    <form role="search" className="cve-search" onSubmit={onSubmit}>
      <label htmlFor="cve-search-input" className="cve-search-label">
        Am I affected by…
      </label>
      <div className="cve-search-row">
        <input
          id="cve-search-input"
          type="search"
          placeholder="CVE-2024-3094"
          className="mono"
          value={id}
          onChange={(e) => setId(e.target.value)}
          autoComplete="off"
          spellCheck={false}
        />
        <button type="submit" className="button button-primary">
          Check
        </button>
      </div>
    </form>
  );
}

/** "Cleared up to TLP:AMBER": what the signed-in customer may read (its labels in the tooltip). */
export function CallerClearance({ caller }: { caller: PortalCaller }) {
  const clearance = clearanceOf(caller.tlp_labels);
  if (!clearance) return null;
  const labels = caller.tlp_labels.filter((t) => t !== "unlabeled");
  const title = `You may read ${tlpList(labels)} documents${
    caller.tlp_labels.includes("unlabeled") ? ", and CSAF documents without a label" : ""
  }.`;
  return (
    <span className="portal-clearance small" title={title} data-testid="portal-clearance">
      Cleared up to <TlpBadge tlp={clearance} />
    </span>
  );
}

function PortalShell() {
  const { slug = "" } = useParams();
  const token = usePortalToken(slug);
  const location = useLocation();
  const navigate = useNavigate();
  const api = portalApi(slug);
  const wasPublic = useRef(false);
  // Whose portal this is, and whether it is private: asked first (it never answers 401), so a
  // visitor without a session goes straight to the sign-in page of a private portal.
  const landing = useLanding(slug);
  const visibility = landing.data?.visibility;
  const info = useQuery({
    queryKey: ["portal", slug, "info"],
    queryFn: () => unwrap(api.GET("/api/v1/portal/{slug}", { params: { path: { slug } } })),
    enabled: !!token || visibility === "public",
    // Signing in or out forgets the portal's queries: the header stays while it reloads.
    placeholderData: keepPreviousData,
  });
  if (visibility) wasPublic.current = visibility === "public";
  else if (info.data) wasPublic.current = info.data.visibility === "public";
  const signOut = useCallback(() => {
    // End the session on the server too (its JWT stops working at once), then forget it here.
    const finish = () => {
      portalSession(slug).signOut();
      if (!wasPublic.current) navigate(`/portal/${slug}/login?reason=signed-out`, { replace: true });
    };
    if (!portalSession(slug).get()) return finish();
    api.DELETE("/api/v1/portal/{slug}/session", { params: { path: { slug } } }).then(finish, finish);
  }, [slug, api, navigate]);
  const value = useMemo(
    () => (info.data ? { slug, api, info: info.data, signOut } : null),
    [slug, api, info.data, signOut],
  );

  const err = info.error ?? (!token && !info.data ? landing.error : null);
  if ((!token && visibility === "private") || (err instanceof ApiError && err.status === 401)) {
    const params = new URLSearchParams();
    const here = location.pathname + location.search;
    if (here !== `/portal/${slug}`) params.set("next", here);
    const qs = params.toString();
    return <Navigate to={`/portal/${slug}/login${qs ? `?${qs}` : ""}`} replace state={{ private: true }} />;
  }
  if (err instanceof ApiError && err.status === 404) return <PortalNotFound />;
  if (err && !info.data) {
    return (
      <main className="centered-page">
        <ErrorState
          error={err}
          onRetry={() => void (info.error ? info.refetch() : landing.refetch())}
          title="The portal could not be loaded"
        />
      </main>
    );
  }
  if (!value) return <Loading label="Opening the portal…" />;
  const p = value.info;
  const ended = !token ? portalSession(slug).endedReason : null;

  return (
    <PortalContext.Provider value={value}>
      <div className="portal">
        <a href="#portal-main" className="skip-link">
          Skip to content
        </a>
        <header className="portal-header">
          <div className="portal-header-inner">
            <div className="portal-identity">
              <Link to={`/portal/${slug}`} className="portal-name">
                <PortalLogo logoUrl={landing.data?.logo_url} size={32} />
                <span>{p.display_name}</span>
              </Link>
              {p.description && <p className="portal-description">{p.description}</p>}
              {p.contact_email && (
                <p className="portal-contact">
                  Questions? <a href={`mailto:${p.contact_email}`}>{p.contact_email}</a>
                </p>
              )}
            </div>
            <div className="portal-session">
              {p.caller.type === "access_token" ? (
                <>
                  <span className="small">
                    Signed in{p.caller.name ? ` as ${p.caller.name}` : ""}
                    {p.caller.expires_at && (
                      <span className="muted"> · access until {formatDate(p.caller.expires_at)}</span>
                    )}
                  </span>
                  <Link to={`/portal/${slug}/access`} className="button button-small button-on-dark">
                    Request renewal
                  </Link>
                  <CallerClearance caller={p.caller} />
                  <button type="button" className="button button-small button-on-dark" onClick={signOut}>
                    Sign out
                  </button>
                </>
              ) : (
                <Link to={`/portal/${slug}/login`} className="button button-small button-on-dark">
                  Sign in with an access token
                </Link>
              )}
            </div>
          </div>
          <nav className="portal-nav" aria-label="Portal">
            <div className="portal-nav-inner">
              <NavLink
                to={`/portal/${slug}`}
                end
                className={({ isActive }) =>
                  `portal-tab${isActive || location.pathname.startsWith(`/portal/${slug}/products/`) ? " active" : ""}`
                }
              >
                Products
              </NavLink>
              <NavLink
                to={`/portal/${slug}/advisories`}
                className={({ isActive }) => `portal-tab${isActive ? " active" : ""}`}
              >
                Security advisories
              </NavLink>
              {p.caller.type === "access_token" && (
                <>
                  <NavLink
                    to={`/portal/${slug}/notifications`}
                    className={({ isActive }) => `portal-tab${isActive ? " active" : ""}`}
                  >
                    Notifications
                  </NavLink>
                  <NavLink to={`/portal/${slug}/access`} className={({ isActive }) => `portal-tab${isActive ? " active" : ""}`}>
                    Your access
                  </NavLink>
                </>
              )}
            </div>
          </nav>
        </header>
        <main id="portal-main" className="portal-main" tabIndex={-1}>
          {ended && (
            <Alert tone="warning" polite title="Your access token session ended">
              {ended} You are now seeing only what this portal shows to everyone.
            </Alert>
          )}
          <CveSearch />
          <Outlet />
        </main>
        <footer className="portal-footer">
          <p>
            Evidence under the EU Cyber Resilience Act: SBOMs (Art. 13(6)), VEX statements and CSAF advisories (Art.
            13(12)). Downloads are logged.
          </p>
        </footer>
      </div>
    </PortalContext.Provider>
  );
}

export function PortalApp() {
  const { slug = "" } = useParams();
  // What the portal showed depends on who asked: forgotten when a customer signs in or out.
  useSessionScope(portalSession(slug), ["portal", slug]);
  return (
    <Routes>
      <Route path="login" element={<PortalLogin />} />
      <Route
        path="request-access"
        element={
          <Suspense fallback={<Loading />}>
            <PortalRequestAccess />
          </Suspense>
        }
      />
      <Route element={<PortalShell />}>
        <Route index element={<PortalProducts />} />
        <Route path="products/:product" element={<PortalProductPage />} />
        <Route path="products/:product/versions/:version" element={<PortalVersionPage />} />
        <Route path="products/:product/checklist" element={<PortalChecklistPage />} />
        <Route path="advisories" element={<PortalAdvisories />} />
        <Route path="vulnerabilities/:id" element={<PortalVulnerability />} />
        <Route path="notifications" element={<PortalNotifications />} />
        <Route path="access" element={<PortalAccess />} />
      </Route>
    </Routes>
  );
}
