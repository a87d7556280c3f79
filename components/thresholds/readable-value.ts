import type { ThresholdField } from "@/lib/thresholds/form";

const whole = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/**
 * A threshold value in words where its digits are hard to read: tail_probability is tiny
 * (0.000001 has six decimals to count), so it is also shown as odds, "1 in 1,000,000". Null
 * for the other fields and for a value that is not a probability.
 */
export function readableThresholdValue(field: ThresholdField, value: number): string | null {
  if (field !== "tail_probability" || !Number.isFinite(value) || value <= 0 || value > 1) return null;
  return `1 in ${whole.format(Math.round(1 / value))}`;
}

/** A value as the history lists it: the number, with its words when it has them ("0.000001 (1 in 1,000,000)"). */
export function formatThresholdValue(field: ThresholdField, value: number): string {
  const words = readableThresholdValue(field, value);
  return words === null ? String(value) : `${value} (${words})`;
}
