import { z } from "zod";

/**
 * Ground truth of a generated data set (labels.json): what was injected where. Only
 * `incidents` should be flagged; `scheduled` spikes recur at the same time and are normal
 * load, `below_minimum` spikes stay under min_absolute_value. Times are ISO-8601 UTC;
 * intervals are [start, end), aligned to windows.
 */
export const labelsSchema = z.object({
  timezone: z.string(),
  window_minutes: z.number().int().positive(),
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  seed: z.number().int(),
  namespaces: z.array(z.string()).min(1),
  incidents: z.array(
    z.object({
      id: z.string(),
      namespace: z.string(),
      start: z.iso.datetime(),
      end: z.iso.datetime(),
      /** Multiple of the namespace's usual error rate at the incident's height. */
      magnitude: z.number().positive(),
      /** Pattern id and message of the injected root cause. */
      root_cause: z.string(),
      app: z.string(),
    }),
  ),
  scheduled: z.array(z.object({ namespace: z.string(), start: z.iso.datetime(), end: z.iso.datetime(), description: z.string() })),
  below_minimum: z.array(z.object({ namespace: z.string(), start: z.iso.datetime(), end: z.iso.datetime() })),
});

export type Labels = z.infer<typeof labelsSchema>;
export type LabelledIncident = Labels["incidents"][number];
