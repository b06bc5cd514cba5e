import { describe, expect, it } from "vitest";
import { render, screen, within } from "../test/render";
import { MemoryRouter } from "react-router";
import type { ArtifactView } from "../api/types";
import { ArtifactTable } from "./ArtifactTable";

function artifact(over: Partial<ArtifactView> = {}): ArtifactView {
  return {
    id: "a1",
    kind: "sbom",
    format: "cyclonedx-json 1.6",
    media_type: "application/vnd.cyclonedx+json",
    filename: "router-firmware-2.4.0-production-sbom.cdx.json",
    title: "router-fw",
    size: 1108,
    sha256: "ab".repeat(32),
    sha512: "cd".repeat(64),
    status: "published",
    tlp: "amber+strict",
    tlp_source: "explicit",
    product_version: { product_id: "p", product_slug: "router", product_name: "Router Firmware", version_id: "v", version: "2.4.0" },
    uploaded_by: { type: "user", name: "ada@acme.example" },
    uploaded_at: "2025-01-02T03:04:05",
    ...over,
  };
}

describe("ArtifactTable", () => {
  it("fits a laptop's column: five columns, kind/format/size under the name, the TLP label under the status", () => {
    render(
      <MemoryRouter>
        <ArtifactTable org="acme" artifacts={[artifact()]} canPublish onChanged={() => {}} showVersion caption="Artifacts" />
      </MemoryRouter>,
    );
    const table = screen.getByRole("table", { name: "Artifacts" });
    expect(within(table).getAllByRole("columnheader").map((th) => th.textContent)).toEqual([
      "Document",
      "Product version",
      "Status",
      "Uploaded",
      "Actions",
    ]);
    const cells = within(within(table).getAllByRole("row")[1]!).getAllByRole("cell");
    expect(cells[0]!.textContent).toBe("router-fwrouter-firmware-2.4.0-production-sbom.cdx.jsonSBOMcyclonedx-json 1.61.1 KB");
    expect(cells[1]!.textContent).toBe("Router Firmware2.4.0");
    // The status is never cut: it leads its own cell, the label under it.
    expect(within(cells[2]!).getByText("Published")).toBeTruthy();
    expect(within(cells[2]!).getByText("TLP:AMBER+STRICT")).toBeTruthy();
    expect(cells[3]!.textContent).toBe("2 Jan 202503:04");
    expect(cells[3]!.getAttribute("title")).toContain("by ada@acme.example");
    expect(within(cells[4]!).getByRole("button", { name: /^Withdraw SBOM/ })).toBeTruthy();
    // The table sits in its own scroll container (it scrolls on phones, with a hint).
    expect(table.parentElement!.className).toContain("table-scroll");
  });
});
