import { describe, expect, it } from "vitest";
import { render, screen } from "../test/render";
import { TlpBadge } from "./Badge";
import { clearanceOf, coveredBy, isCsaf, TLP_ORDER, tlpList, type Tlp } from "../api/types";

describe("TlpBadge", () => {
  it.each<[Tlp, string, string]>([
    ["clear", "TLP:CLEAR", "tlp-clear"],
    ["green", "TLP:GREEN", "tlp-green"],
    ["amber", "TLP:AMBER", "tlp-amber"],
    ["amber+strict", "TLP:AMBER+STRICT", "tlp-amber-strict"],
    ["red", "TLP:RED", "tlp-red"],
  ])("%s reads %s in FIRST's colours", (tlp, text, cls) => {
    render(<TlpBadge tlp={tlp} />);
    const badge = screen.getByText(text);
    expect(badge.className).toBe(`badge tlp ${cls}`);
    expect(badge.getAttribute("data-tlp")).toBe(tlp);
    // What the label allows is in the tooltip.
    expect(badge.getAttribute("title")).toMatch(new RegExp(`^${text.replace("+", "\\+")}: `));
  });

  it("unlabeled is a neutral badge that says what it means", () => {
    render(<TlpBadge tlp="unlabeled" />);
    const badge = screen.getByText("unlabeled");
    expect(badge.className).toContain("badge-neutral");
    expect(badge.className).not.toContain("tlp-clear");
    expect(badge.getAttribute("title")).toContain("every valid access token may read it, anonymous visitors may not");
  });

  it("names where the label comes from in its tooltip", () => {
    render(<TlpBadge tlp="clear" source="portal_default" />);
    expect(screen.getByText("TLP:CLEAR").getAttribute("title")).toMatch(/^TLP:CLEAR \(portal default\): Disclosure is not limited/);
  });
});

describe("TLP helpers", () => {
  it("a reader's clearance is its most restrictive label, never `unlabeled`", () => {
    expect(clearanceOf(["clear", "green", "amber", "unlabeled"])).toBe("amber");
    expect(clearanceOf(["unlabeled", "red", "clear"])).toBe("red");
    expect(clearanceOf(["clear"])).toBe("clear");
    expect(clearanceOf([])).toBeNull();
    expect(clearanceOf(["unlabeled"])).toBeNull();
  });

  it("a clearance covers every less restrictive label", () => {
    expect(coveredBy("amber")).toEqual(["clear", "green", "amber"]);
    expect(coveredBy("clear")).toEqual(["clear"]);
    expect(coveredBy("red")).toEqual(TLP_ORDER.slice(0, 5));
    expect(coveredBy("unlabeled")).toEqual([]);
    expect(tlpList(coveredBy("amber"))).toBe("TLP:CLEAR, TLP:GREEN and TLP:AMBER");
    expect(tlpList(["red"])).toBe("TLP:RED");
    expect(tlpList([])).toBe("");
  });

  it("knows CSAF documents by their format", () => {
    expect(isCsaf({ format: "csaf 2.0" })).toBe(true);
    expect(isCsaf({ format: "CSAF 2.0" })).toBe(true);
    expect(isCsaf({ format: "cyclonedx-json 1.6" })).toBe(false);
    expect(isCsaf({ format: "pdf" })).toBe(false);
  });
});
