import type { DecisionThresholds, PeakDetail } from "./contract";
import { isYoungBaseline, NO_BASELINE_RATIO, severityOf } from "@/lib/pipeline/detect";
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
  if (decision.baselineSource === "recent")
    return `the namespace's average over its last ${plural(decision.baselineSamples, "window")}, as it is too young for a baseline of this time of week`;
  return `from ${samples}`;
}

const severityRanges: Record<string, string> = {
  critical: "20× the baseline or more, or no baseline at all",
  high: "10× to 20× the baseline",
  medium: "5× to 10× the baseline",
  low: "below 5× the baseline",
};

/** The tail probability as people read it: "1 in 100,000". */
function chance(probability: number): string {
  return `1 in ${integer.format(Math.round(1 / probability))}`;
}

const twoDecimals = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

function spreadWords(dispersion: number): string {
  if (dispersion < 0.005) return "this namespace's counts vary no more than random noise does";
  const value = twoDecimals.format(dispersion);
  return `this namespace's counts vary more widely than random noise (over-dispersion ${value}: a window's variance is its mean plus ${value} × the mean squared)`;
}

/**
 * Why a window was flagged, from the decision inputs stored with the peak and the thresholds
 * it was judged with (null when its thresholds version no longer exists). Detection flags a
 * window when it reaches the required ratio to its baseline, the spread threshold, the minimum
 * count and a multiple of the namespace's 24-hour average, and for a new peak the ratio to its
 * same-day windows (lib/pipeline/detect.ts). Both views of "unusual" are shown: the seasonal one
 * (this time of week) and the same-day one (the windows just before).
 */
export function explainPeak(decision: PeakDetail["decision"], thresholds: DecisionThresholds | null): PeakExplanation {
  const count = decision.errorCount;
  const hasBaseline = decision.baselineMean > 0 && decision.ratio < NO_BASELINE_RATIO;
  const errors = `${plural(count, "error")} in the window`;
  const isRecent = decision.baselineSource === "recent";
  const baselineName = isRecent ? "the recent level" : "the baseline";

  const summary = hasBaseline
    ? `${errors}, ${formatRatio(decision.ratio)} ${baselineName} of ${formatAmount(decision.baselineMean)} (± ${formatAmount(decision.baselineStddev)}, ${baselineOrigin(decision)}).`
    : isRecent
      ? `${errors}, where the namespace had no errors before (${baselineOrigin(decision)}): the ratio to its recent level has no limit.`
      : `${errors}, where this slot's baseline is 0 (${baselineOrigin(decision)}): errors were not usual at this time, so the ratio to the baseline has no limit.`;

  const reasons: string[] = [];
  if (isRecent) {
    reasons.push(
      `A young baseline needs the strictest ratio, ${formatRatio(decision.requiredRatio)}; it reached ${hasBaseline ? formatRatio(decision.ratio) : "more"}.`,
    );
  } else if (hasBaseline) {
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
  if (decision.spreadThreshold !== null && decision.dispersion !== null) {
    const odds = thresholds ? `, which an ordinary window exceeds with a chance of ${chance(thresholds.tail_probability)}` : "";
    reasons.push(
      `Beyond the spread of its slot: at least ${plural(Math.ceil(decision.spreadThreshold), "error")} were needed${odds}; ${spreadWords(decision.dispersion)}.`,
    );
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
  const sameDay = sameDayView(decision, thresholds);
  if (sameDay.isCheck) reasons.push(sameDay.text);

  const notes: string[] = [];
  const severity = severityOf(hasBaseline ? decision.ratio : NO_BASELINE_RATIO);
  notes.push(`Severity ${severity}: ${severityRanges[severity]}.`);
  if (!sameDay.isCheck && sameDay.text !== "") notes.push(sameDay.text);
  if (isYoungBaseline(decision.baselineSource)) {
    notes.push(
      isRecent
        ? "Young baseline: the namespace has too little history for a baseline of this time of week, so the window was compared with its recent level. Treat it with more care than a peak over a mature baseline."
        : `Young baseline: this slot had fewer than ${MIN_OWN_SAMPLES} samples of its own. Treat it with more care than a peak over a mature baseline.`,
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

/**
 * The same-day view in words: the count against the windows just before it. A reason when it was
 * a check the peak had to pass (same_day_min_ratio above 0 and a ratio stored); a note otherwise.
 */
function sameDayView(decision: PeakDetail["decision"], thresholds: DecisionThresholds | null): { text: string; isCheck: boolean } {
  const references = decision.referenceCounts;
  if (references.length === 0) return { text: "", isCheck: false };
  const windows = references.length === 1 ? "the window before it" : `the ${references.length} windows before it`;
  const counts =
    references.length === 1 ? plural(references[0]!, "error") : `${listWords(references.map((value) => integer.format(value)))} errors, newest first`;
  if (decision.sameDayRatio === null) return { text: `${sentenceCase(windows)} had ${counts}.`, isCheck: false };
  const ratio =
    decision.sameDayRatio >= NO_BASELINE_RATIO ? `no errors in ${windows}` : `${formatRatio(decision.sameDayRatio)} the mean of ${windows} (${counts})`;
  const required = thresholds?.same_day_min_ratio ?? 0;
  if (required > 0) return { text: `Same-day view: ${ratio}, where a new peak needs ${formatRatio(required)}.`, isCheck: true };
  return { text: `Same-day view (shown for comparison; the seasonal view decides): ${ratio}.`, isCheck: false };
}

function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
