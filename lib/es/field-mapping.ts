/** Names of the document fields (dotted paths), as in values.yaml source.fields. */
export type FieldMapping = Readonly<{
  timestamp: string;
  namespace: string;
  app: string;
  level: string;
  message: string;
  trace_id: string;
  /** The application's version; documents without it have none. */
  version: string;
}>;

export type Accessor = (document: Record<string, unknown>) => unknown;

/** Reads a dotted path from a document: a flat key with dots ("kubernetes.namespace") or nested objects. */
export function accessorOf(fieldPath: string): Accessor {
  const parts = fieldPath.split(".");
  return (document) => {
    const flat = document[fieldPath];
    if (flat !== undefined) return flat;
    let value: unknown = document;
    for (const part of parts) {
      if (value === null || typeof value !== "object") return undefined;
      value = (value as Record<string, unknown>)[part];
    }
    return value;
  };
}

/** The accessors of every mapped field. */
export function accessorsOf(fields: FieldMapping) {
  return {
    timestamp: accessorOf(fields.timestamp),
    namespace: accessorOf(fields.namespace),
    app: accessorOf(fields.app),
    level: accessorOf(fields.level),
    message: accessorOf(fields.message),
    traceId: accessorOf(fields.trace_id),
    version: accessorOf(fields.version),
  };
}

/** A message field as text: strings as they are, anything else as JSON. */
export function messageText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value ?? "");
}

/** An optional text field: non-empty strings, else null. */
export function optionalText(value: unknown): string | null {
  return typeof value === "string" && value.length > 0 ? value : null;
}

/** Longest version kept (characters): a longer value is cut, so that a misconfigured field cannot fill the stored maps. */
export const MAX_VERSION_LENGTH = 100;

/**
 * A version field as text: a non-empty string (trimmed, at most MAX_VERSION_LENGTH characters) or
 * a finite number as written (`2`, `1.5`), since JSON logs often carry numeric versions; anything
 * else (missing, empty, an object, a list) is no version.
 */
export function versionText(value: unknown): string | null {
  const text = typeof value === "string" ? value.trim() : typeof value === "number" && Number.isFinite(value) ? String(value) : "";
  return text.length > 0 ? text.slice(0, MAX_VERSION_LENGTH) : null;
}
