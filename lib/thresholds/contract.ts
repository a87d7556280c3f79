import type { BacktestNamespace, BacktestPoint } from "@/lib/pipeline/backtest";
import { z } from "zod";
import { peakDetectionSchema } from "@/lib/config/schema";
import { optionalText } from "@/lib/text-schema";
import { recordIdSchema } from "@/lib/record-id";

// The thresholds API as the browser, the route handlers and the command line see it: input
// schemas, answers, the stored form of a version's values; no server code.

export const BACKTEST_DEFAULT_DAYS = 7;
export const BACKTEST_MAX_DAYS = 30;
/** Days replayed before a backtest's range so that its baselines have their usual four samples per slot. */
export const BACKTEST_WARMUP_DAYS = 28;
export const BACKTEST_POINTS = 480;

/** The peak_detection values, same keys and rules as values.yaml. */
export const thresholdValuesSchema = peakDetectionSchema;
export type ThresholdValues = z.output<typeof thresholdValuesSchema>;

export const thresholdFieldHelp: Record<keyof ThresholdValues, { label: string; help: string; step: number }> = {
  min_ratio_multiplier: { label: "Minimum ratio to the baseline", help: "A steady slot is a peak from this many times its mean (×).", step: 0.1 },
  max_ratio_multiplier: { label: "Maximum ratio to the baseline", help: "The ratio required of the noisiest slots (stddev ≥ mean) (×).", step: 0.1 },
  dynamic_min_multiplier: {
    label: "Multiple of the 24-hour average",
    help: "A peak also needs this many times the namespace's average of the last 24 hours (×; 0 turns the check off).",
    step: 0.1,
  },
  min_absolute_value: { label: "Minimum errors in the window", help: "Windows with fewer errors are never peaks.", step: 1 },
  same_day_window_count: {
    label: "Same-day reference windows",
    help: "The windows just before a window (−15, −30, −45 min for 3): the same-day view compares with their mean, and a peak among them makes a peak continue its plateau (0–96).",
    step: 1,
  },
  same_day_min_ratio: {
    label: "Minimum ratio to the same-day windows",
    help: "A new peak also needs this many times the mean of its same-day reference windows (×; 0 turns the check off).",
    step: 0.1,
  },
  tail_probability: {
    label: "Spread check: chance of an ordinary window passing",
    help: "A peak must lie beyond the count an ordinary window of its slot exceeds with this probability, given how widely the namespace's counts spread (smaller is stricter; at most 0.01).",
    step: 0.000001,
  },
};

const comment = optionalText(500);

export const saveThresholdsSchema = z.object({
  values: thresholdValuesSchema,
  comment,
  /** The version the form was loaded from (null: values.yaml); a newer one in force is a conflict. */
  basedOnVersion: recordIdSchema.nullable(),
});
export type SaveThresholdsInput = z.input<typeof saveThresholdsSchema>;

export const restoreThresholdsSchema = z.object({ version: recordIdSchema, comment });
export type RestoreThresholdsInput = z.input<typeof restoreThresholdsSchema>;

export const backtestSchema = z.object({
  values: thresholdValuesSchema,
  days: z.coerce.number().int().min(1).max(BACKTEST_MAX_DAYS).default(BACKTEST_DEFAULT_DAYS),
  /** Only this namespace, with its chart; without it every namespace and the chart of the one that changes most. */
  namespace: z.string().trim().min(1).max(200).optional(),
});
export type BacktestRequest = z.input<typeof backtestSchema>;

/**
 * threshold_settings.values: a saved version's values as stored. Written as the whole
 * ThresholdValues of its time; an older version lacks the keys added since, which the defaults
 * fill in (thresholdsOverDefaults).
 */
export const storedThresholdValuesSchema = z.object({
  min_ratio_multiplier: z.number().optional(),
  max_ratio_multiplier: z.number().optional(),
  dynamic_min_multiplier: z.number().optional(),
  min_absolute_value: z.number().optional(),
  same_day_window_count: z.number().optional(),
  same_day_min_ratio: z.number().optional(),
  tail_probability: z.number().optional(),
});
export type StoredThresholdValues = z.output<typeof storedThresholdValuesSchema>;

/** A saved version's values over the defaults (an older version may lack a key added since). */
export function thresholdsOverDefaults(stored: unknown, defaults: ThresholdValues): ThresholdValues {
  return { ...defaults, ...storedThresholdValuesSchema.parse(stored) };
}

export type ThresholdChange = { key: keyof ThresholdValues; from: number; to: number };

export type ThresholdVersion = {
  /** Null: the values.yaml defaults, in force until a version is saved. */
  version: number | null;
  values: ThresholdValues;
  comment: string | null;
  createdBy: string | null;
  createdAt: string | null;
  /** What changed against the version before it (the defaults for the first). */
  changes: ThresholdChange[];
};

export type ThresholdsState = { current: ThresholdVersion; history: ThresholdVersion[]; defaults: ThresholdValues };

export type BacktestAnswer = {
  from: number;
  to: number;
  days: number;
  warmupDays: number;
  currentVersion: number | null;
  current: ThresholdValues;
  proposed: ThresholdValues;
  totals: { current: number; proposed: number; added: number; removed: number; stored: number };
  /** Peaks stored in the range per namespace next to what each set flags. */
  namespaces: (BacktestNamespace & { stored: number })[];
  /** The chart of one namespace: the asked one, or the one whose peaks change most. */
  chart: { namespace: string; bucketMinutes: number; points: BacktestPoint[] } | null;
};
