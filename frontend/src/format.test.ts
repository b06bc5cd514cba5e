import { describe, expect, it } from "vitest";
import { componentName, cveUrl, formatBytes, formatDate, formatRelative, formatTime, groupFingerprint, purlName, slugify } from "./format";

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

describe("component names, CVE links and times", () => {
  it("prefers the statement's own name", () => {
    expect(componentName("OpenSSL", "pkg:generic/openssl@3.0.7")).toBe("OpenSSL");
  });

  it("reads the name and version from a purl (npm scopes kept, qualifiers dropped)", () => {
    expect(purlName("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar")).toBe("log4j-core 2.14.1");
    expect(purlName("pkg:npm/%40angular/core@17.0.0")).toBe("@angular/core 17.0.0");
    expect(purlName("pkg:generic/zlib")).toBe("zlib");
    expect(purlName("not a purl")).toBeNull();
    expect(componentName(null, null, "pkg:generic/zlib@1.3")).toBe("zlib 1.3");
  });

  it("reads the bom-ref of a CycloneDX urn:cdx reference, as a purl when it is one", () => {
    expect(componentName(null, null, "urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#pkg:maven/org.apache/log4j-core@2.14.1")).toBe(
      "log4j-core 2.14.1",
    );
    expect(componentName(null, null, "urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#router-web-ui")).toBe("router-web-ui");
    expect(componentName(null, null, "CSAFPID-0001")).toBeNull();
  });

  it("links CVE ids (only those) to cve.org", () => {
    expect(cveUrl("CVE-2021-44228")).toBe("https://www.cve.org/CVERecord?id=CVE-2021-44228");
    expect(cveUrl("cve-2021-44228")).toBe("https://www.cve.org/CVERecord?id=CVE-2021-44228");
    expect(cveUrl("GHSA-jfh8-c2jp-5v3q")).toBeNull();
  });

  it("formats a time of day", () => {
    expect(formatTime("2025-01-02T03:04:05")).toBe("03:04");
    expect(formatTime(null)).toBe("–");
  });
});
