// "Why grouped" in words: the values seen at a pattern's wildcards as the pattern and peak pages
// show them. Browser-safe: types from the contract, no server code.
import { formatCount } from "@/lib/format";
import type { WildcardSample } from "./contract";

/** A value holding at least this share of a wildcard's errors is said to be behind them. */
export const DOMINANT_SHARE = 0.8;
/** Values listed per wildcard; the rest are summed as "others". */
export const SHOWN_VALUES = 5;

const WILDCARD = "<*>";

/** A template cut into its literal text and its wildcards, numbered from 1. */
export type TemplatePart = { kind: "text"; text: string } | { kind: "wildcard"; number: number };

export function templateParts(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  template.split(WILDCARD).forEach((text, index) => {
    if (index > 0) parts.push({ kind: "wildcard", number: index });
    if (text !== "") parts.push({ kind: "text", text });
  });
  return parts;
}

export type ShownValue = { value: string; count: number; share: number };
/** One wildcard as shown: its most frequent values with their share of the sample's errors, and the errors of all others. */
export type ShownWildcard = { number: number; values: ShownValue[]; others: number; dominant: ShownValue | null };

/** Each wildcard of a sample as shown (shares of the sample's total; counts are estimates). */
export function shownWildcards(sample: WildcardSample): ShownWildcard[] {
  return sample.positions.map((position, index) => {
    const values = position.values.slice(0, SHOWN_VALUES).map(({ value, count }) => ({ value, count, share: sample.total > 0 ? count / sample.total : 0 }));
    const shown = values.reduce((sum, entry) => sum + entry.count, 0);
    const top = values[0];
    return {
      number: index + 1,
      values,
      others: Math.max(0, sample.total - shown),
      dominant: top !== undefined && top.share >= DOMINANT_SHARE ? top : null,
    };
  });
}

/** "97 %"; under 1 % but not none, "< 1 %". */
export function formatShare(share: number): string {
  if (share > 0 && share < 0.005) return "< 1 %";
  return `${Math.round(share * 100)} %`;
}

/** "<*> #1" */
export function wildcardLabel(number: number): string {
  return `${WILDCARD} #${number}`;
}

/** A leading value under this share of the errors does not stand out: the wildcard holds a different value almost every time. */
export const NOTABLE_SHARE = 0.2;

/**
 * One sentence on the wildcard whose leading value holds the most of the errors:
 * "<*> #1 was 10.0.3.12 in 97 % of 1,234 errors", "<*> #2 was most often 42 (35 % of 1,234
 * errors)", or "No value stands out: the most frequent, 7 at <*> #1, in 1 % of 1,234 errors"
 * ("… a different one almost every time in 1,234 errors" when no value was kept). Null without a
 * wildcard or an error sampled.
 */
export function leadingValueSentence(sample: WildcardSample): string | null {
  if (sample.total <= 0) return null;
  let leading: { number: number; value: ShownValue } | null = null;
  for (const wildcard of shownWildcards(sample)) {
    const top = wildcard.values[0];
    if (top !== undefined && (leading === null || top.share > leading.value.share)) leading = { number: wildcard.number, value: top };
  }
  const errors = Math.round(sample.total);
  const of = `${formatCount(errors)} ${errors === 1 ? "error" : "errors"}`;
  // No value kept at all: none came back often enough to hold a place (ids, timestamps).
  if (leading === null) return sample.positions.length > 0 ? `No value stands out: a different one almost every time in ${of}` : null;
  const { number, value } = leading;
  const share = formatShare(value.share);
  if (value.share >= DOMINANT_SHARE) return `${wildcardLabel(number)} was ${value.value} in ${share} of ${of}`;
  if (value.share >= NOTABLE_SHARE) return `${wildcardLabel(number)} was most often ${value.value} (${share} of ${of})`;
  return `No value stands out: the most frequent, ${value.value} at ${wildcardLabel(number)}, in ${share} of ${of}`;
}
