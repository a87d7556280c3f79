import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { embeddedPaths } from "@/lib/db/embedded/paths";
import { env } from "@/lib/env.js";

let cached: string | undefined;

/**
 * The key that signs session tokens: NEXTAUTH_SECRET, or else a random one generated once and
 * kept (mode 0600) in the data folder, so an installation with no configuration still has a
 * stable secret across restarts.
 */
export function getAuthSecret(): string {
  if (cached) return cached;
  if (env.NEXTAUTH_SECRET) return (cached = env.NEXTAUTH_SECRET);
  const file = embeddedPaths(env.PEAKS_DATA_DIR).authSecretFile;
  try {
    cached = readFileSync(file, "utf8").trim();
  } catch {
    mkdirSync(embeddedPaths(env.PEAKS_DATA_DIR).root, { recursive: true, mode: 0o700 });
    try {
      writeFileSync(file, randomBytes(32).toString("base64url"), { flag: "wx", mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    cached = readFileSync(file, "utf8").trim();
  }
  return cached;
}
