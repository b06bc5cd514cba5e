import { describe, expect, it, vi } from "vitest";
import { act, render, screen, within } from "../test/render";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router";
import { UploadPanel, UploadProgressBar } from "./UploadPanel";
import { ApiError } from "../api/problem";
import { uploadArtifact, type UploadRequest, type UploadResponse, type UploadResult } from "../api/upload";

function artifact(over: Partial<UploadResult> = {}): UploadResult {
  return {
    id: "a1",
    kind: "sbom",
    format: "cyclonedx-json 1.6",
    media_type: "application/vnd.cyclonedx+json",
    filename: "bom.json",
    size: 2048,
    sha256: "ab".repeat(32),
    sha512: "cd".repeat(64),
    status: "draft",
    tlp: null,
    tlp_source: "portal_default",
    product_version: { product_id: "p", product_slug: "thermostat", product_name: "Thermostat", version_id: "v", version: "1.0.0" },
    uploaded_by: { type: "user", name: "ada@acme.example" },
    uploaded_at: "2025-01-01T00:00:00Z",
    conformance: [],
    facts: { format: "text" },
    applies_to: [],
    vex_statements: [],
    ...over,
  };
}

function setup(upload: (req: UploadRequest) => Promise<UploadResponse>) {
  const onUploaded = vi.fn();
  render(
    <MemoryRouter>
      <UploadPanel org="acme" product="thermostat" version="1.0.0" canPublish upload={upload} onUploaded={onUploaded} />
    </MemoryRouter>,
  );
  return { onUploaded, user: userEvent.setup() };
}

const file = () => new File(['{"bomFormat":"CycloneDX"}'], "bom.json", { type: "application/json" });

describe("UploadProgressBar", () => {
  it("shows percent and bytes, then 'checking' once every byte is sent", () => {
    const { rerender } = render(<UploadProgressBar filename="bom.json" loaded={512} total={2048} />);
    const bar = screen.getByRole("progressbar") as HTMLProgressElement;
    expect(bar.value).toBe(25);
    expect(screen.getByText("25% · 512 B of 2.0 KB")).toBeTruthy();
    rerender(<UploadProgressBar filename="bom.json" loaded={2048} total={2048} />);
    expect((screen.getByRole("progressbar") as HTMLProgressElement).value).toBe(100);
    expect(screen.getByText("Checking the document…")).toBeTruthy();
  });
});

describe("UploadPanel", () => {
  it("uploads the chosen file with its kind and publish flag, reporting progress", async () => {
    let report: ((loaded: number) => void) | undefined;
    let finish: ((r: UploadResponse) => void) | undefined;
    const upload = vi.fn(
      (req: UploadRequest) =>
        new Promise<UploadResponse>((resolve) => {
          report = (loaded) => req.onProgress?.({ loaded, total: req.file.size });
          finish = resolve;
        }),
    );
    const { user, onUploaded } = setup(upload);
    await user.upload(screen.getByTestId("file-input"), file());
    expect(screen.getByText("bom.json")).toBeTruthy();
    await user.selectOptions(screen.getByLabelText("Kind"), "sbom");
    await user.click(screen.getByLabelText("Publish immediately"));
    await user.click(screen.getByRole("button", { name: "Upload" }));

    const req = upload.mock.calls[0]![0];
    expect(req.path).toEqual({ org: "acme", product: "thermostat", version: "1.0.0" });
    expect(req.query).toEqual({ publish: true });
    expect(req.fields).toMatchObject({ kind: "sbom" });

    act(() => report!(req.file.size / 2));
    expect((screen.getByRole("progressbar") as HTMLProgressElement).value).toBe(50);
    expect(screen.getByRole("button", { name: "Cancel upload" })).toBeTruthy();

    await act(async () => finish!({ status: 201, artifact: artifact({ status: "published" }) }));
    expect(screen.queryByRole("progressbar")).toBeNull();
    expect(screen.getByText(/was stored as a published SBOM/)).toBeTruthy();
    expect(screen.getByRole("link", { name: "View the artifact" }).getAttribute("href")).toBe("/admin/acme/artifacts/a1");
    expect(onUploaded).toHaveBeenCalledWith(expect.objectContaining({ id: "a1" }), true);
  });

  it("sends the chosen TLP label; 'Portal default' sends none", async () => {
    // The server answers the label it was given (or none: the portal default applies).
    const upload = vi.fn(async (req: UploadRequest) => ({
      status: 201,
      artifact: req.query?.tlp ? artifact({ tlp: req.query.tlp, tlp_source: "explicit" }) : artifact(),
    }));
    const { user } = setup(upload);
    const select = screen.getByLabelText("TLP label") as HTMLSelectElement;
    expect(select.value).toBe("");
    expect([...select.options].map((o) => o.text)).toEqual([
      "Portal default",
      "TLP:CLEAR",
      "TLP:GREEN",
      "TLP:AMBER",
      "TLP:AMBER+STRICT",
      "TLP:RED",
    ]);
    await user.upload(screen.getByTestId("file-input"), file());
    await user.click(screen.getByRole("button", { name: "Upload" }));
    expect(upload.mock.calls[0]![0].query).toEqual({});
    expect(await screen.findByText("TLP label: the portal default")).toBeTruthy();

    await user.upload(screen.getByTestId("file-input"), file());
    await user.selectOptions(select, "amber");
    await user.click(screen.getByLabelText("Publish immediately"));
    await user.click(screen.getByRole("button", { name: "Upload" }));
    expect(upload.mock.calls[1]![0].query).toEqual({ publish: true, tlp: "amber" });
    expect(await screen.findByText("TLP label: TLP:AMBER")).toBeTruthy();
  });

  it("a CSAF advisory carries its own label: the select is disabled and nothing is sent", async () => {
    const upload = vi.fn(async (_req: UploadRequest) => ({ status: 201, artifact: artifact({ kind: "advisory", tlp: "clear", tlp_source: "document" }) }));
    const { user } = setup(upload);
    await user.selectOptions(screen.getByLabelText("TLP label"), "red");
    await user.selectOptions(screen.getByLabelText("Kind"), "advisory");
    const select = screen.getByLabelText("TLP label") as HTMLSelectElement;
    expect(select.disabled).toBe(true);
    expect(select.selectedOptions[0]!.text).toBe("From the document");
    expect(screen.getByText(/A CSAF advisory carries its own label/)).toBeTruthy();
    await user.upload(screen.getByTestId("file-input"), file());
    await user.click(screen.getByRole("button", { name: "Upload" }));
    expect(upload.mock.calls[0]![0].query).toEqual({});
  });

  it("shows the server's warnings after an accepted upload, as a warning and not an error", async () => {
    const warning = "the CSAF publisher (ACME GmbH, https://acme.example) is not the portal's (ACME Devices GmbH)";
    const { user } = setup(async () => ({ status: 201, artifact: artifact({ kind: "advisory", warnings: [warning] }) }));
    await user.upload(screen.getByTestId("file-input"), file());
    await user.click(screen.getByRole("button", { name: "Upload" }));
    const title = await screen.findByText("Accepted, but worth a look");
    const alert = title.closest(".alert") as HTMLElement;
    expect(alert.className).toContain("alert-warning");
    expect(alert.getAttribute("role")).toBe("status");
    expect(within(alert).getByText(warning)).toBeTruthy();
    expect(screen.getByText("Uploaded")).toBeTruthy();
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("no warnings, no warning alert", async () => {
    const { user } = setup(async () => ({ status: 201, artifact: artifact({ warnings: [] }) }));
    await user.upload(screen.getByTestId("file-input"), file());
    await user.click(screen.getByRole("button", { name: "Upload" }));
    expect(await screen.findByText("Uploaded")).toBeTruthy();
    expect(screen.queryByText("Accepted, but worth a look")).toBeNull();
  });

  it("says so when identical bytes were already there (200)", async () => {
    const { user } = setup(async () => ({ status: 200, artifact: artifact() }));
    await user.upload(screen.getByTestId("file-input"), file());
    await user.click(screen.getByRole("button", { name: "Upload" }));
    expect(await screen.findByText("Already uploaded")).toBeTruthy();
  });

  it("shows precisely why the validator rejected the document (422)", async () => {
    const rejection = new ApiError({
      type: "about:blank",
      title: "Unprocessable Entity",
      status: 422,
      detail: "CycloneDX BOM is invalid",
      request_id: "req-9",
      errors: [
        { field: "/serialNumber", message: "does not match the urn:uuid pattern" },
        { field: "/dependencies/0/ref", message: "refers to an unknown bom-ref" },
      ],
    });
    const { user } = setup(async () => {
      throw rejection;
    });
    await user.upload(screen.getByTestId("file-input"), file());
    await user.click(screen.getByRole("button", { name: "Upload" }));
    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText("The document was rejected")).toBeTruthy();
    expect(within(alert).getByText("CycloneDX BOM is invalid")).toBeTruthy();
    const rows = within(alert).getAllByRole("row");
    expect(rows).toHaveLength(3);
    expect(within(rows[1]!).getByText("/serialNumber")).toBeTruthy();
    expect(within(rows[2]!).getByText("refers to an unknown bom-ref")).toBeTruthy();
    // The file stays selected so a corrected one can be chosen or the kind changed.
    expect(screen.getByRole("button", { name: "Upload" }).hasAttribute("disabled")).toBe(false);
  });

  it("shows a parser's raw message and quoted JSON readably, the raw text folded under 'details'", async () => {
    const parser = 'could not load CSAF document: Error deserializing CVSS metric: invalid type: string "9.8", expected f64 at line 1 column 912';
    const blob = JSON.stringify({ version: "3.1", vectorString: "CVSS:3.1/AV:N/AC:L", baseScore: "9.8", baseSeverity: "CRITICAL" });
    const rejection = new ApiError({
      type: "about:blank",
      title: "Unprocessable Entity",
      status: 422,
      detail: `CSAF document is invalid: ${parser} (and 1 more)`,
      request_id: "req-7",
      errors: [
        { field: "", message: parser },
        { field: "/vulnerabilities/0/scores/0/cvss_v3", message: `6.1.8: invalid CVSS (schema): ${blob} is not valid` },
      ],
    });
    const { user } = setup(async () => {
      throw rejection;
    });
    await user.upload(screen.getByTestId("file-input"), file());
    await user.click(screen.getByRole("button", { name: "Upload" }));
    const alert = await screen.findByRole("alert");
    expect(
      within(alert).getByText(
        "CSAF document is invalid: the file could not be read as a CSAF 2.0 document: a CVSS score (CVSS metric) is malformed. (and 1 more)",
      ),
    ).toBeTruthy();
    const rows = within(alert).getAllByRole("row").slice(1);
    expect(within(rows[0]!).getByText("(document)")).toBeTruthy();
    expect(rows[0]!.textContent).toContain("The file could not be read as a CSAF 2.0 document");
    // The JSON blob is not spilled into the cell: it is named {…} and kept in a collapsed <details>.
    const cell = within(rows[1]!).getAllByRole("cell")[1]!;
    expect(cell.firstChild!.textContent).toBe("6.1.8: invalid CVSS (schema): {…} is not valid");
    const details = cell.querySelector("details")!;
    expect(details.open).toBe(false);
    expect(details.querySelector("summary")!.textContent).toBe("Technical details");
    expect(details.querySelector("pre")!.textContent).toContain('"vectorString":"CVSS:3.1/AV:N/AC:L"');
    // The whole detail, as sent, is one click away too.
    const full = within(alert).getByText("The validator’s full message").closest("details")!;
    expect(full.querySelector("pre")!.textContent).toBe(rejection.problem.detail);
    expect(alert.querySelector("table")!.className).toContain("defects-table");
  });

  it("explains a file that is too large (413)", async () => {
    const { user } = setup(async () => {
      throw new ApiError({ type: "about:blank", title: "Payload Too Large", status: 413, detail: "upload exceeds the limit of 1048576 bytes" });
    });
    await user.upload(screen.getByTestId("file-input"), file());
    await user.click(screen.getByRole("button", { name: "Upload" }));
    expect(await screen.findByText("The file is too large")).toBeTruthy();
    expect(screen.getByText("upload exceeds the limit of 1048576 bytes")).toBeTruthy();
  });

  it("accepts a dropped file", async () => {
    setup(async () => ({ status: 201, artifact: artifact() }));
    const zone = screen.getByTestId("dropzone");
    const dropped = new File(["%PDF-1.7"], "declaration.pdf", { type: "application/pdf" });
    const dataTransfer = { files: [dropped], dropEffect: "none" } as unknown as DataTransfer;
    const drop = new Event("drop", { bubbles: true, cancelable: true });
    Object.defineProperty(drop, "dataTransfer", { value: dataTransfer });
    act(() => {
      zone.dispatchEvent(drop);
    });
    expect(screen.getByText("declaration.pdf")).toBeTruthy();
    // A PDF is a document: its type can be chosen.
    expect((screen.getByLabelText("Kind") as HTMLSelectElement).value).toBe("document");
    expect(screen.getByLabelText("Document type")).toBeTruthy();
  });

  it("sends an .spdx.json file as application/spdx+json and shows its format", async () => {
    // The real XMLHttpRequest upload, down to the multipart body.
    let sent: FormData | undefined;
    let respond: ((status: number, body: unknown) => void) | undefined;
    class Xhr {
      status = 0;
      statusText = "";
      responseText = "";
      upload = { onprogress: null };
      onload: (() => void) | null = null;
      open() {}
      setRequestHeader() {}
      getResponseHeader() {
        return null;
      }
      send(body: FormData) {
        sent = body;
        respond = (status, answer) => {
          this.status = status;
          this.responseText = JSON.stringify(answer);
          this.onload?.();
        };
      }
    }
    const { user } = setup((req) => uploadArtifact({ ...req, xhr: () => new Xhr() as unknown as XMLHttpRequest }));
    const spdx = new File(['{"spdxVersion":"SPDX-2.3"}'], "router.spdx.json", { type: "application/json" });
    await user.upload(screen.getByTestId("file-input"), spdx);
    expect(screen.getByTestId("dropzone").textContent).toContain("router.spdx.json (26 B, SPDX SBOM)");
    await user.click(screen.getByRole("button", { name: "Upload" }));

    const part = sent!.get("file") as File;
    expect(part.name).toBe("router.spdx.json");
    expect(part.type).toBe("application/spdx+json");
    await act(async () =>
      respond!(201, artifact({ filename: "router.spdx.json", format: "spdx-json 2.3", media_type: "application/spdx+json" })),
    );
    expect(screen.getByText(/router.spdx.json was stored as a draft SBOM \(spdx-json 2.3\)/)).toBeTruthy();
  });

  it("publishing refused by the conformance gate: says so, nothing stored, and offers a draft", async () => {
    const detail =
      "this organisation requires SBOMs to pass bsi-tr-03183-2-v2.1 before publication; this SBOM fails bsi-tr-03183-2-v2.1 (failing: distribution-licences, hash-sha512)";
    const upload = vi.fn(async (req: UploadRequest): Promise<UploadResponse> => {
      if (req.query?.publish) throw new ApiError({ type: "about:blank", title: "Conflict", status: 409, detail, request_id: "req-3" });
      return { status: 201, artifact: artifact() };
    });
    const { user } = setup(upload);
    await user.upload(screen.getByTestId("file-input"), file());
    await user.click(screen.getByLabelText("Publish immediately"));
    await user.click(screen.getByRole("button", { name: "Upload" }));
    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText("Not published: the SBOM fails a required conformance profile")).toBeTruthy();
    expect(within(alert).getByText(detail)).toBeTruthy();
    expect(within(alert).getByText(/^Nothing was stored\./)).toBeTruthy();

    await user.click(within(alert).getByRole("button", { name: "Upload as a draft instead" }));
    expect(upload).toHaveBeenCalledTimes(2);
    expect(upload.mock.calls[1]![0].query).toEqual({});
    expect(await screen.findByText(/bom.json was stored as a draft SBOM/)).toBeTruthy();
    expect((screen.getByLabelText("Publish immediately") as HTMLInputElement).checked).toBe(false);
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("other conflicts keep the server's title and offer no draft", async () => {
    const { user } = setup(async () => {
      throw new ApiError({ type: "about:blank", title: "Conflict", status: 409, detail: "product `thermostat` is archived" });
    });
    await user.upload(screen.getByTestId("file-input"), file());
    await user.click(screen.getByLabelText("Publish immediately"));
    await user.click(screen.getByRole("button", { name: "Upload" }));
    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText("Conflict")).toBeTruthy();
    expect(within(alert).getByText("product `thermostat` is archived")).toBeTruthy();
    expect(within(alert).queryByRole("button")).toBeNull();
  });
});
