import { decode, getToken, type JWT, type JWTDecodeParams } from "next-auth/jwt";
import { authCookies } from "./cookies";
import { getAuthSecret } from "./secret";
import { isHttpsSite } from "./security-headers.js";

/** Decoded session tokens kept per process; the oldest is dropped beyond this many. */
const MAX_CACHED_TOKENS = 1000;
/** next-auth's allowance for clock skew when it checks `exp`, in seconds. */
const CLOCK_TOLERANCE_SECONDS = 15;

const decodedByToken = new Map<string, JWT>();

/**
 * next-auth's session-token decoding, remembered per token. Decoding derives the key with HKDF
 * and decrypts the token, which costs about a millisecond of CPU on every request; a token is
 * immutable (encrypted and authenticated), so its payload is reused until the token expires.
 * Only tokens that decoded successfully are remembered, keyed by the secret, salt and token.
 */
export async function decodeSessionToken(params: JWTDecodeParams): Promise<JWT | null> {
  if (!params.token) return null;
  const key = `${String(params.secret)}\u0000${params.salt ?? ""}\u0000${params.token}`;
  const cached = decodedByToken.get(key);
  if (cached) {
    if (typeof cached.exp === "number" && cached.exp + CLOCK_TOLERANCE_SECONDS < Date.now() / 1000) {
      decodedByToken.delete(key);
      return null;
    }
    return cached;
  }
  const payload = await decode(params);
  if (payload) {
    if (decodedByToken.size >= MAX_CACHED_TOKENS) {
      const oldest = decodedByToken.keys().next().value;
      if (oldest !== undefined) decodedByToken.delete(oldest);
    }
    decodedByToken.set(key, payload);
  }
  return payload;
}

type TokenRequest = Parameters<typeof getToken>[0]["req"];

export type CookieReader = { getAll(): readonly { name: string; value: string }[] };

/**
 * The payload of the session token among a request's cookies, or null: the one way the proxy
 * and getActor read a session. next-auth's getToken finds the cookie (its name follows
 * NEXTAUTH_URL, see authCookies) and joins a token it split into chunks; decoding is cached.
 * Only the cookie counts: no Authorization header is passed, so no bearer token is accepted.
 */
export async function readSessionToken(cookies: CookieReader): Promise<JWT | null> {
  return getToken({
    // getToken reads nothing of its request but `cookies` (a plain object is one of the forms it
    // takes) and `headers` (for a bearer token); its type asks for a whole Next.js request.
    req: { cookies: Object.fromEntries(cookies.getAll().map((cookie) => [cookie.name, cookie.value])), headers: new Headers() } as unknown as TokenRequest,
    secret: getAuthSecret(),
    secureCookie: isHttpsSite(),
    cookieName: authCookies({ isHttpsSite: isHttpsSite(), isSecure: false }).sessionToken.name,
    decode: decodeSessionToken,
  });
}
