import { readFileSync } from "node:fs";
import path from "node:path";
import { env } from "@/lib/env.js";
import { ConfigurationError } from "@/lib/errors";
import { parseConfig, type FrozenConfig } from "./parse";

export { formatConfigProblem, parseConfig, readConfigText, type ConfigProblem, type FrozenConfig } from "./parse";

/** Reads and parses a values.yaml file. */
export function loadConfig(file: string): FrozenConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigurationError(`Cannot read the configuration ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parseConfig(text, path.relative(process.cwd(), file) || file);
}

let cached: FrozenConfig | undefined;

/** The configuration named by PEAKS_CONFIG (default values.yaml), parsed once. */
export function getConfig(): FrozenConfig {
  cached ??= loadConfig(path.resolve(env.PEAKS_CONFIG));
  return cached;
}
