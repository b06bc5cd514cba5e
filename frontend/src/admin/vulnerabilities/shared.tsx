import { Badge, type Tone } from "../../components/Badge";
import { ASSESSMENT_STATUSES, type Clock, type StatusCounts } from "../../api/types";
import { formatDateTime } from "../../format";

/** "2 d 4 h", "5 h 10 min", "12 min": a duration in the two largest units that matter. */
export function formatDuration(seconds: number): string {
  const s = Math.abs(Math.round(seconds));
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  return `${Math.max(minutes, s > 0 ? 1 : 0)} min`;
}

/** A clock in words and colour: met (green), done late, due in … (amber within a day), overdue (red), not started. */
export function clockState(c: Clock): { tone: Tone; text: string } {
  switch (c.state) {
    case "met":
      return { tone: "success", text: "Met" };
    case "missed":
      return { tone: "warning", text: "Met late" };
    case "overdue":
      return {
        tone: "danger",
        text: c.due_in_seconds !== null && c.due_in_seconds !== undefined ? `Overdue by ${formatDuration(c.due_in_seconds)}` : "Overdue",
      };
    case "due": {
      const secs = c.due_in_seconds;
      if (secs === null || secs === undefined) return { tone: "info", text: "Due" };
      return { tone: secs < 86400 ? "warning" : "info", text: `Due in ${formatDuration(secs)}` };
    }
    case "pending":
      return { tone: "neutral", text: "Not started" };
    default:
      return { tone: "neutral", text: c.state };
  }
}

function clockTitle(c: Clock): string {
  if (c.done_at) return `${c.label}: done ${formatDateTime(c.done_at)}${c.due_at ? ` (due ${formatDateTime(c.due_at)})` : ""}`;
  if (c.due_at) return `${c.label}: due ${formatDateTime(c.due_at)}`;
  return `${c.label}: starts once a fix is published`;
}

export function ClockBadge({ clock }: { clock: Clock }) {
  const { tone, text } = clockState(clock);
  return (
    <span className={`clock clock-${clock.state}`} data-clock={clock.name} data-state={clock.state}>
      <Badge tone={tone} title={clockTitle(clock)}>
        {text}
      </Badge>
    </span>
  );
}

/** Every clock of a vulnerability: its name and its state. */
export function ClockList({ clocks, compact }: { clocks: Clock[]; compact?: boolean }) {
  if (clocks.length === 0) return <span className="muted">–</span>;
  return (
    <ul className={`clock-list${compact ? " clock-list-compact" : ""}`} aria-label="Clocks">
      {clocks.map((c) => (
        <li key={c.name}>
          <span className="clock-label">{c.label}</span> <ClockBadge clock={c} />
          {!compact && (
            <span className="muted small">
              {" "}
              {c.done_at ? `done ${formatDateTime(c.done_at)}` : c.due_at ? `due ${formatDateTime(c.due_at)}` : ""}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

/** "2 affected · 1 fixed · 3 not affected": the versions assessed, by status (zeros left out). */
export function CountsLine({ counts }: { counts: StatusCounts }) {
  const parts = ASSESSMENT_STATUSES.filter((s) => counts[s.value] > 0);
  if (parts.length === 0) return <span className="muted small">Not assessed</span>;
  return (
    <span className="counts small">
      {parts.map((s, i) => (
        <span key={s.value} className={`count count-${s.value}`}>
          {i > 0 && " · "}
          {counts[s.value]} {s.label.toLowerCase()}
        </span>
      ))}
    </span>
  );
}

export function ExploitedBadge() {
  return (
    <Badge tone="danger" title="Actively exploited: CRA Art. 14 reporting clocks apply">
      Actively exploited
    </Badge>
  );
}

/** An RFC 3339 instant → the value of an `<input type="datetime-local">` in local time. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The value of an `<input type="datetime-local">` → RFC 3339 (UTC); undefined when empty or invalid. */
export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
