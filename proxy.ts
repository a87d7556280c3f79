import { NextResponse, type NextRequest } from "next/server";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { createNonce, isHttpsSite, pageContentSecurityPolicy, requestIsHttps, STRICT_TRANSPORT_SECURITY } from "@/lib/auth/security-headers.js";
import { readSessionToken } from "@/lib/auth/session-token";
import { env } from "@/lib/env.js";

/**
 * Runs before every page (not the API, not static files):
 * - gives the page a Content-Security-Policy with a nonce of its own, which replaces the
 *   non-page policy of next.config.mjs, and HSTS when the page is served over HTTPS;
 * - is the first gate of the pages: a page request without a session is redirected to the login
 *   page. The API is not matched: every route handler authenticates and authorises its request
 *   itself (401 without a session), so checking there too would only decode the session twice.
 */
export async function proxy(request: NextRequest) {
  const isHttps = isHttpsSite() || requestIsHttps(request);
  const policy = pageContentSecurityPolicy({ nonce: createNonce(), isDevelopment: env.NODE_ENV === "development", isHttps });
  const response = await admitOrRedirect(request, policy);
  response.headers.set("Content-Security-Policy", policy);
  if (isHttps) response.headers.set("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
  return response;
}

async function admitOrRedirect(request: NextRequest, policy: string): Promise<NextResponse> {
  const { pathname, search } = request.nextUrl;
  if (pathname === "/login" || pathname.startsWith("/login/")) return admit(request, policy);
  const token = await readSessionToken(request.cookies);
  if (token) return admit(request, policy);
  const login = new URL("/login", request.url);
  login.searchParams.set("callbackUrl", safeCallbackPath(`${pathname}${search}`, request.nextUrl.origin));
  return NextResponse.redirect(login);
}

/**
 * Passes the request on with the policy among its headers: Next.js reads the nonce from the
 * request's Content-Security-Policy while rendering and puts it on every script it emits.
 */
function admit(request: NextRequest, policy: string): NextResponse {
  const headers = new Headers(request.headers);
  headers.set("Content-Security-Policy", policy);
  return NextResponse.next({ request: { headers } });
}

// Static files go to everyone, signed in or not: the icons (app/favicon.ico, app/icon.svg) are never redirected to the login page.
export const config = {
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico|icon.svg|robots.txt).*)"],
};
