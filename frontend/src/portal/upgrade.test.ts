import { describe, expect, it } from "vitest";
import type { PortalVersion } from "../api/types";
import { upgradeTarget } from "./upgrade";

const TODAY = "2026-06-01";
const v = (version: string, over: Partial<PortalVersion> = {}): PortalVersion => ({
  version,
  status: "supported",
  artifact_count: 1,
  ...over,
});

describe("upgradeTarget", () => {
  const versions = [
    v("3.0", { release_date: "2026-01-01", support_until: "2030-12-31" }),
    v("2.5", { release_date: "2025-06-01", support_until: "2026-03-31" }),
    v("2.0", { release_date: "2024-01-01", status: "end_of_support" }),
    v("1.0", { release_date: "2023-01-01", support_until: "2024-01-01" }),
  ];

  it("an unsupported version: the newest newer version that is still supported", () => {
    expect(upgradeTarget(versions, "2.0", TODAY)?.version).toBe("3.0");
    // Support over by date (the status not updated yet) counts too.
    expect(upgradeTarget(versions, "1.0", TODAY)?.version).toBe("3.0");
  });

  it("a supported version, or nothing newer supported: no hint", () => {
    expect(upgradeTarget(versions, "3.0", TODAY)).toBeNull();
    expect(upgradeTarget([v("2.0", { status: "end_of_support" }), v("1.0")], "2.0", TODAY)).toBeNull();
    expect(upgradeTarget(versions, "9.9", TODAY)).toBeNull();
  });
});
