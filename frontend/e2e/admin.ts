import type { APIRequestContext, APIResponse, Page } from "@playwright/test";
import { expect } from "./fixtures";

// What the specs after the journey share: its administrator and organisation, the API calls that
// seed their data, and signing in through the console. Each sets the server up when nobody has
// (it may run on its own), and reuses what is there otherwise.

export const ADMIN = { email: "ada@acme.example", password: "correct horse battery", name: "Ada Admin" };
export const ORG = { name: "ACME Devices GmbH", slug: "acme-devices" };

/** The answer's JSON; throws with the server's words unless it succeeded (or has an allowed status). */
export async function ok<T = unknown>(res: APIResponse, what: string, allow: number[] = []): Promise<T> {
  if (!res.ok() && !allow.includes(res.status())) throw new Error(`${what}: HTTP ${res.status()} ${await res.text()}`);
  const text = await res.text();
  return (text ? JSON.parse(text) : null) as T;
}

/** The administrator's session token, setting the server up first when it is new. */
export async function adminToken(api: APIRequestContext): Promise<string> {
  const status = await ok<{ setup_required: boolean }>(await api.get("/api/v1/setup"), "setup status");
  if (status.setup_required) {
    await ok(
      await api.post("/api/v1/setup", {
        data: { org_name: ORG.name, org_slug: ORG.slug, email: ADMIN.email, password: ADMIN.password, display_name: ADMIN.name },
      }),
      "setup",
    );
  }
  const login = await ok<{ access_token: string }>(
    await api.post("/api/v1/auth/login", { data: { email: ADMIN.email, password: ADMIN.password } }),
    "login",
  );
  return login.access_token;
}

/** The administrator's bearer header, setting the server up first when it is new. */
export async function adminHeaders(api: APIRequestContext): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await adminToken(api)}` };
}

/** Turns the organisation's portal on (whatever else earlier specs set) and answers its slug. */
export async function enablePortal(api: APIRequestContext, o: string, headers: Record<string, string>): Promise<string> {
  const s = await ok<{ enabled: boolean; slug: string; visibility: string; display_name: string; description: string; contact_email?: string | null }>(
    await api.get(`${o}/portal`, { headers }),
    "portal settings",
  );
  if (!s.enabled) {
    await ok(
      await api.put(`${o}/portal`, {
        headers,
        data: { enabled: true, slug: s.slug, visibility: s.visibility, display_name: s.display_name, description: s.description, contact_email: s.contact_email ?? null },
      }),
      "enable portal",
    );
  }
  return s.slug;
}

/** Signs the administrator in through the console's sign-in page; it lands on the overview. */
export async function signIn(page: Page): Promise<void> {
  await page.goto("/admin/login");
  await page.getByLabel("E-mail").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
}
