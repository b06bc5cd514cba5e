import { test as base, expect, type Page } from "@playwright/test";
import { createHash, createHmac } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const SCREENSHOTS = path.resolve(here, "../test-results/screenshots");
export const FIXTURES = path.resolve(here, "../../formats/tests/fixtures");

/**
 * `PORTAL_E2E_CPU_THROTTLE=N` slows each watched page's CPU N× (Chrome DevTools emulation): a
 * run that shakes out the races a slow CI machine meets (React renders navigations in a
 * transition, so the address and the screen can briefly disagree).
 */
function throttle(page: Page): void {
  const rate = Number(process.env.PORTAL_E2E_CPU_THROTTLE ?? "");
  if (!(rate > 1)) return;
  void page
    .context()
    .newCDPSession(page)
    .then((cdp) => cdp.send("Emulation.setCPUThrottlingRate", { rate }))
    .catch(() => {});
}

/** Fails the test on any console error or uncaught exception, except HTTP statuses a test expects. */
export class ConsoleGuard {
  private readonly errors: string[] = [];
  private readonly allowed = new Set<number>();

  watch(page: Page, label = "page"): void {
    throttle(page);
    page.on("console", (msg) => {
      if (msg.type() !== "error") return;
      const text = msg.text();
      const http = /Failed to load resource: the server responded with a status of (\d{3})/.exec(text);
      if (http && this.allowed.has(Number(http[1]))) return;
      this.errors.push(`[${label}] console.error: ${text} (${msg.location().url})`);
    });
    page.on("pageerror", (err) => this.errors.push(`[${label}] uncaught: ${err.message}`));
  }

  /** The browser logs every 4xx answer as a console error; a test that provokes one says so. */
  allowHttp(...statuses: number[]): void {
    for (const s of statuses) this.allowed.add(s);
  }

  get found(): string[] {
    return this.errors;
  }
}

export const test = base.extend<{ guard: ConsoleGuard }>({
  baseURL: async ({}, use) => {
    const url = process.env.PORTAL_E2E_URL;
    if (!url) throw new Error("PORTAL_E2E_URL is not set: global setup did not start the server");
    await use(url);
  },
  guard: [
    async ({ page }, use) => {
      const guard = new ConsoleGuard();
      guard.watch(page);
      await use(guard);
      expect(guard.found, "console errors").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

export async function shot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: opts.fullPage ?? true, animations: "disabled" });
}

/**
 * Makes the customer portal's paged lists (products, advisories) come `limit` at a time: the
 * browser adds it to every request for them, so a few seeded items span several pages of the
 * server's own paging ("Show more …").
 */
export async function smallPages(page: Page, limit: number): Promise<void> {
  await page.route(
    (url) => /^\/api\/v1\/portal\/[^/]+\/(products|advisories)$/.test(url.pathname),
    (route) => {
      const url = new URL(route.request().url());
      url.searchParams.set("limit", String(limit));
      return route.continue({ url: url.toString() });
    },
  );
}

export function sha256(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** The current RFC 6238 code (SHA-1, 6 digits, 30 s) of a base32 secret, as an authenticator app shows it. */
export function totpCode(base32: string, at = Date.now()): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of base32.replace(/[\s=]/g, "").toUpperCase()) {
    const v = alphabet.indexOf(ch);
    if (v < 0) throw new Error(`not base32: ${ch}`);
    value = ((value << 5) | v) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const h = createHmac("sha1", Buffer.from(bytes)).update(counter).digest();
  const offset = h[h.length - 1]! & 0xf;
  return String((h.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}
