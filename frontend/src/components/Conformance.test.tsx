import { describe, expect, it } from "vitest";
import { render, screen, within } from "../test/render";
import userEvent from "@testing-library/user-event";
import { ConformanceBadge, ConformanceReport, RuleList } from "./Conformance";
import { bsiFailing, ntiaPassing } from "../test/fixtures";

describe("ConformanceBadge", () => {
  it("a passed profile reads “meets …” in green, with its score", () => {
    const { container } = render(<ConformanceBadge profile={{ ...ntiaPassing(), title: "BSI TR-03183-2 v2.1", id: "bsi-tr-03183-2-v2.1" }} />);
    const badge = screen.getByText("meets BSI TR-03183-2 v2.1");
    expect(badge.className).toBe("badge badge-success");
    expect(badge.getAttribute("title")).toBe("BSI TR-03183-2 v2.1: every required rule passes (score 100/100)");
    expect(screen.getByText("score 100/100")).toBeTruthy();
    expect(container.querySelector("[data-profile]")!.getAttribute("data-passed")).toBe("true");
  });

  it("a failed profile reads “12 of 14 rules” in amber, with its score", () => {
    render(<ConformanceBadge profile={bsiFailing()} />);
    const badge = screen.getByText("12 of 14 rules");
    expect(badge.className).toBe("badge badge-warning");
    expect(badge.getAttribute("title")).toBe("BSI TR-03183-2 v2.1: 12 of 14 required rules pass (score 81/100)");
    expect(screen.getByText("score 81/100")).toBeTruthy();
    // Unnamed: the profile's name is for the surrounding context to give.
    expect(screen.queryByText("BSI TR-03183-2 v2.1")).toBeNull();
  });

  it("named, a failed profile says which profile it is; a passed one already does", () => {
    const { container, rerender } = render(<ConformanceBadge profile={bsiFailing()} named />);
    expect(container.textContent).toBe("BSI TR-03183-2 v2.1" + "12 of 14 rules" + "score 81/100");
    rerender(<ConformanceBadge profile={ntiaPassing()} named />);
    expect(container.textContent).toBe("meets NTIA minimum elements" + "score 100/100");
  });
});

describe("RuleList", () => {
  it("shows every rule passed or failed, the failing components with examples, and the detail", () => {
    render(<RuleList profile={bsiFailing()} />);
    const required = screen.getByRole("list", { name: "Rules of BSI TR-03183-2 v2.1" });
    const rules = within(required).getAllByRole("listitem").filter((li) => li.classList.contains("rule"));
    expect(rules).toHaveLength(14);
    expect(rules.filter((r) => r.classList.contains("rule-fail")).map((r) => r.dataset.rule)).toEqual([
      "distribution-licences",
      "hash-sha512",
    ]);

    const licences = rules.find((r) => r.dataset.rule === "distribution-licences")!;
    expect(within(licences).getByText("Failed:")).toBeTruthy();
    expect(within(licences).getByText("Distribution licences")).toBeTruthy();
    expect(licences.querySelector(".rule-failing")!.textContent).toBe("3 components of 4 fail, for example:");
    const examples = within(licences).getByRole("list", { name: "Components failing distribution-licences" });
    expect(within(examples).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "openssl@3.0.7",
      "libcrypto@3.0.7",
      "zlib@1.3",
    ]);
    const hash = rules.find((r) => r.dataset.rule === "hash-sha512")!;
    expect(hash.querySelector(".rule-failing")!.textContent).toBe("1 component of 4 fails, for example:");

    const format = rules.find((r) => r.dataset.rule === "format")!;
    expect(within(format).getByText("Passed:")).toBeTruthy();
    expect(within(format).getByText("CycloneDX 1.6").className).toContain("rule-detail");
    expect(format.querySelector(".rule-failing")).toBeNull();
  });

  it("shows the additional fields separately, as reported, not required (never as failures)", () => {
    render(<RuleList profile={bsiFailing()} />);
    expect(screen.getByRole("heading", { name: "Reported, not required" })).toBeTruthy();
    const additional = screen.getByRole("list", { name: "Reported, not required by BSI TR-03183-2 v2.1" });
    const rules = within(additional).getAllByRole("listitem").filter((li) => li.classList.contains("rule"));
    expect(rules.map((r) => r.dataset.rule)).toEqual(["sbom-uri", "source-code-uri", "other-identifiers"]);
    expect(rules.some((r) => r.classList.contains("rule-fail"))).toBe(false);
    expect(rules.map((r) => r.className)).toEqual(["rule rule-missing", "rule rule-missing", "rule rule-pass"]);
    expect(within(rules[0]!).getByText("Not reported:")).toBeTruthy();
    expect(within(rules[2]!).getByText("Reported:")).toBeTruthy();
    expect(rules[1]!.querySelector(".rule-failing")!.textContent).toBe("4 components of 4 lack it, for example:");
  });

  it("a profile without additional fields has no such section", () => {
    render(<RuleList profile={ntiaPassing()} />);
    expect(screen.queryByText("Reported, not required")).toBeNull();
  });
});

describe("ConformanceReport", () => {
  it("one expandable entry per profile, its badge in the summary and its rules inside", async () => {
    const user = userEvent.setup();
    const { container } = render(<ConformanceReport profiles={[bsiFailing(), ntiaPassing()]} />);
    const entries = [...container.querySelectorAll("details")];
    expect(entries.map((d) => d.querySelector("summary")!.textContent)).toEqual([
      "BSI TR-03183-2 v2.1" + "12 of 14 rules" + "score 81/100" + " · 4 components checked",
      "meets NTIA minimum elements" + "score 100/100" + " · 4 components checked",
    ]);
    expect(entries.every((d) => !d.open)).toBe(true);
    await user.click(entries[0]!.querySelector("summary")!);
    expect(entries[0]!.open).toBe(true);
    expect(within(entries[0]!).getByRole("list", { name: "Rules of BSI TR-03183-2 v2.1" })).toBeTruthy();
  });

  it("says when an SBOM was not checked", () => {
    render(<ConformanceReport profiles={[]} />);
    expect(screen.getByText(/^Not checked/)).toBeTruthy();
  });
});
