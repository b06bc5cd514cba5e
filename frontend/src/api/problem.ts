import type { components } from "./schema";

export type Problem = components["schemas"]["Problem"];
export type FieldError = components["schemas"]["FieldError"];

/** An RFC 7807 problem answered by the API (or made up for a network failure), as an Error. */
export class ApiError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail || problem.title);
    this.name = "ApiError";
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }

  get errors(): FieldError[] {
    return this.problem.errors ?? [];
  }

  /** The messages for one request field (`email`) or JSON pointer (`/components/3`). */
  fieldMessages(field: string): string[] {
    return this.errors.filter((e) => e.field === field).map((e) => e.message);
  }
}

function isProblemShape(body: unknown): body is Problem {
  return (
    typeof body === "object" &&
    body !== null &&
    typeof (body as { title?: unknown }).title === "string" &&
    typeof (body as { status?: unknown }).status === "number"
  );
}

/** Turns any error answer into a Problem: the server's own when it sent one, else a stand-in. */
export function toProblem(status: number, statusText: string, body: unknown, requestId?: string | null): Problem {
  if (isProblemShape(body)) {
    return { ...body, detail: body.detail ?? body.title, request_id: body.request_id ?? requestId ?? null };
  }
  // A short plain-text answer may say something useful; an HTML error page from a proxy does not.
  const text =
    typeof body === "string" && status < 500 && body.trim() !== "" && body.length < 500 && !body.trim().startsWith("<")
      ? body.trim()
      : "";
  return {
    type: "about:blank",
    title: statusText || `HTTP ${status}`,
    status,
    detail: text || defaultDetail(status),
    request_id: requestId ?? null,
  };
}

function defaultDetail(status: number): string {
  if (status === 401) return "You are not signed in, or your session has ended.";
  if (status === 403) return "You do not have permission to do this.";
  if (status === 404) return "Not found.";
  if (status === 413) return "The file is larger than the server accepts.";
  if (status === 429) return "Too many attempts; wait a moment and try again.";
  if (status >= 500) return "The server could not complete the request. Try again in a moment.";
  return `The request failed (HTTP ${status}).`;
}

/** The error thrown when the server cannot be reached at all. */
export function networkError(cause?: unknown): ApiError {
  const e = new ApiError({
    type: "about:blank",
    title: "Network error",
    status: 0,
    detail: "Cannot reach the server. Check your connection and try again.",
    request_id: null,
  });
  if (cause !== undefined) (e as { cause?: unknown }).cause = cause;
  return e;
}

/** A sentence to show for any thrown value. */
export function describeError(e: unknown): string {
  if (e instanceof ApiError) return e.problem.detail || e.problem.title;
  if (e instanceof Error) return e.message;
  return String(e);
}

/**
 * The publish gate's refusal: the organisation requires conformance profiles the SBOM fails (409,
 * its detail naming the profiles and the failing rules).
 */
export function isConformanceRefusal(e: unknown): e is ApiError {
  return e instanceof ApiError && e.status === 409 && /before publication/i.test(e.problem.detail ?? "");
}

/**
 * The organisation requires two factors of its admins and this admin signed in with a password
 * alone: a 403 whose detail says so (the Account page turns them on).
 */
export function isTwoFactorsRequired(e: unknown): e is ApiError {
  return e instanceof ApiError && e.status === 403 && /two factors/i.test(e.problem.detail ?? "");
}
