/** Addresses of the console's pages, for links from elsewhere (the overview, the audit log, requests). */

/** A product's page: its versions, checklist and settings. */
export function productPath(org: string, product: string): string {
  return `/admin/${org}/products/${encodeURIComponent(product)}`;
}

export function versionPath(org: string, product: string, version: string): string {
  return `${productPath(org, product)}/versions/${encodeURIComponent(version)}`;
}

export function artifactPath(org: string, id: string): string {
  return `/admin/${org}/artifacts/${encodeURIComponent(id)}`;
}

/** An access token's page: its facts, edit and revoke, usage and subscriptions. */
export function tokenPath(org: string, id: string): string {
  return `/admin/${org}/settings/portal/tokens/${encodeURIComponent(id)}`;
}

export function accessRequestsPath(org: string, status?: "pending" | "approved" | "declined"): string {
  return `/admin/${org}/settings/portal/access-requests${status ? `?status=${status}` : ""}`;
}

export function renewalRequestsPath(org: string): string {
  return `/admin/${org}/settings/portal/renewals`;
}
