/** Formatting shared by the console and the portal. */

export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return "–";
  if (n < 1024) return `${n} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

const dateFmt = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric" });
const dateTimeFmt = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

function parse(value: string): Date | null {
  // Plain dates (`2025-06-30`) are calendar days, not UTC midnights.
  const d = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00`) : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function formatDate(value: string | null | undefined): string {
  if (!value) return "–";
  const d = parse(value);
  return d ? dateFmt.format(d) : value;
}

const timeFmt = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit" });

/** "14:05" (local time). */
export function formatTime(value: string | null | undefined): string {
  if (!value) return "–";
  const d = parse(value);
  return d ? timeFmt.format(d) : value;
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return "–";
  const d = parse(value);
  return d ? dateTimeFmt.format(d) : value;
}

/** "3 days ago", "in 2 months" — for last-used and expiry columns. */
export function formatRelative(value: string | null | undefined, now: Date = new Date()): string {
  if (!value) return "–";
  const d = parse(value);
  if (!d) return value;
  const rtf = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  const secs = (d.getTime() - now.getTime()) / 1000;
  const abs = Math.abs(secs);
  if (abs < 60) return rtf.format(Math.round(secs), "second");
  if (abs < 3600) return rtf.format(Math.round(secs / 60), "minute");
  if (abs < 86400) return rtf.format(Math.round(secs / 3600), "hour");
  if (abs < 86400 * 45) return rtf.format(Math.round(secs / 86400), "day");
  if (abs < 86400 * 365) return rtf.format(Math.round(secs / (86400 * 30)), "month");
  return rtf.format(Math.round(secs / (86400 * 365)), "year");
}

/** `my-product` from "My Product!" — the API's slug rules: lower-case ASCII, digits and dashes. */
export function slugify(s: string): string {
  return s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63);
}

/**
 * "Firefox on Linux", "Safari on iOS" from a User-Agent header, for a sessions table; the header
 * itself when neither the browser nor the system can be told, "Unknown" when there is none.
 */
export function describeUserAgent(ua: string | null | undefined): string {
  const s = (ua ?? "").trim();
  if (!s) return "Unknown";
  const browser = /\bEdg(?:e|A|iOS)?\//.test(s)
    ? "Edge"
    : /\b(?:OPR|Opera)\//.test(s)
      ? "Opera"
      : /\b(?:Firefox|FxiOS)\//.test(s)
        ? "Firefox"
        : /(?:\b|Headless)(?:Chrome|CriOS|Chromium)\//.test(s)
          ? "Chrome"
          : /\bVersion\/[\d.]+.*\bSafari\//.test(s)
            ? "Safari"
            : /^curl\//i.test(s)
              ? "curl"
              : null;
  const system = /\b(?:iPhone|iPad|iPod)\b/.test(s)
    ? "iOS"
    : /\bAndroid\b/.test(s)
      ? "Android"
      : /\bWindows\b/.test(s)
        ? "Windows"
        : /\bCrOS\b/.test(s)
          ? "ChromeOS"
          : /\bMac OS X\b|\bMacintosh\b/.test(s)
            ? "macOS"
            : /\bLinux\b/.test(s)
              ? "Linux"
              : null;
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? (system ? `A browser on ${system}` : s.length > 60 ? `${s.slice(0, 59)}…` : s);
}

export function shortHash(h: string, n = 12): string {
  return h.length > n ? `${h.slice(0, n)}…` : h;
}

/** "1 download", "3 downloads". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;
}

/** An OpenPGP fingerprint in blocks of four hex digits, as people compare them: `ABCD 1234 …`. */
export function groupFingerprint(fingerprint: string): string {
  const hex = fingerprint.replace(/\s+/g, "").toUpperCase();
  return (hex.match(/.{1,4}/g) ?? []).join(" ");
}

/**
 * A component's name from what a VEX statement gives: its name, else the name and version a purl
 * spells (`pkg:npm/%40scope/lib@1.2.3?x=y` → "@scope/lib 1.2.3"), else the last part of a
 * CycloneDX reference (`urn:cdx:…/1#pkg:generic/zlib@1.3` → "zlib 1.3"). `null` when nothing
 * readable can be made of it.
 */
export function componentName(name: string | null | undefined, ...refs: (string | null | undefined)[]): string | null {
  if (name && name.trim()) return name.trim();
  for (const ref of refs) {
    if (!ref) continue;
    const fromPurl = purlName(ref);
    if (fromPurl) return fromPurl;
    const m = /^urn:cdx:[^#]*#(.+)$/i.exec(ref);
    if (m) {
      const fragment = safeDecode(m[1]!);
      return purlName(fragment) ?? fragment;
    }
  }
  return null;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** "lib 1.2.3" from `pkg:type/namespace/lib@1.2.3?qualifiers#subpath`, or null for anything else. */
export function purlName(purl: string): string | null {
  const m = /^pkg:[a-z0-9.+-]+\/([^?#]+)/i.exec(purl.trim());
  if (!m) return null;
  const path = m[1]!;
  const at = path.lastIndexOf("@");
  const namePart = at > 0 ? path.slice(0, at) : path;
  const version = at > 0 ? safeDecode(path.slice(at + 1)) : "";
  const segments = namePart.split("/").map(safeDecode).filter(Boolean);
  const last = segments[segments.length - 1];
  if (!last) return null;
  // npm scopes belong to the name people know (`@angular/core`).
  const scoped = segments.length > 1 && segments[segments.length - 2]!.startsWith("@");
  const display = scoped ? `${segments[segments.length - 2]}/${last}` : last;
  return version ? `${display} ${version}` : display;
}

const CVE_ID = /^CVE-\d{4}-\d{4,}$/i;

/** The cve.org record of a CVE id, or null for other ids (GHSA, vendor ids). */
export function cveUrl(id: string): string | null {
  return CVE_ID.test(id.trim()) ? `https://www.cve.org/CVERecord?id=${encodeURIComponent(id.trim().toUpperCase())}` : null;
}
