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

/**
 * Text that may be a long e-mail address (an audit event's actor): it may wrap after the `@` and
 * before each dot, never inside a name. Other text is left as it is.
 */
export function BreakableEmail({ text }: { text: string }) {
  if (!/^[^\s@]+@[^\s@]+$/.test(text)) return <>{text}</>;
  const parts = text.split(/(?<=@)|(?=\.)/);
  return (
    <>
      {parts.map((p, i) => (
        <Fragment key={i}>
          {i > 0 && <wbr />}
          {p}
        </Fragment>
      ))}
    </>
  );
}
