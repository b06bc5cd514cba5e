import type { PortalVersion } from "../api/types";

/** Whether a version's support has ended: its status says so, or its support period is over. */
export function supportEnded(v: Pick<PortalVersion, "status" | "support_until">, today = new Date().toISOString().slice(0, 10)): boolean {
  return v.status === "end_of_support" || (!!v.support_until && v.support_until < today);
}

/**
 * The version to upgrade to from `current` when its support has ended: the newest version that is
 * newer (released later; the server lists versions newest first) and still supported. `null` when
 * the current version is supported, or no newer supported version is published.
 */
export function upgradeTarget(
  versions: readonly PortalVersion[],
  current: string,
  today = new Date().toISOString().slice(0, 10),
): PortalVersion | null {
  const i = versions.findIndex((v) => v.version === current);
  if (i < 0) return null;
  const cur = versions[i]!;
  if (!supportEnded(cur, today)) return null;
  const newer = versions.filter((v, j) => {
    if (v.version === current || supportEnded(v, today)) return false;
    if (cur.release_date && v.release_date) return v.release_date > cur.release_date;
    return j < i;
  });
  return newer[0] ?? null;
}
