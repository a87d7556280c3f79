import { decode, type JWT, type JWTDecodeParams } from "next-auth/jwt";

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

export type CookieReader = { getAll(): readonly { name: string; value: string }[] };

/** The session cookie's name: next-auth marks it `__Secure-` when the site is served over HTTPS. */
export function sessionCookieName(siteUrl: string | undefined): string {
  return siteUrl?.startsWith("https://") ? "__Secure-next-auth.session-token" : "next-auth.session-token";
}

/**
 * The session token of a request's cookies, or null. A large token is split by next-auth into
 * chunks named `<name>.0`, `<name>.1`, …, joined here in order.
 */
export function readSessionCookie(cookies: CookieReader, name: string): string | null {
  const chunks = cookies
    .getAll()
    .filter((cookie) => cookie.name === name || cookie.name.startsWith(`${name}.`))
    .map((cookie) => ({ index: cookie.name === name ? 0 : Number(cookie.name.slice(name.length + 1)), value: cookie.value }))
    .filter((chunk) => Number.isInteger(chunk.index))
    .sort((a, b) => a.index - b.index);
  return chunks.length > 0 ? chunks.map((chunk) => chunk.value).join("") : null;
}
