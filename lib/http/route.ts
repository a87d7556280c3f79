import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { requireActor } from "@/lib/auth/session";
import type { Actor, Role } from "@/lib/roles";
import { env } from "@/lib/env.js";
import { getLogger } from "@/lib/log";
import { httpStatusByCode, InvalidInputError, isAppError, RateLimitedError } from "@/lib/errors";
import { assertSameOrigin, originOf } from "./same-origin";

/** The JSON body of every error answer. */
export type ErrorBody = { error: string; message: string; details?: unknown };

/**
 * Maps any thrown value to a response; unexpected errors are logged and never shown. The answer
 * to an unexpected error names the log entry (`requestId`) an operator can look for.
 */
export function errorResponse(error: unknown, request?: Request): Response {
  if (isAppError(error)) {
    const body: ErrorBody = { error: error.code, message: error.message };
    if (error.details !== undefined) body.details = error.details;
    const headers: HeadersInit = error instanceof RateLimitedError ? { "Retry-After": String(error.retryAfterSeconds) } : {};
    return Response.json(body, { status: httpStatusByCode[error.code], headers });
  }
  const requestId = randomUUID();
  const where = request ? { method: request.method, path: new URL(request.url).pathname } : {};
  getLogger().error({ err: error, requestId, ...where }, "unhandled error in route handler");
  const body: ErrorBody = { error: "internal_error", message: `Something went wrong. The server log has the details (request ${requestId}).` };
  return Response.json(body, { status: 500 });
}

type Context<Input> = { actor: Actor; input: Input; request: Request };

async function readInput(request: Request): Promise<unknown> {
  if (request.method === "GET" || request.method === "HEAD") {
    return Object.fromEntries(new URL(request.url).searchParams);
  }
  const text = await request.text();
  // A DELETE, or an action without options, may come without a body.
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new InvalidInputError("The request body must be JSON");
  }
}

/** The path ("title", "regexes.2") of the first text in a parsed input that holds a NUL character, or null. */
export function pathOfNulCharacter(value: unknown, path: readonly (string | number)[] = []): string | null {
  if (typeof value === "string") return value.includes("\u0000") ? path.join(".") || "(body)" : null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = pathOfNulCharacter(item, [...path, index]);
      if (found !== null) return found;
    }
    return null;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes("\u0000")) return [...path, key].join(".");
      const found = pathOfNulCharacter(item, [...path, key]);
      if (found !== null) return found;
    }
  }
  return null;
}

/** The dashboard's public origin when NEXTAUTH_URL names it (a proxy may rewrite the host the server sees). */
const publicOrigin = originOf(env.NEXTAUTH_URL);

/**
 * A route handler: refuses a state-changing request from another origin (same-origin.ts), authorises the role, parses the input (query for GET, JSON body otherwise,
 * with the path parameters) with the schema, calls the handler and answers with its JSON (a Response it returns is sent
 * as it is, for answers whose status depends on the outcome); errors go through errorResponse.
 */
export function route<Schema extends z.ZodType>(
  options: { role: Role; input: Schema; status?: number },
  handler: (context: Context<z.output<Schema>>) => Promise<unknown>,
): (request: Request, context?: { params: Promise<Record<string, string | string[]>> }) => Promise<Response> {
  return async (request, context) => {
    try {
      if (request.method !== "GET" && request.method !== "HEAD") assertSameOrigin(request, publicOrigin);
      const actor = await requireActor(request, options.role);
      // Path parameters ([id]) join the input, so the schema validates them too.
      const params = context ? await context.params : {};
      const body = await readInput(request);
      const input = body !== null && typeof body === "object" && !Array.isArray(body) ? { ...body, ...params } : body;
      const withNul = pathOfNulCharacter(input);
      // No text of ours holds a NUL character, and PostgreSQL's text type cannot store one.
      if (withNul !== null) throw new InvalidInputError("The request is not valid", [{ path: withNul, message: "must not contain a NUL character" }]);
      const parsed = options.input.safeParse(input);
      if (!parsed.success) {
        throw new InvalidInputError(
          "The request is not valid",
          parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
        );
      }
      const result = await handler({ actor, input: parsed.data, request });
      return result instanceof Response ? result : Response.json(result, { status: options.status ?? 200 });
    } catch (error) {
      return errorResponse(error, request);
    }
  };
}
