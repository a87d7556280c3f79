import { createHash, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env.js";
import { UnauthenticatedError } from "@/lib/errors";
import { errorResponse } from "./route";

function digest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}

/**
 * Whether an Authorization header carries `Bearer <secret>`. Both sides are hashed first so
 * that the comparison takes the same time whatever the header's length or content.
 */
export function isBearerAuthorized(header: string | null, secret: string | undefined): boolean {
  if (!secret) return false;
  const expected = digest(`Bearer ${secret}`);
  const given = digest(header ?? "");
  return timingSafeEqual(expected, given);
}

/**
 * A scheduled-job route (Vercel-style cron: GET with `Authorization: Bearer $CRON_SECRET`):
 * 401 unless authorized, then the job's JSON; errors through errorResponse.
 */
export function cronRoute(job: () => Promise<unknown>): (request: Request) => Promise<Response> {
  return async (request) => {
    try {
      if (!isBearerAuthorized(request.headers.get("authorization"), env.CRON_SECRET)) {
        throw new UnauthenticatedError(
          env.CRON_SECRET ? "Scheduled jobs need Authorization: Bearer $CRON_SECRET" : "Scheduled jobs are off: CRON_SECRET is not set",
        );
      }
      return Response.json(await job());
    } catch (error) {
      return errorResponse(error);
    }
  };
}
