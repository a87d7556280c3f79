import { formatCount, formatDateTime } from "@/lib/format";
import type { ProblemDetail, ProblemJudgement, ProblemPreviousGap, ProblemScope, ProblemScopeKind, ProblemTrend, ProblemTrendDirection } from "./contract";

// Problems in words, for the Problems page and a problem's page: pure and safe for the browser.
// A trend and a scope are always said in words (and figures), never by colour alone.

/** The periods the pages offer; the API takes any from 1h to 90d. */
export const PROBLEM_PERIOD_CHOICES = ["24h", "7d", "30d", "90d"] as const;
export type ProblemPeriodChoice = (typeof PROBLEM_PERIOD_CHOICES)[number];

const TREND_ARROW: Record<ProblemTrendDirection, string> = { up: "↑", down: "↓", stable: "→" };
const TREND_WORD: Record<ProblemTrendDirection, string> = { up: "growing", down: "shrinking", stable: "stable" };

export const scopeWords: Record<ProblemScopeKind, string> = { single: "one namespace", several: "several namespaces", systemic: "systemic" };

/** "24 hours", "7 days", "1 hour" for a period written "24h", "7d", "1h". */
export function describePeriod(since: string): string {
  const amount = Number(since.slice(0, -1));
  const unit = since.endsWith("d") ? "day" : "hour";
  return `${formatCount(amount)} ${unit}${amount === 1 ? "" : "s"}`;
}

/**
 * The trend's arrow (decoration) and its words with the factor: { arrow: "↑", words: "growing ×5" };
 * "new" when nothing came before. `caveat` when the period before lacks data and the trend is
 * not down (fewer errors read before can only make "new", "growing" or "stable" wrong).
 */
export function trendLabel(trend: ProblemTrend): { arrow: string; words: string; caveat: string | null } {
  const factor = trend.direction === "stable" || trend.ratio === null ? "" : ` ×${formatRatio(trend.ratio)}`;
  const isNew = trend.direction === "up" && trend.previous.errors === 0;
  const caveat = trend.previousGap !== null && trend.direction !== "down" ? "period before incomplete" : null;
  return { arrow: TREND_ARROW[trend.direction], words: isNew ? "growing, new" : `${TREND_WORD[trend.direction]}${factor}`, caveat };
}

/**
 * What the period before lacks, in a sentence: "The period before is incomplete: 12 windows of
 * payments and orders were not read, and nothing is stored before 2 Dec 2026, 14:00; its
 * figures are a lower bound."
 */
export function describePreviousGap(gap: ProblemPreviousGap, timeZone: string): string {
  const parts: string[] = [];
  if (gap.missingWindows > 0) {
    const others = gap.namespaceTotal - gap.namespaces.length;
    const names = others > 0 ? `${gap.namespaces.join(", ")} and ${formatCount(others)} more` : joinAnd(gap.namespaces);
    parts.push(`${windowsWord(gap.missingWindows)} of ${names} ${gap.missingWindows === 1 ? "was" : "were"} not read`);
  }
  if (gap.storedFrom !== null) parts.push(`nothing is stored before ${formatDateTime(gap.storedFrom, timeZone)}`);
  return `The period before is incomplete: ${parts.join(", and ")}; its figures are a lower bound.`;
}

/** "a", "a and b", "a, b and c". */
function joinAnd(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

/** A factor of change: whole from 10 on, tenths from 1, hundredths below (a shrink to ×0.15 stays readable). */
export function formatRatio(ratio: number): string {
  if (ratio >= 10) return formatCount(Math.round(ratio));
  return ratio >= 1 ? ratio.toFixed(1) : ratio.toFixed(2);
}

/** The figures of a trend, short: "2,000 errors (5 windows), 400 before". */
export function trendFigures(trend: ProblemTrend): string {
  return `${formatCount(trend.current.errors)} errors (${windowsWord(trend.current.windows)}), ${formatCount(trend.previous.errors)} before`;
}

function windowsWord(windows: number): string {
  return `${formatCount(windows)} ${windows === 1 ? "window" : "windows"}`;
}

/**
 * The trend as a sentence with what it was judged by: "Growing: 2,000 errors in 5 windows in the
 * last 24 hours against 400 in 1 window in the 24 hours before (×5.0). Up or down takes ×1.5 and
 * at least 100 errors of change."
 */
export function describeTrend(trend: ProblemTrend, since: string, judgement: ProblemJudgement, timeZone: string): string {
  const period = describePeriod(since);
  const figures =
    `${formatCount(trend.current.errors)} errors in ${windowsWord(trend.current.windows)} in the last ${period} against ` +
    `${formatCount(trend.previous.errors)} in ${windowsWord(trend.previous.windows)} in the ${period} before`;
  const ratio = trend.ratio === null ? "" : ` (×${formatRatio(trend.ratio)})`;
  const rule = `Up or down takes ×${judgement.trendFactor} and at least ${formatCount(judgement.trendMinErrors)} errors of change.`;
  const lead = trend.direction === "up" && trend.previous.errors === 0 ? "Growing, new" : capitalize(TREND_WORD[trend.direction]);
  const gap = trend.previousGap === null ? "" : ` ${describePreviousGap(trend.previousGap, timeZone)}`;
  return `${lead}: ${figures}${ratio}. ${rule}${gap}`;
}

/**
 * The scope as a sentence: "Systemic: it held 3 namespaces at once from 23 Nov 2026, 10:15 (3 at
 * once make a problem systemic)."; times in `timeZone`.
 */
export function describeScope(scope: ProblemScope, judgement: ProblemJudgement, timeZone: string): string {
  const threshold = `${judgement.systemicNamespaces} at once make a problem systemic`;
  switch (scope.kind) {
    case "systemic":
      return `Systemic: it held ${formatCount(scope.mostAtOnce)} of its ${formatCount(scope.namespaces)} namespaces at once from ${formatDateTime(scope.mostAtOnceFrom, timeZone)} (${threshold}).`;
    case "several":
      return `Several namespaces: ${formatCount(scope.namespaces)} in the period, at most ${formatCount(scope.mostAtOnce)} at once (${threshold}).`;
    case "single":
      return "One namespace: it hit no other in the period.";
  }
}

/** The first `max` names and how many more: ("a, b, c", 2) for five names and max 3. */
export function boundedList(names: readonly string[], max: number): { shown: string[]; more: number } {
  return { shown: names.slice(0, max), more: Math.max(0, names.length - max) };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The title a known issue made from a problem starts with: its template (else its example, else its error type), cut to the 200 characters a title holds. */
export function defaultKnownIssueTitle(problem: Pick<ProblemDetail, "template" | "example" | "errorType">): string {
  const text = (problem.template ?? problem.example ?? problem.errorType).trim();
  return text.length <= 200 ? text : `${text.slice(0, 199)}…`;
}
