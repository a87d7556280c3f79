import type { DecisionThresholds, PeakDetail } from "@/lib/db/peak-triage";
import { NO_BASELINE_RATIO, severityOf } from "@/lib/pipeline/detect";
import { MIN_OWN_SAMPLES } from "@/lib/pipeline/baseline";

/** Why a peak was flagged, in words: a summary line, the checks it passed, and what to keep in mind. */
export type PeakExplanation = { summary: string; reasons: string[]; notes: string[] };

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

/** Counts and means as people read them: whole numbers from 10 up, one decimal below ("0.4", "7.5", "150", "1,240"). */
export function formatAmount(value: number): string {
  return Math.abs(value) >= 10 ? integer.format(value) : oneDecimal.format(value);
}

/** A ratio as "8.3×" (whole from 100 up: "240×"). */
export function formatRatio(value: number): string {
  return `${value >= 100 ? integer.format(value) : oneDecimal.format(value)}×`;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${integer.format(count)} ${count === 1 ? one : many}`;
}

/** "a", "a and b", "a, b and c". */
function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

function baselineOrigin(decision: PeakDetail["decision"]): string {
  const samples = plural(decision.baselineSamples, "sample");
  if (decision.baselineSource === "slot") return `from ${samples} of this slot`;
  if (decision.baselineSource === "pooled") {
    return `pooled from ${samples} of the neighbouring windows and the same window on similar days, as this slot had fewer than ${MIN_OWN_SAMPLES} of its own`;
  }
  return `from ${samples}`;
}

const severityRanges: Record<string, string> = {
  critical: "20× the baseline or more, or no baseline at all",
  high: "10× to 20× the baseline",
  medium: "5× to 10× the baseline",
  low: "below 5× the baseline",
};

/**
 * Why a window was flagged, from the decision inputs stored with the peak and the thresholds
 * it was judged with (null when its thresholds version no longer exists). Detection flags a
 * window when it reaches the required ratio to its slot's baseline, the minimum count, and a
 * multiple of the namespace's 24-hour average, all three (lib/pipeline/detect.ts).
 */
export function explainPeak(decision: PeakDetail["decision"], thresholds: DecisionThresholds | null): PeakExplanation {
  const count = decision.errorCount;
  const hasBaseline = decision.baselineMean > 0 && decision.ratio < NO_BASELINE_RATIO;
  const errors = `${plural(count, "error")} in the window`;

  const summary = hasBaseline
    ? `${errors}, ${formatRatio(decision.ratio)} the baseline of ${formatAmount(decision.baselineMean)} (± ${formatAmount(decision.baselineStddev)}, ${baselineOrigin(decision)}).`
    : `${errors}, where this slot's baseline is 0 (${baselineOrigin(decision)}): errors were not usual at this time, so the ratio to the baseline has no limit.`;

  const reasons: string[] = [];
  if (hasBaseline) {
    const variation = decision.baselineStddev / decision.baselineMean;
    const range = thresholds
      ? `; a steady slot needs ${formatRatio(thresholds.min_ratio_multiplier)}, the noisiest ${formatRatio(thresholds.max_ratio_multiplier)}`
      : "";
    reasons.push(
      `The required ratio was ${formatRatio(decision.requiredRatio)} for this slot's variation (the spread is ${integer.format(variation * 100)} % of the mean${range}); it reached ${formatRatio(decision.ratio)}.`,
    );
  } else {
    reasons.push(`With no baseline, any count passes the ratio check (the required ratio was ${formatRatio(decision.requiredRatio)}, the most for a slot).`);
  }
  if (thresholds) {
    reasons.push(`Above the minimum of ${plural(thresholds.min_absolute_value, "error")}.`);
    const needed = formatAmount(thresholds.dynamic_min_multiplier * decision.average24h);
    reasons.push(
      `Above ${formatRatio(thresholds.dynamic_min_multiplier)} the 24-hour average of ${formatAmount(decision.average24h)} (at least ${needed} ${needed === "1" ? "error" : "errors"}).`,
    );
  } else {
    reasons.push("Above the minimum number of errors.");
    reasons.push(`Above the required multiple of the 24-hour average of ${formatAmount(decision.average24h)}.`);
  }

  const notes: string[] = [];
  const severity = severityOf(hasBaseline ? decision.ratio : NO_BASELINE_RATIO);
  notes.push(`Severity ${severity}: ${severityRanges[severity]}.`);
  if (decision.referenceCounts.length > 0) {
    const counts = decision.referenceCounts.map((value) => integer.format(value));
    notes.push(
      decision.referenceCounts.length === 1
        ? `The window before it had ${plural(decision.referenceCounts[0]!, "error")}.`
        : `The ${decision.referenceCounts.length} windows before it had ${listWords(counts)} errors (newest first).`,
    );
  }
  if (decision.baselineSource === null) {
    notes.push(
      `A slot gets one sample a week, and while it has fewer than ${MIN_OWN_SAMPLES} its baseline is pooled with its neighbours; whether this one was can no longer be told.`,
    );
  }
  if (thresholds === null) {
    notes.push(`Judged with thresholds version ${decision.thresholdsVersion ?? "?"}, which no longer exists.`);
  } else if (thresholds.version === null) {
    notes.push("Judged with the thresholds of values.yaml (none had been saved on the dashboard); the figures above are its current values.");
  } else {
    notes.push(`Judged with thresholds version ${thresholds.version}.`);
  }
  return { summary, reasons, notes };
}
