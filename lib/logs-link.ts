// Deep links to the logs: values.yaml's links.logs_url_template, checked when the configuration
// is loaded (lib/config/schema.ts) and filled for a peak (lib/peaks/detail.ts). Pure and safe for
// the browser; no imports, so that both the configuration and the peaks domain can use it.

export const LOGS_URL_PLACEHOLDERS = ["namespace", "from", "to", "trace_id"] as const;
export type LogsUrlPlaceholder = (typeof LOGS_URL_PLACEHOLDERS)[number];

/** Every `{…}` of a template (with nothing but its name inside). */
const PLACEHOLDER = /\{([^{}]*)\}/g;
/** The values a template is checked with: plain words, so that only the template itself can make it invalid. */
const SAMPLE_VALUES: Record<LogsUrlPlaceholder, string> = {
  namespace: "namespace",
  from: "2026-01-01T00:00:00.000Z",
  to: "2026-01-01T00:15:00.000Z",
  trace_id: "trace",
};

const isPlaceholder = (name: string): name is LogsUrlPlaceholder => (LOGS_URL_PLACEHOLDERS as readonly string[]).includes(name);

/**
 * A value as it goes into the URL: percent-encoded like encodeURIComponent, and also `!'()*`, so
 * that no value can end a part of the URL (`&`, `#`, `?`, `/`), a quoted string (`"`, `'`) or the
 * query of a tool that reads parentheses (Kibana's rison).
 */
export function encodeLogsUrlValue(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The template with each placeholder replaced by its encoded value (an absent value is empty). */
export function fillLogsUrl(template: string, values: Partial<Record<LogsUrlPlaceholder, string>>): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => (isPlaceholder(name) ? encodeLogsUrlValue(values[name] ?? "") : whole));
}

/**
 * Why a logs URL template cannot be used, or null when it can: only the four placeholders; no
 * other brace, space or control character; with sample values an absolute http(s) URL; scheme and
 * host written out before the first placeholder (a value can never choose where the link goes).
 */
export function logsUrlTemplateProblem(template: string): string | null {
  const names = [...template.matchAll(PLACEHOLDER)].map((match) => match[1] ?? "");
  const unknown = names.find((name) => !isPlaceholder(name));
  if (unknown !== undefined) return `unknown placeholder {${unknown}} (allowed: ${LOGS_URL_PLACEHOLDERS.map((name) => `{${name}}`).join(", ")})`;
  if (/[{}]/.test(template.replace(PLACEHOLDER, ""))) return "has a { or } that is not part of a placeholder (write a literal brace as %7B or %7D)";
  if (/[\s\u0000-\u001f\u007f]/.test(template)) return "must not contain spaces or control characters (write a space as %20)";
  // The scheme as written (a placeholder cannot make one).
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(template)?.[1]?.toLowerCase();
  if (scheme === undefined) return "must be an absolute http:// or https:// URL";
  if (scheme !== "http" && scheme !== "https") return `must be an http:// or https:// URL, not ${scheme}:`;
  if (!URL.canParse(fillLogsUrl(template, SAMPLE_VALUES))) return "must be an absolute http:// or https:// URL";
  const first = template.search(PLACEHOLDER);
  if (first !== -1 && !/^https?:\/\/[^/?#]+[/?#]/i.test(template.slice(0, first))) {
    return "must spell out the scheme and host before the first placeholder: placeholders go in the path, query or fragment";
  }
  return null;
}

/** A peak's links to the logs: its window, and each of its traces the page shows, by trace id. */
export type LogsLinks = { window: string | null; traces: Record<string, string> };

export const NO_LOGS_LINKS: LogsLinks = Object.freeze({ window: null, traces: Object.freeze({}) as Record<string, string> });

/** What building a peak's links needs from values.yaml; a null template gives no links. */
export type LogsLinkSettings = { template: string | null; windowMinutes: number };

/** The settings of values.yaml (links.logs_url_template, window_minutes). */
export function logsLinkSettingsOf(config: {
  readonly window_minutes: number;
  readonly links: { readonly logs_url_template?: string | undefined };
}): LogsLinkSettings {
  return { template: config.links.logs_url_template ?? null, windowMinutes: config.window_minutes };
}

/**
 * The links of a peak's window (namespace, its start and end in ISO 8601 UTC; `{trace_id}`
 * empty) and of each trace (the same window, `{trace_id}` filled). A template without
 * `{trace_id}` gives the window's link only, and a template logsUrlTemplateProblem refuses none.
 */
export function buildLogsLinks(
  settings: LogsLinkSettings,
  peak: { namespace: string; windowStartMs: number; windowEndMs?: number; traceIds: readonly string[] },
): LogsLinks {
  const { template } = settings;
  // Configuration loading refuses such a template; checked again so that no caller can link anywhere else.
  if (template === null || logsUrlTemplateProblem(template) !== null) return NO_LOGS_LINKS;
  const range = {
    namespace: peak.namespace,
    from: new Date(peak.windowStartMs).toISOString(),
    // An incident's links span all its windows; a peak's, its window.
    to: new Date(peak.windowEndMs ?? peak.windowStartMs + settings.windowMinutes * 60_000).toISOString(),
  };
  const hasTraces = [...template.matchAll(PLACEHOLDER)].some((match) => match[1] === "trace_id");
  // fromEntries defines own properties: a trace id such as "__proto__" is a key like any other.
  const traces = hasTraces
    ? Object.fromEntries(peak.traceIds.filter((traceId) => traceId !== "").map((traceId) => [traceId, fillLogsUrl(template, { ...range, trace_id: traceId })]))
    : {};
  return { window: fillLogsUrl(template, range), traces };
}

/** The link of one trace, if it has one (own keys only: never Object.prototype's "constructor"). */
export function traceLogsLink(links: LogsLinks, traceId: string): string | null {
  return Object.hasOwn(links.traces, traceId) ? (links.traces[traceId] ?? null) : null;
}
