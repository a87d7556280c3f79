import { z } from "zod";

/**
 * What an incident tests (labels.json `kind`). `incident`: an ordinary incident (the only kind in
 * labels written before kinds existed, and without `peaks generate --cases`); the others are the
 * detection test cases of `--cases`:
 * - moderate: 3.5–6 × the usual level, just above the thresholds;
 * - repeat: the same incident (shape, magnitude, local slot) one and two weeks after an `incident`;
 * - newborn: on the third day of a namespace that has no history before;
 * - level_shift: a permanent rise of the rate; labelled only for the first hours (`end`), from
 *   `accepted_from` on it is the new normal;
 * - ramp: errors growing linearly over 3–4 hours, then gone;
 * - midnight: across local midnight;
 * - dst: across the daylight-saving change;
 * - noisy: in an overdispersed (gamma–Poisson) namespace.
 */
export const incidentKinds = ["incident", "moderate", "repeat", "newborn", "level_shift", "ramp", "midnight", "dst", "noisy"] as const;
export type IncidentKind = (typeof incidentKinds)[number];

/** How a namespace's ordinary count behaves: Poisson, gamma–Poisson, or Poisson without history before a birth day. */
export const namespaceKinds = ["steady", "noisy", "newborn"] as const;
export type NamespaceKind = (typeof namespaceKinds)[number];

/**
 * Ground truth of a generated data set (labels.json): what was injected where. Only
 * `incidents` should be flagged; `scheduled` spikes recur at the same time and are normal
 * load, `below_minimum` spikes stay under min_absolute_value. Times are ISO-8601 UTC;
 * intervals are [start, end), aligned to windows. The fields added with the test cases
 * (`kind`, `reaches_thresholds`, `accepted_from`, `namespace_kinds`) are optional, so files
 * written before them (and data sets generated without `--cases`, whose labels.json is
 * unchanged) still parse. An absent field means its default: read `kind` and
 * `reaches_thresholds` through incidentKindOf / reachesThresholdsOf. They stay optional in the
 * parsed type too (no zod default), so that labelsOf's output is a Labels value as it is written.
 */
export const labelsSchema = z.object({
  timezone: z.string(),
  window_minutes: z.number().int().positive(),
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  seed: z.number().int(),
  namespaces: z.array(z.string()).min(1),
  /** Per namespace; absent in data sets generated without test cases. */
  namespace_kinds: z.record(z.string(), z.enum(namespaceKinds)).optional(),
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
      /** Absent: "incident". */
      kind: z.enum(incidentKinds).optional(),
      /**
       * Whether the expected count at one of the incident's full-height windows (its highest by
       * design) reaches max(min_absolute_value, min_ratio × the usual count, dynamic_min × the
       * expected 24-hour average before it): false marks an incident a detector with those
       * thresholds cannot be expected to flag. Absent: true.
       */
      reaches_thresholds: z.boolean().optional(),
      /** Level shift: from this instant the raised rate is the new normal (peaks after `end` are false alarms). */
      accepted_from: z.iso.datetime().optional(),
    }),
  ),
  scheduled: z.array(z.object({ namespace: z.string(), start: z.iso.datetime(), end: z.iso.datetime(), description: z.string() })),
  below_minimum: z.array(z.object({ namespace: z.string(), start: z.iso.datetime(), end: z.iso.datetime() })),
  /** Data sets generated with `--releases`: from `at` on, the namespace's documents carry `version` (service.version). */
  releases: z.array(z.object({ namespace: z.string(), version: z.string(), at: z.iso.datetime() })).optional(),
  /**
   * Data sets generated with `--releases`: errors logged only while one of `versions` runs, each
   * bursting into an incident shortly after the release that brings it (back), the regressing one
   * also once in its first version: `incidents`, ids of the top-level `incidents`, oldest first.
   */
  release_errors: z
    .array(
      z.object({
        id: z.string(),
        kind: z.enum(["introduced", "regression"]),
        namespace: z.string(),
        app: z.string(),
        root_cause: z.string(),
        versions: z.array(z.string()),
        /** Those the generator found free windows for; absent in files written before the bursts existed. */
        incidents: z.array(z.string()).optional(),
      }),
    )
    .optional(),
  /**
   * Data sets generated with `--outbreak`: one root cause (a shared dependency failing) in several
   * namespaces at the same windows [start, end); each namespace's part is one of `incidents`.
   */
  outbreaks: z
    .array(
      z.object({
        id: z.string(),
        start: z.iso.datetime(),
        end: z.iso.datetime(),
        namespaces: z.array(z.string()).min(2),
        root_cause: z.string(),
        incidents: z.array(z.string()),
      }),
    )
    .optional(),
});

export type Labels = z.infer<typeof labelsSchema>;
export type LabelledIncident = Labels["incidents"][number];

/** An incident's kind, "incident" when the labels have none. */
export function incidentKindOf(incident: Pick<LabelledIncident, "kind">): IncidentKind {
  return incident.kind ?? "incident";
}

/** Whether an incident reaches the detection thresholds, true when the labels do not say. */
export function reachesThresholdsOf(incident: Pick<LabelledIncident, "reaches_thresholds">): boolean {
  return incident.reaches_thresholds ?? true;
}
