/**
 * First-seen patterns: which patterns of a window are new in its namespace, judged against the
 * stored pattern history rather than against what one investigation happened to read.
 */

/** A pattern of the window, as counted there. */
export type WindowPatternCount = { patternId: string; template: string; count: number };

/** A pattern flagged as first seen in the window's namespace. */
export type FirstSeenPattern = WindowPatternCount;

/** What is known of the window's patterns before it. */
export type FirstSeenEvidence = {
  /**
   * Whether the namespace has stored pattern history before this window: older windows counted
   * by an earlier run. Without it (the first investigation of existing data) nothing is new.
   */
  hasHistory: boolean;
  /** The earliest counted window start (UTC ms) of each pattern in this namespace; absent when never counted there. */
  firstWindowOf: ReadonlyMap<string, number>;
  /** Patterns the usual period read before the window showed (any count above 0): seen before, even if never stored. */
  seenInUsualPeriod: ReadonlySet<string>;
};

/**
 * The patterns first seen in this window's namespace: the namespace has stored history before
 * the window, the pattern's earliest counted window there is this one (or none yet: it is
 * stored with this window), the usual period did not show it, and it has at least `minCount`
 * errors in the window. Other namespaces do not count: a pattern known elsewhere is new here.
 * Most errors first, then by id.
 */
export function findFirstSeenPatterns(
  window: { start: number },
  patterns: readonly WindowPatternCount[],
  evidence: FirstSeenEvidence,
  minCount: number,
): FirstSeenPattern[] {
  if (!evidence.hasHistory) return [];
  return patterns
    .filter((pattern) => {
      if (pattern.count < minCount) return false;
      if (evidence.seenInUsualPeriod.has(pattern.patternId)) return false;
      const firstWindow = evidence.firstWindowOf.get(pattern.patternId);
      return firstWindow === undefined || firstWindow >= window.start;
    })
    .map((pattern) => ({ patternId: pattern.patternId, template: pattern.template, count: pattern.count }))
    .sort((left, right) => right.count - left.count || left.patternId.localeCompare(right.patternId));
}
