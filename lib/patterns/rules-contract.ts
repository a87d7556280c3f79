import { z } from "zod";
import { MAX_USER_REGEX_LENGTH } from "@/lib/pipeline/user-regex";

// Merges and splits of patterns: inputs and answers, shared by the routes, the pages and the
// command line. What the rules do is lib/pipeline/pattern-rules.ts's.

const hashSchema = z.string().trim().min(1).max(200);

/** Patterns merged at once, at most. */
export const MAX_MERGE_MEMBERS = 50;
/** A split's value, as long as lib/pipeline/pattern-values.ts keeps one. */
export const MAX_SPLIT_VALUE_LENGTH = 200;

export const mergePatternsSchema = z.object({
  members: z.array(hashSchema).min(1, "name at least one pattern to merge").max(MAX_MERGE_MEMBERS),
  into: hashSchema,
});
export type MergePatternsInput = z.input<typeof mergePatternsSchema>;

export const splitPatternSchema = z
  .object({
    /** The wildcard's number in the template, from 1, as the pages number them (`<*> #1` first). */
    wildcard: z.number().int("wildcard must be a whole number").min(1, "wildcard must be 1 or more (wildcards are numbered from 1)").optional(),
    value: z.string().trim().min(1, "value must not be empty").max(MAX_SPLIT_VALUE_LENGTH).optional(),
    regex: z.string().min(1, "regex must not be empty").max(MAX_USER_REGEX_LENGTH).optional(),
    /** The new pattern's template; derived from the split when absent. */
    name: z.string().trim().min(1).max(500).optional(),
  })
  .superRefine((input, context) => {
    const byValue = input.wildcard !== undefined || input.value !== undefined;
    if (byValue && input.regex !== undefined) {
      context.addIssue({ code: "custom", path: ["regex"], message: "split by a wildcard's value or by a regex, not both" });
    } else if (!byValue && input.regex === undefined) {
      context.addIssue({ code: "custom", message: "give a wildcard and a value, or a regex" });
    } else if (byValue && input.wildcard === undefined) {
      context.addIssue({ code: "custom", path: ["wildcard"], message: "give the wildcard the value is at" });
    } else if (byValue && input.value === undefined) {
      context.addIssue({ code: "custom", path: ["value"], message: "give the value to split by" });
    }
  });
export type SplitPatternInput = z.input<typeof splitPatternSchema>;

export const patternRuleIdSchema = z.coerce.number().int().positive();

export const listPatternRulesSchema = z.object({
  hash: hashSchema.optional(),
  isActiveOnly: z.boolean().optional(),
});
export type ListPatternRulesInput = z.input<typeof listPatternRulesSchema>;

export type PatternRuleView = {
  id: number;
  kind: "merge" | "split";
  /** merge: the pattern the members went into; split: the pattern split. */
  target: string;
  members: string[];
  /** split: the new pattern and how it picks its messages. */
  child: { hash: string; template: string } | null;
  /** split: the wildcard (numbered from 1, `<*> #1` first) and its value, or the regex. */
  criterion: { wildcard: number; value: string } | { regex: string } | null;
  createdBy: string;
  createdAt: string;
  revokedBy: string | null;
  revokedAt: string | null;
  isActive: boolean;
};

/** A pattern's place in the rules, for its page. */
export type PatternRulesOfPattern = {
  /** Where this pattern's counts show, when merged away (or its split was reverted). */
  mergedInto: { hash: string; template: string } | null;
  /** The patterns merged into this one. */
  mergedFrom: string[];
  /** Rules naming it, newest first, reverted ones included. */
  rules: PatternRuleView[];
};

/** One line about a rule, for lists and the command line. */
export function describePatternRule(rule: PatternRuleView): string {
  if (rule.kind === "merge") return `merge ${rule.members.join(", ")} into ${rule.target}`;
  const how =
    rule.criterion === null
      ? ""
      : "regex" in rule.criterion
        ? ` where the headline matches /${rule.criterion.regex}/`
        : ` where <*> #${rule.criterion.wildcard} is "${rule.criterion.value}"`;
  return `split ${rule.target}${how} into ${rule.child?.hash ?? "?"}`;
}

/** POST /api/patterns/:hash/split: the path's pattern and the body's split. */
export const splitPatternRequestSchema = z.intersection(z.object({ hash: hashSchema }), splitPatternSchema);

/** POST /api/patterns/rules/:id/revoke. */
export const revokePatternRuleRequestSchema = z.object({ id: patternRuleIdSchema });

/** GET /api/patterns/rules?hash=&active=true */
export const listPatternRulesRequestSchema = z.object({ hash: hashSchema.optional(), active: z.enum(["true", "false"]).optional() });
