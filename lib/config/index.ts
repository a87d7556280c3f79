import { readFileSync } from "node:fs";
import path from "node:path";
import { isMap, isNode, isScalar, LineCounter, parseDocument } from "yaml";
import { env } from "@/lib/env.js";
import { ConfigurationError } from "@/lib/errors";
import { configSchema, type Config } from "./schema";

type DeepReadonly<T> = T extends (infer Item)[] ? readonly DeepReadonly<Item>[] : T extends object ? { readonly [Key in keyof T]: DeepReadonly<T[Key]> } : T;

export type FrozenConfig = DeepReadonly<Config>;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Line of the deepest node along a key path that exists in the document. */
function lineOfPath(document: ReturnType<typeof parseDocument>, lineCounter: LineCounter, keyPath: readonly PropertyKey[]): number | undefined {
  for (let length = keyPath.length; length > 0; length -= 1) {
    const node: unknown = document.getIn(keyPath.slice(0, length) as (string | number)[], true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return undefined;
}

/** Line of the key `key` in the mapping at `keyPath` (the root mapping for an empty path). */
function lineOfKey(document: ReturnType<typeof parseDocument>, lineCounter: LineCounter, keyPath: readonly PropertyKey[], key: string): number | undefined {
  const parent: unknown = keyPath.length === 0 ? document.contents : document.getIn(keyPath as (string | number)[], true);
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
  const range = isNode(pair?.key) ? pair.key.range : undefined;
  return range ? lineCounter.linePos(range[0]).line : undefined;
}

/**
 * Parses a values.yaml text; a problem names the file, the key path, the line and the reason.
 * @param source the file name used in messages
 */
export function parseConfig(text: string, source: string): FrozenConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    const problems = document.errors.map((error) => {
      // linePos is only filled in with prettyErrors, so the line comes from the offset.
      const offset = error.pos[0];
      const line = offset >= 0 ? lineCounter.linePos(offset).line : undefined;
      return `${source}${line ? `:${line}` : ""}: ${error.message.split("\n")[0]}`;
    });
    throw new ConfigurationError(`Invalid configuration:\n  ${problems.join("\n  ")}`, problems);
  }
  if (!isMap(document.contents)) {
    throw new ConfigurationError(`Invalid configuration: ${source} must be a mapping of keys to values`);
  }
  const result = configSchema.safeParse(document.toJS());
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const keyPath = issue.path
        .map((part) => (typeof part === "number" ? `[${part}]` : String(part)))
        .join(".")
        .replaceAll(".[", "[");
      // An unknown key is reported on the mapping; point at the (first) unknown key itself.
      const unknownKey = issue.code === "unrecognized_keys" ? issue.keys[0] : undefined;
      const line =
        (unknownKey === undefined ? undefined : lineOfKey(document, lineCounter, issue.path, unknownKey)) ?? lineOfPath(document, lineCounter, issue.path);
      return `${source}${line ? `:${line}` : ""}: ${keyPath || "(root)"}: ${issue.message}`;
    });
    throw new ConfigurationError(`Invalid configuration:\n  ${problems.join("\n  ")}`, problems);
  }
  return deepFreeze(result.data);
}

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
