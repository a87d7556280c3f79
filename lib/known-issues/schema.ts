/**
 * Input schemas of the known-issues API, free of server code so that the dashboard's forms
 * validate with exactly what the route handlers and lib/db/known-issues.ts accept.
 */
import { z } from "zod";
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

export const listKnownIssuesSchema = z.object({
  status: z.enum(knownIssueStatuses).optional(),
  q: z.string().trim().max(200).optional(),
});
export type ListKnownIssuesInput = z.input<typeof listKnownIssuesSchema>;

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
