import { z } from "zod";
import { actorLabel, assertRole, type Actor } from "@/lib/roles";
import type { WindowCorrectionEntry } from "@/lib/completeness/corrections";
import { ConflictError, InvalidInputError, NotFoundError, parseInput } from "@/lib/errors";
import { MIN_OWN_SAMPLES, MIN_POOLED_SAMPLES } from "@/lib/pipeline/baseline";
import type { BaselineSource as DetectionBaselineSource, PeakDetectionSettings } from "@/lib/pipeline/detect";
import type { PatternChange, PatternCount, RootCause, TraceError } from "@/lib/pipeline/investigate";
import {
  actionsFrom,
  addNoteSchema,
  attachToKnownIssueSchema,
  createKnownIssueFromPeakSchema,
  markFalsePositiveSchema,
  peakActionSchema,
  peakIdSchema,
  peakLabels,
  peakSeverities,
  peakStatuses,
  resolvePeakSchema,
  type AddNoteInput,
  type AttachToKnownIssueInput,
  type CreateKnownIssueFromPeakInput,
  type KnownIssueScope,
  type MarkFalsePositiveInput,
  type PeakActionInput,
  type PeakAuditEntry,
  type PeakStatus,
  type ResolvePeakInput,
} from "@/lib/peaks/schema";
import { statusWords } from "@/lib/peaks/words";
import { recordAudit } from "./audit";
import { readRows, type Prisma, type PrismaClient } from "./client";
import { storedOverDefaults } from "./detection-store";
import { labelMatchingPeaks, type LabelledPeak } from "./known-issue-matching";
import { findDeliveriesOfPeaks } from "./notifications";
import { MAX_RECORD_ID } from "@/lib/record-id";

// ---------------------------------------------------------------------------------------------
// Input schemas, shared with the route handlers. The action schemas live beside the
// dashboard's forms (they hold no server code); re-exported so that route handlers keep
// importing everything peak from here.

export {
  addNoteSchema,
  attachToKnownIssueSchema,
  createKnownIssueFromPeakSchema,
  knownIssueScopes,
  markFalsePositiveSchema,
  MAX_NOTE_CHARS,
  peakActionSchema,
  peakIdSchema,
  peakLabels,
  peakSeverities,
  peakStatuses,
  resolvePeakSchema,
} from "@/lib/peaks/schema";
export type {
  AddNoteInput,
  AttachToKnownIssueInput,
  CreateKnownIssueFromPeakInput,
  KnownIssueScope,
  MarkFalsePositiveInput,
  PeakActionInput,
  PeakStatus,
  ResolvePeakInput,
} from "@/lib/peaks/schema";

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

/** A list given as an array, or as one comma-separated query-string value ("open,acknowledged"). */
function listOf<Value extends string>(item: z.ZodType<Value, string>) {
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

// A cursor is the last row of a page: its window start (UTC ms) and id, so the next page starts
// strictly after it in (timestamp desc, id desc) order whatever rows were added meanwhile.
type Cursor = { timestampMs: number; id: number };
/** The largest instant a Date holds (ECMAScript). */
const MAX_DATE_MS = 8.64e15;

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.timestampMs}:${cursor.id}`).toString("base64url");
}

function decodeCursor(value: string): Cursor | null {
  const match = /^(\d{1,15}):(\d{1,10})$/.exec(Buffer.from(value, "base64url").toString());
  if (!match) return null;
  const cursor = { timestampMs: Number(match[1]), id: Number(match[2]) };
  // Only what a page's last row can be: an instant Date can hold and an id a row can have.
  return cursor.timestampMs <= MAX_DATE_MS && cursor.id <= MAX_RECORD_ID ? cursor : null;
}

// Kept as strings after parsing, so that the parsed query is itself a valid input (routes parse it once, listPeaks again).
const cursorSchema = z
  .string()
  .max(100)
  .refine((value) => decodeCursor(value) !== null, "is not a cursor this API returned");
const instantSchema = z.iso.datetime({ offset: true });

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

export const peakRequestSchema = z.object({ id: peakIdSchema });

export const peakActionRequestSchema = peakRequestSchema.and(peakActionSchema);

export const addNoteRequestSchema = addNoteSchema.extend({ id: peakIdSchema });

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

// The parts of StoredInvestigation (lib/jobs/enrich.ts) with their pipeline types; each part
// falls back on its own, so an older or damaged top_patterns value still shows the rest.
const patternCountShape = {
  patternId: z.string(),
  template: z.string(),
  count: z.number(),
  errorType: z.string(),
  example: z.string(),
  examples: z.array(z.string()),
  firstSeen: z.number(),
  lastSeen: z.number(),
};
const patternCountSchema = z.object(patternCountShape) satisfies z.ZodType<PatternCount>;
const rootCauseSchema = z.object({ ...patternCountShape, traces: z.number(), share: z.number() }) satisfies z.ZodType<RootCause>;
const traceErrorSchema = z.object({
  timestamp: z.number(),
  app: z.string().nullable(),
  patternId: z.string(),
  message: z.string(),
}) satisfies z.ZodType<TraceError>;
const patternChangeSchema = z.object({
  patternId: z.string(),
  template: z.string(),
  usualPerWindow: z.number(),
  during: z.number(),
  growth: z.number().nullable(),
  isNew: z.boolean(),
}) satisfies z.ZodType<PatternChange>;

const storedInvestigationSchema = z.object({
  documents: z.number().nullable().catch(null),
  total: z.number().nullable().catch(null),
  untraced: z.number().nullable().catch(null),
  traces: z.number().nullable().catch(null),
  patterns: z.array(patternCountSchema).catch([]),
  rootCauses: z.array(rootCauseSchema).catch([]),
  representativeTrace: z
    .object({ traceId: z.string(), errors: z.array(traceErrorSchema) })
    .nullable()
    .catch(null),
  changed: z.array(patternChangeSchema).catch([]),
  usual: z.array(patternChangeSchema).catch([]),
  usualPeriod: z.object({ fromMs: z.number(), toMs: z.number(), windows: z.number(), sampled: z.number(), total: z.number() }).nullable().catch(null),
});
export type PeakInvestigationFacts = z.output<typeof storedInvestigationSchema>;

/** What a peak was judged against (a judged window always had one). */
export type BaselineSource = Exclude<DetectionBaselineSource, "insufficient">;
const judgedSources: readonly string[] = ["slot", "pooled", "recent"] satisfies BaselineSource[];
const isBaselineSource = (value: string | null): value is BaselineSource => value !== null && judgedSources.includes(value);

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
  corrections: WindowCorrectionEntry[];
};

// ---------------------------------------------------------------------------------------------
// Queries.

const summarySelect = {
  id: true,
  timestamp: true,
  namespace: true,
  severity: true,
  status: true,
  errorCount: true,
  baselineMean: true,
  ratio: true,
  rootCause: true,
  errorType: true,
  appName: true,
  continuesPeakId: true,
  knownIssue: { select: { id: true, title: true } },
  knownPeak: { select: { id: true, title: true } },
} satisfies Prisma.PeakInvestigationSelect;

type SummaryRow = Prisma.PeakInvestigationGetPayload<{ select: typeof summarySelect }>;
type Reader = PrismaClient | Prisma.TransactionClient;

function toSummary({ knownPeak, timestamp, ...row }: SummaryRow): PeakSummary {
  return { ...row, timestamp: timestamp.toISOString(), regressionOf: knownPeak };
}

const labelCondition: Record<(typeof peakLabels)[number], string> = {
  known: "p.known_issue_id IS NOT NULL",
  regression: "p.known_peak_id IS NOT NULL",
  unknown: "p.known_issue_id IS NULL AND p.known_peak_id IS NULL",
};

type SummarySqlRow = {
  id: number;
  timestamp: Date;
  namespace: string;
  severity: string;
  status: PeakStatus;
  error_count: number;
  baseline_mean: number;
  ratio: number;
  root_cause: string | null;
  error_type: string | null;
  app_name: string | null;
  continues_peak_id: number | null;
  known_issue_id: number | null;
  known_issue_title: string | null;
  known_peak_id: number | null;
  known_peak_title: string | null;
};

/**
 * A page of peaks for the timeline, newest first (viewers and above). Keyset-paginated on
 * (timestamp desc, id desc): pass the returned nextCursor for the next page; null on the last.
 * One plain SQL query: the timeline is the dashboard's most requested list.
 */
export async function listPeaks(prisma: PrismaClient, actor: Actor | null, filter: ListPeaksInput = {}): Promise<PeakPage> {
  assertRole(actor, "viewer");
  const parsed = parseInput(listPeaksSchema, filter);
  const values: unknown[] = [];
  const value = (item: unknown) => {
    values.push(item);
    return `$${values.length}`;
  };
  const conditions: string[] = [];
  if (parsed.status) conditions.push(`p.status = ANY(${value(parsed.status)}::"PeakStatus"[])`);
  if (parsed.severity) conditions.push(`p.severity = ANY(${value(parsed.severity)}::"PeakSeverity"[])`);
  if (parsed.namespace) conditions.push(`p.namespace = ANY(${value(parsed.namespace)}::text[])`);
  if (parsed.label) conditions.push(labelCondition[parsed.label]);
  if (parsed.from) conditions.push(`p.timestamp >= ${value(new Date(parsed.from))}`);
  if (parsed.to) conditions.push(`p.timestamp < ${value(new Date(parsed.to))}`);
  const cursor = parsed.cursor === undefined ? null : decodeCursor(parsed.cursor);
  if (cursor) {
    const at = value(new Date(cursor.timestampMs));
    // The `<=` bound lets the planner range-scan the timestamp index; the OR breaks ties on id.
    conditions.push(`p.timestamp <= ${at}`, `(p.timestamp < ${at} OR p.id < ${value(cursor.id)})`);
  }
  const rows = await readRows<SummarySqlRow>(
    prisma,
    `SELECT p.id, p.timestamp, p.namespace, p.severity::text AS severity, p.status::text AS status, p.error_count, p.baseline_mean, p.ratio,
            p.root_cause, p.error_type, p.app_name, p.continues_peak_id,
            k.id AS known_issue_id, k.title AS known_issue_title, kp.id AS known_peak_id, kp.title AS known_peak_title
       FROM peak_investigation p
       LEFT JOIN known_issues k ON k.id = p.known_issue_id
       LEFT JOIN known_peaks kp ON kp.id = p.known_peak_id
      ${conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : ""}
      ORDER BY p.timestamp DESC, p.id DESC
      LIMIT ${value(parsed.limit + 1)}`,
    values,
  );
  const page = rows.slice(0, parsed.limit);
  const last = page.at(-1);
  return {
    peaks: page.map((row) => ({
      id: row.id,
      timestamp: row.timestamp.toISOString(),
      namespace: row.namespace,
      severity: row.severity,
      status: row.status,
      errorCount: row.error_count,
      baselineMean: row.baseline_mean,
      ratio: row.ratio,
      rootCause: row.root_cause,
      errorType: row.error_type,
      appName: row.app_name,
      continuesPeakId: row.continues_peak_id,
      knownIssue: row.known_issue_id !== null && row.known_issue_title !== null ? { id: row.known_issue_id, title: row.known_issue_title } : null,
      regressionOf: row.known_peak_id !== null && row.known_peak_title !== null ? { id: row.known_peak_id, title: row.known_peak_title } : null,
    })),
    nextCursor: rows.length > parsed.limit && last ? encodeCursor({ timestampMs: last.timestamp.getTime(), id: last.id }) : null,
  };
}

/** What a peak's page reads of the peak (readPeakDetailRow), as a Prisma selection. */
type DetailSelect = typeof summarySelect & {
  dayOfWeek: true;
  hourOfDay: true;
  quarterHour: true;
  detectedAt: true;
  updatedAt: true;
  baselineStddev: true;
  baselineSamples: true;
  requiredRatio: true;
  average24h: true;
  referenceCounts: true;
  sameDayRatio: true;
  baselineSource: true;
  dispersion: true;
  spreadThreshold: true;
  thresholdsVersion: true;
  traceId: true;
  affectedServices: true;
  topPatterns: true;
  enrichedAt: true;
  aiSummary: true;
  aiNextSteps: true;
  aiModel: true;
  aiError: true;
  aiAnalyzedAt: true;
  continuesPeak: { select: { id: true; timestamp: true } };
  knownIssue: { select: { id: true; title: true; description: true; status: true; link: true } };
  knownPeak: { select: { id: true; title: true; description: true; solution: true; link: true; resolvedAt: true } };
};

type DetailRow = Prisma.PeakInvestigationGetPayload<{ select: DetailSelect }>;

type DetailSqlRow = Omit<DetailRow, "continuesPeak" | "knownIssue" | "knownPeak"> & {
  knownIssueId: number | null;
  knownPeakId: number | null;
  continuesPeakTimestamp: Date | null;
  knownIssueTitle: string | null;
  knownIssueDescription: string | null;
  knownIssueStatus: NonNullable<DetailRow["knownIssue"]>["status"] | null;
  knownIssueLink: string | null;
  knownPeakTitle: string | null;
  knownPeakDescription: string | null;
  knownPeakSolution: string | null;
  knownPeakLink: string | null;
  knownPeakResolvedAt: Date | null;
};

/** A peak's row with its plateau start, known issue and known peak, as DetailSelect gives it, in one plain SQL query. */
async function readPeakDetailRow(prisma: PrismaClient, peakId: number): Promise<DetailRow | null> {
  const [row] = await readRows<DetailSqlRow>(
    prisma,
    `SELECT p.id, p.timestamp, p.namespace, p.severity::text AS severity, p.status::text AS status, p.error_count AS "errorCount",
            p.baseline_mean AS "baselineMean", p.ratio, p.root_cause AS "rootCause", p.error_type AS "errorType", p.app_name AS "appName",
            p.continues_peak_id AS "continuesPeakId", p.known_issue_id AS "knownIssueId", p.known_peak_id AS "knownPeakId",
            p.day_of_week AS "dayOfWeek", p.hour_of_day AS "hourOfDay", p.quarter_hour AS "quarterHour", p.detected_at AS "detectedAt",
            p.updated_at AS "updatedAt", p.baseline_stddev AS "baselineStddev", p.baseline_samples AS "baselineSamples",
            p.required_ratio AS "requiredRatio", p.average_24h AS "average24h", p.reference_counts AS "referenceCounts",
            p.same_day_ratio AS "sameDayRatio", p.baseline_source AS "baselineSource", p.dispersion, p.spread_threshold AS "spreadThreshold",
            p.thresholds_version AS "thresholdsVersion", p.trace_id AS "traceId", p.affected_services AS "affectedServices",
            p.top_patterns AS "topPatterns", p.enriched_at AS "enrichedAt", p.ai_summary AS "aiSummary", p.ai_next_steps AS "aiNextSteps",
            p.ai_model AS "aiModel", p.ai_error AS "aiError", p.ai_analyzed_at AS "aiAnalyzedAt",
            c.timestamp AS "continuesPeakTimestamp",
            k.title AS "knownIssueTitle", k.description AS "knownIssueDescription", k.status::text AS "knownIssueStatus", k.link AS "knownIssueLink",
            kp.title AS "knownPeakTitle", kp.description AS "knownPeakDescription", kp.solution AS "knownPeakSolution", kp.link AS "knownPeakLink",
            kp.resolved_at AS "knownPeakResolvedAt"
       FROM peak_investigation p
       LEFT JOIN peak_investigation c ON c.id = p.continues_peak_id
       LEFT JOIN known_issues k ON k.id = p.known_issue_id
       LEFT JOIN known_peaks kp ON kp.id = p.known_peak_id
      WHERE p.id = $1`,
    [peakId],
  );
  if (!row) return null;
  const {
    knownIssueId,
    knownPeakId,
    continuesPeakTimestamp,
    knownIssueTitle,
    knownIssueDescription,
    knownIssueStatus,
    knownIssueLink,
    knownPeakTitle,
    knownPeakDescription,
    knownPeakSolution,
    knownPeakLink,
    knownPeakResolvedAt,
    ...peak
  } = row;
  return {
    ...peak,
    continuesPeak: peak.continuesPeakId !== null && continuesPeakTimestamp ? { id: peak.continuesPeakId, timestamp: continuesPeakTimestamp } : null,
    knownIssue:
      knownIssueId !== null && knownIssueTitle !== null && knownIssueStatus !== null
        ? { id: knownIssueId, title: knownIssueTitle, description: knownIssueDescription, status: knownIssueStatus, link: knownIssueLink }
        : null,
    knownPeak:
      knownPeakId !== null && knownPeakTitle !== null && knownPeakSolution !== null && knownPeakResolvedAt
        ? {
            id: knownPeakId,
            title: knownPeakTitle,
            description: knownPeakDescription,
            solution: knownPeakSolution,
            link: knownPeakLink,
            resolvedAt: knownPeakResolvedAt,
          }
        : null,
  };
}

const iso = (value: Date | null): string | null => value?.toISOString() ?? null;

function readInvestigation(value: Prisma.JsonValue | null): PeakInvestigationFacts | null {
  if (value === null) return null;
  const parsed = storedInvestigationSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/**
 * Which baseline a stored peak was judged against, which the peak does not store: a pool needs
 * MIN_POOLED_SAMPLES, so fewer samples were the slot's own. With more, the slot's own samples
 * then are its samples now less the windows it was given since (the peak's included); that holds
 * while the peak's window is still stored (retention deletes the oldest windows first).
 */
async function inferBaselineSource(
  prisma: PrismaClient,
  peak: { timestamp: Date; namespace: string; dayOfWeek: number; hourOfDay: number; quarterHour: number; baselineSamples: number },
): Promise<BaselineSource | null> {
  if (peak.baselineSamples < MIN_POOLED_SAMPLES) return "slot";
  const [facts] = await readRows<{ samples: number | null; own_window: boolean; since: number }>(
    prisma,
    `SELECT (SELECT samples FROM aggregation_data WHERE namespace = $1 AND day_of_week = $2 AND hour_of_day = $3 AND quarter_hour = $4) AS samples,
            EXISTS (SELECT 1 FROM peak_raw_data WHERE namespace = $1 AND timestamp = $5) AS own_window,
            (SELECT count(*)::int FROM peak_raw_data
              WHERE namespace = $1 AND day_of_week = $2 AND hour_of_day = $3 AND quarter_hour = $4 AND timestamp >= $5 AND baseline_value IS NOT NULL) AS since`,
    [peak.namespace, peak.dayOfWeek, peak.hourOfDay, peak.quarterHour, peak.timestamp],
  );
  if (!facts || facts.samples === null || !facts.own_window) return null;
  return facts.samples - facts.since >= MIN_OWN_SAMPLES ? "slot" : "pooled";
}

/** The thresholds a peak was judged with: its thresholds version over values.yaml's, or values.yaml's alone. */
export type DecisionThresholds = PeakDetectionSettings & { version: number | null };

/**
 * The detection settings of a thresholds version (viewers and above): the saved values over
 * `defaults` (values.yaml), as detection merges them; `defaults` alone for null (no version was
 * saved then; values.yaml may have changed since). Null for a version that no longer exists.
 */
export async function findDecisionThresholds(
  prisma: PrismaClient,
  actor: Actor | null,
  version: number | null,
  defaults: PeakDetectionSettings,
): Promise<DecisionThresholds | null> {
  assertRole(actor, "viewer");
  if (version === null) return { ...defaults, version: null };
  const row = await prisma.thresholdSetting.findUnique({ where: { id: version }, select: { values: true } });
  return row ? { ...storedOverDefaults(row.values, defaults), version } : null;
}

/** Whether a peak with this id exists (viewers and above): one indexed lookup, for a page to answer 404 before it streams. */
export async function hasPeak(prisma: PrismaClient, actor: Actor | null, id: number): Promise<boolean> {
  assertRole(actor, "viewer");
  const peakId = parseInput(peakIdSchema, id);
  return (await readRows(prisma, "SELECT 1 FROM peak_investigation WHERE id = $1", [peakId])).length > 0;
}

/** One peak with everything known about it (viewers and above). */
export async function getPeak(prisma: PrismaClient, actor: Actor | null, id: number): Promise<PeakDetail> {
  assertRole(actor, "viewer");
  const peakId = parseInput(peakIdSchema, id);
  const row = await readPeakDetailRow(prisma, peakId);
  if (!row) throw new NotFoundError(`Peak ${peakId} does not exist`);
  const first = row.continuesPeak ?? { id: row.id, timestamp: row.timestamp };
  // Everything around the peak with plain SQL: a peak's page is opened often and these are many.
  type PeakRef = { id: number; timestamp: Date };
  const [continuations, deliveries, notes, audit, [previous], [next], baselineSource, corrections] = await Promise.all([
    readRows<PeakRef>(prisma, "SELECT id, timestamp FROM peak_investigation WHERE continues_peak_id = $1 ORDER BY timestamp, id", [first.id]),
    findDeliveriesOfPeaks(prisma, [peakId]),
    readRows<{ id: number; text: string; actor: string; createdAt: Date }>(
      prisma,
      `SELECT id, text, actor, created_at AS "createdAt" FROM peak_notes WHERE peak_id = $1 ORDER BY created_at DESC, id DESC`,
      [peakId],
    ),
    readRows<{ id: string; actor: string; action: string; details: Prisma.JsonValue; createdAt: Date }>(
      prisma,
      `SELECT id::text AS id, actor, action, details, created_at AS "createdAt" FROM audit_log
        WHERE entity_type = 'peak' AND entity_id = $1 ORDER BY created_at DESC, id DESC`,
      [String(peakId)],
    ),
    // (namespace, timestamp) is unique, so the neighbours need no tie-break.
    readRows<PeakRef>(prisma, "SELECT id, timestamp FROM peak_investigation WHERE namespace = $1 AND timestamp < $2 ORDER BY timestamp DESC LIMIT 1", [
      row.namespace,
      row.timestamp,
    ]),
    readRows<PeakRef>(prisma, "SELECT id, timestamp FROM peak_investigation WHERE namespace = $1 AND timestamp > $2 ORDER BY timestamp LIMIT 1", [
      row.namespace,
      row.timestamp,
    ]),
    isBaselineSource(row.baselineSource) ? row.baselineSource : inferBaselineSource(prisma, row),
    readRows<{ previousCount: number; count: number; wasPeak: boolean; isPeak: boolean; reason: string; correctedAt: Date }>(
      prisma,
      `SELECT previous_count AS "previousCount", count, was_peak AS "wasPeak", is_peak AS "isPeak", reason, corrected_at AS "correctedAt"
         FROM window_corrections WHERE namespace = $1 AND timestamp = $2 ORDER BY corrected_at DESC, id DESC`,
      [row.namespace, row.timestamp],
    ),
  ]);
  const neighbour = (peak: PeakRef | undefined) => (peak ? { id: peak.id, timestamp: peak.timestamp.toISOString() } : null);
  return {
    id: row.id,
    timestamp: row.timestamp.toISOString(),
    namespace: row.namespace,
    severity: row.severity,
    status: row.status,
    errorCount: row.errorCount,
    baselineMean: row.baselineMean,
    ratio: row.ratio,
    rootCause: row.rootCause,
    errorType: row.errorType,
    appName: row.appName,
    continuesPeakId: row.continuesPeakId,
    dayOfWeek: row.dayOfWeek,
    hourOfDay: row.hourOfDay,
    quarterHour: row.quarterHour,
    detectedAt: row.detectedAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    decision: {
      errorCount: row.errorCount,
      baselineMean: row.baselineMean,
      baselineStddev: row.baselineStddev,
      baselineSamples: row.baselineSamples,
      ratio: row.ratio,
      requiredRatio: row.requiredRatio,
      average24h: row.average24h,
      referenceCounts: row.referenceCounts,
      thresholdsVersion: row.thresholdsVersion,
      baselineSource,
      sameDayRatio: row.sameDayRatio,
      dispersion: row.dispersion,
      spreadThreshold: row.spreadThreshold,
    },
    enrichment: {
      enrichedAt: iso(row.enrichedAt),
      traceId: row.traceId,
      appName: row.appName,
      errorType: row.errorType,
      affectedServices: row.affectedServices,
      rootCause: row.rootCause,
      investigation: readInvestigation(row.topPatterns),
    },
    ai: { summary: row.aiSummary, nextSteps: row.aiNextSteps, model: row.aiModel, error: row.aiError, analyzedAt: iso(row.aiAnalyzedAt) },
    neighbours: { previous: neighbour(previous), next: neighbour(next) },
    plateau:
      row.continuesPeak || continuations.length > 0
        ? {
            first: { id: first.id, timestamp: first.timestamp.toISOString() },
            continuations: continuations.map((peak) => ({ id: peak.id, timestamp: peak.timestamp.toISOString() })),
          }
        : null,
    knownIssue: row.knownIssue,
    regressionOf: row.knownPeak ? { ...row.knownPeak, resolvedAt: row.knownPeak.resolvedAt.toISOString() } : null,
    deliveries: deliveries.map((delivery) => ({
      id: delivery.id,
      channel: delivery.channel,
      status: delivery.status,
      attempts: delivery.attempts,
      lastError: delivery.lastError,
      createdAt: delivery.createdAt.toISOString(),
      sentAt: iso(delivery.sentAt),
    })),
    notes: notes.map((note) => ({ ...note, createdAt: note.createdAt.toISOString() })),
    audit: audit.map((entry) => ({ ...entry, createdAt: entry.createdAt.toISOString() })),
    corrections: corrections.map((correction) => ({ ...correction, correctedAt: correction.correctedAt.toISOString() })),
  };
}

// ---------------------------------------------------------------------------------------------
// Actions. Each one changes the peak and records it in the audit log in one transaction.

type Transition = {
  action: string;
  from: readonly PeakStatus[];
  to: PeakStatus;
  /** Why the change is refused from `current`, a status not in `from`. */
  refusal: (peakId: number, current: PeakStatus) => string;
};

const alreadyOr = (what: PeakStatus, otherwise: string) => (peakId: number, current: PeakStatus) =>
  current === what ? `Peak ${peakId} is already ${statusWords[current]}` : `Peak ${peakId} is ${statusWords[current]}; ${otherwise}`;

const transitions: Record<"acknowledge" | "falsePositive" | "markKnownIssue" | "resolve" | "reopen", Transition> = {
  acknowledge: {
    action: "peak.acknowledge",
    from: actionsFrom.acknowledge,
    to: "acknowledged",
    refusal: alreadyOr("acknowledged", "only an open peak can be acknowledged"),
  },
  falsePositive: {
    action: "peak.false_positive",
    from: actionsFrom.false_positive,
    to: "false_positive",
    refusal: alreadyOr("false_positive", "reopen it first"),
  },
  markKnownIssue: {
    action: "peak.mark_known_issue",
    from: actionsFrom.known_issue,
    to: "known_issue",
    refusal: (peakId, current) => `Peak ${peakId} is ${statusWords[current]}; reopen it first`,
  },
  resolve: {
    action: "peak.resolve",
    from: actionsFrom.resolve,
    to: "resolved",
    refusal: alreadyOr("resolved", "reopen it before resolving it"),
  },
  reopen: {
    action: "peak.reopen",
    from: actionsFrom.reopen,
    to: "open",
    refusal: (peakId) => `Peak ${peakId} is already open`,
  },
};

const peakForActionSelect = {
  id: true,
  status: true,
  namespace: true,
  appName: true,
  rootCause: true,
  topPatterns: true,
  enrichedAt: true,
  knownIssueId: true,
} satisfies Prisma.PeakInvestigationSelect;
type PeakForAction = Prisma.PeakInvestigationGetPayload<{ select: typeof peakForActionSelect }>;

async function findPeakForAction(db: Reader, peakId: number): Promise<PeakForAction> {
  const peak = await db.peakInvestigation.findUnique({ where: { id: peakId }, select: peakForActionSelect });
  if (!peak) throw new NotFoundError(`Peak ${peakId} does not exist`);
  return peak;
}

/**
 * Moves the peak from its current status to `transition.to`, with `data`, and records the audit
 * entry. Conditional on the status read, so that of two concurrent changes only one applies.
 */
async function applyTransition(
  transaction: Prisma.TransactionClient,
  actor: Actor,
  peak: PeakForAction,
  transition: Transition,
  data: Prisma.PeakInvestigationUncheckedUpdateManyInput = {},
  details: Prisma.InputJsonObject = {},
): Promise<PeakSummary> {
  if (!transition.from.includes(peak.status)) throw new ConflictError(transition.refusal(peak.id, peak.status));
  const { count } = await transaction.peakInvestigation.updateMany({ where: { id: peak.id, status: peak.status }, data: { ...data, status: transition.to } });
  if (count === 0) throw new ConflictError(`Peak ${peak.id} was changed by someone else meanwhile; reload it and try again`);
  await recordAudit(transaction, actor, {
    action: transition.action,
    entityType: "peak",
    entityId: peak.id,
    details: { from: peak.status, to: transition.to, ...details },
  });
  return toSummary(await transaction.peakInvestigation.findUniqueOrThrow({ where: { id: peak.id }, select: summarySelect }));
}

async function changeStatus(
  prisma: PrismaClient,
  actor: Actor | null,
  id: number,
  transition: Transition,
  details: Prisma.InputJsonObject = {},
): Promise<PeakSummary> {
  assertRole(actor, "analyst");
  const peakId = parseInput(peakIdSchema, id);
  return prisma.$transaction(async (transaction) => applyTransition(transaction, actor, await findPeakForAction(transaction, peakId), transition, {}, details));
}

/** Acknowledges an open peak: someone is looking at it (analysts and above). */
export async function acknowledge(prisma: PrismaClient, actor: Actor | null, id: number): Promise<PeakSummary> {
  return changeStatus(prisma, actor, id, transitions.acknowledge);
}

/** Marks a peak a false positive, with an optional reason (analysts and above). */
export async function markFalsePositive(prisma: PrismaClient, actor: Actor | null, id: number, input: MarkFalsePositiveInput = {}): Promise<PeakSummary> {
  assertRole(actor, "analyst");
  const { reason } = parseInput(markFalsePositiveSchema, input);
  return changeStatus(prisma, actor, id, transitions.falsePositive, reason ? { reason } : {});
}

/** Opens a triaged peak again (analysts and above); its known issue and regression labels stay. */
export async function reopen(prisma: PrismaClient, actor: Actor | null, id: number): Promise<PeakSummary> {
  return changeStatus(prisma, actor, id, transitions.reopen);
}

/** A peak marked as a known issue, and the other open peaks labelled with the issue at the same time. */
export type KnownIssueActionResult = { peak: PeakSummary; labelled: LabelledPeak[] };

/**
 * Attaches a peak to an active known issue (analysts and above); with labelMatching (the
 * default), the other open peaks the issue matches are labelled too (see labelMatchingPeaks).
 */
export async function attachToKnownIssue(
  prisma: PrismaClient,
  actor: Actor | null,
  id: number,
  input: AttachToKnownIssueInput,
): Promise<KnownIssueActionResult> {
  assertRole(actor, "analyst");
  const peakId = parseInput(peakIdSchema, id);
  const { knownIssueId, labelMatching } = parseInput(attachToKnownIssueSchema, input);
  return prisma.$transaction(async (transaction) => {
    const peak = await findPeakForAction(transaction, peakId);
    if (!transitions.markKnownIssue.from.includes(peak.status)) throw new ConflictError(transitions.markKnownIssue.refusal(peakId, peak.status));
    const issue = await transaction.knownIssue.findUnique({ where: { id: knownIssueId }, select: { id: true, title: true, status: true } });
    if (!issue) throw new NotFoundError(`Known issue ${knownIssueId} does not exist`);
    if (issue.status !== "active") throw new ConflictError(`Known issue ${knownIssueId} is resolved; a peak can only be attached to an active issue`);
    if (peak.status === "known_issue" && peak.knownIssueId === knownIssueId)
      throw new ConflictError(`Peak ${peakId} is already attached to known issue ${knownIssueId}`);
    const labelled = labelMatching ? await labelMatchingPeaks(transaction, actor, issue, peakId) : [];
    const summary = await applyTransition(
      transaction,
      actor,
      peak,
      transitions.markKnownIssue,
      { knownIssueId },
      {
        knownIssueId,
        title: issue.title,
        previousKnownIssueId: peak.knownIssueId,
        ...labelledDetails(labelMatching, labelled),
      },
    );
    return { peak: summary, labelled };
  });
}

/** The audit details of the labelled peaks; none when labelling was not asked for, so older entries keep their shape. */
function labelledDetails(labelMatching: boolean, labelled: readonly LabelledPeak[]): Prisma.InputJsonObject {
  return labelMatching ? { labelledPeakIds: labelled.map((peak) => peak.id) } : {};
}

// Only the pattern ids are needed here, so a stored pattern missing other fields still counts.
const storedPatternIdsSchema = z.array(z.object({ patternId: z.string().min(1) })).catch([]);
const storedMatcherSchema = z.object({ rootCauses: storedPatternIdsSchema, patterns: storedPatternIdsSchema });

/** The peak's root-cause pattern ids, else its most frequent pattern; empty when not enriched. */
function rootCausePatternIds(peak: PeakForAction): string[] {
  if (peak.enrichedAt === null || peak.topPatterns === null) return [];
  const parsed = storedMatcherSchema.safeParse(peak.topPatterns);
  if (!parsed.success) return [];
  const patterns = parsed.data.rootCauses.length > 0 ? parsed.data.rootCauses : parsed.data.patterns.slice(0, 1);
  return [...new Set(patterns.map((pattern) => pattern.patternId))];
}

/** The chosen root-cause pattern ids (all of them when none are chosen), which must be the peak's own. */
function requirePatternIds(peak: PeakForAction, chosen?: readonly string[]): string[] {
  const patternIds = rootCausePatternIds(peak);
  if (patternIds.length === 0) {
    throw new InvalidInputError(`Peak ${peak.id} has no error patterns yet; enrich it first (peaks enrich --peak-id ${peak.id})`);
  }
  if (chosen === undefined) return patternIds;
  const foreign = chosen.filter((patternId) => !patternIds.includes(patternId));
  if (foreign.length > 0) {
    const message = `not a root-cause pattern of peak ${peak.id}: ${foreign.join(", ")}`;
    throw new InvalidInputError(`patternIds: ${message}`, [{ path: "patternIds", message }]);
  }
  return [...chosen];
}

function scopeOf(peak: PeakForAction, scope: KnownIssueScope): { namespace: string | null; appName: string | null } {
  if (scope === "everywhere") return { namespace: null, appName: null };
  if (scope === "namespace") return { namespace: peak.namespace, appName: null };
  if (peak.appName === null)
    throw new InvalidInputError(`Peak ${peak.id} has no app; choose the namespace scope`, [{ path: "scope", message: "the peak has no app" }]);
  return { namespace: peak.namespace, appName: peak.appName };
}

/**
 * Creates an active known issue recognised by this peak's root-cause patterns (all, or the
 * chosen ones), in the chosen scope, and attaches the peak to it (analysts and above). The peak
 * must be enriched. With labelMatching (the default), the other open peaks the new issue matches
 * are labelled too (see labelMatchingPeaks).
 */
export async function createKnownIssueFromPeak(
  prisma: PrismaClient,
  actor: Actor | null,
  id: number,
  input: CreateKnownIssueFromPeakInput,
): Promise<KnownIssueActionResult> {
  assertRole(actor, "analyst");
  const peakId = parseInput(peakIdSchema, id);
  const parsed = parseInput(createKnownIssueFromPeakSchema, input);
  return prisma.$transaction(async (transaction) => {
    const peak = await findPeakForAction(transaction, peakId);
    if (!transitions.markKnownIssue.from.includes(peak.status)) throw new ConflictError(transitions.markKnownIssue.refusal(peakId, peak.status));
    const fields = {
      title: parsed.title,
      description: parsed.description ?? null,
      patternIds: requirePatternIds(peak, parsed.patternIds),
      regexes: [],
      ...scopeOf(peak, parsed.scope),
      link: parsed.link ?? null,
    };
    const issue = await transaction.knownIssue.create({ data: { ...fields, createdById: actor.kind === "user" ? actor.id : null }, select: { id: true } });
    await recordAudit(transaction, actor, {
      action: "known_issue.create",
      entityType: "known_issue",
      entityId: issue.id,
      details: { ...fields, fromPeakId: peakId },
    });
    const labelled = parsed.labelMatching ? await labelMatchingPeaks(transaction, actor, { id: issue.id, title: fields.title }, peakId) : [];
    const summary = await applyTransition(
      transaction,
      actor,
      peak,
      transitions.markKnownIssue,
      { knownIssueId: issue.id },
      {
        knownIssueId: issue.id,
        title: fields.title,
        created: true,
        scope: parsed.scope,
        patternIds: fields.patternIds,
        previousKnownIssueId: peak.knownIssueId,
        ...labelledDetails(parsed.labelMatching, labelled),
      },
    );
    return { peak: summary, labelled };
  });
}

/**
 * Resolves a peak with its solution (analysts and above). A peak with an active known issue
 * resolves the issue too, which becomes a known peak with the solution; a peak without one
 * becomes a known peak of its own root-cause patterns. Later matching peaks are regressions.
 */
export async function resolvePeak(
  prisma: PrismaClient,
  actor: Actor | null,
  id: number,
  input: ResolvePeakInput,
): Promise<{ peak: PeakSummary; knownPeakId: number }> {
  assertRole(actor, "analyst");
  const peakId = parseInput(peakIdSchema, id);
  const parsed = parseInput(resolvePeakSchema, input);
  const resolvedAt = new Date();
  const resolvedById = actor.kind === "user" ? actor.id : null;
  return prisma.$transaction(async (transaction) => {
    const peak = await findPeakForAction(transaction, peakId);
    if (!transitions.resolve.from.includes(peak.status)) throw new ConflictError(transitions.resolve.refusal(peakId, peak.status));
    const issue = peak.knownIssueId === null ? null : await transaction.knownIssue.findUniqueOrThrow({ where: { id: peak.knownIssueId } });
    let knownPeakId: number;
    let resolvedIssueId: number | null = null;
    if (issue) {
      // Conditional on the status, so that the issue is resolved, and its known peak created, once.
      const { count } = await transaction.knownIssue.updateMany({ where: { id: issue.id, status: "active" }, data: { status: "resolved", resolvedAt } });
      // Resolved earlier from the known issues page: its known peak already holds the solution.
      const existing =
        count === 1 ? null : await transaction.knownPeak.findFirst({ where: { knownIssueId: issue.id }, orderBy: { id: "desc" }, select: { id: true } });
      if (existing) {
        knownPeakId = existing.id;
      } else {
        const knownPeak = await transaction.knownPeak.create({
          data: {
            title: issue.title,
            description: issue.description,
            solution: parsed.solution,
            patternIds: issue.patternIds,
            regexes: issue.regexes,
            namespace: issue.namespace,
            appName: issue.appName,
            link: issue.link,
            knownIssueId: issue.id,
            resolvedById,
            resolvedAt,
          },
          select: { id: true },
        });
        knownPeakId = knownPeak.id;
      }
      if (count === 1) {
        resolvedIssueId = issue.id;
        await recordAudit(transaction, actor, {
          action: "known_issue.resolve",
          entityType: "known_issue",
          entityId: issue.id,
          details: { knownPeakId, solution: parsed.solution, fromPeakId: peakId },
        });
      }
    } else {
      const knownPeak = await transaction.knownPeak.create({
        data: {
          title: parsed.title ?? (peak.rootCause ? peak.rootCause.slice(0, 200) : `Peak ${peakId} in ${peak.namespace}`),
          solution: parsed.solution,
          patternIds: requirePatternIds(peak, parsed.patternIds),
          regexes: [],
          ...scopeOf(peak, parsed.scope),
          resolvedById,
          resolvedAt,
        },
        select: { id: true },
      });
      knownPeakId = knownPeak.id;
    }
    const summary = await applyTransition(
      transaction,
      actor,
      peak,
      transitions.resolve,
      {},
      {
        solution: parsed.solution,
        knownPeakId,
        knownIssueId: peak.knownIssueId,
        resolvedKnownIssue: resolvedIssueId !== null,
      },
    );
    return { peak: summary, knownPeakId };
  });
}

/** Adds a note to a peak (analysts and above); its status does not change. */
export async function addNote(prisma: PrismaClient, actor: Actor | null, id: number, input: AddNoteInput): Promise<PeakNoteRecord> {
  assertRole(actor, "analyst");
  const peakId = parseInput(peakIdSchema, id);
  const { text } = parseInput(addNoteSchema, input);
  return prisma.$transaction(async (transaction) => {
    const peak = await transaction.peakInvestigation.findUnique({ where: { id: peakId }, select: { id: true } });
    if (!peak) throw new NotFoundError(`Peak ${peakId} does not exist`);
    const note = await transaction.peakNote.create({
      data: { peakId, authorId: actor.kind === "user" ? actor.id : null, actor: actorLabel(actor), text },
      select: { id: true, text: true, actor: true, createdAt: true },
    });
    await recordAudit(transaction, actor, { action: "peak.note", entityType: "peak", entityId: peakId, details: { noteId: note.id, text } });
    return { ...note, createdAt: note.createdAt.toISOString() };
  });
}

/** `labelled`: the other open peaks labelled with the known issue (marking as a known issue only). */
export type PeakActionResult = { peak: PeakSummary; knownPeakId?: number; labelled?: LabelledPeak[] };

/** Applies one action of POST /api/peaks/[id]/actions (analysts and above). */
export async function applyPeakAction(prisma: PrismaClient, actor: Actor | null, id: number, input: PeakActionInput): Promise<PeakActionResult> {
  assertRole(actor, "analyst");
  const parsed = parseInput(peakActionSchema, input);
  switch (parsed.action) {
    case "acknowledge":
      return { peak: await acknowledge(prisma, actor, id) };
    case "reopen":
      return { peak: await reopen(prisma, actor, id) };
    case "false_positive":
      return { peak: await markFalsePositive(prisma, actor, id, { reason: parsed.reason }) };
    // Each function parses its own schema again, which drops `action`.
    case "attach_known_issue":
      return attachToKnownIssue(prisma, actor, id, parsed);
    case "create_known_issue":
      return createKnownIssueFromPeak(prisma, actor, id, parsed);
    case "resolve":
      return resolvePeak(prisma, actor, id, parsed);
  }
}
