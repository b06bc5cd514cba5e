import { describe, expect, it } from "vitest";
import { formatBytes, formatDate, formatRelative, groupFingerprint, slugify } from "./format";

describe("format", () => {
  it("sizes", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1108)).toBe("1.1 KB");
    expect(formatBytes(1_500_000)).toBe("1.4 MB");
  });
  it("slugs follow the API's rules", () => {
    expect(slugify("ACME Devices GmbH")).toBe("acme-devices-gmbh");
    expect(slugify("  Smart Thermostat!  ")).toBe("smart-thermostat");
    expect(slugify("Café Über")).toBe("cafe-uber");
  });
  it("dates", () => {
    expect(formatDate("2030-12-31")).toBe("31 Dec 2030");
    expect(formatDate(null)).toBe("–");
    expect(formatRelative("2025-01-01T00:00:00Z", new Date("2025-01-04T00:00:00Z"))).toBe("3 days ago");
  });
  it("fingerprints in blocks of four", () => {
    expect(groupFingerprint("fedcba9876543210fedcba9876543210fedcba98")).toBe("FEDC BA98 7654 3210 FEDC BA98 7654 3210 FEDC BA98");
    expect(groupFingerprint("ABCD EF01 23")).toBe("ABCD EF01 23");
  });
});
