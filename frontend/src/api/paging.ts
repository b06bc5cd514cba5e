import { unwrap } from "./client";

// Keyset-paged lists (the customer portal's products and advisories): the body is a plain JSON
// array, and when there is a next page the answer carries `Link: </…?limit=50&cursor=…>; rel="next"`
// (RFC 8288). The client continues with that cursor and its own filters.

/** One page of a list, and the cursor of the next page (null: this is the last one). */
export interface Page<T> {
  items: T[];
  next: string | null;
}

/**
 * The target of the `rel="next"` link in a `Link` header (as written, usually a path with a query),
 * or null when there is none. Handles several links in one header, quoted or bare `rel` values,
 * several relation types in one `rel`, and commas or semicolons inside the `<…>` target.
 */
export function nextLink(header: string | null | undefined): string | null {
  if (!header) return null;
  // Each link-value: `<target>` then its parameters, up to the next `, <`.
  const link = /<([^>]*)>((?:\s*;\s*[^;,]+)*)/g;
  for (let m = link.exec(header); m; m = link.exec(header)) {
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(m[2] ?? "");
    const types = (rel?.[1] ?? rel?.[2] ?? "").toLowerCase().split(/\s+/);
    if (types.includes("next")) return m[1]!.trim();
  }
  return null;
}

/** The `cursor` of the next page named in a `Link` header, or null when there is no next page. */
export function nextCursor(header: string | null | undefined): string | null {
  const target = nextLink(header);
  if (target === null) return null;
  try {
    return new URL(target, "http://relative.invalid").searchParams.get("cursor");
  } catch {
    return null;
  }
}

type Outcome<D> = { data?: D; error?: unknown; response: Response };

/** `unwrap` for a paged list: its items and the next page's cursor from the `Link` header. */
export async function unwrapPage<T>(call: Promise<Outcome<T[]>>): Promise<Page<T>> {
  let response: Response | undefined;
  const items = await unwrap(
    call.then((outcome) => {
      response = outcome.response;
      return outcome;
    }),
  );
  return { items, next: nextCursor(response?.headers.get("Link")) };
}

/** At most this many pages are followed by `allPages` (with 200 a page: 10,000 items). */
export const MAX_PAGES = 50;

/**
 * Every item of a paged list, for what genuinely needs all of them (a product picker): follows the
 * next links from the first page until there is none, or until `maxPages` pages were read (or a
 * cursor repeats), so a misbehaving server cannot keep it asking for ever.
 */
export async function allPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
  maxPages = MAX_PAGES,
): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let n = 0; n < maxPages; n++) {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    if (!page.next || seen.has(page.next)) break;
    seen.add(page.next);
    cursor = page.next;
  }
  return items;
}
