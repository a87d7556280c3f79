import { z } from "zod";

const fieldIssueSchema = z.object({ path: z.string(), message: z.string() });
const errorBodySchema = z.object({
  error: z.string(),
  message: z.string(),
  // Only invalid_input answers name fields; anything else in `details` is not for a form.
  details: z.array(fieldIssueSchema).optional().catch(undefined),
});

/** An error answer of the API, keeping the fields it names (`details`) for the form to place. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string | null;
  readonly issues: { path: string; message: string }[];

  constructor(status: number, code: string | null, message: string, issues: { path: string; message: string }[] = []) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.issues = issues;
  }
}

/** The error an answer stands for: the API's own body when it has one, else the HTTP status. */
export function apiErrorFromAnswer(status: number, statusText: string, body: unknown): ApiError {
  const parsed = errorBodySchema.safeParse(body);
  if (!parsed.success) return new ApiError(status, null, `${status} ${statusText}`.trim());
  return new ApiError(status, parsed.data.error, parsed.data.message, parsed.data.details ?? []);
}

/** Fetches JSON from the product's API; an error answer becomes an ApiError with its message and field issues. */
export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, { ...init, headers: { "content-type": "application/json", ...init?.headers } });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) throw apiErrorFromAnswer(response.status, response.statusText, body);
  return body as T;
}

/**
 * The message with the field issues it stands for ("The request is not valid" alone says little).
 * A list entry's issue goes without its path: its index counts only the non-blank rows sent,
 * and its message quotes the value (a regex's does).
 */
export function describeError(error: Error): string {
  if (!(error instanceof ApiError) || error.issues.length === 0) return error.message;
  return error.issues.map((issue) => (issue.path === "" || issue.path.includes(".") ? issue.message : `${issue.path}: ${issue.message}`)).join("; ");
}
