/**
 * Session tokens live in sessionStorage (per tab, gone when the tab closes), never localStorage.
 * The raw customer access token (`spt_…`) is never stored at all: only the session JWT it is
 * exchanged for.
 */
type Listener = () => void;

export class SessionStore {
  private readonly key: string;
  private readonly listeners = new Set<Listener>();
  private memory: string | null = null;
  private ended: string | null = null;
  private left = false;

  constructor(key: string) {
    this.key = key;
  }

  get(): string | null {
    try {
      return window.sessionStorage.getItem(this.key) ?? this.memory;
    } catch {
      return this.memory;
    }
  }

  /** Why the last session ended on its own (the server's 401 detail), until the next sign-in. */
  get endedReason(): string | null {
    return this.ended;
  }

  /** True after the user signed out here (until the next sign-in). */
  get signedOut(): boolean {
    return this.left;
  }

  /** The user signs out. */
  signOut(): void {
    this.ended = null;
    this.left = true;
    this.clear();
  }

  /** The server refused the session (expired, revoked): forget it and remember why. */
  end(reason: string | undefined): void {
    this.ended = reason || "Your session has ended.";
    this.left = false;
    this.clear();
  }

  set(token: string): void {
    this.ended = null;
    this.left = false;
    this.memory = token;
    try {
      window.sessionStorage.setItem(this.key, token);
    } catch {
      /* storage disabled: keep it in memory */
    }
    this.emit();
  }

  /** Forgets the session (signing out, or after `end`). */
  clear(): void {
    const had = this.get() !== null;
    this.memory = null;
    try {
      window.sessionStorage.removeItem(this.key);
    } catch {
      /* ignore */
    }
    if (had) this.emit();
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}

export const adminSession = new SessionStore("sp.admin.session");

const portalSessions = new Map<string, SessionStore>();

export function portalSession(slug: string): SessionStore {
  let s = portalSessions.get(slug);
  if (!s) {
    s = new SessionStore(`sp.portal.session.${slug}`);
    portalSessions.set(slug, s);
  }
  return s;
}
