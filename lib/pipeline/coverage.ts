import type { Coverage, TimeRange } from "./log-document";

import type { WindowGrid } from "./time";

/** A gap: windows of a namespace that no input covered, `[fromMs, toMs)` on the window grid. */
export type CoverageGap = { namespace: string; fromMs: number; toMs: number; windows: number };

export const emptyCoverage: Coverage = Object.freeze({ all: [], byNamespace: new Map() });

/**
 * Sorts spans and joins those that overlap or lie at most `joinWithinMs` apart (two daily
 * files whose documents end and start a few seconds apart are one stream).
 */
export function mergeSpans(spans: readonly TimeRange[], joinWithinMs = 0): TimeRange[] {
  const sorted = spans.filter((span) => span.toMs >= span.fromMs).sort((left, right) => left.fromMs - right.fromMs);
  const merged: TimeRange[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && span.fromMs - last.toMs <= joinWithinMs) {
      if (span.toMs > last.toMs) last.toMs = span.toMs;
    } else {
      merged.push({ fromMs: span.fromMs, toMs: span.toMs });
    }
  }
  return merged;
}

/** The spans that hold for one namespace, merged. */
export function spansOf(coverage: Coverage, namespace: string): TimeRange[] {
  return mergeSpans([...coverage.all, ...(coverage.byNamespace.get(namespace) ?? [])]);
}

/** Every span of the coverage, whichever namespaces it holds for, merged: what the source read at all. */
export function overallSpans(coverage: Coverage): TimeRange[] {
  return mergeSpans([...coverage.all, ...[...coverage.byNamespace.values()].flat()]);
}

/** The latest instant any span reaches, or null for an empty coverage. */
export function coveredUntil(coverage: Coverage): number | null {
  const spans = overallSpans(coverage);
  return spans.length === 0 ? null : spans[spans.length - 1]!.toMs;
}

/** Window starts in `range` whose whole window lies inside one of the (merged, sorted) spans. */
export function coveredWindowStarts(spans: readonly TimeRange[], range: TimeRange, grid: WindowGrid): number[] {
  const starts: number[] = [];
  for (const span of spans) {
    // A window ending exactly at span.toMs is covered: that instant was seen.
    const endMs = Math.min(span.toMs, range.toMs);
    for (const start of grid.windowsBetween(Math.max(span.fromMs, range.fromMs), endMs)) {
      if (start + grid.windowMs <= endMs) starts.push(start);
    }
  }
  return starts;
}

/** Runs of consecutive grid windows in `range` that are not in `covered` (sorted), as gaps of one namespace. */
export function gapsBetween(namespace: string, covered: readonly number[], range: TimeRange, grid: WindowGrid): CoverageGap[] {
  const isCovered = new Set(covered);
  const gaps: CoverageGap[] = [];
  let open: CoverageGap | null = null;
  for (const start of grid.windowsBetween(range.fromMs, range.toMs)) {
    const end = start + grid.windowMs;
    if (end > range.toMs) break;
    if (isCovered.has(start)) {
      open = null;
      continue;
    }
    if (open && open.toMs === start) {
      open.toMs = end;
      open.windows += 1;
    } else {
      open = { namespace, fromMs: start, toMs: end, windows: 1 };
      gaps.push(open);
    }
  }
  return gaps;
}

/** Restricts a coverage to a range (spans cut at its ends). */
export function clipCoverage(coverage: Coverage, range: TimeRange): Coverage {
  const clip = (spans: readonly TimeRange[]) =>
    spans.flatMap((span) => {
      const fromMs = Math.max(span.fromMs, range.fromMs);
      const toMs = Math.min(span.toMs, range.toMs);
      return fromMs <= toMs ? [{ fromMs, toMs }] : [];
    });
  return { all: clip(coverage.all), byNamespace: new Map([...coverage.byNamespace].map(([namespace, spans]) => [namespace, clip(spans)])) };
}

/** Merges gaps of all namespaces that span the same windows into one line each, for reports: "payments, orders: 00:00–02:00". */
export function groupGaps(gaps: readonly CoverageGap[]): { fromMs: number; toMs: number; windows: number; namespaces: string[] }[] {
  const byRange = new Map<string, { fromMs: number; toMs: number; windows: number; namespaces: string[] }>();
  for (const gap of gaps) {
    const key = `${gap.fromMs}|${gap.toMs}`;
    const entry = byRange.get(key) ?? { fromMs: gap.fromMs, toMs: gap.toMs, windows: gap.windows, namespaces: [] };
    entry.namespaces.push(gap.namespace);
    byRange.set(key, entry);
  }
  return [...byRange.values()].sort((left, right) => left.fromMs - right.fromMs || left.toMs - right.toMs);
}
