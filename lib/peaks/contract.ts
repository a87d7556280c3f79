// The peaks API as the browser, the route handlers and the command line see it: the input
// schemas the dashboard's forms validate with (exactly what the use cases accept), the answers,
// and the JSON columns of a peak as they are read back. No server code.
import { z } from "zod";
import { MAX_RECORD_ID, recordIdSchema } from "@/lib/record-id";
import type { LabelledPeak } from "@/lib/known-issues/contract";
import { wildcardSampleSchema } from "@/lib/wildcard-sample";
import { isHttpUrl, optionalText } from "@/lib/text-schema";
import type { LogsLinks } from "@/lib/logs-link";

export const peakStatuses = ["open", "acknowledged", "known_issue", "false_positive", "resolved"] as const;
export type PeakStatus = (typeof peakStatuses)[number];
export const peakSeverities = ["low", "medium", "high", "critical"] as const;
export type PeakSeverity = (typeof peakSeverities)[number];
export const peakLabels = ["known", "unknown", "regression"] as const;
export type PeakLabel = (typeof peakLabels)[number];
export const knownIssueScopes = ["namespace", "namespace_and_app", "everywhere"] as const;
export type KnownIssueScope = (typeof knownIssueScopes)[number];

export const MAX_NOTE_CHARS = 4000;

/** The triage actions, with the statuses each may start from (mirrors the transitions of lib/peaks/triage.ts). */
export const actionsFrom = {
  acknowledge: ["open"],
  reopen: ["acknowledged", "known_issue", "false_positive", "resolved"],
  false_positive: ["open", "acknowledged", "known_issue"],
  known_issue: ["open", "acknowledged", "known_issue"],
  resolve: ["open", "acknowledged", "known_issue"],
} as const satisfies Record<string, readonly PeakStatus[]>;
export type TriageAction = keyof typeof actionsFrom;

/** Whether `action` may be applied to a peak in `status`. */
export function canApply(action: TriageAction, status: PeakStatus): boolean {
  return (actionsFrom[action] as readonly PeakStatus[]).includes(status);
}

export const peakIdSchema = recordIdSchema;

/** Root-cause pattern ids chosen from the peak's own; the default is all of them. */
const chosenPatternIdsSchema = z
  .array(z.string().trim().min(1).max(200))
  .min(1, "choose at least one root-cause pattern")
  .max(100)
  .transform((ids) => [...new Set(ids)])
  .optional();

/**
 * Whether the other open peaks with the same root cause (enriched, with no known issue yet) are
 * labelled too, so that they show as known at once rather than after the next enrichment.
 */
export const labelMatchingSchema = z.boolean().default(true);

export const markFalsePositiveSchema = z.object({ reason: optionalText(2000) });
export type MarkFalsePositiveInput = z.input<typeof markFalsePositiveSchema>;

export const attachToKnownIssueSchema = z.object({ knownIssueId: recordIdSchema, labelMatching: labelMatchingSchema });
export type AttachToKnownIssueInput = z.input<typeof attachToKnownIssueSchema>;

export const createKnownIssueFromPeakSchema = z.object({
  title: z.string().trim().min(1, "must not be empty").max(200),
  description: optionalText(10_000),
  link: z
    .string()
    .trim()
    .max(2000)
    .refine((value) => value === "" || isHttpUrl(value), "must be an http(s) URL")
    .transform((value) => (value === "" ? undefined : value))
    .optional(),
  scope: z.enum(knownIssueScopes),
  patternIds: chosenPatternIdsSchema,
  labelMatching: labelMatchingSchema,
});
export type CreateKnownIssueFromPeakInput = z.input<typeof createKnownIssueFromPeakSchema>;

export const resolvePeakSchema = z.object({
  solution: z.string().trim().min(1, "must not be empty").max(10_000),
  /** Title of the known peak when the peak has no known issue; defaults to its root cause. */
  title: optionalText(200),
  /** Scope of that known peak; a peak with a known issue keeps the issue's scope. */
  scope: z.enum(knownIssueScopes).default("namespace"),
  /** Patterns of that known peak; a peak with a known issue keeps the issue's. */
  patternIds: chosenPatternIdsSchema,
});
export type ResolvePeakInput = z.input<typeof resolvePeakSchema>;

export const addNoteSchema = z.object({ text: z.string().trim().min(1, "must not be empty").max(MAX_NOTE_CHARS) });
export type AddNoteInput = z.input<typeof addNoteSchema>;

/** The body of POST /api/peaks/[id]/actions. */
export const peakActionSchema = z.discriminatedUnion("action", [
  z.object({ action: z.literal("acknowledge") }),
  z.object({ action: z.literal("reopen") }),
  markFalsePositiveSchema.extend({ action: z.literal("false_positive") }),
  attachToKnownIssueSchema.extend({ action: z.literal("attach_known_issue") }),
  createKnownIssueFromPeakSchema.extend({ action: z.literal("create_known_issue") }),
  resolvePeakSchema.extend({ action: z.literal("resolve") }),
]);
export type PeakActionInput = z.input<typeof peakActionSchema>;

// ---------------------------------------------------------------------------------------------
// The timeline: GET /api/peaks.

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

/** A list given as an array, or as one comma-separated query-string value ("open,acknowledged"). */
export function listOf<Value extends string>(item: z.ZodType<Value, string>) {
  const items = z.array(item).min(1).max(100);
  return z.union([
    items,
    z
      .string()
      .transform((value) =>
        value
          .split(",")
          .map((part) => part.trim())
          .filter((part) => part !== ""),
      )
      .pipe(items),
  ]);
}

/**
 * A page's last row: its window start (UTC ms) and id, so that the next page starts strictly
 * after it in (timestamp desc, id desc) order whatever rows were added meanwhile.
 */
export type PeakCursor = { timestampMs: number; id: number };
/** The largest instant a Date holds (ECMAScript). */
const MAX_DATE_MS = 8.64e15;

// base64url of "timestampMs:id", with btoa/atob so that the contract stays safe for the browser.
export function encodeCursor(cursor: PeakCursor): string {
  return btoa(`${cursor.timestampMs}:${cursor.id}`).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeCursor(value: string): PeakCursor | null {
  let text: string;
  try {
    text = atob(value.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    return null;
  }
  const match = /^(\d{1,15}):(\d{1,10})$/.exec(text);
  if (!match) return null;
  const cursor = { timestampMs: Number(match[1]), id: Number(match[2]) };
  // Only what a page's last row can be: an instant Date can hold and an id a row can have.
  return cursor.timestampMs <= MAX_DATE_MS && cursor.id <= MAX_RECORD_ID ? cursor : null;
}

// Kept as strings after parsing, so that the parsed query is itself a valid input (routes parse it once, listPeaks again).
export const cursorSchema = z
  .string()
  .max(100)
  .refine((value) => decodeCursor(value) !== null, "is not a cursor this API returned");
export const instantSchema = z.iso.datetime({ offset: true });

export const listPeaksSchema = z
  .object({
    status: listOf(z.enum(peakStatuses)).optional(),
    severity: listOf(z.enum(peakSeverities)).optional(),
    namespace: listOf(z.string().trim().min(1).max(200)).optional(),
    label: z.enum(peakLabels).optional(),
    /** Window start, inclusive. */
    from: instantSchema.optional(),
    /** Window start, exclusive. */
    to: instantSchema.optional(),
    cursor: cursorSchema.optional(),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  })
  .refine((input) => !input.from || !input.to || Date.parse(input.from) < Date.parse(input.to), { message: "must be after from", path: ["to"] });
export type ListPeaksInput = z.input<typeof listPeaksSchema>;
export type ListPeaksFilter = z.output<typeof listPeaksSchema>;

// ---------------------------------------------------------------------------------------------
// Requests of the route handlers of one peak.

export const peakRequestSchema = z.object({ id: peakIdSchema });

export const peakActionRequestSchema = peakRequestSchema.and(peakActionSchema);

export const addNoteRequestSchema = addNoteSchema.extend({ id: peakIdSchema });

// ---------------------------------------------------------------------------------------------
// JSON columns, as they are written and read back.

/** A JSON value as stored in a JSON column and sent to the browser. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue | undefined };

/** audit_log.details of a peak's entries as the peak's page reads them: whatever JSON the action wrote (see describeAuditEntry). */
export const peakAuditDetailsSchema = z.json() satisfies z.ZodType<JsonValue>;
/** audit_log.details as the triage actions write them. */
export type PeakAuditDetails = { [key: string]: JsonValue | undefined };

const patternCountShape = {
  patternId: z.string(),
  template: z.string(),
  count: z.number(),
  errorType: z.string(),
  /** The first message of the pattern (its headline). */
  example: z.string(),
  /** A few distinct headlines. */
  examples: z.array(z.string()),
  /** First and last occurrence in the window, UTC ms. */
  firstSeen: z.number(),
  lastSeen: z.number(),
};
const patternChangeSchema = z.object({
  patternId: z.string(),
  template: z.string(),
  usualPerWindow: z.number(),
  during: z.number(),
  growth: z.number().nullable(),
  isNew: z.boolean(),
});

/** A pattern first seen in the peak's namespace in this window (lib/pipeline/first-seen.ts): errors of it in the window. */
export const firstSeenPatternSchema = z.object({ patternId: z.string(), template: z.string(), count: z.number() });
export type FirstSeenPattern = z.output<typeof firstSeenPatternSchema>;

/** A pattern's values at its wildcards in the peak's window (lib/pipeline/value-sample.ts). */
export const peakWildcardSampleSchema = wildcardSampleSchema.extend({ patternId: z.string() });
export type PeakWildcardSample = z.output<typeof peakWildcardSampleSchema>;

/**
 * peak_investigation.top_patterns as enrichment writes it (lib/jobs/enrich.ts, from the
 * pipeline's investigation of the window): the facts an analyst reads first.
 */
export const storedInvestigationSchema = z.object({
  version: z.literal(1),
  documents: z.number(),
  total: z.number(),
  untraced: z.number(),
  traces: z.number(),
  patterns: z.array(z.object(patternCountShape)),
  rootCauses: z.array(z.object({ ...patternCountShape, traces: z.number(), share: z.number() })),
  representativeTrace: z
    .object({
      traceId: z.string(),
      errors: z.array(z.object({ timestamp: z.number(), app: z.string().nullable(), patternId: z.string(), message: z.string() })),
    })
    .nullable(),
  changed: z.array(patternChangeSchema),
  usual: z.array(patternChangeSchema),
  usualPeriod: z.object({ fromMs: z.number(), toMs: z.number(), windows: z.number(), sampled: z.number(), total: z.number() }),
  /** Patterns first seen in the namespace in this window; absent in investigations stored before it was decided. */
  firstSeenPatterns: z.array(firstSeenPatternSchema).default([]),
  /** The values at each wildcard in this window of its leading patterns and root causes, by the id they are listed with; absent before it was sampled. */
  wildcardValues: z.array(peakWildcardSampleSchema).optional(),
});
export type StoredInvestigation = z.output<typeof storedInvestigationSchema>;

const stored = storedInvestigationSchema.shape;
/**
 * top_patterns as a peak's page reads it back: each part falls back on its own, so an older or
 * damaged value still shows the rest.
 */
export const peakInvestigationFactsSchema = z.object({
  documents: stored.documents.nullable().catch(null),
  total: stored.total.nullable().catch(null),
  untraced: stored.untraced.nullable().catch(null),
  traces: stored.traces.nullable().catch(null),
  patterns: stored.patterns.catch([]),
  rootCauses: stored.rootCauses.catch([]),
  representativeTrace: stored.representativeTrace.catch(null),
  changed: stored.changed.catch([]),
  usual: stored.usual.catch([]),
  usualPeriod: stored.usualPeriod.nullable().catch(null),
  firstSeenPatterns: stored.firstSeenPatterns.catch([]),
  wildcardValues: z.array(peakWildcardSampleSchema).catch([]),
});
export type PeakInvestigationFacts = z.output<typeof peakInvestigationFactsSchema>;

/**
 * peak_investigation.errors_by_version as enrichment writes it (lib/pipeline/versions.ts
 * VersionCounts): the window's errors by application version, the documents read scaled to the
 * window's total. Summing windows' values gives an incident's or a problem's.
 */
export const storedVersionCountsSchema = z.object({
  versions: z.array(z.object({ version: z.string(), errors: z.number().min(0) })),
  unversioned: z.number().min(0),
  otherVersions: z.number().min(0),
});
export type StoredVersionCounts = z.output<typeof storedVersionCountsSchema>;

// ---------------------------------------------------------------------------------------------
// Answers. JSON-safe: times are ISO strings.

export type PeakSummary = {
  id: number;
  timestamp: string;
  namespace: string;
  severity: string;
  status: PeakStatus;
  errorCount: number;
  baselineMean: number;
  ratio: number;
  rootCause: string | null;
  errorType: string | null;
  appName: string | null;
  knownIssue: { id: number; title: string } | null;
  /** The resolved incident this peak repeats. */
  regressionOf: { id: number; title: string } | null;
  /** The first window of the plateau this window continues. */
  continuesPeakId: number | null;
};

export type PeakPage = { peaks: PeakSummary[]; nextCursor: string | null };

export type PeakNoteRecord = { id: number; text: string; actor: string; createdAt: string };

/** One entry of a peak's audit trail; `details` as the action wrote it (see describeAuditEntry). */
export type PeakAuditEntry = { id: string; actor: string; action: string; details: JsonValue; createdAt: string };

/** A correction of the peak's window count (window_corrections); correctedAt is ISO. */
export type PeakWindowCorrection = {
  previousCount: number;
  count: number;
  wasPeak: boolean;
  isPeak: boolean;
  /** recount: late documents counted by a run; reread: an ingestion read the window again; force: batch --force. */
  reason: string;
  correctedAt: string;
};

/** What a peak was judged against (a judged window always had one; lib/pipeline/detect.ts's BaselineSource). */
export const baselineSources = ["slot", "pooled", "recent"] as const;
export type BaselineSource = (typeof baselineSources)[number];

export type PeakDetail = Omit<PeakSummary, "knownIssue" | "regressionOf"> & {
  dayOfWeek: number;
  hourOfDay: number;
  quarterHour: number;
  detectedAt: string;
  updatedAt: string;
  decision: {
    errorCount: number;
    baselineMean: number;
    baselineStddev: number;
    baselineSamples: number;
    ratio: number;
    requiredRatio: number;
    average24h: number;
    referenceCounts: number[];
    thresholdsVersion: number | null;
    /**
     * Whether the baseline was the slot's own history, pooled from its neighbours while the slot
     * was young (lib/pipeline/baseline.ts), or the namespace's recent level while the namespace
     * was young (lib/pipeline/detect.ts); stored since the same-day view was, inferred for older
     * peaks, null when that can no longer be told.
     */
    baselineSource: BaselineSource | null;
    /** The same-day view: count / the mean of the reference windows; null without reference windows or for peaks stored before it was. */
    sameDayRatio: number | null;
    /** The namespace's over-dispersion and the count the spread check required; null for peaks stored before they were. */
    dispersion: number | null;
    spreadThreshold: number | null;
  };
  enrichment: {
    enrichedAt: string | null;
    traceId: string | null;
    appName: string | null;
    errorType: string | null;
    affectedServices: string[];
    rootCause: string | null;
    /** top_patterns read back; null when not enriched or unreadable. */
    investigation: PeakInvestigationFacts | null;
  };
  ai: { summary: string | null; nextSteps: string[]; model: string | null; error: string | null; analyzedAt: string | null };
  /** The namespace's peaks just before and after this one. */
  neighbours: { previous: { id: number; timestamp: string } | null; next: { id: number; timestamp: string } | null };
  /** The incident the window is part of (its windows and status); null while no run has placed it yet. */
  incident: { id: number; windows: number; status: PeakStatus } | null;
  /** Null when the window is neither continued nor a continuation. */
  plateau: { first: { id: number; timestamp: string }; continuations: { id: number; timestamp: string }[] } | null;
  knownIssue: { id: number; title: string; description: string | null; status: string; link: string | null } | null;
  regressionOf: { id: number; title: string; description: string | null; solution: string; link: string | null; resolvedAt: string } | null;
  deliveries: { id: number; channel: string; status: string; attempts: number; lastError: string | null; createdAt: string; sentAt: string | null }[];
  /** Newest first. */
  notes: PeakNoteRecord[];
  /** Newest first. */
  audit: PeakAuditEntry[];
  /** Corrections of the peak's window (late documents, a re-read), newest first. */
  corrections: PeakWindowCorrection[];
  /**
   * Links to the logs (values.yaml's links.logs_url_template): the window's, and the traces' by
   * trace id (the representative trace and the root cause's); none without a template.
   */
  logLinks: LogsLinks;
};

/**
 * The thresholds a peak was judged with: its thresholds version over values.yaml's, or
 * values.yaml's alone (version null). The fields of lib/pipeline/detect.ts's PeakDetectionSettings.
 */
export type DecisionThresholds = {
  min_ratio_multiplier: number;
  max_ratio_multiplier: number;
  dynamic_min_multiplier: number;
  min_absolute_value: number;
  same_day_window_count: number;
  same_day_min_ratio: number;
  tail_probability: number;
  version: number | null;
};

/** A peak marked as a known issue, and the other open peaks labelled with the issue at the same time. */
export type KnownIssueActionResult = { peak: PeakSummary; labelled: LabelledPeak[] };

/** `labelled`: the other open peaks labelled with the known issue (marking as a known issue only). */
export type PeakActionResult = { peak: PeakSummary; knownPeakId?: number; labelled?: LabelledPeak[] };
