import type { CookiesOptions } from "next-auth";

const FIFTEEN_MINUTES_IN_SECONDS = 15 * 60;

/**
 * next-auth's cookies, with its own names and options (next-auth/core/lib/cookie, which the
 * package does not export), and `Secure` set apart from the names:
 *
 * - `isHttpsSite` (NEXTAUTH_URL is https) gives the `__Secure-` / `__Host-` names, as next-auth
 *   does. The names must stay the same for every request: the proxy and getActor look the
 *   session cookie up by a name derived from NEXTAUTH_URL alone (readSessionToken).
 * - `isSecure` marks them `Secure`: the site is HTTPS, or this request came over HTTPS (a reverse
 *   proxy ended TLS while NEXTAUTH_URL still names a plain-HTTP URL).
 */
export function authCookies({ isHttpsSite, isSecure }: { isHttpsSite: boolean; isSecure: boolean }): CookiesOptions {
  const prefix = isHttpsSite ? "__Secure-" : "";
  const secure = isHttpsSite || isSecure;
  const options = { httpOnly: true, sameSite: "lax", path: "/", secure } as const;
  return {
    sessionToken: { name: `${prefix}next-auth.session-token`, options },
    callbackUrl: { name: `${prefix}next-auth.callback-url`, options },
    csrfToken: { name: `${isHttpsSite ? "__Host-" : ""}next-auth.csrf-token`, options },
    pkceCodeVerifier: { name: `${prefix}next-auth.pkce.code_verifier`, options: { ...options, maxAge: FIFTEEN_MINUTES_IN_SECONDS } },
    state: { name: `${prefix}next-auth.state`, options: { ...options, maxAge: FIFTEEN_MINUTES_IN_SECONDS } },
    nonce: { name: `${prefix}next-auth.nonce`, options },
  };
}
