import type { paths } from "./schema";
import { ApiError, networkError, toProblem } from "./problem";
import type { SessionStore } from "./session";

/**
 * The upload endpoint, named through the OpenAPI types: when the contract changes, the build fails.
 * Uploads go through XMLHttpRequest because fetch reports no upload progress.
 */
export const UPLOAD_PATH = "/api/v1/orgs/{org}/products/{product}/versions/{version}/artifacts" satisfies keyof paths;
type UploadOperation = paths[typeof UPLOAD_PATH]["post"];
export type UploadQuery = NonNullable<UploadOperation["parameters"]["query"]>;
export type UploadResult = UploadOperation["responses"][201]["content"]["application/json"];
type UploadPathParams = UploadOperation["parameters"]["path"];

export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface UploadRequest {
  path: UploadPathParams;
  query?: UploadQuery;
  file: Blob & { name?: string };
  /** Extra multipart fields sent before the file (`kind`, `document_type`). */
  fields?: Record<string, string | undefined>;
  session?: SessionStore;
  onProgress?: (p: UploadProgress) => void;
  signal?: AbortSignal;
  /** For tests: the XMLHttpRequest constructor to use. */
  xhr?: () => XMLHttpRequest;
}

export interface UploadResponse {
  /** 201 for a new artifact; 200 when identical bytes were already on this version. */
  status: number;
  artifact: UploadResult;
}

export function uploadUrl(path: UploadPathParams, query: UploadQuery = {}): string {
  const p = UPLOAD_PATH.replace("{org}", encodeURIComponent(path.org))
    .replace("{product}", encodeURIComponent(path.product))
    .replace("{version}", encodeURIComponent(path.version));
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== "") qs.set(k, String(v));
  }
  const s = qs.toString();
  return s ? `${p}?${s}` : p;
}

function parseBody(xhr: XMLHttpRequest): unknown {
  const text = xhr.responseText;
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** SPDX SBOMs: SPDX 2.2/2.3 JSON and SPDX 3.0.1 JSON-LD. */
export const SPDX_MEDIA_TYPE = "application/spdx+json";

/** File names of SPDX JSON documents: `bom.spdx.json`, `bom.spdx3.json`, `bom.jsonld`, `bom.spdx.jsonld`. */
const SPDX_NAME = /\.(spdx3?\.json|jsonld)$/i;

/**
 * The media type a file is sent with (the Content-Type of the multipart `file` part, which the
 * server stores and uses to tell the kind). Browsers call SPDX files `application/json`,
 * `application/ld+json` or nothing: they are sent as `application/spdx+json` unless another kind
 * than SBOM was chosen. Anything else keeps the browser's type.
 */
export function uploadMediaType(file: { name?: string; type: string }, kind?: string): string {
  const sbom = !kind || kind === "sbom";
  if (sbom && (SPDX_NAME.test(file.name ?? "") || file.type === "application/ld+json")) return SPDX_MEDIA_TYPE;
  return file.type;
}

/** The file as it is sent: re-typed (a new File over the same bytes) when its media type differs from the browser's. */
function typedFile(file: Blob & { name?: string }, kind?: string): Blob {
  const type = uploadMediaType(file, kind);
  return type === file.type ? file : new File([file], file.name ?? "upload", { type });
}

/** Uploads one file as multipart/form-data, reporting progress; rejects with an ApiError. */
export function uploadArtifact(req: UploadRequest): Promise<UploadResponse> {
  return new Promise((resolve, reject) => {
    const xhr = req.xhr ? req.xhr() : new XMLHttpRequest();
    xhr.open("POST", uploadUrl(req.path, req.query));
    xhr.setRequestHeader("Accept", "application/json");
    const token = req.session?.get();
    if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);

    xhr.upload.onprogress = (e: ProgressEvent) => {
      const total = e.lengthComputable ? e.total : req.file.size;
      req.onProgress?.({ loaded: e.loaded, total });
    };
    xhr.onload = () => {
      const body = parseBody(xhr);
      if (xhr.status >= 200 && xhr.status < 300) {
        req.onProgress?.({ loaded: req.file.size, total: req.file.size });
        resolve({ status: xhr.status, artifact: body as UploadResult });
        return;
      }
      if (xhr.status === 401 && token) {
        const detail = (body as { detail?: unknown } | undefined)?.detail;
        req.session?.end(typeof detail === "string" ? detail : undefined);
      }
      reject(new ApiError(toProblem(xhr.status, xhr.statusText, body, xhr.getResponseHeader("x-request-id"))));
    };
    xhr.onerror = () => reject(networkError());
    xhr.onabort = () => reject(new DOMException("The upload was cancelled.", "AbortError"));
    if (req.signal) {
      if (req.signal.aborted) {
        reject(new DOMException("The upload was cancelled.", "AbortError"));
        return;
      }
      req.signal.addEventListener("abort", () => xhr.abort(), { once: true });
    }

    const form = new FormData();
    for (const [k, v] of Object.entries(req.fields ?? {})) {
      if (v !== undefined && v !== "") form.append(k, v);
    }
    form.append("file", typedFile(req.file, req.fields?.kind), req.file.name ?? "upload");
    xhr.send(form);
  });
}
