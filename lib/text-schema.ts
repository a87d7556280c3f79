import { z } from "zod";

/** Optional text of at most `max` characters, trimmed; blank is the same as absent, so an emptied field or search box clears it. */
export function optionalText(max: number) {
  return z
    .string()
    .trim()
    .max(max)
    .transform((value) => (value === "" ? undefined : value))
    .optional();
}

/** True for an absolute http(s) URL, the only kind of link a known issue may carry. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}
