import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { embeddedPaths } from "@/lib/db/embedded/paths";
import { env } from "@/lib/env.js";
import { ConfigurationError } from "@/lib/errors";

let cached: string | undefined;

/**
 * The key kept in a data folder for installations that set no NEXTAUTH_SECRET: read, or
 * generated once (mode 0600). A folder where it cannot be kept (a read-only file system, as on
 * Vercel) is a ConfigurationError naming NEXTAUTH_SECRET and the folder.
 */
export function keptAuthSecret(dataDir: string): string {
  const paths = embeddedPaths(dataDir);
  try {
    return readFileSync(paths.authSecretFile, "utf8").trim();
  } catch {
    try {
      mkdirSync(paths.root, { recursive: true, mode: 0o700 });
      writeFileSync(paths.authSecretFile, randomBytes(32).toString("base64url"), { flag: "wx", mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        const reason = error instanceof Error ? error.message : String(error);
        throw new ConfigurationError(
          `NEXTAUTH_SECRET is not set, and no session key can be kept in ${paths.root} (${reason}); set NEXTAUTH_SECRET (\`openssl rand -base64 32\`)`,
          undefined,
          { cause: error },
        );
      }
    }
    return readFileSync(paths.authSecretFile, "utf8").trim();
  }
}

/**
 * The key that signs session tokens: NEXTAUTH_SECRET, or else a random one generated once and
 * kept in the data folder, so an installation with no configuration still has a stable secret
 * across restarts.
 */
export function getAuthSecret(): string {
  if (cached) return cached;
  cached = env.NEXTAUTH_SECRET ?? keptAuthSecret(env.PEAKS_DATA_DIR);
  return cached;
}
