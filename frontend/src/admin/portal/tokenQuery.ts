import { adminApi, unwrap } from "../../api/client";
import type { AccessTokenView } from "../../api/types";
import { useQuery, useQueryClient } from "../../hooks";

/** The cache key of one access token; its usage, preview and subscriptions live under it. */
export const tokenKey = (org: string, id: string) => ["org", org, "portal", "token", id] as const;

/**
 * One access token (`GET …/portal/tokens/{id}`), for its pages. What the token list already holds
 * shows at once while the token itself is asked for.
 */
export function useAccessToken(org: string, id: string, enabled = true) {
  const client = useQueryClient();
  return useQuery({
    queryKey: tokenKey(org, id),
    queryFn: () => unwrap(adminApi.GET("/api/v1/orgs/{org}/portal/tokens/{id}", { params: { path: { org, id } } })),
    enabled,
    placeholderData: () =>
      client.getQueryData<AccessTokenView[]>(["org", org, "portal", "tokens"])?.find((t) => t.id === id),
  });
}
