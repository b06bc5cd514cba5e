import { describe, expect, it } from "vitest";
import { readableMessage } from "./readable";

describe("readableMessage", () => {
  it("keeps short, plain messages as they are (no raw details)", () => {
    expect(readableMessage("does not match the urn:uuid pattern")).toEqual({ text: "does not match the urn:uuid pattern" });
    expect(readableMessage("CycloneDX BOM is invalid")).toEqual({ text: "CycloneDX BOM is invalid" });
  });

  it("turns a CSAF parser's 'Error deserializing CVSS metric' into words, keeping the raw text", () => {
    const raw =
      'could not load CSAF document: Error deserializing CVSS metric: invalid type: string "9.8", expected f64 at line 1 column 912';
    const r = readableMessage(raw);
    expect(r.text).toBe("The file could not be read as a CSAF 2.0 document: a CVSS score (CVSS metric) is malformed.");
    expect(r.raw).toBe(raw);
  });

  it("rewrites the defect inside 'X is invalid: …' and keeps the '(and N more)'", () => {
    const raw = "CSAF document is invalid: could not load CSAF document: Error deserializing CVSS metric: bad (and 2 more)";
    const r = readableMessage(raw);
    expect(r.text).toBe(
      "CSAF document is invalid: the file could not be read as a CSAF 2.0 document: a CVSS score (CVSS metric) is malformed. (and 2 more)",
    );
    expect(r.raw).toBe(raw);
  });

  it("does not print a quoted JSON value: it names it {…} and keeps the whole message as raw", () => {
    const blob = JSON.stringify({ version: "3.1", vectorString: "CVSS:3.1/AV:N", baseScore: "high", extra: [1, 2, 3] });
    const raw = `6.1.8: invalid CVSS (schema): ${blob} is not valid under any of the given schemas`;
    const r = readableMessage(raw);
    expect(r.text).toBe("6.1.8: invalid CVSS (schema): {…} is not valid under any of the given schemas");
    expect(r.text).not.toContain("vectorString");
    expect(r.raw).toBe(raw);
  });

  it("says where JSON is broken", () => {
    expect(readableMessage("not valid JSON: expected value at line 3 column 7").text).toBe(
      "The file is not valid JSON (line 3, column 7).",
    );
    expect(readableMessage("truncated JSON: EOF while parsing an object at line 9 column 0").text).toBe(
      "The file ends too early: its JSON is cut off (line 9, column 0).",
    );
  });

  it("shortens very long messages to their first sentence", () => {
    const raw = `The document could not be processed. ${"x".repeat(400)}`;
    const r = readableMessage(raw);
    expect(r.text).toBe("The document could not be processed.");
    expect(r.raw).toBe(raw);
  });
});
