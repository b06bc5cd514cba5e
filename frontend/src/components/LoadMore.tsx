import type { UseInfiniteQueryResult } from "@tanstack/react-query";
import { ProblemAlert } from "./Alert";

/**
 * The foot of a paged list: why the next page could not be read, and a button that reads it while
 * there is one ("Show more products", "Load older events").
 */
export function LoadMore({
  query,
  label,
}: {
  query: Pick<UseInfiniteQueryResult, "hasNextPage" | "isFetchingNextPage" | "isFetchNextPageError" | "error" | "fetchNextPage">;
  label: string;
}) {
  return (
    <>
      <ProblemAlert error={query.isFetchNextPageError ? query.error : null} />
      {query.hasNextPage && (
        <div className="center load-more">
          <button type="button" className="button" disabled={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
            {query.isFetchingNextPage ? "Loading…" : label}
          </button>
        </div>
      )}
    </>
  );
}
