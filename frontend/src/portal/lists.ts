import type { Api } from "../api/client";
import { allPages, unwrapPage, type Page } from "../api/paging";
import type { PortalAdvisory, PortalProduct } from "../api/types";
import type { InfiniteData } from "@tanstack/react-query";
import { keepPreviousData, useInfiniteQuery, useQuery } from "../hooks";
import { usePortal } from "./context";

// The customer portal's paged lists: products and advisories come a page at a time (`limit`,
// `cursor`, the next page in the `Link` header). Screens show them page by page ("Show more…");
// what needs every product (a picker, the versions of one product) reads them all, once, here.

/** Filters of the advisory list; kept on every page. */
export interface AdvisoryFilter {
  product?: string;
  cve?: string;
}

/** Products per request when every product is needed (the most the server gives at once). */
const ALL_LIMIT = 200;

export function portalProductsPage(api: Api, slug: string, cursor?: string, limit?: number): Promise<Page<PortalProduct>> {
  return unwrapPage(api.GET("/api/v1/portal/{slug}/products", { params: { path: { slug }, query: { cursor, limit } } }));
}

export function portalAdvisoriesPage(api: Api, slug: string, filter: AdvisoryFilter, cursor?: string): Promise<Page<PortalAdvisory>> {
  return unwrapPage(
    api.GET("/api/v1/portal/{slug}/advisories", { params: { path: { slug }, query: { ...filter, cursor } } }),
  );
}

/** Every product the reader may see (all pages, bounded), e.g. for a product picker. */
export function allPortalProducts(api: Api, slug: string): Promise<PortalProduct[]> {
  return allPages((cursor) => portalProductsPage(api, slug, cursor, ALL_LIMIT));
}

/** The cache key of every product at once (`usePortalProducts`). */
export const allProductsKey = (slug: string) => ["portal", slug, "products", "all"] as const;

/** Every product the reader may see, for pickers and lookups (not for showing the list itself). */
export function usePortalProducts({ enabled = true }: { enabled?: boolean } = {}) {
  const { slug, api } = usePortal();
  return useQuery({ queryKey: allProductsKey(slug), queryFn: () => allPortalProducts(api, slug), enabled });
}

/** What every paged list shares: it starts without a cursor, continues with the next one, and
 *  shows its pages' items in order as one list. */
const paged = {
  initialPageParam: undefined as string | undefined,
  getNextPageParam: (page: Page<unknown>) => page.next ?? undefined,
};
const flatten = <T>(data: InfiniteData<Page<T>>) => data.pages.flatMap((p) => p.items);

/** The products a page at a time: the first page, then the next on `fetchNextPage` ("Show more products"). */
export function usePortalProductPages() {
  const { slug, api } = usePortal();
  return useInfiniteQuery({
    queryKey: ["portal", slug, "products", "pages"],
    queryFn: ({ pageParam }) => portalProductsPage(api, slug, pageParam),
    ...paged,
    select: flatten,
  });
}

/** The advisories matching `filter`, a page at a time; each next page keeps the filter. */
export function usePortalAdvisoryPages(filter: AdvisoryFilter) {
  const { slug, api } = usePortal();
  return useInfiniteQuery({
    queryKey: ["portal", slug, "advisories", filter],
    queryFn: ({ pageParam }) => portalAdvisoriesPage(api, slug, filter, pageParam),
    ...paged,
    select: flatten,
    placeholderData: keepPreviousData,
  });
}
