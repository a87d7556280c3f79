import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptionsFor } from "@/lib/auth/options";
import { requestIsHttps } from "@/lib/auth/security-headers.js";

type NextAuthContext = { params: Promise<{ nextauth: string[] }> };

// Options per request rather than NextAuth(authOptions) once: whether the request came over
// HTTPS decides whether its cookies are marked Secure.
function handler(request: NextRequest, context: NextAuthContext): Promise<Response> {
  return NextAuth(request, context, authOptionsFor({ isHttps: requestIsHttps(request) }));
}

export { handler as GET, handler as POST };
