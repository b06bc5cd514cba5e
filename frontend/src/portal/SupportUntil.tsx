import { formatDate } from "../format";

/** A version's support period for customers: "Supported until 31 Dec 2030" (or "Until …" in a labelled spot). */
export function SupportUntil({ value, short }: { value: string | null | undefined; short?: boolean }) {
  if (!value) return <span className="muted small">{short ? "Not stated" : "Support period not stated"}</span>;
  const ended = value < new Date().toISOString().slice(0, 10);
  const words = ended ? (short ? "Ended " : "Support ended ") : short ? "Until " : "Supported until ";
  return (
    <span className={ended ? "text-warning" : short ? undefined : "muted"}>
      {words}
      {formatDate(value)}
    </span>
  );
}
