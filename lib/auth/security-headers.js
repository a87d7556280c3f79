// The security headers of every response. Plain JavaScript (type-checked through JSDoc) because
// next.config.mjs imports it as well as proxy.ts and the auth route.
//
// Who sends what:
// - next.config.mjs `headers()` puts `securityHeaders()` on every path, static assets, API
//   responses and 404s included, with NON_PAGE_CONTENT_SECURITY_POLICY;
// - proxy.ts replaces that policy on pages with `pageContentSecurityPolicy()`, carrying a fresh
//   nonce per request (a header the proxy sets overrides one of next.config for the same key).
import { env } from "../env.js";

/** Two years, and subdomains: the dashboard's own host name is not shared with plain-HTTP sites. */
export const STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";

/**
 * The policy of everything that is not a page: JSON, scripts and styles fetched by pages, images,
 * 404s of static paths. None of it is a document that should load anything; `form-action 'self'`
 * keeps next-auth's own confirmation page (GET /api/auth/signout) usable.
 */
export const NON_PAGE_CONTENT_SECURITY_POLICY = "default-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** Whether the site's public URL (NEXTAUTH_URL) is an HTTPS one. */
export function isHttpsSite() {
  return env.NEXTAUTH_URL?.startsWith("https://") ?? false;
}

/**
 * Whether a request reached the site over HTTPS: its URL says so (TLS ended at Next.js), or the
 * reverse proxy that ended TLS says so in X-Forwarded-Proto (its first value is the client's side).
 * A client can claim X-Forwarded-Proto itself, but only gets stricter headers on its own response.
 * @param {{ url: string; headers: { get(name: string): string | null } }} request
 */
export function requestIsHttps(request) {
  const forwarded = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  if (forwarded) return forwarded === "https";
  return request.url.startsWith("https://");
}

/** A nonce for one response's Content-Security-Policy: 128 random bits, base64. */
export function createNonce() {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

/**
 * The Content-Security-Policy of a page. Next.js reads the nonce back from this policy in the
 * request headers (set by the proxy) and puts it on every script it renders; the chunks those
 * scripts load are trusted through 'strict-dynamic', so 'self' is only a fallback for old browsers.
 * @param {{ nonce: string; isDevelopment: boolean; isHttps: boolean }} options
 */
export function pageContentSecurityPolicy({ nonce, isDevelopment, isHttps }) {
  const directives = [
    "default-src 'self'",
    // `next dev` needs eval for React's debugging (server stacks, Fast Refresh); a build does not.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDevelopment ? " 'unsafe-eval'" : ""}`,
    // <style> elements: Next.js puts the nonce on its own. `next dev` injects styles for hot
    // reloading without one, so there (only) any inline <style> is allowed.
    isDevelopment ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    // style="…" attributes cannot carry a nonce, and the server-rendered HTML has many: our
    // components' inline widths and colours and recharts' SVG (chart sizes, wrapper positions).
    // An attribute can only style, not run script, so allowing attributes alone is a small risk.
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    // Over plain HTTP (localhost) this would send the page's own requests to https:// and break it.
    ...(isHttps ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/**
 * The headers of every response (next.config.mjs `headers()`); pages get another policy from
 * the proxy.
 * @param {{ isHttps: boolean }} options
 * @returns {{ key: string; value: string }[]}
 */
export function securityHeaders({ isHttps }) {
  return [
    { key: "Content-Security-Policy", value: NON_PAGE_CONTENT_SECURITY_POLICY },
    // The header older browsers understand; frame-ancestors 'none' is the same for current ones.
    { key: "X-Frame-Options", value: "DENY" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "Referrer-Policy", value: "same-origin" },
    ...(isHttps ? [{ key: "Strict-Transport-Security", value: STRICT_TRANSPORT_SECURITY }] : []),
  ];
}
