/** An error answer of the product's API, with its status, code and per-field details. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null,
    readonly details: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Fetches JSON from the product's API; an error answer becomes an ApiError with its message. */
export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, { ...init, headers: { "content-type": "application/json", ...init?.headers } });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const field = (name: string): unknown => (body && typeof body === "object" && name in body ? (body as Record<string, unknown>)[name] : undefined);
    const message = field("message");
    const code = field("error");
    throw new ApiError(
      typeof message === "string" ? message : `${response.status} ${response.statusText}`,
      response.status,
      typeof code === "string" ? code : null,
      field("details"),
    );
  }
  return body as T;
}
