import { useEffect, useMemo, useState } from "react";
import { Link, NavLink, Outlet, useLocation, useNavigate, useParams } from "react-router";
import { useAdmin, OrgContext, type OrgContextValue } from "./context";
import { BrandMark } from "../components/Brand";
import { StatusBadge } from "../components/Badge";
import { portalNavItems } from "./portal/routes";
import { CrumbRootContext } from "../components/PageHeader";

export interface NavItem {
  to: string;
  label: string;
  adminOnly?: boolean;
  nonAdminOnly?: boolean;
}

const HOME: NavItem[] = [{ to: "overview", label: "Overview" }];

const CATALOGUE: NavItem[] = [
  { to: "products", label: "Products" },
  { to: "artifacts", label: "Artifacts" },
];

const RESPONSE: NavItem[] = [
  { to: "vulnerabilities", label: "Vulnerabilities" },
  { to: "notifications", label: "Notifications" },
];

const SETTINGS: NavItem[] = [
  ...portalNavItems,
  { to: "settings/members", label: "Members" },
  { to: "settings/api-keys", label: "API Keys", adminOnly: true },
  { to: "settings/checklist-template", label: "Checklist template", adminOnly: true },
  { to: "settings/audit-log", label: "Audit Log" },
];

/** Whether `path` is `base` or below it. */
function within(path: string, base: string): boolean {
  const p = path.replace(/\/+$/, "");
  return p === base || p.startsWith(`${base}/`);
}

/**
 * The sidebar item to highlight: the one the page's breadcrumb starts from when it names one,
 * else the one whose address is the longest prefix of the current path.
 */
export function activeNavItem(items: readonly string[], pathname: string, crumbRoot: string | null): string | null {
  const target = crumbRoot ?? pathname;
  let best: string | null = null;
  for (const to of items) {
    if (within(target, to) && (best === null || to.length > best.length)) best = to;
  }
  return best;
}

function NavSection({
  title,
  items,
  isAdmin,
  base,
  active,
}: {
  /** The section's heading; none for the console's home. */
  title?: string;
  items: NavItem[];
  isAdmin: boolean;
  base: string;
  active: string | null;
}) {
  const visible = items.filter((i) => (isAdmin ? !i.nonAdminOnly : !i.adminOnly));
  if (visible.length === 0) return null;
  return (
    <div className="nav-section">
      {title && <h2 className="nav-title">{title}</h2>}
      <ul>
        {visible.map((i) => {
          const on = active === `${base}/${i.to}`;
          return (
            <li key={i.to}>
              <Link to={`${base}/${i.to}`} className={`nav-link${on ? " active" : ""}`} aria-current={on ? "page" : undefined}>
                {i.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** The console's frame: a sidebar (a drawer on phones) and the current screen. */
export function AdminLayout() {
  const { me, signOut } = useAdmin();
  const { org: orgSlug } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const [crumbRoot, setCrumbRoot] = useState<string | null>(null);

  useEffect(() => setMenuOpen(false), [location.pathname]);

  const membership = me.memberships.find((m) => m.organization.slug === orgSlug);
  const value = useMemo<OrgContextValue | null>(
    () =>
      membership
        ? {
            org: membership.organization,
            role: membership.role,
            canPublish: membership.role === "admin" || membership.role === "publisher",
            isAdmin: membership.role === "admin",
          }
        : null,
    [membership],
  );

  if (!value) {
    return (
      <main className="centered-page">
        <div className="card narrow">
          <h1>Not a member</h1>
          <p>
            You are not a member of <code>{orgSlug}</code>.
          </p>
          <button type="button" className="button" onClick={() => navigate("/admin", { replace: true })}>
            Go to your organisation
          </button>
        </div>
      </main>
    );
  }

  const base = `/admin/${value.org.slug}`;
  const allItems = [...HOME, ...CATALOGUE, ...RESPONSE, ...SETTINGS]
    .filter((i) => (value.isAdmin ? !i.nonAdminOnly : !i.adminOnly))
    .map((i) => `${base}/${i.to}`);
  const active = activeNavItem(allItems, location.pathname, crumbRoot);

  return (
    <OrgContext.Provider value={value}>
      <CrumbRootContext.Provider value={setCrumbRoot}>
      <div className={`shell${menuOpen ? " menu-open" : ""}`}>
        <a href="#main" className="skip-link">
          Skip to content
        </a>
        <header className="topbar">
          <button
            type="button"
            className="icon-button menu-button"
            aria-expanded={menuOpen}
            aria-controls="sidebar"
            aria-label={menuOpen ? "Close menu" : "Open menu"}
            onClick={() => setMenuOpen((o) => !o)}
          >
            <svg viewBox="0 0 24 24" aria-hidden="true" className="icon">
              {menuOpen ? <path d="M6 6l12 12M18 6L6 18" /> : <path d="M4 7h16M4 12h16M4 17h16" />}
            </svg>
          </button>
          <span className="topbar-title">
            <BrandMark size={22} /> {value.org.name}
          </span>
        </header>
        <aside id="sidebar" className="sidebar" aria-label="Console navigation">
          <div className="sidebar-brand">
            <BrandMark />
            <div>
              <div className="brand-name">Supplier Portal</div>
              {me.memberships.length > 1 ? (
                <select
                  className="org-switch"
                  aria-label="Organisation"
                  value={value.org.slug}
                  onChange={(e) => navigate(`/admin/${e.target.value}/overview`)}
                >
                  {me.memberships.map((m) => (
                    <option key={m.organization.slug} value={m.organization.slug}>
                      {m.organization.name}
                    </option>
                  ))}
                </select>
              ) : (
                <div className="brand-sub">{value.org.name}</div>
              )}
            </div>
          </div>
          <nav aria-label="Main">
            <NavSection items={HOME} isAdmin={value.isAdmin} base={base} active={active} />
            <NavSection title="Catalogue" items={CATALOGUE} isAdmin={value.isAdmin} base={base} active={active} />
            <NavSection title="Response" items={RESPONSE} isAdmin={value.isAdmin} base={base} active={active} />
            <NavSection title="Settings" items={SETTINGS} isAdmin={value.isAdmin} base={base} active={active} />
          </nav>
          <div className="sidebar-user">
            <NavLink to="account" className="user-link">
              <span className="avatar" aria-hidden="true">
                {me.user.display_name.slice(0, 1).toUpperCase()}
              </span>
              <span className="user-text">
                <span className="user-name">{me.user.display_name}</span>
                <span className="user-email">{me.user.email}</span>
              </span>
            </NavLink>
            <div className="user-row">
              <StatusBadge status={value.role} />
              <button type="button" className="button button-small" onClick={() => void signOut()}>
                Sign out
              </button>
            </div>
          </div>
        </aside>
        <div className="scrim" aria-hidden="true" onClick={() => setMenuOpen(false)} />
        <main id="main" className="main" tabIndex={-1}>
          <Outlet />
        </main>
      </div>
      </CrumbRootContext.Provider>
    </OrgContext.Provider>
  );
}
