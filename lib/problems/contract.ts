import { z } from "zod";
import type { LabelledPeak } from "@/lib/known-issues/contract";
import type { PeakStatus } from "@/lib/peaks/contract";
import { createKnownIssueFromPeakSchema, listOf } from "@/lib/peaks/contract";
import {
  parseProblemId,
  problemScopes,
  problemTrendDirections,
  type PeriodFigures,
  type ProblemScopeKind,
  type ProblemTrendDirection,
} from "@/lib/pipeline/problems";
import { optionalText } from "@/lib/text-schema";
import type { VersionImpact } from "@/lib/versions/contract";

// The problems API as the browser, the route handlers and the command line see it: inputs and
// answers, no server code. A problem is a root-cause pattern with an error type, across
// namespaces and time (lib/pipeline/problems.ts).

export { problemScopes, problemTrendDirections, type PeriodFigures, type ProblemScopeKind, type ProblemTrendDirection };

export const DEFAULT_PROBLEMS_SINCE = "24h";
export const MAX_PROBLEMS_SINCE_DAYS = 90;
export const DEFAULT_PROBLEM_PAGE_SIZE = 50;
export const MAX_PROBLEM_PAGE_SIZE = 200;
/** Namespaces whose errors by version a problem's page shows (those with the most errors of it). */
export const MAX_PROBLEM_VERSION_NAMESPACES = 10;
/** Incidents listed on a problem's page (its timeline); incidentTotal has them all. */
export const MAX_PROBLEM_INCIDENTS = 500;

const HOUR_MS = 3_600_000;

/** The path of a problem's page over the default period. */
export function problemPath(id: string): string {
  return `/problems/${encodeURIComponent(id)}`;
}

/** The milliseconds of a period written in whole hours or days ("24h", "7d"); NaN for any other text. */
export function sinceMs(since: string): number {
  const match = /^(\d{1,6})([hd])$/.exec(since);
  if (!match) return Number.NaN;
  return Number(match[1]) * (match[2] === "d" ? 24 : 1) * HOUR_MS;
}

/**
 * A period back from now in whole hours or days ("24h", "7d"), from 1 hour to
 * MAX_PROBLEMS_SINCE_DAYS days; written without leading zeros, so that parsing again keeps it.
 */
export const sinceSchema = z
  .string()
  .trim()
  .regex(/^\d{1,6}[hd]$/, "must be a number of hours or days, such as 24h or 7d")
  .transform((since) => `${Number(since.slice(0, -1))}${since.slice(-1)}`)
  .refine((since) => sinceMs(since) >= HOUR_MS && sinceMs(since) <= MAX_PROBLEMS_SINCE_DAYS * 24 * HOUR_MS, {
    message: `must be from 1h to ${MAX_PROBLEMS_SINCE_DAYS}d`,
  });

export const listProblemsSchema = z.object({
  since: sinceSchema.prefault(DEFAULT_PROBLEMS_SINCE),
  /** Case-insensitive part of the id, template, error type, a namespace or an app. */
  q: optionalText(200),
  scope: listOf(z.enum(problemScopes)).optional(),
  /** "true": with a known issue only; "false": without one only. */
  known: z.enum(["true", "false"]).optional(),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(MAX_PROBLEM_PAGE_SIZE).default(DEFAULT_PROBLEM_PAGE_SIZE),
});
export type ListProblemsInput = z.input<typeof listProblemsSchema>;

/** "<pattern id>-<error type>", as lib/pipeline/problems.ts writes it. */
export const problemIdSchema = z
  .string()
  .trim()
  .max(2000)
  .refine((id) => parseProblemId(id) !== null, { message: "is not a problem id (<pattern id>-<error type>)" });

/** GET /api/problems/[id]: the path's id with the period. */
export const problemRequestSchema = z.object({ id: problemIdSchema, since: sinceSchema.prefault(DEFAULT_PROBLEMS_SINCE) });
export type ProblemRequestInput = z.input<typeof problemRequestSchema>;

/** Where a known issue made from a problem matches: everywhere, or the one namespace the problem hit. */
export const problemKnownIssueScopes = ["everywhere", "namespace"] as const;
export type ProblemKnownIssueScope = (typeof problemKnownIssueScopes)[number];

/**
 * The fields of a known issue made from a problem (the form's); its patterns are the problem's.
 * labelMatching (the default): the other open peaks it matches are labelled too.
 */
export const createKnownIssueFromProblemFieldsSchema = createKnownIssueFromPeakSchema
  .pick({ title: true, description: true, link: true, labelMatching: true })
  .extend({ scope: z.enum(problemKnownIssueScopes).default("everywhere") });
export type CreateKnownIssueFromProblemFields = z.input<typeof createKnownIssueFromProblemFieldsSchema>;

/** POST /api/problems/[id]/known-issue: the path's id, the period the problem is read over, and the fields. */
export const createKnownIssueFromProblemSchema = createKnownIssueFromProblemFieldsSchema.extend({
  id: problemIdSchema,
  since: sinceSchema.prefault(DEFAULT_PROBLEMS_SINCE),
});
export type CreateKnownIssueFromProblemInput = z.input<typeof createKnownIssueFromProblemSchema>;

// ---------------------------------------------------------------------------------------------
// Answers. JSON-safe: times are ISO strings.

/** The period asked for (`from` to `to`) and the one of the same length before it (from `previousFrom`). */
export type ProblemPeriod = { since: string; from: string; to: string; previousFrom: string };

/** What the trend and the scope were judged with (values.yaml's problems section). */
export type ProblemJudgement = { systemicNamespaces: number; trendFactor: number; trendMinErrors: number };

export type ProblemTrend = {
  /** up / down: errors moved by at least trendFactor and trendMinErrors; else stable. */
  direction: ProblemTrendDirection;
  current: PeriodFigures;
  previous: PeriodFigures;
  /** current ÷ previous errors; null when the previous period had none. */
  ratio: number | null;
  /**
   * Where the period before lacks data for the problem's namespaces (windows no source covered,
   * or time before the oldest stored window), which makes its figures a lower bound; null when
   * it was read in full.
   */
  previousGap: ProblemPreviousGap | null;
};

/** MAX_GAP_NAMESPACES of the namespaces are named, the rest counted. */
export const MAX_GAP_NAMESPACES = 10;

export type ProblemPreviousGap = {
  /** Windows of the problem's namespaces in the period before that no source covered (from the oldest stored window on). */
  missingWindows: number;
  /** The namespaces lacking windows, sorted, at most MAX_GAP_NAMESPACES, and how many there are. */
  namespaces: string[];
  namespaceTotal: number;
  /** The oldest stored window's start (ISO) when the period before begins earlier; null when it does not. */
  storedFrom: string | null;
};

export type ProblemScope = {
  /** systemic: at least systemicNamespaces namespaces hit at the same time; several: more than one, never that many at once. */
  kind: ProblemScopeKind;
  namespaces: number;
  /** The most namespaces it held at once, from when. */
  mostAtOnce: number;
  mostAtOnceFrom: string;
};

export type ProblemSummary = {
  id: string;
  patternId: string;
  errorType: string;
  /** The root cause's template: its pattern's as stored now, else (pattern no longer kept) as its investigation stored it. */
  template: string | null;
  /** A root-cause message of its newest window. */
  example: string | null;
  /** Peak windows of it in the period. */
  occurrences: number;
  /** Incidents holding those windows. */
  incidents: number;
  namespaces: string[];
  apps: string[];
  /** Start of its first window and end of its last one in the period. */
  firstSeen: string;
  lastSeen: string;
  /** Errors of its windows (every error of the namespace in them). */
  errors: number;
  trend: ProblemTrend;
  scope: ProblemScope;
  /** The known issue most of its windows in the period carry. */
  knownIssue: { id: number; title: string; status: string } | null;
};

export type ProblemPage = {
  /** Most actionable first: no known issue, growing, wide, big, recent. */
  problems: ProblemSummary[];
  /** Problems matching the filters. */
  total: number;
  offset: number;
  limit: number;
  nextOffset: number | null;
  period: ProblemPeriod;
  judgement: ProblemJudgement;
  /** Peak windows of the period not investigated yet: without a root cause, in no problem. */
  windowsWithoutRootCause: number;
};

/** One incident's windows of the problem, for its timeline. */
export type ProblemIncident = {
  /** null: windows not placed in an incident yet. */
  incidentId: number | null;
  namespace: string;
  /** Start of its first window and end of its last one of this problem. */
  start: string;
  end: string;
  windows: number;
  errors: number;
  /** The incident's status and whether it is still ongoing; null outside an incident. */
  status: PeakStatus | null;
  isOngoing: boolean | null;
};

/** A problem's errors by version in one namespace it hit, over the period (each namespace has its own releases). */
export type ProblemNamespaceVersions = { namespace: string; impact: VersionImpact };

/** A problem's release impact: per namespace, as versions are tracked per namespace. */
export type ProblemVersions = {
  /** The namespaces whose windows of it have errors by version stored, most errors of it first, at most MAX_PROBLEM_VERSION_NAMESPACES. */
  namespaces: ProblemNamespaceVersions[];
  /** Namespaces with errors by version stored but past that limit. */
  notShown: number;
  /** Namespaces of the problem whose windows were all investigated before versions were read. */
  withoutVersions: number;
};

export type ProblemDetail = ProblemSummary & {
  /** The root-cause pattern ids its windows carry: the pattern and those merged into it (what a known issue made from it names). */
  patternIds: string[];
  /** Example messages of the pattern as stored (empty when it is no longer kept). */
  examples: string[];
  /** Its first and last window ever, and how many windows it has had. */
  history: { firstWindow: string; lastWindow: string; windows: number };
  /** Newest first, at most MAX_PROBLEM_INCIDENTS. */
  incidentList: ProblemIncident[];
  incidentTotal: number;
  versions: ProblemVersions;
  period: ProblemPeriod;
  judgement: ProblemJudgement;
};

/** What creating a known issue from a problem did. */
export type ProblemKnownIssueResult = {
  knownIssue: { id: number; title: string; status: string };
  /** The problem's incidents of the period now known with it, oldest id first. */
  attachedIncidentIds: number[];
  /** Its incidents left as they were: closed (false positive, resolved) ones, which an analyst reopens first. */
  skippedIncidents: { id: number; status: PeakStatus }[];
  /** The other open peaks it matched and labelled (labelMatching). */
  labelled: LabelledPeak[];
};
