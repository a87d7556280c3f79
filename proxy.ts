import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { getAuthSecret } from "@/lib/auth/secret";

// Reachable without a session: sign-in, next-auth's own routes, the health probe and cron
// routes (which check their own bearer secret).
const PUBLIC_PREFIXES = ["/login", "/api/auth/", "/api/health", "/api/cron/"];

/**
 * First gate only: a request without a session gets 401 (API) or a redirect to the login page.
 * Roles are enforced again by every route handler and the data layer.
 */
export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (PUBLIC_PREFIXES.some((prefix) => pathname === prefix.replace(/\/$/, "") || pathname.startsWith(prefix))) {
    return NextResponse.next();
  }
  const token = await getToken({ req: request, secret: getAuthSecret() });
  if (token) return NextResponse.next();
  if (pathname.startsWith("/api/")) {
    return NextResponse.json({ error: "unauthenticated", message: "Sign in to continue" }, { status: 401 });
  }
  const login = new URL("/login", request.url);
  login.searchParams.set("callbackUrl", `${pathname}${search}`);
  return NextResponse.redirect(login);
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|robots.txt).*)"],
};
