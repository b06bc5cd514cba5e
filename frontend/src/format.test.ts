import { describe, expect, it } from "vitest";
import { componentName, cveUrl, describeUserAgent, formatBytes, formatDate, formatRelative, formatTime, groupFingerprint, purlName, slugify } from "./format";

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

describe("describeUserAgent", () => {
  it("names the browser and the system", () => {
    expect(describeUserAgent("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")).toBe("Firefox on Linux");
    expect(
      describeUserAgent(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
      ),
    ).toBe("Edge on Windows");
    expect(
      describeUserAgent("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"),
    ).toBe("Chrome on macOS");
    expect(
      describeUserAgent(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
      ),
    ).toBe("Safari on iOS");
    expect(
      describeUserAgent("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0.0.0 Safari/537.36"),
    ).toBe("Chrome on Linux");
  });

  it("falls back to what it can tell", () => {
    expect(describeUserAgent("curl/8.5.0")).toBe("curl");
    expect(describeUserAgent("SomeBot/1.0")).toBe("SomeBot/1.0");
    expect(describeUserAgent(null)).toBe("Unknown");
    expect(describeUserAgent("")).toBe("Unknown");
  });
});
