import { describe, expect, it } from "vitest";
import { render, screen, within } from "../test/render";
import userEvent from "@testing-library/user-event";
import type { VexStatementView } from "../api/types";
import { VexStatements, VexTable, vexCounts } from "./VexTable";

function statement(over: Partial<VexStatementView> = {}): VexStatementView {
  return { vulnerability_id: "CVE-2021-44228", aliases: [], product: "pkg:maven/org.apache/log4j-core@2.14.1", status: "not_affected", ...over };
}

const STATEMENTS = [
  statement({ justification: "code_not_reachable" }),
  statement({ vulnerability_id: "CVE-2021-45105", status: "affected", action_statement: "Upgrade to 2.5.0" }),
  statement({
    vulnerability_id: "GHSA-jfh8-c2jp-5v3q",
    status: "affected",
    product: "urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#router-web-ui",
  }),
  statement({ vulnerability_id: "CVE-2023-0001", status: "fixed", product_name: "zlib", purl: "pkg:generic/zlib@1.3.1", product: "zlib-ref" }),
];

describe("VexTable", () => {
  it("puts Status right after the vulnerability, so it is on screen on a phone", () => {
    render(<VexTable statements={STATEMENTS} />);
    const headers = screen.getAllByRole("columnheader").map((th) => th.textContent);
    expect(headers).toEqual(["Vulnerability", "Status", "Component", "Justification", "Details"]);
  });

  it("names components instead of showing purls and urn:cdx references", () => {
    render(<VexTable statements={STATEMENTS} />);
    const rows = screen.getAllByRole("row").slice(1);
    const component = (r: HTMLElement) => within(r).getAllByRole("cell")[2]!;
    // A purl: its name and version, the purl underneath.
    expect(component(rows[0]!).textContent).toBe("log4j-core 2.14.1pkg:maven/org.apache/log4j-core@2.14.1");
    // A CycloneDX reference: its bom-ref only (the urn is a tooltip).
    expect(component(rows[2]!).textContent).toBe("router-web-ui");
    expect(component(rows[2]!).querySelector("[title]")!.getAttribute("title")).toContain("urn:cdx:");
    // The statement's own name wins.
    expect(within(component(rows[3]!)).getByText("zlib")).toBeTruthy();
  });

  it("links CVE ids to cve.org, other ids stay text", () => {
    render(<VexTable statements={STATEMENTS} />);
    const link = screen.getByRole("link", { name: "CVE-2021-44228" });
    expect(link.getAttribute("href")).toBe("https://www.cve.org/CVERecord?id=CVE-2021-44228");
    expect(screen.queryByRole("link", { name: "GHSA-jfh8-c2jp-5v3q" })).toBeNull();
    expect(screen.getByText("GHSA-jfh8-c2jp-5v3q")).toBeTruthy();
  });
});

describe("VexStatements (the customer's view)", () => {
  it("counts the statements per status, most urgent first", () => {
    expect(vexCounts(STATEMENTS).map((c) => `${c.label} ${c.count}`)).toEqual(["Affected 2", "Fixed 1", "Not affected 1"]);
  });

  it("the counts filter the table; pressing again (or All) shows everything", async () => {
    const user = userEvent.setup();
    render(<VexStatements statements={STATEMENTS} caption="VEX statements for Router 2.0" />);
    const summary = screen.getByRole("list", { name: "Statements by status" });
    const table = () => screen.getByRole("table", { name: "VEX statements for Router 2.0" });
    expect(within(table()).getAllByRole("row")).toHaveLength(5);
    const affected = within(summary).getByRole("button", { name: "Affected 2" });
    await user.click(affected);
    expect(affected.getAttribute("aria-pressed")).toBe("true");
    const rows = within(table()).getAllByRole("row").slice(1);
    expect(rows.map((r) => within(r).getAllByRole("cell")[0]!.textContent)).toEqual(["CVE-2021-45105", "GHSA-jfh8-c2jp-5v3q"]);
    await user.click(within(summary).getByRole("button", { name: "Fixed 1" }));
    expect(within(table()).getAllByRole("row")).toHaveLength(2);
    await user.click(within(summary).getByRole("button", { name: "All 4" }));
    expect(within(table()).getAllByRole("row")).toHaveLength(5);
  });
});
