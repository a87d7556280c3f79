import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getConfig } from "@/lib/config";
import { getDatabase, getPrisma } from "@/lib/db/client";
import { env } from "@/lib/env.js";
import { endUserSessions } from "@/lib/db/users";
import { isAppError } from "@/lib/errors";
import { clientAddressOf } from "@/lib/auth/client-address";
import { CONNECTION_ADDRESS_HEADER, connectionAddressOf } from "@/lib/auth/connection-address";
import { authenticateWithPassword } from "./authenticate";
import { safeCallbackPath } from "./callback-url";
import { authCookies } from "./cookies";
import { getAuthSecret } from "./secret";
import { isHttpsSite } from "./security-headers.js";
import { decodeSessionToken } from "./session-token";

/** Error codes the login page understands (next-auth passes a thrown message through). */
export const LOGIN_ERROR_RATE_LIMITED = "RateLimited";
export const OIDC_PROVIDER_ID = "oidc";

/** The sign-in request's client address (see lib/http/client-address.ts), or null if unknown. */
function signInAddressOf(headers: Record<string, unknown> | undefined, trustedProxyHops: number): string | null {
  const forwardedFor = headers?.["x-forwarded-for"];
  return clientAddressOf({
    connectionAddress: connectionAddressOf(headers?.[CONNECTION_ADDRESS_HEADER]),
    forwardedFor: typeof forwardedFor === "string" ? forwardedFor : null,
    trustedProxyHops,
  });
}

function oidcProviders(): NextAuthOptions["providers"] {
  if (!env.OIDC_ISSUER || !env.OIDC_CLIENT_ID || !env.OIDC_CLIENT_SECRET) return [];
  return [
    {
      id: OIDC_PROVIDER_ID,
      name: env.OIDC_NAME,
      type: "oauth",
      wellKnown: `${env.OIDC_ISSUER.replace(/\/$/, "")}/.well-known/openid-configuration`,
      clientId: env.OIDC_CLIENT_ID,
      clientSecret: env.OIDC_CLIENT_SECRET,
      idToken: true,
      checks: ["pkce", "state"],
      authorization: { params: { scope: "openid email profile" } },
      profile(profile: { sub: string; email?: string; name?: string }) {
        return { id: profile.sub, email: profile.email ?? null, name: profile.name ?? null };
      },
    },
  ];
}

/** Whether an OIDC provider is configured (the login page shows its button). */
export function oidcProviderName(): string | null {
  return env.OIDC_ISSUER ? env.OIDC_NAME : null;
}

export const authOptions: NextAuthOptions = {
  secret: getAuthSecret(),
  cookies: authCookies({ isHttpsSite: isHttpsSite(), isSecure: false }),
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  jwt: { decode: decodeSessionToken },
  pages: { signIn: "/login", error: "/login" },
  providers: [
    CredentialsProvider({
      name: "E-mail and password",
      credentials: { email: { label: "E-mail", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, request) {
        if (!credentials?.email || !credentials.password) return null;
        const config = getConfig();
        try {
          const user = await authenticateWithPassword(
            await getDatabase(),
            {
              maxFailedLogins: config.auth.max_failed_logins,
              windowMinutes: config.auth.failed_login_window_minutes,
              maxFailedLoginsPerAddress: config.auth.max_failed_logins_per_address,
            },
            {
              email: credentials.email,
              password: credentials.password,
              clientAddress: signInAddressOf(request.headers, config.auth.trusted_proxy_hops),
              now: new Date(),
            },
          );
          return user ? { id: String(user.id), email: user.email, name: user.name, role: user.role } : null;
        } catch (error) {
          if (isAppError(error) && error.code === "rate_limited") throw new Error(LOGIN_ERROR_RATE_LIMITED);
          throw error;
        }
      },
    }),
    ...oidcProviders(),
  ],
  events: {
    // Signing out ends every session of the user, not only this browser's: the token itself
    // stays valid until it expires, so a copy of the cookie would otherwise keep working.
    async signOut({ token }) {
      if (typeof token?.userId === "number") await endUserSessions(await getPrisma(), token.userId);
    },
  },
  callbacks: {
    // Every destination next-auth redirects to (callbackUrl of sign-in and sign-out, from the
    // request or its cookie) passes here; baseUrl is the origin of NEXTAUTH_URL. next-auth's
    // default accepted any value starting with "/", "/\t/evil.example" included.
    redirect({ url, baseUrl }) {
      return `${baseUrl}${safeCallbackPath(url, baseUrl)}`;
    },
    async signIn({ user, account }) {
      if (account?.provider !== OIDC_PROVIDER_ID) return true;
      if (!user.email) return false;
      const prisma = await getPrisma();
      const email = user.email.toLowerCase();
      const existing = await prisma.user.upsert({
        where: { email },
        create: { email, name: user.name ?? null, role: getConfig().auth.oidc_default_role, lastLoginAt: new Date() },
        update: { lastLoginAt: new Date() },
        select: { isDisabled: true },
      });
      return !existing.isDisabled;
    },
    async jwt({ token, user, account }) {
      if (user && account) {
        const prisma = await getPrisma();
        const stored = await prisma.user.findUnique({
          where: { email: (user.email ?? "").toLowerCase() },
          select: { id: true, role: true, sessionVersion: true },
        });
        if (stored) {
          token.userId = stored.id;
          token.role = stored.role;
          token.sessionVersion = stored.sessionVersion;
        }
      }
      return token;
    },
    session({ session, token }) {
      if (token.userId !== undefined && token.role !== undefined) {
        session.user = { id: token.userId, email: token.email ?? "", name: token.name ?? null, role: token.role };
      }
      return session;
    },
  },
};

/**
 * The options for one request to next-auth's routes: its cookies are marked `Secure` when the
 * request came over HTTPS, even if NEXTAUTH_URL names a plain-HTTP URL (see authCookies).
 */
export function authOptionsFor(request: { isHttps: boolean }): NextAuthOptions {
  if (!request.isHttps || isHttpsSite()) return authOptions;
  return { ...authOptions, cookies: authCookies({ isHttpsSite: false, isSecure: true }) };
}
