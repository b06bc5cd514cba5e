import { createContext, useContext, useEffect, type ReactNode } from "react";
import { Link } from "react-router";

/**
 * Lets a page's breadcrumb tell the console's sidebar which section it belongs to (the first
 * crumb's link), so the two never disagree: an artifact reached from Artifacts still reads
 * Products › Router › 2.0 › file, and the sidebar then highlights Products.
 */
export const CrumbRootContext = createContext<((root: string | null) => void) | null>(null);

export interface Crumb {
  label: string;
  to?: string;
}

export function PageHeader({
  title,
  subtitle,
  actions,
  crumbs,
  badges,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  actions?: ReactNode;
  crumbs?: Crumb[];
  badges?: ReactNode;
}) {
  const setRoot = useContext(CrumbRootContext);
  const root = crumbs?.[0]?.to ?? null;
  useEffect(() => {
    if (!setRoot) return;
    setRoot(root);
    return () => setRoot(null);
  }, [setRoot, root]);
  return (
    <header className="page-header">
      {crumbs && crumbs.length > 0 && (
        <nav aria-label="Breadcrumb" className="crumbs">
          <ol>
            {crumbs.map((c, i) => (
              <li key={i}>{c.to ? <Link to={c.to}>{c.label}</Link> : <span aria-current="page">{c.label}</span>}</li>
            ))}
          </ol>
        </nav>
      )}
      <div className="page-header-row">
        <div className="page-header-text">
          <h1 className="page-title">
            {title} {badges}
          </h1>
          {subtitle && <div className="page-subtitle">{subtitle}</div>}
        </div>
        {actions && <div className="page-actions">{actions}</div>}
      </div>
    </header>
  );
}
