import { isMap, isNode, isScalar, LineCounter, parseDocument } from "yaml";
import { ConfigurationError } from "@/lib/errors";
import { configSchema, type Config } from "./schema";

// Reading a values.yaml text, without the file system or the environment: the loader
// (index.ts) and `peaks config check` (check.ts) share it.

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

/** One problem of a values.yaml text: where it is and what is wrong. */
export type ConfigProblem = {
  /** The file name as given to the parser. */
  file: string;
  /** 1-based; absent when the problem has no place in the text. */
  line?: number;
  /** Dotted with [index] for list items; absent for a syntax error, "(root)" for the whole document. */
  keyPath?: string;
  message: string;
};

/** A problem as one line: `values.yaml:14: peak_detection.max_ratio_multiplier: must be at least min_ratio_multiplier`. */
export function formatConfigProblem(problem: ConfigProblem): string {
  return `${problem.file}${problem.line ? `:${problem.line}` : ""}: ${problem.keyPath === undefined ? "" : `${problem.keyPath}: `}${problem.message}`;
}

/** What to do about a key the file lacks: keys without a default are required. */
const MISSING_KEY_ADVICE = "this key has no default; copy it from the values.yaml that comes with the project";

/**
 * Parses a values.yaml text into the configuration (defaults filled in) or every problem it has.
 * @param source the file name used in problems
 */
export function readConfigText(text: string, source: string): { config: FrozenConfig; problems: [] } | { config: null; problems: ConfigProblem[] } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    const problems = document.errors.map((error): ConfigProblem => {
      // linePos is only filled in with prettyErrors, so the line comes from the offset.
      const offset = error.pos[0];
      const line = offset >= 0 ? lineCounter.linePos(offset).line : undefined;
      return { file: source, ...(line ? { line } : {}), message: error.message.split("\n")[0] ?? error.message };
    });
    return { config: null, problems };
  }
  if (!isMap(document.contents)) {
    return { config: null, problems: [{ file: source, keyPath: "(root)", message: "must be a mapping of keys to values" }] };
  }
  const result = configSchema.safeParse(document.toJS());
  if (!result.success) {
    const problems = result.error.issues.map((issue): ConfigProblem => {
      const keyPath = issue.path
        .map((part) => (typeof part === "number" ? `[${part}]` : String(part)))
        .join(".")
        .replaceAll(".[", "[");
      // An unknown key is reported on the mapping; point at the (first) unknown key itself.
      const unknownKey = issue.code === "unrecognized_keys" ? issue.keys[0] : undefined;
      const line =
        (unknownKey === undefined ? undefined : lineOfKey(document, lineCounter, issue.path, unknownKey)) ?? lineOfPath(document, lineCounter, issue.path);
      // A key the file does not have at all: say so, rather than the type it lacks ("expected object, received undefined").
      const isMissing = issue.code === "invalid_type" && issue.path.length > 0 && !document.hasIn(issue.path);
      return {
        file: source,
        ...(line ? { line } : {}),
        keyPath: keyPath || "(root)",
        message: isMissing ? `is missing: ${MISSING_KEY_ADVICE}` : issue.message,
      };
    });
    return { config: null, problems };
  }
  return { config: deepFreeze(result.data), problems: [] };
}

/**
 * Parses a values.yaml text; a problem names the file, the key path, the line and the reason.
 * Throws ConfigurationError listing every problem.
 * @param source the file name used in messages
 */
export function parseConfig(text: string, source: string): FrozenConfig {
  const read = readConfigText(text, source);
  if (read.config) return read.config;
  const problems = read.problems.map(formatConfigProblem);
  throw new ConfigurationError(`Invalid configuration:\n  ${problems.join("\n  ")}`, problems);
}
