import { describe, expect, it, vi } from "vitest";
import userEvent from "@testing-library/user-event";
import { render, screen, within } from "../test/render";
import { createApi } from "../api/client";
import { SessionStore } from "../api/session";
import type { PortalArtifact } from "../api/types";
import { csafFileParams, PortalArtifactList } from "./PortalArtifactList";
import { CallerClearance } from "./PortalApp";

function artifact(over: Partial<PortalArtifact> & Pick<PortalArtifact, "id" | "tlp">): PortalArtifact {
  return {
    kind: "sbom",
    format: "cyclonedx-json 1.6",
    media_type: "application/vnd.cyclonedx+json",
    filename: `${over.id}.json`,
    size: 1024,
    sha256: "ab".repeat(32),
    sha512: "cd".repeat(64),
    cves: [],
    conformance: [],
    download_url: `/api/v1/portal/acme/artifacts/${over.id}/download`,
    ...over,
  };
}

describe("customer portal: TLP labels", () => {
  it("shows a TLP badge beside every artifact, after an advisory's severity", () => {
    const api = createApi({ session: new SessionStore("test.portal"), baseUrl: "http://portal.test" });
    render(
      <PortalArtifactList
        api={api}
        slug="acme"
        artifacts={[
          artifact({ id: "a1", tlp: "clear" }),
          artifact({ id: "a2", kind: "advisory", format: "csaf 2.0", tlp: "amber", severity: "critical", max_cvss_base_score: 9.8 }),
          artifact({ id: "a3", kind: "advisory", format: "csaf 2.0", tlp: "unlabeled" }),
        ]}
      />,
    );
    const items = screen.getAllByRole("listitem").filter((li) => li.classList.contains("artifact-item"));
    expect(items.map((li) => li.querySelector(".tlp")?.textContent)).toEqual(["TLP:CLEAR", "TLP:AMBER", "unlabeled"]);
    const title = items[1]!.querySelector(".artifact-title") as HTMLElement;
    expect(within(title).getByText("Critical 9.8")).toBeTruthy();
    expect(title.textContent).toBe("a2.json Critical 9.8 TLP:AMBER");
  });

  it("offers each artifact's SHA-512 to copy beside its SHA-256", () => {
    const api = createApi({ session: new SessionStore("test.portal"), baseUrl: "http://portal.test" });
    render(<PortalArtifactList api={api} slug="acme" artifacts={[artifact({ id: "a1", tlp: "clear" })]} />);
    expect(screen.getByRole("button", { name: "Copy the SHA-512 of a1.json" })).toBeTruthy();
    expect(screen.getByTitle("cd".repeat(64))).toBeTruthy();
  });

  it("the header says what a signed-in customer is cleared for", () => {
    const { container, rerender } = render(
      <CallerClearance caller={{ type: "access_token", name: "ACME", tlp_labels: ["clear", "green", "amber", "unlabeled"] }} />,
    );
    const clearance = screen.getByTestId("portal-clearance");
    expect(clearance.textContent).toBe("Cleared up to TLP:AMBER");
    expect(clearance.getAttribute("title")).toBe(
      "You may read TLP:CLEAR, TLP:GREEN and TLP:AMBER documents, and CSAF documents without a label.",
    );
    rerender(<CallerClearance caller={{ type: "access_token", tlp_labels: [] }} />);
    expect(container.textContent).toBe("");
  });
});

describe("customer portal: CSAF signatures", () => {
  const csaf = "/api/v1/portal/acme/csaf/white/2025/acme-sa-2025-001.json";

  it("reads a provider address into its folder, year and file", () => {
    expect(csafFileParams(`${csaf}.asc`)).toEqual({ tlp: "white", year: "2025", file: "acme-sa-2025-001.json.asc" });
    expect(csafFileParams("/api/v1/portal/acme/artifacts/a1/download")).toBeNull();
  });

  it("offers a CSAF document's OpenPGP signature, fetched from the provider with the reader's token", async () => {
    const seen: Array<[string, string | null]> = [];
    const session = new SessionStore("test.portal.signature");
    session.set("spt_reader");
    const api = createApi({
      session,
      baseUrl: "http://portal.test",
      fetch: (async (input: RequestInfo | URL) => {
        const req = input as Request;
        seen.push([new URL(req.url).pathname, req.headers.get("Authorization")]);
        return new Response("-----BEGIN PGP SIGNATURE-----\n", {
          status: 200,
          headers: { "Content-Type": "application/pgp-signature" },
        });
      }) as typeof fetch,
    });
    vi.spyOn(URL, "createObjectURL").mockImplementation(() => "blob:x");
    vi.spyOn(URL, "revokeObjectURL").mockImplementation(() => {});
    render(
      <PortalArtifactList
        api={api}
        slug="acme"
        artifacts={[
          artifact({ id: "a2", kind: "advisory", format: "csaf 2.0", tlp: "clear", csaf_url: csaf, signature_url: `${csaf}.asc` }),
          artifact({ id: "a1", tlp: "clear" }),
        ]}
      />,
    );
    // Only the CSAF document has one.
    const buttons = screen.getAllByRole("button", { name: /OpenPGP signature/ });
    expect(buttons.map((b) => b.getAttribute("aria-label"))).toEqual(["Download the OpenPGP signature of a2.json"]);
    await userEvent.setup().click(buttons[0]!);
    expect(await screen.findByText("Saved as acme-sa-2025-001.json.asc")).toBeTruthy();
    expect(seen).toEqual([[`${csaf}.asc`, "Bearer spt_reader"]]);
  });
});
