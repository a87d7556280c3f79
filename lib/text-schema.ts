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
