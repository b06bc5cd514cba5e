/**
 * Validator and parser messages in words people can act on. The server passes on what its
 * parsers say ("could not load CSAF document: Error deserializing CVSS metric: …", a JSON
 * schema error quoting the whole offending value): the console shows a short sentence and keeps
 * the raw text, unchanged, for a collapsible "technical details".
 */
export interface ReadableMessage {
  /** A sentence to show. */
  text: string;
  /** The message as the server gave it, when `text` shortened or rephrased it. */
  raw?: string;
}

const LONG = 180;

/** A JSON object or array quoted in a message (longer than a few characters). */
function findJsonBlob(msg: string): { start: number; end: number } | null {
  for (let i = 0; i < msg.length; i++) {
    const open = msg[i];
    if (open !== "{" && open !== "[") continue;
    let depth = 0;
    let inString = false;
    for (let j = i; j < msg.length; j++) {
      const c = msg[j];
      if (inString) {
        if (c === "\\") j++;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === "{" || c === "[") depth++;
      else if (c === "}" || c === "]") {
        depth--;
        if (depth === 0) {
          if (j - i >= 24 && /["{[:]/.test(msg.slice(i + 1, j))) return { start: i, end: j + 1 };
          break;
        }
      }
    }
  }
  return null;
}

/** "Error deserializing CVSS metric" → "a CVSS metric". */
function whatFailed(msg: string): string | null {
  const m = /error deserializing (?:the )?([a-z0-9 _-]{2,60}?)(?:[:.(]|$| at | for )/i.exec(msg);
  return m ? m[1]!.trim() : null;
}

function firstSentence(s: string, max = LONG): string {
  const cut = s.search(/[.;](\s|$)/);
  const sentence = cut > 0 && cut < max ? s.slice(0, cut + 1) : s;
  return sentence.length > max ? `${sentence.slice(0, max - 1).trimEnd()}…` : sentence;
}

/** One message (a problem's detail, or one defect) made readable. */
export function readableMessage(message: string | null | undefined): ReadableMessage {
  const raw = (message ?? "").trim();
  if (!raw) return { text: "" };

  // "CSAF document is invalid: <first defect> (and 3 more)": keep the lead, make the defect readable.
  const lead = /^(.{3,60}? is invalid): ([\s\S]+?)(\s\(and \d+ more\))?$/.exec(raw);
  if (lead) {
    const inner = readableMessage(lead[2]);
    if (inner.raw === undefined) return { text: raw };
    const text = `${lead[1]}: ${inner.text.charAt(0).toLowerCase()}${inner.text.slice(1)}${lead[3] ?? ""}`;
    return { text, raw };
  }

  // The parser could not even read the document.
  const load = /could not load (?:the )?(CSAF|CycloneDX|SPDX|OpenVEX)[^:]*:\s*([\s\S]*)$/i.exec(raw);
  if (load) {
    const format = load[1]!.toUpperCase() === "CSAF" ? "CSAF 2.0" : load[1]!;
    const what = whatFailed(load[2]!);
    const text = what
      ? `The file could not be read as a ${format} document: ${/^cvss/i.test(what) ? `a CVSS score (${what}) is malformed` : `${what} is malformed`}.`
      : `The file could not be read as a ${format} document.`;
    return { text, raw };
  }
  const deser = whatFailed(raw);
  if (deser) return { text: `Could not read the document: ${deser} is malformed.`, raw };

  const json = /^(not valid JSON|truncated JSON)\b[:\s]*([\s\S]*)$/i.exec(raw);
  if (json) {
    const pos = /line (\d+),? column (\d+)/i.exec(json[2] ?? "");
    const where = pos ? ` (line ${pos[1]}, column ${pos[2]})` : "";
    const text = /^truncated/i.test(json[1]!)
      ? `The file ends too early: its JSON is cut off${where}.`
      : `The file is not valid JSON${where}.`;
    return { text, raw: json[2] ? raw : undefined };
  }

  // A JSON schema error quoting the offending value: name the value, don't print it.
  const blob = findJsonBlob(raw);
  if (blob) {
    const text = `${raw.slice(0, blob.start)}${raw[blob.start] === "{" ? "{…}" : "[…]"}${raw.slice(blob.end)}`
      .replace(/\s+/g, " ")
      .trim();
    return { text: firstSentence(text), raw };
  }

  if (raw.length > LONG) return { text: firstSentence(raw), raw };
  return { text: raw };
}
