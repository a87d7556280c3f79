// Reads the process environment, with the .env files loaded into it, and nothing else: lib/env.js
// parses it, and `peaks config check` reads it without lib/env.js, which refuses an invalid one.
import nextEnv from "@next/env";

// The same .env files, in the same order of precedence, for the CLI as for Next.js itself
// (.env.$NODE_ENV.local, .env.local, .env.$NODE_ENV, .env; the process environment wins).
nextEnv.loadEnvConfig(process.cwd(), process.env.NODE_ENV !== "production", { info: () => {}, error: console.error });

/**
 * A copy of the process environment, .env files included.
 * @returns {Record<string, string | undefined>}
 */
export function environmentSource() {
  return { ...process.env };
}
