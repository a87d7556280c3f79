import { NotFoundError } from "@/lib/errors";
import { errorResponse } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * Any API path no route handler claims, whatever the method: a 404 in the API's JSON error shape
 * rather than Next.js's HTML not-found page, which the API's Content-Security-Policy leaves
 * unstyled. Every real route is more specific and wins, so an unsupported method on one stays a
 * 405. No session is asked for: real routes answer 401 without one, so a 404 here tells nothing
 * that a 401 there does not.
 */
function answerNoSuchRoute(): Response {
  return errorResponse(new NotFoundError("No such API route"));
}

export {
  answerNoSuchRoute as DELETE,
  answerNoSuchRoute as GET,
  answerNoSuchRoute as HEAD,
  answerNoSuchRoute as OPTIONS,
  answerNoSuchRoute as PATCH,
  answerNoSuchRoute as POST,
  answerNoSuchRoute as PUT,
};
