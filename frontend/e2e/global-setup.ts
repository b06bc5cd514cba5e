import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const frontendDir = path.resolve(here, "..");
const repoDir = path.resolve(frontendDir, "..");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === "object" ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

/** Newest modification time under a directory (the server's sources), 0 when absent. */
function newest(dir: string): number {
  if (!existsSync(dir)) return 0;
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** `$PORTAL_BIN`, else target/debug/supplier-portal, built first when missing or older than its sources. */
function binary(): string {
  if (process.env.PORTAL_BIN) return path.resolve(process.env.PORTAL_BIN);
  const bin = path.resolve(repoDir, "target/debug/supplier-portal");
  const exists = existsSync(bin);
  const sources = Math.max(...["api/src", "formats/src", "migrations"].map((d) => newest(path.join(repoDir, d))));
  if (!exists || statSync(bin).mtimeMs < sources) {
    console.log(`[e2e] ${exists ? "the server is older than its sources" : "no server binary"}: cargo build -p supplier-portal`);
    const r = spawnSync("cargo", ["build", "-p", "supplier-portal"], { cwd: repoDir, stdio: "inherit" });
    if (r.status !== 0) {
      if (!exists) throw new Error("cargo build -p supplier-portal failed");
      console.warn("[e2e] cargo build failed; testing against the existing binary");
    }
  }
  return bin;
}

async function waitReady(url: string, child: ChildProcess, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  let last = "";
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode} before it was ready`);
    try {
      const r = await fetch(`${url}/readyz`);
      if (r.ok) return;
      last = `HTTP ${r.status}`;
    } catch (e) {
      last = String(e);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`the server at ${url} was not ready within ${deadlineMs} ms (${last})`);
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  // `$PORTAL_E2E_DIST` serves another build (a run beside another one that rebuilds dist/).
  const dist = process.env.PORTAL_E2E_DIST ? path.resolve(process.env.PORTAL_E2E_DIST) : path.join(frontendDir, "dist");
  if (!existsSync(path.join(dist, "index.html"))) {
    throw new Error("frontend/dist is missing: run `npm run build` before `npm run e2e`");
  }
  const bin = binary();
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), "portal-e2e-"));
  const url = `http://127.0.0.1:${port}`;
  const logPath = process.env.PORTAL_E2E_LOG ? path.resolve(process.env.PORTAL_E2E_LOG) : path.join(frontendDir, "test-results", "server.log");
  mkdirSync(path.dirname(logPath), { recursive: true });
  const log = createWriteStream(logPath);

  // A fresh SQLite database in a temp dir, whatever the developer's environment says.
  const inherited = { ...process.env };
  delete inherited.PORTAL_DATABASE_URL;
  delete inherited.PORTAL_PUBLIC_URL;
  const child = spawn(bin, ["serve"], {
    cwd: repoDir,
    env: {
      ...inherited,
      PORTAL_BIND: `127.0.0.1:${port}`,
      PORTAL_DATA_DIR: dataDir,
      PORTAL_FRONTEND_DIR: dist,
      // The journey signs the same admin in once per test, faster than a person would: the
      // login throttle is tested in the Rust suites, not here.
      PORTAL_LOGIN_ATTEMPTS_PER_ACCOUNT: "1000",
      PORTAL_LOGIN_ATTEMPTS_PER_IP: "1000",
      PORTAL_CUSTOMER_READS_PER_TOKEN: "1000000",
      PORTAL_CUSTOMER_READS_PER_IP: "1000000",
      RUST_LOG: process.env.RUST_LOG ?? "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);

  try {
    await waitReady(url, child, 30_000);
  } catch (e) {
    child.kill("SIGKILL");
    throw new Error(`${(e as Error).message}; see ${logPath}`);
  }
  process.env.PORTAL_E2E_URL = url;
  console.log(`[e2e] server ${bin} on ${url} (data ${dataDir})`);

  return async () => {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          child.kill("SIGKILL");
          resolve();
        }, 5_000);
        child.once("exit", () => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    log.end();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
