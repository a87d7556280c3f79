/**
 * The known-issues API as the browser, the route handlers and the command line see it: input
 * schemas (so that the dashboard's forms validate with exactly what the server accepts) and
 * answers, no server code.
 */
import { z } from "zod";
// The one value from lib/pipeline: regexes are checked by the engine that later runs them (RE2
// in JavaScript, no server code), so that the form refuses exactly what the server refuses.
import { userRegexProblem } from "@/lib/pipeline/user-regex";
import { recordIdSchema } from "@/lib/record-id";
import { isHttpUrl } from "@/lib/text-schema";

export const knownIssueStatuses = ["active", "resolved"] as const;
export type KnownIssueStatus = (typeof knownIssueStatuses)[number];

export const knownIssueIdSchema = recordIdSchema;

/** Blank optional text is cleared (null), so that a form can send "" to remove a value. */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((value) => (value === "" ? null : value))
    .nullable()
    .optional();

const linkSchema = z
  .string()
  .trim()
  .max(2000)
  .refine((value) => value === "" || isHttpUrl(value), "must be an http(s) URL")
  .transform((value) => (value === "" ? null : value))
  .nullable()
  .optional();

const patternIdsSchema = z
  .array(z.string().trim().min(1).max(200))
  .max(100)
  .transform((ids) => [...new Set(ids)]);

// Compiled by the engine issueMatches runs them on (RE2, linear time), so that what is accepted
// here is exactly what matches later. Its check covers the length (MAX_USER_REGEX_LENGTH) too,
// so that a pattern too long gets one message rather than zod's and the engine's.
const regexSchema = z
  .string()
  .min(1)
  .superRefine((source, context) => {
    const problem = userRegexProblem(source);
    if (problem !== null) context.addIssue({ code: "custom", message: problem });
  });

const regexesSchema = z
  .array(regexSchema)
  .max(50)
  .transform((regexes) => [...new Set(regexes)]);

export const NEEDS_A_MATCHER = "give at least one pattern id or regular expression";

/** The fields an analyst edits; their keys are also what an update's audit entry compares. */
export const knownIssueFieldsShape = {
  title: z.string().trim().min(1).max(200),
  description: optionalText(10_000),
  patternIds: patternIdsSchema,
  regexes: regexesSchema,
  namespace: optionalText(200),
  appName: optionalText(200),
  link: linkSchema,
};

export const createKnownIssueSchema = z
  .object({ ...knownIssueFieldsShape, patternIds: patternIdsSchema.default([]), regexes: regexesSchema.default([]) })
  .superRefine((input, context) => {
    if (input.patternIds.length === 0 && input.regexes.length === 0) context.addIssue({ code: "custom", path: ["patternIds"], message: NEEDS_A_MATCHER });
  });
export type CreateKnownIssueInput = z.input<typeof createKnownIssueSchema>;

/** Only the fields given change; the result must still have a pattern id or a regex. */
export const updateKnownIssueSchema = z.object(knownIssueFieldsShape).partial();
export type UpdateKnownIssueInput = z.input<typeof updateKnownIssueSchema>;
/** PATCH /api/known-issues/[id]: the changes with the path's id. */
export const updateKnownIssueRequestSchema = updateKnownIssueSchema.extend({ id: knownIssueIdSchema });

export const resolveKnownIssueSchema = z.object({ solution: z.string().trim().min(1).max(10_000) });
export type ResolveKnownIssueInput = z.input<typeof resolveKnownIssueSchema>;
export const resolveKnownIssueRequestSchema = resolveKnownIssueSchema.extend({ id: knownIssueIdSchema });

export const knownIssueRequestSchema = z.object({ id: knownIssueIdSchema });

/** Known issues of one page when the request does not say, and the most one page may hold. */
export const DEFAULT_KNOWN_ISSUES_PAGE_SIZE = 50;
export const MAX_KNOWN_ISSUES_PAGE_SIZE = 200;

export const listKnownIssuesSchema = z.object({
  status: z.enum(knownIssueStatuses).optional(),
  /** Part of the title, description, namespace or app name (any case), a whole pattern id, or the issue's id ("12" or "#12"). */
  q: z.string().trim().max(200).optional(),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(MAX_KNOWN_ISSUES_PAGE_SIZE).default(DEFAULT_KNOWN_ISSUES_PAGE_SIZE),
});
export type ListKnownIssuesInput = z.input<typeof listKnownIssuesSchema>;

/** One page of known issues, active first, then newest; `total` counts every issue the filters select. */
export type KnownIssuePage = { knownIssues: KnownIssueSummary[]; total: number; offset: number; limit: number; nextOffset: number | null };

export const PREVIEW_DEFAULT_DAYS = 30;
export const PREVIEW_MAX_DAYS = 90;
export const PREVIEW_LIMIT = 50;

export const previewMatchesSchema = z.object({
  patternIds: patternIdsSchema.default([]),
  regexes: regexesSchema.default([]),
  namespace: optionalText(200),
  appName: optionalText(200),
  days: z.coerce.number().int().min(1).max(PREVIEW_MAX_DAYS).default(PREVIEW_DEFAULT_DAYS),
});
export type PreviewMatchesInput = z.input<typeof previewMatchesSchema>;

// ---------------------------------------------------------------------------------------------
// Answers. JSON-safe: times are ISO strings.

export type KnownIssueSummary = {
  id: number;
  title: string;
  description: string | null;
  patternIds: string[];
  /** Each pattern id with its current template; null when error_patterns no longer has it. */
  patterns: { patternId: string; template: string | null }[];
  regexes: string[];
  namespace: string | null;
  appName: string | null;
  link: string | null;
  status: KnownIssueStatus;
  /** E-mail of the creator; null for the command line or a deleted user. */
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  /** Peaks labelled with this issue. */
  matchedPeaks: number;
  lastMatchedAt: string | null;
};

export type MatchedPeak = {
  id: number;
  timestamp: string;
  namespace: string;
  severity: string;
  errorCount: number;
  status: string;
  rootCause: string | null;
};

/** Peaks a known issue's page lists, newest first; matchedPeaks has the full count. */
export const MAX_DETAIL_PEAKS = 100;

export type KnownIssueDetail = KnownIssueSummary & {
  /** Newest first, at most MAX_DETAIL_PEAKS (matchedPeaks has the full count). */
  peaks: MatchedPeak[];
  /** The resolved incident this issue became, when resolved. */
  knownPeak: { id: number; solution: string; resolvedAt: string; resolvedBy: string | null } | null;
};

export type PreviewPeak = { id: number; timestamp: string; namespace: string; rootCause: string | null; knownIssueId: number | null };
/**
 * What a matcher matches: the peaks of the last `days` (`total`, the newest in `peaks`), and the
 * open peaks without a known issue, of any time, that saving it as a new issue labels at once
 * (`labels`: the same function decides both, lib/known-issues/matching.ts).
 */
export type MatchPreview = { days: number; from: string; total: number; peaks: PreviewPeak[]; labels: { total: number; peaks: PreviewPeak[] } };

/** An open peak labelled with a known issue when the issue was created or another peak was marked with it. */
export type LabelledPeak = { id: number; timestamp: string; namespace: string };

/** A new known issue, with the open peaks it labelled at once. */
export type CreatedKnownIssue = KnownIssueSummary & { labelled: LabelledPeak[] };
