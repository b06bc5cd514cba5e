import { portalApi, unwrap } from "../api/client";
import type { PortalLanding } from "../api/types";
import { useQuery } from "../hooks";
import { BrandMark } from "../components/Brand";

/**
 * What anyone may know about a portal before signing in (name, logo, description, contact, whether
 * it takes access requests). Public, private portals included: asking never answers 401.
 */
export function useLanding(slug: string, enabled = true) {
  const api = portalApi(slug);
  return useQuery({
    queryKey: ["portal", slug, "landing"],
    queryFn: () => unwrap(api.GET("/api/v1/portal/{slug}/landing", { params: { path: { slug } } })),
    enabled,
    staleTime: 5 * 60_000,
  });
}

/** The portal's logo when it has one, else the product mark (the name stands beside it). */
export function PortalLogo({ logoUrl, size = 40 }: { logoUrl?: string | null; size?: number }) {
  if (!logoUrl) return <BrandMark size={size} />;
  return <img className="portal-logo" src={logoUrl} alt="" height={size} data-testid="portal-logo" />;
}

/** Whose portal this is, on the sign-in and request-access pages: logo, name, description, contact. */
export function LandingIdentity({ landing, subtitle }: { landing: PortalLanding | undefined; subtitle?: string }) {
  return (
    <div className="landing-identity">
      <div className="brand">
        <PortalLogo logoUrl={landing?.logo_url} />
        <div>
          <div className="brand-name">{landing?.display_name ?? "Supplier Portal"}</div>
          <div className="brand-sub">{subtitle ?? "Security evidence for customers"}</div>
        </div>
      </div>
      {landing?.description && <p className="landing-description">{landing.description}</p>}
      {landing?.contact_email && (
        <p className="landing-contact small">
          Questions? <a href={`mailto:${landing.contact_email}`}>{landing.contact_email}</a>
        </p>
      )}
    </div>
  );
}
