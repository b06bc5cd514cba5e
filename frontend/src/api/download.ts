/** Saving downloaded bytes and checking their SHA-256 in the browser. */

import { unwrap } from "./client";

/** Lower-case hex SHA-256 of the bytes; null where WebCrypto is unavailable (plain http off localhost). */
export async function sha256Hex(data: Blob | ArrayBuffer): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  const buf = data instanceof Blob ? await data.arrayBuffer() : data;
  const digest = await subtle.digest("SHA-256", buf);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Hands a blob to the browser as a file download. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.rel = "noopener";
  a.style.display = "none";
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Give the browser time to start the download before the URL goes away.
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * The file name a `Content-Disposition` header gives (`attachment; filename="router-2.0.zip"`, or
 * RFC 5987's `filename*=UTF-8''…`, which wins), without any path; null when it names none.
 */
export function filenameFromDisposition(header: string | null | undefined): string | null {
  if (!header) return null;
  let name: string | null = null;
  const extended = /filename\*\s*=\s*([^;]+)/i.exec(header);
  if (extended) {
    const value = extended[1]!.trim().replace(/^"(.*)"$/, "$1");
    const parts = /^([^']*)'[^']*'(.*)$/.exec(value);
    try {
      name = decodeURIComponent(parts ? parts[2]! : value);
    } catch {
      name = null;
    }
  }
  if (!name) {
    const plain = /filename\s*=\s*("((?:\\.|[^"\\])*)"|[^;]+)/i.exec(header);
    if (plain) name = plain[2] !== undefined ? plain[2].replace(/\\(.)/g, "$1") : plain[1]!.trim();
  }
  const base = name?.split(/[/\\]/).pop()?.trim();
  return base ? base : null;
}

/**
 * Awaits a download (an openapi-fetch call with `parseAs: "blob"`, so the caller's Bearer token
 * goes along), saves it under the name the server gives in `Content-Disposition`, else `fallback`,
 * and answers that name. A refusal throws the server's problem as an `ApiError`.
 */
export async function downloadFile(
  call: Promise<{ data?: unknown; error?: unknown; response: Response }>,
  fallback: string,
): Promise<string> {
  let response: Response | undefined;
  const data = await unwrap(
    call.then((outcome) => {
      response = outcome.response;
      return outcome;
    }),
  );
  const blob = data instanceof Blob ? data : new Blob([data as BlobPart]);
  const name = filenameFromDisposition(response?.headers.get("Content-Disposition")) ?? fallback;
  saveBlob(blob, name);
  return name;
}
