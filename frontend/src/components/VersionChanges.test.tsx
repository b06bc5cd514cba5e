import { describe, expect, it, vi } from "vitest";
import { render, screen, within } from "../test/render";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router";
import { ChangesView, comparisonChoices, compareVersions, WhatChanged } from "./VersionChanges";
import { changesFixture } from "../test/fixtures";
import type { VersionChanges } from "../api/types";

function rowsOf(table: HTMLElement): string[][] {
  return within(table)
    .getAllByRole("row")
    .slice(1)
    .map((tr) => within(tr).getAllByRole("cell").map((td) => td.textContent ?? ""));
}

describe("ChangesView", () => {
  it("shows the components added, removed and upgraded, the licence changes and the VEX status changes", () => {
    render(
      <MemoryRouter>
        <ChangesView changes={changesFixture()} />
      </MemoryRouter>,
    );
    expect(screen.getByTestId("changes-counts").textContent).toBe(
      "1 added" + "1 removed" + "1 version changed" + "1 licence change" + "7 unchanged",
    );

    const components = screen.getByRole("table", { name: "Components added, removed and upgraded between 1.0 and 2.0" });
    expect(within(components).getAllByRole("columnheader").map((th) => th.textContent)).toEqual(["Change", "Component", "1.0", "2.0"]);
    expect(rowsOf(components)).toEqual([
      ["Added", "libnewpkg:generic/libnew@1.0", "–", "1.0"],
      ["Removed", "opensslpkg:generic/openssl@3.0.7", "3.0.7", "–"],
      ["Upgraded", "zlibpkg:generic/zlib@1.3.1", "1.3", "1.3.1"],
    ]);

    const licences = screen.getByRole("table", { name: "Licence changes between 1.0 and 2.0" });
    expect(rowsOf(licences)).toEqual([["zlibpkg:generic/zlib@1.3.1", "Zlib", "MIT"]]);

    const vex = screen.getByRole("table", { name: "VEX status changes between 1.0 and 2.0" });
    expect(rowsOf(vex)).toEqual([
      ["CVE-2023-9999", "zlibpkg:generic/zlib@1.3.1", "Affected", "Fixed"],
      ["CVE-2025-0002", "pkg:generic/libnew@1.0", "no statement", "Not affected"],
    ]);
    // Without sbomLink (the portal), the compared SBOMs are not links.
    expect(screen.queryByRole("link")).toBeNull();
  });

  it("links the compared SBOMs in the console", () => {
    render(
      <MemoryRouter>
        <ChangesView changes={changesFixture()} sbomLink={(id) => `/admin/acme/artifacts/${id}`} />
      </MemoryRouter>,
    );
    expect(screen.getByRole("link", { name: "SBOM of 1.0" }).getAttribute("href")).toBe("/admin/acme/artifacts/sbom-1");
    expect(screen.getByRole("link", { name: "SBOM of 2.0" }).getAttribute("href")).toBe("/admin/acme/artifacts/sbom-2");
  });

  it("no SBOM to compare: says which version lacks one; VEX changes still show", () => {
    render(<ChangesView changes={changesFixture({ sbom: null, from_sbom: null })} />);
    expect(screen.getByText("No SBOM to compare")).toBeTruthy();
    expect(screen.getByText("1.0 has no published SBOM.")).toBeTruthy();
    expect(screen.queryByRole("table", { name: /Components added/ })).toBeNull();
    expect(screen.getByRole("table", { name: "VEX status changes between 1.0 and 2.0" })).toBeTruthy();
  });

  it("empty states when nothing changed", () => {
    const same = changesFixture({
      sbom: { added: [], removed: [], changed: [], licence_changes: [], unchanged: 12 },
      vex: [],
    });
    render(<ChangesView changes={same} />);
    expect(screen.getByText("No component was added or removed, and no version changed.")).toBeTruthy();
    expect(screen.getByText("No component’s licences changed.")).toBeTruthy();
    expect(screen.getByText("No VEX status changed.")).toBeTruthy();
    expect(screen.getByText("12 unchanged")).toBeTruthy();
  });

  it("a lower version is a downgrade; unknown schemes are just changes", () => {
    const changed = (from: string, to: string) => ({ key: "k", name: "lib", from_version: from, to_version: to });
    render(
      <ChangesView
        changes={changesFixture({
          sbom: { added: [], removed: [], changed: [changed("2.0", "1.9"), changed("1.0-rc1", "1.0")], licence_changes: [], unchanged: 0 },
        })}
      />,
    );
    const rows = rowsOf(screen.getByRole("table", { name: /Components added/ }));
    expect(rows.map((r) => r[0])).toEqual(["Downgraded", "Changed"]);
  });
});

describe("choosing the version to compare with", () => {
  it("earlier versions first, nearest first; then later ones", () => {
    const newestFirst = ["3.0", "2.1", "2.0", "1.0"];
    expect(comparisonChoices(newestFirst, "2.1")).toEqual({ earlier: ["2.0", "1.0"], later: ["3.0"] });
    expect(comparisonChoices(newestFirst, "1.0")).toEqual({ earlier: [], later: ["2.0", "2.1", "3.0"] });
    expect(comparisonChoices(["1.0"], "1.0")).toEqual({ earlier: [], later: [] });
    expect(comparisonChoices(["2.0", "1.0"], "9.9")).toEqual({ earlier: ["2.0", "1.0"], later: [] });
  });

  it("compares plain dotted versions only", () => {
    expect(compareVersions("1.3", "1.3.1")).toBe(-1);
    expect(compareVersions("1.10", "1.9")).toBe(1);
    expect(compareVersions("v2.0", "2.0.0")).toBe(0);
    expect(compareVersions("1.0-rc1", "1.0")).toBeNull();
    expect(compareVersions(null, "1.0")).toBeNull();
  });

  it("preselects the previous version, and asks again when another is chosen", async () => {
    const load = vi.fn(async (from: string): Promise<VersionChanges> => changesFixture({ from, to: "2.1" }));
    const user = userEvent.setup();
    render(<WhatChanged versions={["3.0", "2.1", "2.0", "1.0"]} current="2.1" load={load} queryKey={["changes", "2.1"]} />);
    expect(screen.getByRole("heading", { name: "What changed since 2.0" })).toBeTruthy();
    const select = screen.getByLabelText("Compare with") as HTMLSelectElement;
    expect(select.value).toBe("2.0");
    expect([...select.querySelectorAll("optgroup")].map((g) => [g.label, [...g.querySelectorAll("option")].map((o) => o.value)])).toEqual([
      ["Earlier versions", ["2.0", "1.0"]],
      ["Later versions", ["3.0"]],
    ]);
    expect(await screen.findByRole("table", { name: "Components added, removed and upgraded between 2.0 and 2.1" })).toBeTruthy();
    expect(load).toHaveBeenCalledWith("2.0");

    await user.selectOptions(select, "1.0");
    expect(screen.getByRole("heading", { name: "What changed since 1.0" })).toBeTruthy();
    expect(await screen.findByRole("table", { name: "Components added, removed and upgraded between 1.0 and 2.1" })).toBeTruthy();
    expect(load).toHaveBeenLastCalledWith("1.0");
  });

  it("the only version has nothing to compare with, and asks nothing", () => {
    const load = vi.fn();
    render(<WhatChanged versions={["1.0"]} current="1.0" load={load} queryKey={["changes", "1.0"]} />);
    expect(screen.getByRole("heading", { name: "What changed" })).toBeTruthy();
    expect(screen.getByText(/nothing to compare it with/)).toBeTruthy();
    expect(screen.queryByLabelText("Compare with")).toBeNull();
    expect(load).not.toHaveBeenCalled();
  });
});
