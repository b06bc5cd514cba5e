import { NavLink } from "react-router";
import { useOrg } from "../context";

/** Settings › Supplier Portal: its sections, as tabs (settings and tokens are for admins). */
export function PortalTabs({ org }: { org: string }) {
  const { isAdmin } = useOrg();
  const base = `/admin/${org}/settings/portal`;
  const tabs = [
    { to: base, label: "Settings", end: true, admin: true },
    { to: `${base}/tokens`, label: "Access Tokens", end: false, admin: true },
    { to: `${base}/access-requests`, label: "Access requests", end: false, admin: true },
    { to: `${base}/renewals`, label: "Renewal requests", end: false, admin: true },
    { to: `${base}/distribution`, label: "Distribution", end: false, admin: false },
    { to: `${base}/statistics`, label: "Statistics", end: false, admin: false },
  ].filter((t) => isAdmin || !t.admin);
  return (
    <nav className="tabs" aria-label="Supplier Portal sections">
      {tabs.map((t) => (
        <NavLink key={t.to} to={t.to} end={t.end} className={({ isActive }) => `tab${isActive ? " active" : ""}`}>
          {t.label}
        </NavLink>
      ))}
    </nav>
  );
}
