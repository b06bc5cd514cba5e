import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from "react";

/**
 * A table's own horizontal scroll container. When the table is wider than its column (a phone),
 * it says so — a visible "scroll sideways" hint and a shadow on the cut edge — and becomes a
 * focusable, labelled region so keyboard users can scroll it too. The page itself never widens.
 */
export function TableScroll({
  label,
  className = "",
  children,
}: {
  /** What the table shows ("Artifacts"), for the scroll region's name. */
  label: string;
  className?: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const hintId = useId();
  const [state, setState] = useState({ overflowing: false, atStart: true, atEnd: true });

  const measure = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    const overflowing = el.scrollWidth - el.clientWidth > 1;
    const atStart = el.scrollLeft <= 1;
    const atEnd = el.scrollLeft + el.clientWidth >= el.scrollWidth - 1;
    setState((s) =>
      s.overflowing === overflowing && s.atStart === atStart && s.atEnd === atEnd ? s : { overflowing, atStart, atEnd },
    );
  }, []);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    measure();
    const ro = typeof ResizeObserver === "function" ? new ResizeObserver(() => measure()) : null;
    ro?.observe(el);
    const table = el.firstElementChild;
    if (table) ro?.observe(table);
    window.addEventListener("resize", measure);
    return () => {
      ro?.disconnect();
      window.removeEventListener("resize", measure);
    };
  }, [measure]);

  const classes = [
    "table-wrap",
    "table-scroll",
    className,
    state.overflowing ? "is-overflowing" : "",
    state.overflowing && !state.atStart ? "shadow-start" : "",
    state.overflowing && !state.atEnd ? "shadow-end" : "",
  ]
    .filter(Boolean)
    .join(" ");

  return (
    <>
      {state.overflowing && (
        <p className="scroll-hint small" id={hintId} data-testid="scroll-hint">
          <span aria-hidden="true">↔</span> Wider than the screen: scroll the table sideways to see every column
          {state.atEnd ? "" : " →"}
        </p>
      )}
      <div
        ref={ref}
        className={classes}
        onScroll={measure}
        {...(state.overflowing
          ? { tabIndex: 0, role: "region", "aria-label": `${label} (scrolls sideways)`, "aria-describedby": hintId }
          : {})}
      >
        {children}
      </div>
    </>
  );
}
