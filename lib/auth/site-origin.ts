import { env } from "@/lib/env.js";

/**
 * The site's own origin, which callback URLs must resolve to: that of its public URL
 * (NEXTAUTH_URL, which next-auth builds its URLs from too), or else the origin the request was
 * made to (`next dev` started without NEXTAUTH_URL).
 */
export function siteOrigin(requestHeaders: { get(name: string): string | null }): string {
  if (env.NEXTAUTH_URL) return new URL(env.NEXTAUTH_URL).origin;
  const protocol = requestHeaders.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https" ? "https" : "http";
  return `${protocol}://${requestHeaders.get("host") ?? "localhost"}`;
}
