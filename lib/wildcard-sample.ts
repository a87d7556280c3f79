// The values seen at each wildcard of a pattern's template ("why grouped"), as JSON: written by
// enrichment and tracking (lib/pipeline/value-sample.ts builds them), read by the queries, the
// patterns' and peaks' contracts. A leaf: it imports nothing of the project.
import { z } from "zod";

const valueSketchSchema = z.object({
  /** Most errors first; counts are estimated errors, lower bounds (see lib/pipeline/value-sample.ts). */
  values: z.array(z.object({ value: z.string(), count: z.number().nonnegative() })),
  /** Errors whose value at this wildcard was not kept. */
  others: z.number().nonnegative(),
});

/**
 * The values at each wildcard of `template`, in order, and the errors they stand for: the JSON of
 * pattern_wildcard_values.positions (with its row's template and total) and of a peak's
 * investigation (its own window), as written and read back.
 */
export const wildcardSampleSchema = z.object({ template: z.string(), total: z.number().nonnegative(), positions: z.array(valueSketchSchema) });
export type WildcardSample = z.output<typeof wildcardSampleSchema>;
/** pattern_wildcard_values.positions alone. */
export const wildcardPositionsSchema = wildcardSampleSchema.shape.positions;
