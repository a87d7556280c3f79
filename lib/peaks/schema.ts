/**
 * Input schemas of the peak triage actions, free of server code so that the dashboard's forms
 * validate with exactly what the route handlers and lib/db/peak-triage.ts accept.
 */
import { z } from "zod";
import { recordIdSchema } from "@/lib/record-id";
import { isHttpUrl, optionalText } from "@/lib/text-schema";

export const peakStatuses = ["open", "acknowledged", "known_issue", "false_positive", "resolved"] as const;
export type PeakStatus = (typeof peakStatuses)[number];
export const peakSeverities = ["low", "medium", "high", "critical"] as const;
export type PeakSeverity = (typeof peakSeverities)[number];
export const peakLabels = ["known", "unknown", "regression"] as const;
export type PeakLabel = (typeof peakLabels)[number];
export const knownIssueScopes = ["namespace", "namespace_and_app", "everywhere"] as const;
export type KnownIssueScope = (typeof knownIssueScopes)[number];

export const MAX_NOTE_CHARS = 4000;

/** The triage actions, with the statuses each may start from (mirrors the transitions of lib/db/peak-triage.ts). */
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
const labelMatchingSchema = z.boolean().default(true);

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

/** A JSON value as stored in a JSON column and sent to the browser. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue | undefined };

/** One entry of a peak's audit trail; `details` as the action wrote it (see describeAuditEntry). */
export type PeakAuditEntry = { id: string; actor: string; action: string; details: JsonValue; createdAt: string };
