import type { estypes } from "@elastic/elasticsearch";
import { ConfigurationError } from "@/lib/errors";
import type { FieldMapping } from "./field-mapping";

/** The fields queries use, resolved against the index mapping (e.g. `level.keyword` for a text `level`). */
export type QueryFields = {
  timestamp: string;
  namespace: string;
  level: string;
  /**
   * The exact-value field of the version (e.g. `service.version.keyword` for a text one), which
   * counting aggregates to date the versions; null when no index has it in a form terms can read.
   */
  version: string | null;
};

export type MappingCheck = {
  indices: string[];
  fields: QueryFields;
  /** Configured fields the indices do not have: documents will lack them (e.g. no trace ids). */
  warnings: string[];
};

type Capabilities = Record<string, estypes.FieldCapsFieldCapability>;

const DATE_TYPES = new Set(["date", "date_nanos"]);

function typesOf(capabilities: Capabilities): string {
  return Object.keys(capabilities).join(" / ");
}

function isAggregatable(capabilities: Capabilities | undefined): boolean {
  return capabilities !== undefined && Object.values(capabilities).every((capability) => capability.aggregatable);
}

function isSearchable(capabilities: Capabilities | undefined): boolean {
  return capabilities !== undefined && Object.values(capabilities).every((capability) => capability.searchable);
}

/** The names a field-caps request must ask for: every configured field and its `.keyword` sub-field. */
export function fieldCapsNames(fields: FieldMapping): string[] {
  const names = new Set<string>();
  for (const field of Object.values(fields)) {
    names.add(field);
    names.add(`${field}.keyword`);
  }
  return [...names];
}

/**
 * Checks the configured field mapping against an index's field capabilities. Namespace and
 * level must be exact-value fields (keyword), or text with a keyword sub-field, which is used
 * then; the timestamp must be a date; the message must exist. App, trace id and version may be
 * absent; a version field terms cannot read (text without a keyword sub-field) is a warning too.
 */
export function resolveQueryFields(response: estypes.FieldCapsResponse, fields: FieldMapping, indexPattern: string): MappingCheck {
  const indices = Array.isArray(response.indices) ? response.indices : [response.indices];
  if (indices.length === 0) {
    throw new ConfigurationError(`No index matches source.index_pattern "${indexPattern}".`);
  }
  const caps = (name: string): Capabilities | undefined => response.fields[name];
  const problems: string[] = [];
  const warnings: string[] = [];

  const timestamp = caps(fields.timestamp);
  if (!timestamp) problems.push(`source.fields.timestamp: the indices have no field "${fields.timestamp}"`);
  else if (!Object.keys(timestamp).every((type) => DATE_TYPES.has(type))) {
    problems.push(`source.fields.timestamp: "${fields.timestamp}" is ${typesOf(timestamp)}, not a date`);
  }

  const exactField = (key: "namespace" | "level", need: "aggregatable" | "searchable"): string => {
    const name = fields[key];
    const test = need === "aggregatable" ? isAggregatable : isSearchable;
    const own = caps(name);
    if (own && test(own) && !("text" in own)) return name;
    const keyword = caps(`${name}.keyword`);
    if (keyword && test(keyword)) return `${name}.keyword`;
    if (!own) problems.push(`source.fields.${key}: the indices have no field "${name}"`);
    else problems.push(`source.fields.${key}: "${name}" is ${typesOf(own)} and has no keyword sub-field; it must be a keyword field`);
    return name;
  };
  const namespace = exactField("namespace", "aggregatable");
  const level = exactField("level", "searchable");

  if (!caps(fields.message)) problems.push(`source.fields.message: the indices have no field "${fields.message}"`);
  for (const key of ["app", "trace_id", "version"] as const) {
    if (!caps(fields[key])) warnings.push(`source.fields.${key}: the indices have no field "${fields[key]}"; documents will have none`);
  }
  if (problems.length > 0) {
    throw new ConfigurationError(`The field mapping in values.yaml does not fit the indices of "${indexPattern}":\n  - ${problems.join("\n  - ")}`);
  }
  return { indices, fields: { timestamp: fields.timestamp, namespace, level, version: versionField(caps, fields.version, warnings) }, warnings };
}

/**
 * The field counting aggregates the versions on, as for namespace and level: the field itself
 * when it is an exact value (keyword, or a number), else its keyword sub-field. Null when no
 * index has it (nothing to date) or it is text without a keyword sub-field: terms on text is an
 * error, and an optional field must never fail a count.
 */
function versionField(caps: (name: string) => Capabilities | undefined, name: string, warnings: string[]): string | null {
  const own = caps(name);
  if (!own) return null;
  if (isAggregatable(own) && !("text" in own)) return name;
  const keyword = caps(`${name}.keyword`);
  if (keyword && isAggregatable(keyword)) return `${name}.keyword`;
  warnings.push(
    `source.fields.version: "${name}" is ${typesOf(own)} and has no keyword sub-field; ingestion cannot date the versions (only documents read for investigation do)`,
  );
  return null;
}
