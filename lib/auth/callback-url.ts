// C0 and C1 control characters and DEL. The URL parser drops tabs and newlines silently, so
// "/\t/evil.example" would reach a browser as "//evil.example": refused before parsing.
const CONTROL_CHARACTER = /[\u0000-\u001F\u007F-\u009F]/;
const URL_SCHEME = /^[a-zA-Z][a-zA-Z\d+.-]*:/;
const HOME = "/";

/**
 * Where to send the browser after signing in, or "/" when `value` could lead anywhere but this
 * site (no open redirects).
 *
 * `value` is parsed as a WHATWG URL against `siteOrigin`, as a browser would, and kept only when
 * it resolves to that same origin (scheme, host and port); it is returned as a path
 * ("/peaks?state=open#top") so that it stays on whatever origin the browser is on. Refused
 * outright: control characters (tabs and newlines included), backslashes (read as "/" by
 * browsers), and relative paths not starting with "/".
 */
export function safeCallbackPath(value: string | null | undefined, siteOrigin: string): string {
  if (!value || CONTROL_CHARACTER.test(value) || value.includes("\\")) return HOME;
  if (!value.startsWith("/") && !URL_SCHEME.test(value)) return HOME;
  let site: URL;
  let target: URL;
  try {
    site = new URL(siteOrigin);
    target = new URL(value, site);
  } catch {
    return HOME;
  }
  // An opaque origin ("null": javascript:, data:, …) never equals a site's origin, but two
  // opaque origins would compare equal as strings.
  if (site.origin === "null" || target.origin !== site.origin) return HOME;
  const path = `${target.pathname}${target.search}${target.hash}`;
  // Dot segments can leave a path starting with "//" ("/.//evil.example" resolves to the path
  // "//evil.example"), which a browser reads as another host.
  if (!path.startsWith("/") || path.startsWith("//")) return HOME;
  return path;
}
