import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { getAuthSecret } from "@/lib/auth/secret";
import { decodeSessionToken } from "@/lib/auth/session-token";

/**
 * First gate of the pages only: a page request without a session is redirected to the login
 * page. The API is not matched: every route handler authenticates and authorises its request
 * itself (401 without a session), so checking there too would only decode the session twice.
 */
export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (pathname === "/login" || pathname.startsWith("/login/")) return NextResponse.next();
  const token = await getToken({ req: request, secret: getAuthSecret(), decode: decodeSessionToken });
  if (token) return NextResponse.next();
  const login = new URL("/login", request.url);
  login.searchParams.set("callbackUrl", `${pathname}${search}`);
  return NextResponse.redirect(login);
}

export const config = {
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico|robots.txt).*)"],
};
