/** Names of the document fields (dotted paths), as in values.yaml source.fields. */
export type FieldMapping = Readonly<{
  timestamp: string;
  namespace: string;
  app: string;
  level: string;
  message: string;
  trace_id: string;
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
