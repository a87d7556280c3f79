// Problems: peak windows grouped by what caused them, across namespaces and time. A problem is
// the pair (root-cause pattern id, error type); its figures, trend, scope, known issue and rank
// are computed here from facts the database aggregated per incident. Pure: the period and the
// settings come in as arguments.

/** What a problem is: the root cause's pattern (as shown, after analysts' merges) and the error type. */
export type ProblemKey = { patternId: string; errorType: string };

// A problem's id is its key, readable and reversible, so that a link or a known issue made from it
// needs no lookup table and holds across runs: "<pattern id>-<error type>". The miner's pattern
// ids are hex and error types lower_snake_case, so ids read as they are; any other character
// (and "-") is written ".xxxx", its UTF-16 code unit in hex, which keeps the id URL-safe.
const PROBLEM_ID = /^((?:[A-Za-z0-9_]|\.[0-9a-f]{4}){1,200})-((?:[A-Za-z0-9_]|\.[0-9a-f]{4}){1,200})$/;

function escapeIdPart(text: string): string {
  return text.replace(/[^A-Za-z0-9_]/g, (character) => `.${character.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function unescapeIdPart(text: string): string {
  return text.replace(/\.([0-9a-f]{4})/g, (_, code: string) => String.fromCharCode(Number.parseInt(code, 16)));
}

/** The problem's stable, URL-safe id. */
export function problemIdOf(key: ProblemKey): string {
  return `${escapeIdPart(key.patternId)}-${escapeIdPart(key.errorType)}`;
}

/** The key an id names, or null when the text is not a problem id. */
export function parseProblemId(id: string): ProblemKey | null {
  const match = PROBLEM_ID.exec(id);
  if (!match) return null;
  return { patternId: unescapeIdPart(match[1]!), errorType: unescapeIdPart(match[2]!) };
}

/** The period asked for and the one of the same length just before it; UTC ms, start inclusive, end exclusive. */
export type ProblemPeriod = { fromMs: number; toMs: number; previousFromMs: number };

/**
 * The `lengthMs` ending with the window `nowMs` is in (the end rounded up to a multiple of
 * `windowMs`), and the period before it: whole windows, and the same period for every request
 * within one window, so that a read of it can be reused.
 */
export function problemPeriodOf(nowMs: number, lengthMs: number, windowMs: number): ProblemPeriod {
  const toMs = Math.ceil(nowMs / windowMs) * windowMs;
  return { fromMs: toMs - lengthMs, toMs, previousFromMs: toMs - 2 * lengthMs };
}

/**
 * One incident's windows of one problem in one of the two periods (an incident that crosses the
 * boundary gives one fact per side). Windows not placed in an incident yet come one per fact,
 * with a null incident.
 */
export type ProblemIncidentFact = ProblemKey & {
  incidentId: number | null;
  namespace: string;
  isCurrent: boolean;
  /** Starts of the first and the last of these windows, UTC ms. */
  firstWindowMs: number;
  lastWindowMs: number;
  windows: number;
  /** Errors of those windows (every error of the namespace in them, not only the root cause's). */
  errors: number;
  /** The app of each of those windows that has one (repeats allowed). */
  apps: readonly string[];
  /** The known issue of each of those windows that has one (repeated per window). */
  knownIssueIds: readonly number[];
  /** The window of them detected last (the highest id): where the problem's example message is read. */
  latestWindowId: number;
};

export type ProblemSettings = {
  windowMs: number;
  /** Namespaces hit at once from which a problem is systemic (at least 2). */
  systemicNamespaces: number;
  /** Errors must change by at least this factor (more than 1)… */
  trendFactor: number;
  /** …and by at least this many errors for the trend to be up or down. */
  trendMinErrors: number;
};

export const problemTrendDirections = ["up", "down", "stable"] as const;
export type ProblemTrendDirection = (typeof problemTrendDirections)[number];

/** Windows and errors of a problem in one period. */
export type PeriodFigures = { windows: number; errors: number };

export type ProblemTrend = {
  direction: ProblemTrendDirection;
  current: PeriodFigures;
  previous: PeriodFigures;
  /** current ÷ previous errors; null when the previous period had none. */
  ratio: number | null;
};

/**
 * The period against the one before, on errors: up when they grew by at least `trendFactor` and
 * by at least `trendMinErrors`, down when they shrank by as much, otherwise stable. Both
 * conditions hold together, so that 1 → 2 errors (×2, but one error) is stable, and so is
 * 10,000 → 10,400 (400 errors, but ×1.04).
 */
export function classifyProblemTrend(
  current: PeriodFigures,
  previous: PeriodFigures,
  settings: Pick<ProblemSettings, "trendFactor" | "trendMinErrors">,
): ProblemTrend {
  const change = current.errors - previous.errors;
  let direction: ProblemTrendDirection = "stable";
  if (change >= settings.trendMinErrors && current.errors >= previous.errors * settings.trendFactor) direction = "up";
  else if (-change >= settings.trendMinErrors && previous.errors >= current.errors * settings.trendFactor) direction = "down";
  return { direction, current, previous, ratio: previous.errors > 0 ? current.errors / previous.errors : null };
}

/** What the stored windows of the period before show of a problem's namespaces: a stored window is a count a source covered. */
export type StoredWindowsBefore = {
  /** Start of the oldest window stored at all (UTC ms); null when none is. */
  oldestStoredMs: number | null;
  /** Stored windows of each namespace in the period before (none is older than oldestStoredMs); a namespace without any is absent. */
  byNamespace: ReadonlyMap<string, number>;
};

/** Where the period before a problem's period lacks data, which makes "none before", "new" or "up" uncertain. */
export type PreviousPeriodGap = {
  /** Windows of the problem's namespaces from the oldest stored window on that no source covered (not stored). */
  missingWindows: number;
  /** Those namespaces, sorted. */
  namespaces: string[];
  /** The oldest stored window's start (UTC ms) when the period before begins earlier: nothing older to compare with. */
  storedFromMs: number | null;
};

/**
 * The gap of the period before ([previousFromMs, fromMs), whole windows) for a problem that hit
 * `namespaces`: windows of them not stored from the oldest stored window on, and whether the
 * period begins before it (the data's start, or retention's). Null when the period before was
 * read in full for every one of them.
 */
export function previousPeriodGapOf(
  namespaces: readonly string[],
  period: { previousFromMs: number; fromMs: number },
  windowMs: number,
  stored: StoredWindowsBefore,
): PreviousPeriodGap | null {
  if (stored.oldestStoredMs === null || stored.oldestStoredMs >= period.fromMs) {
    return { missingWindows: 0, namespaces: [], storedFromMs: stored.oldestStoredMs ?? period.fromMs };
  }
  const readFromMs = Math.max(period.previousFromMs, stored.oldestStoredMs);
  const expected = Math.round((period.fromMs - readFromMs) / windowMs);
  let missingWindows = 0;
  const lacking: string[] = [];
  for (const namespace of namespaces) {
    const missing = expected - Math.min(expected, stored.byNamespace.get(namespace) ?? 0);
    if (missing === 0) continue;
    missingWindows += missing;
    lacking.push(namespace);
  }
  const storedFromMs = stored.oldestStoredMs > period.previousFromMs ? stored.oldestStoredMs : null;
  if (missingWindows === 0 && storedFromMs === null) return null;
  return { missingWindows, namespaces: lacking.sort(), storedFromMs };
}

export const problemScopes = ["single", "several", "systemic"] as const;
export type ProblemScopeKind = (typeof problemScopes)[number];

/** A stretch of time a problem held a namespace: an incident's windows of it, first start to last end; UTC ms, end exclusive. */
export type ProblemEpisode = { namespace: string; fromMs: number; toMs: number };

export type ProblemScope = {
  kind: ProblemScopeKind;
  /** Namespaces it hit in the period. */
  namespaces: number;
  /** The most namespaces it held at the same time, and when that began (UTC ms). */
  mostAtOnce: number;
  mostAtOnceFromMs: number;
};

/**
 * How wide a problem is: systemic when at some instant at least `systemicNamespaces` namespaces
 * had an episode of it (the same or overlapping windows), several when it hit more than one
 * namespace but never that many at once, single otherwise.
 */
export function problemScopeOf(episodes: readonly ProblemEpisode[], systemicNamespaces: number): ProblemScope {
  const namespaces = new Set(episodes.map((episode) => episode.namespace)).size;
  const { most, fromMs } = mostNamespacesAtOnce(episodes);
  const kind: ProblemScopeKind = namespaces > 1 && most >= systemicNamespaces ? "systemic" : namespaces > 1 ? "several" : "single";
  return { kind, namespaces, mostAtOnce: most, mostAtOnceFromMs: fromMs };
}

/** The most distinct namespaces whose episodes overlap at one instant (ends exclusive), and the earliest instant it happens. */
export function mostNamespacesAtOnce(episodes: readonly ProblemEpisode[]): { most: number; fromMs: number } {
  // Ends sort before starts at the same instant: [a, b) and [b, c) do not overlap.
  const events = episodes
    .flatMap((episode) => [
      { atMs: episode.fromMs, delta: 1, namespace: episode.namespace },
      { atMs: episode.toMs, delta: -1, namespace: episode.namespace },
    ])
    .sort((left, right) => left.atMs - right.atMs || left.delta - right.delta);
  // A namespace's episodes may overlap each other (a window not yet in an incident): count it once.
  const active = new Map<string, number>();
  let most = 0;
  let fromMs = episodes[0]?.fromMs ?? 0;
  for (const event of events) {
    const count = (active.get(event.namespace) ?? 0) + event.delta;
    if (count === 0) active.delete(event.namespace);
    else active.set(event.namespace, count);
    if (active.size > most) {
      most = active.size;
      fromMs = event.atMs;
    }
  }
  return { most, fromMs };
}

/** The known issue most of the windows carry (ties: the one on the newest window, then the lowest id); null without any. */
export function mostFrequentKnownIssue(windows: readonly { knownIssueIds: readonly number[]; lastWindowMs: number }[]): number | null {
  const tally = new Map<number, { windows: number; newestMs: number }>();
  for (const window of windows) {
    for (const id of window.knownIssueIds) {
      const entry = tally.get(id) ?? { windows: 0, newestMs: Number.NEGATIVE_INFINITY };
      entry.windows += 1;
      entry.newestMs = Math.max(entry.newestMs, window.lastWindowMs);
      tally.set(id, entry);
    }
  }
  let best: { id: number; windows: number; newestMs: number } | null = null;
  for (const [id, entry] of tally) {
    if (
      !best ||
      entry.windows > best.windows ||
      (entry.windows === best.windows && (entry.newestMs > best.newestMs || (entry.newestMs === best.newestMs && id < best.id)))
    ) {
      best = { id, ...entry };
    }
  }
  return best?.id ?? null;
}

/** A problem over the period asked for. */
export type Problem = ProblemKey & {
  id: string;
  /** Windows of it in the period. */
  occurrences: number;
  /** Incidents holding those windows (windows not placed in an incident yet are not counted here). */
  incidents: number;
  /** Sorted. */
  namespaces: string[];
  apps: string[];
  /** Start of its first window and end of its last one in the period, UTC ms. */
  firstSeenMs: number;
  lastSeenMs: number;
  errors: number;
  trend: ProblemTrend;
  scope: ProblemScope;
  knownIssueId: number | null;
  latestWindowId: number;
};

/**
 * The problems of the period from the facts of it and of the period before: one per key seen in
 * the period (a problem seen only before it is gone, not listed), in no particular order.
 */
export function buildProblems(facts: readonly ProblemIncidentFact[], settings: ProblemSettings): Problem[] {
  const byKey = new Map<string, { key: ProblemKey; current: ProblemIncidentFact[]; previous: PeriodFigures }>();
  for (const fact of facts) {
    // Neither part holds a NUL character (PostgreSQL text cannot): a key of its own per pair.
    const joined = `${fact.patternId}\u0000${fact.errorType}`;
    let group = byKey.get(joined);
    if (!group)
      byKey.set(joined, (group = { key: { patternId: fact.patternId, errorType: fact.errorType }, current: [], previous: { windows: 0, errors: 0 } }));
    if (fact.isCurrent) group.current.push(fact);
    else {
      group.previous.windows += fact.windows;
      group.previous.errors += fact.errors;
    }
  }
  const problems: Problem[] = [];
  for (const { key, current, previous } of byKey.values()) {
    const newest = current.reduce<ProblemIncidentFact | null>((found, fact) => (!found || fact.lastWindowMs > found.lastWindowMs ? fact : found), null);
    if (!newest) continue;
    const figures: PeriodFigures = {
      windows: current.reduce((sum, fact) => sum + fact.windows, 0),
      errors: current.reduce((sum, fact) => sum + fact.errors, 0),
    };
    const episodes = current.map((fact) => ({ namespace: fact.namespace, fromMs: fact.firstWindowMs, toMs: fact.lastWindowMs + settings.windowMs }));
    problems.push({
      ...key,
      id: problemIdOf(key),
      occurrences: figures.windows,
      incidents: new Set(current.flatMap((fact) => (fact.incidentId === null ? [] : [fact.incidentId]))).size,
      namespaces: [...new Set(current.map((fact) => fact.namespace))].sort(),
      apps: [...new Set(current.flatMap((fact) => fact.apps))].sort(),
      firstSeenMs: current.reduce((earliest, fact) => Math.min(earliest, fact.firstWindowMs), Number.POSITIVE_INFINITY),
      lastSeenMs: newest.lastWindowMs + settings.windowMs,
      errors: figures.errors,
      trend: classifyProblemTrend(figures, previous, settings),
      scope: problemScopeOf(episodes, settings.systemicNamespaces),
      knownIssueId: mostFrequentKnownIssue(current),
      latestWindowId: newest.latestWindowId,
    });
  }
  return problems;
}

const TREND_RANK: Record<ProblemTrendDirection, number> = { up: 0, stable: 1, down: 2 };
const SCOPE_RANK: Record<ProblemScopeKind, number> = { systemic: 0, several: 1, single: 2 };

/**
 * The actionable order: problems without a known issue first, then growing ones (up, then
 * stable, then down), then wide ones (systemic, several, single; then more namespaces), then
 * bigger ones (errors), then the most recent, then by id so that pages are stable.
 */
export function compareActionable(left: Problem, right: Problem): number {
  return (
    Number(left.knownIssueId !== null) - Number(right.knownIssueId !== null) ||
    TREND_RANK[left.trend.direction] - TREND_RANK[right.trend.direction] ||
    SCOPE_RANK[left.scope.kind] - SCOPE_RANK[right.scope.kind] ||
    right.namespaces.length - left.namespaces.length ||
    right.errors - left.errors ||
    right.lastSeenMs - left.lastSeenMs ||
    (left.id < right.id ? -1 : left.id > right.id ? 1 : 0)
  );
}
