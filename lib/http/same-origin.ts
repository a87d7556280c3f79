import { ForbiddenError } from "@/lib/errors";

/**
 * The guard against cross-site request forgery that every state-changing route handler passes
 * (lib/http/route.ts): a browser marks where a request comes from, and only this dashboard's own
 * pages may change anything. A session cookie alone proves nothing: a page on another port of the
 * same host, or a sibling subdomain, is "same-site" and gets the cookie.
 *
 * - `Sec-Fetch-Site` (sent by every current browser): must be `same-origin`.
 * - Otherwise `Origin`: must be the origin the request was made to, or the configured public
 *   origin (`NEXTAUTH_URL`, when a proxy rewrites the host).
 * - Neither header: refused; a script sends `Origin: <the dashboard's URL>`.
 * - A body is read as JSON only with `Content-Type: application/json`, which a plain HTML form
 *   cannot send (it can send text/plain without a preflight).
 */
export function assertSameOrigin(request: Request, publicOrigin: string | null): void {
  const fetchSite = request.headers.get("sec-fetch-site");
  // An empty header is no header; "null" (an opaque origin: a sandboxed frame, a file) is a foreign one.
  const origin = request.headers.get("origin") || null;
  const own = new URL(request.url).origin;
  if (fetchSite !== null && fetchSite !== "same-origin") {
    throw new ForbiddenError(`Cross-origin request refused: it came from a ${fetchSite} page (Sec-Fetch-Site), not from this dashboard`);
  }
  if (fetchSite === null) {
    if (origin === null) {
      throw new ForbiddenError(`Request refused: it carries no Origin header; scripts send "Origin: ${publicOrigin ?? own}" with their requests`);
    }
    if (origin !== own && origin !== publicOrigin) {
      throw new ForbiddenError(`Cross-origin request refused: Origin ${JSON.stringify(origin)} is not this dashboard (${publicOrigin ?? own})`);
    }
  }
  const contentType = request.headers.get("content-type");
  if (declaresBody(request)) {
    const mediaType = contentType?.split(";")[0]?.trim().toLowerCase() ?? "";
    if (mediaType !== "application/json") {
      throw new ForbiddenError(`Request refused: the body must be JSON sent as Content-Type: application/json${contentType ? `, not ${contentType}` : ""}`);
    }
  }
}

/**
 * Whether a request says it carries a body. HTTP/1.1 sends a body only with Content-Length or
 * Transfer-Encoding (a browser adds a Content-Type to every body it sends); the server hands
 * route handlers a body stream even for a DELETE without one, so the stream proves nothing. A
 * request without a body is read as `{}`.
 */
function declaresBody(request: Request): boolean {
  const length = request.headers.get("content-length");
  return request.headers.get("content-type") !== null || request.headers.get("transfer-encoding") !== null || (length !== null && length.trim() !== "0");
}

/** The origin of a configured public URL (NEXTAUTH_URL), or null. */
export function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
