import { Fragment } from "react";

/**
 * A URL that may wrap only after its slashes (and `?`, `&`), so a slug is never split in the
 * middle of a word. Its text content stays the URL itself.
 */
export function BreakableUrl({ url }: { url: string }) {
  const parts = url.split(/(?<=[/?&])/);
  return (
    <>
      {parts.map((p, i) => (
        <Fragment key={i}>
          {p}
          {i < parts.length - 1 && !(p.endsWith("/") && parts[i + 1]?.startsWith("/")) && <wbr />}
        </Fragment>
      ))}
    </>
  );
}
