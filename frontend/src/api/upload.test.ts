import { describe, expect, it } from "vitest";
import { uploadArtifact, uploadMediaType, uploadUrl } from "./upload";
import { ApiError } from "./problem";
import { SessionStore } from "./session";

/** Just enough XMLHttpRequest to drive uploadArtifact. */
class FakeXhr {
  static last: FakeXhr;
  method = "";
  url = "";
  headers: Record<string, string> = {};
  body: FormData | null = null;
  status = 0;
  statusText = "";
  responseText = "";
  upload: { onprogress: ((e: ProgressEvent) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  constructor() {
    FakeXhr.last = this;
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(k: string, v: string) {
    this.headers[k] = v;
  }
  getResponseHeader(k: string) {
    return k.toLowerCase() === "x-request-id" ? "req-7" : null;
  }
  send(body: FormData) {
    this.body = body;
  }
  abort() {
    this.onabort?.();
  }
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ loaded, total, lengthComputable: true } as ProgressEvent);
  }
  respond(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

const xhr = () => new FakeXhr() as unknown as XMLHttpRequest;

describe("uploadArtifact (XMLHttpRequest, for progress)", () => {
  it("builds the typed URL with its query", () => {
    expect(uploadUrl({ org: "acme", product: "smart thermostat", version: "1.0.0+b1" }, { publish: true, kind: undefined })).toBe(
      "/api/v1/orgs/acme/products/smart%20thermostat/versions/1.0.0%2Bb1/artifacts?publish=true",
    );
  });

  it("posts multipart with the fields and the file, reports progress, answers the artifact", async () => {
    const session = new SessionStore("test.upload");
    session.set("jwt-1");
    const seen: number[] = [];
    const file = new File(["0123456789"], "bom.json");
    const p = uploadArtifact({
      path: { org: "acme", product: "p", version: "1" },
      file,
      fields: { kind: "sbom", document_type: undefined },
      session,
      onProgress: ({ loaded }) => seen.push(loaded),
      xhr,
    });
    const x = FakeXhr.last;
    expect(x.method).toBe("POST");
    expect(x.headers.Authorization).toBe("Bearer jwt-1");
    expect(x.body!.get("kind")).toBe("sbom");
    expect(x.body!.has("document_type")).toBe(false);
    expect((x.body!.get("file") as File).name).toBe("bom.json");
    x.progress(4, 10);
    x.respond(201, { id: "a1", status: "draft" });
    const r = await p;
    expect(r.status).toBe(201);
    expect(r.artifact.id).toBe("a1");
    expect(seen).toEqual([4, 10]);
  });

  it("rejects with the problem+json of a refused upload", async () => {
    const p = uploadArtifact({ path: { org: "o", product: "p", version: "1" }, file: new File(["x"], "x.json"), xhr });
    FakeXhr.last.respond(422, {
      type: "about:blank",
      title: "Unprocessable Entity",
      status: 422,
      detail: "not a CycloneDX BOM",
      errors: [{ field: "/bomFormat", message: "is required" }],
    });
    const e = (await p.catch((x: unknown) => x)) as ApiError;
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(422);
    expect(e.fieldMessages("/bomFormat")).toEqual(["is required"]);
    expect(e.problem.request_id).toBe("req-7");
  });

  it("ends the session on 401, and reports a cancelled upload as AbortError", async () => {
    const session = new SessionStore("test.upload.401");
    session.set("jwt-2");
    const p = uploadArtifact({ path: { org: "o", product: "p", version: "1" }, file: new File(["x"], "x.json"), session, xhr });
    FakeXhr.last.respond(401, { type: "about:blank", title: "Unauthorized", status: 401, detail: "session expired" });
    await expect(p).rejects.toBeInstanceOf(ApiError);
    expect(session.get()).toBeNull();
    expect(session.endedReason).toBe("session expired");

    const controller = new AbortController();
    const q = uploadArtifact({ path: { org: "o", product: "p", version: "1" }, file: new File(["x"], "x.json"), signal: controller.signal, xhr });
    controller.abort();
    await expect(q).rejects.toMatchObject({ name: "AbortError" });
  });

  it("sends an .spdx.json file as application/spdx+json, whatever the browser calls it", async () => {
    const p = uploadArtifact({
      path: { org: "o", product: "p", version: "1" },
      file: new File(['{"spdxVersion":"SPDX-2.3"}'], "router.spdx.json", { type: "application/json" }),
      fields: { kind: undefined },
      xhr,
    });
    const sent = FakeXhr.last.body!.get("file") as File;
    expect(sent.name).toBe("router.spdx.json");
    expect(sent.type).toBe("application/spdx+json");
    expect(await sent.text()).toBe('{"spdxVersion":"SPDX-2.3"}');
    FakeXhr.last.respond(201, { id: "a2", format: "spdx-json 2.3", media_type: "application/spdx+json" });
    expect((await p).artifact.format).toBe("spdx-json 2.3");
  });
});

describe("uploadMediaType", () => {
  it("names SPDX JSON and JSON-LD files, and leaves everything else to the browser", () => {
    expect(uploadMediaType({ name: "router.spdx.json", type: "application/json" })).toBe("application/spdx+json");
    expect(uploadMediaType({ name: "ROUTER.SPDX.JSON", type: "" })).toBe("application/spdx+json");
    expect(uploadMediaType({ name: "router.spdx3.json", type: "" })).toBe("application/spdx+json");
    expect(uploadMediaType({ name: "router.jsonld", type: "" })).toBe("application/spdx+json");
    expect(uploadMediaType({ name: "router.spdx.jsonld", type: "application/ld+json" })).toBe("application/spdx+json");
    expect(uploadMediaType({ name: "sbom.json", type: "application/ld+json" })).toBe("application/spdx+json");
    expect(uploadMediaType({ name: "router.spdx.json", type: "application/json" }, "sbom")).toBe("application/spdx+json");
    // Another kind was chosen: the file is not sent as an SBOM.
    expect(uploadMediaType({ name: "notes.jsonld", type: "application/ld+json" }, "document")).toBe("application/ld+json");
    expect(uploadMediaType({ name: "bom.cdx.json", type: "application/json" })).toBe("application/json");
    expect(uploadMediaType({ name: "advisory.json", type: "application/json" })).toBe("application/json");
    expect(uploadMediaType({ name: "policy.pdf", type: "application/pdf" })).toBe("application/pdf");
  });
});
