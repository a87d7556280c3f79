/**
 * Release impact: errors by application version, and what they say about a release. Pure: the
 * documents, the counts, the namespace's version timeline and the settings come in as arguments.
 *
 * A window's errors by version are counted among the documents read and scaled to the window's
 * total (at most source.max_documents_per_window are read), rounded so that they add up to the
 * total exactly. The counts of several windows add up (sumVersionCounts), so an incident's or a
 * problem's errors by version are the sum of its windows'. A namespace's version timeline holds
 * each version's first and last error seen; a version's running time is judged from it.
 */
import type { LogDocument, TimeRange } from "./log-document";

/** One version's errors in some windows (estimated: scaled from the documents read). */
export type VersionErrors = { version: string; errors: number };

/** Errors of one or more windows by version: what a peak window stores and what sums over windows. */
export type VersionCounts = {
  /** Most errors first, then by version; no version twice, none with 0 errors. */
  versions: VersionErrors[];
  /** Errors of documents without a version. */
  unversioned: number;
  /** Errors of the versions past the MAX_VERSIONS_PER_WINDOW kept (a field that is not really a version, such as a build id per pod). */
  otherVersions: number;
};

/** Versions kept per window; the rest are added up as otherVersions. */
export const MAX_VERSIONS_PER_WINDOW = 20;

/**
 * Splits `total` in proportion to `weights` into whole numbers that add up to it (largest
 * remainder; ties to the earlier entry). All weights 0: all 0.
 */
function apportion(weights: readonly number[], total: number): number[] {
  const sum = weights.reduce((left, right) => left + right, 0);
  if (sum <= 0) return weights.map(() => 0);
  const exact = weights.map((weight) => (weight * total) / sum);
  const shares = exact.map(Math.floor);
  let left = total - shares.reduce((a, b) => a + b, 0);
  const order = exact.map((value, index) => ({ index, remainder: value - Math.floor(value) })).sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of order) {
    if (left <= 0) break;
    shares[index] = (shares[index] ?? 0) + 1;
    left -= 1;
  }
  return shares;
}

/** Code-point order, the same in every locale. */
function compareText(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Most errors first, then by version. */
function byErrorsThenVersion(left: VersionErrors, right: VersionErrors): number {
  return right.errors - left.errors || compareText(left.version, right.version);
}

/**
 * A window's errors by version from the documents read of it, scaled to the window's `total`
 * (the read ones when the total is smaller): the counts add up to it exactly. The
 * `maxVersions` versions with the most errors are kept, the others added up as otherVersions.
 */
export function countErrorsByVersion(
  documents: readonly Pick<LogDocument, "version">[],
  total: number,
  maxVersions: number = MAX_VERSIONS_PER_WINDOW,
): VersionCounts {
  const read = new Map<string, number>();
  let unversioned = 0;
  for (const document of documents) {
    if (document.version === null) unversioned += 1;
    else read.set(document.version, (read.get(document.version) ?? 0) + 1);
  }
  const entries = [...read].map(([version, errors]) => ({ version, errors })).sort(byErrorsThenVersion);
  const scaled = apportion([...entries.map((entry) => entry.errors), unversioned], Math.max(total, documents.length));
  const versions = entries.map((entry, index) => ({ version: entry.version, errors: scaled[index] ?? 0 })).filter((entry) => entry.errors > 0);
  versions.sort(byErrorsThenVersion);
  return {
    versions: versions.slice(0, maxVersions),
    unversioned: scaled[entries.length] ?? 0,
    otherVersions: versions.slice(maxVersions).reduce((sum, entry) => sum + entry.errors, 0),
  };
}

/** The errors by version of several windows, and in how many of them each version had errors. */
export type VersionTotals = VersionCounts & {
  /** Per version (in `versions`' order): windows with at least one error of it. */
  windowsOf: ReadonlyMap<string, number>;
  windows: number;
};

/** Adds up the errors by version of several windows (an incident's, a problem's). */
export function sumVersionCounts(windows: readonly VersionCounts[]): VersionTotals {
  const errors = new Map<string, number>();
  const windowsOf = new Map<string, number>();
  let unversioned = 0;
  let otherVersions = 0;
  for (const window of windows) {
    for (const entry of window.versions) {
      if (entry.errors <= 0) continue;
      errors.set(entry.version, (errors.get(entry.version) ?? 0) + entry.errors);
      windowsOf.set(entry.version, (windowsOf.get(entry.version) ?? 0) + 1);
    }
    unversioned += window.unversioned;
    otherVersions += window.otherVersions;
  }
  const versions = [...errors].map(([version, count]) => ({ version, errors: count })).sort(byErrorsThenVersion);
  return { versions, unversioned, otherVersions, windowsOf, windows: windows.length };
}

/** What one window's documents show of a version: its errors (scaled) and its first and last document (UTC ms). */
export type VersionSighting = VersionErrors & { firstSeenMs: number; lastSeenMs: number };

/**
 * The versions of a window's documents read, with their errors scaled as countErrorsByVersion
 * scales them (the same `maxVersions` kept) and the time of their first and last document read.
 */
export function sightVersions(
  documents: readonly Pick<LogDocument, "version" | "timestamp">[],
  total: number,
  maxVersions: number = MAX_VERSIONS_PER_WINDOW,
): VersionSighting[] {
  const times = new Map<string, { firstSeenMs: number; lastSeenMs: number }>();
  for (const document of documents) {
    if (document.version === null) continue;
    const seen = times.get(document.version);
    if (!seen) times.set(document.version, { firstSeenMs: document.timestamp, lastSeenMs: document.timestamp });
    else {
      seen.firstSeenMs = Math.min(seen.firstSeenMs, document.timestamp);
      seen.lastSeenMs = Math.max(seen.lastSeenMs, document.timestamp);
    }
  }
  return countErrorsByVersion(documents, total, maxVersions).versions.map((entry) => ({ ...entry, ...times.get(entry.version)! }));
}

/**
 * A version of a namespace as its timeline holds it: first and last error seen (UTC ms) and the
 * errors of the windows counted (estimated); null when no counted window saw it yet (dated by an
 * ingestion, which reads when a version ran but leaves its errors to the counted windows).
 */
export type VersionTimelineEntry = { version: string; firstSeenMs: number; lastSeenMs: number; errors: number | null };

/** One namespace's sightings of one version over many windows, merged: what the timeline's upsert adds. */
export type NamespaceVersionAddition = VersionTimelineEntry & { namespace: string };

/**
 * Merges the sightings of many windows into one addition per namespace and version (namespace,
 * then first seen, order); errors not counted (null) add nothing, and stay null only when no
 * sighting counted any.
 */
export function mergeVersionSightings(windows: readonly { namespace: string; sightings: readonly VersionTimelineEntry[] }[]): NamespaceVersionAddition[] {
  const merged = new Map<string, NamespaceVersionAddition>();
  for (const window of windows) {
    for (const sighting of window.sightings) {
      const key = JSON.stringify([window.namespace, sighting.version]);
      const entry = merged.get(key);
      if (!entry) {
        merged.set(key, { namespace: window.namespace, ...sighting });
        continue;
      }
      entry.errors = entry.errors === null ? sighting.errors : sighting.errors === null ? entry.errors : entry.errors + sighting.errors;
      entry.firstSeenMs = Math.min(entry.firstSeenMs, sighting.firstSeenMs);
      entry.lastSeenMs = Math.max(entry.lastSeenMs, sighting.lastSeenMs);
    }
  }
  return [...merged.values()].sort(
    (left, right) => compareText(left.namespace, right.namespace) || left.firstSeenMs - right.firstSeenMs || compareText(left.version, right.version),
  );
}

/** The tolerances of the findings. */
export type VersionSettings = {
  /** Window length (ms): a version runs at least one window after its last error seen. */
  windowMs: number;
  /** Errors a finding needs at least: never from a handful. */
  minErrors: number;
  /** A version's errors per hour of running must be at least this × the other versions' together. */
  aboveFactor: number;
  /**
   * Errors a version without any would have had at the rate of the versions with them, for its
   * silence to count: with 5, the chance of none by luck (Poisson) is below 1 %.
   */
  minExpectedErrors: number;
  /** A version first seen at most this long (ms) before the span began (or within it) is a release of the span. */
  releaseLookbackMs: number;
};

export const DEFAULT_VERSION_SETTINGS: Omit<VersionSettings, "windowMs"> = {
  minErrors: 20,
  aboveFactor: 3,
  minExpectedErrors: 5,
  releaseLookbackMs: 3 * 3_600_000,
};

/** A version as the analysis shows it: its errors in the windows analysed and what the namespace's timeline says of it. */
export type VersionRow = VersionErrors & {
  /** Share of the errors with a version, 0 to 1. */
  share: number;
  /** Windows with errors of it. */
  windows: number;
  /** From the namespace's timeline; null when it does not hold the version (not tracked yet). */
  firstSeenMs: number | null;
  lastSeenMs: number | null;
  /** How long it ran within the span (its first error seen to its last, plus a window); null when not in the timeline. */
  runningMs: number | null;
  /** Errors per hour of running; null without a running time. */
  perHour: number | null;
};

/** All errors with a version came from `version` and later ones, though earlier versions ran long enough to show it. */
export type OnlySinceFinding = {
  version: string;
  firstSeenMs: number;
  /** Errors of it and the versions after it. */
  errors: number;
  /** The earlier versions that ran within the span without any error of it, and for how long together (ms). */
  quietVersions: string[];
  quietRunningMs: number;
  /** Errors they would have had at the rate since `version`. */
  expectedErrors: number;
};

/** One version's errors per hour of running, well above the other versions' with errors, together. */
export type AboveOthersFinding = {
  version: string;
  errors: number;
  perHour: number;
  othersPerHour: number;
  /** perHour ÷ othersPerHour. */
  factor: number;
};

/** Errors in `before`, none in `quietVersions` (which ran long enough to show them), back in `back`. */
export type RegressionFinding = {
  before: string;
  quietVersions: string[];
  quietRunningMs: number;
  expectedErrors: number;
  back: string;
  backFirstSeenMs: number;
};

/** The version with most of the errors was first seen shortly before the span began, or within it: they came with a release. */
export type NewReleaseFinding = {
  version: string;
  firstSeenMs: number;
  /** span start − first seen (ms): positive when it was first seen before the span began. */
  beforeStartMs: number;
  share: number;
  previousVersion: string;
};

export type VersionAnalysis = {
  /** Versions with errors and, with a span, the timeline's versions that ran in it without any; in timeline order (first seen), unknown ones last. */
  versions: VersionRow[];
  /** Errors with a version, without one, and of versions past those kept per window. */
  versioned: number;
  unversioned: number;
  otherVersions: number;
  onlySince: OnlySinceFinding | null;
  aboveOthers: AboveOthersFinding | null;
  regression: RegressionFinding | null;
  newRelease: NewReleaseFinding | null;
};

const HOUR_MS = 3_600_000;

/** Length (ms) of the part of [fromMs, toMs) inside the span (all of it without one). */
function within(fromMs: number, toMs: number, span: TimeRange | null): number {
  const from = span ? Math.max(fromMs, span.fromMs) : fromMs;
  const to = span ? Math.min(toMs, span.toMs) : toMs;
  return Math.max(0, to - from);
}

/** Errors per hour over a running time; 0 over none. */
function rateOf(errors: number, runningMs: number): number {
  return runningMs > 0 ? (errors * HOUR_MS) / runningMs : 0;
}

/**
 * What the errors of some windows (an incident's, a problem's: the sum of its windows'
 * countErrorsByVersion) say about the namespace's releases, given its version timeline.
 * `span` is the time the windows cover (an incident's first start to last end): running times
 * count within it, so that versions compare over the same stretch. Without a span, over the
 * whole timeline (a problem over months). Findings, each null when it does not hold:
 * - onlySince: every error with a version is of version X or a later one, at least `minErrors`
 *   of them, and the versions before X that ran in the span would have had at least
 *   `minExpectedErrors` at the rate since X, yet had none;
 * - aboveOthers: among the versions with errors, one's errors per hour of running are at least
 *   `aboveFactor` × the others' together, with at least `minErrors` errors more than the others'
 *   rate gives it. Versions without any are left out: their silence is what onlySince and
 *   regression judge, and counting it here would call a version "above" a quiet one;
 * - regression: errors in a version, none in the following one(s), which ran long enough to show
 *   `minExpectedErrors` at the rate of the versions around them, and back in the next (at least
 *   `minErrors` errors around); the latest such return;
 * - newRelease (with a span): the version with most of the errors (at least half, at least
 *   `minErrors`) was first seen within `releaseLookbackMs` before the span began, or within it,
 *   and the namespace ran an earlier version before it, seen up to within `releaseLookbackMs` of
 *   the release (otherwise the timeline does not cover the time before it).
 * Documents without a version count for no finding; a version the timeline does not hold (not
 * tracked yet) is listed, but no finding that orders versions is drawn while one has errors.
 */
export function analyzeVersions(
  totals: VersionTotals,
  timeline: readonly VersionTimelineEntry[],
  span: TimeRange | null,
  settings: VersionSettings,
): VersionAnalysis {
  const versioned = totals.versions.reduce((sum, entry) => sum + entry.errors, 0);
  const errorsOf = new Map(totals.versions.map((entry) => [entry.version, entry.errors]));
  const ordered = [...timeline].sort((left, right) => left.firstSeenMs - right.firstSeenMs || compareText(left.version, right.version));
  const runningOf = (entry: VersionTimelineEntry) => within(entry.firstSeenMs, entry.lastSeenMs + settings.windowMs, span);
  // With a span, the versions that ran in it (or have errors in it); without, every version known.
  const inPlay = ordered.filter((entry) => span === null || runningOf(entry) > 0 || errorsOf.has(entry.version));
  const known = new Set(ordered.map((entry) => entry.version));
  const row = (version: string, entry: VersionTimelineEntry | undefined): VersionRow => {
    const errors = errorsOf.get(version) ?? 0;
    const runningMs = entry ? runningOf(entry) : null;
    return {
      version,
      errors,
      share: versioned > 0 ? errors / versioned : 0,
      windows: totals.windowsOf.get(version) ?? 0,
      firstSeenMs: entry?.firstSeenMs ?? null,
      lastSeenMs: entry?.lastSeenMs ?? null,
      runningMs,
      perHour: runningMs !== null && runningMs > 0 ? rateOf(errors, runningMs) : null,
    };
  };
  const rows = [
    ...inPlay.map((entry) => row(entry.version, entry)),
    ...totals.versions.filter((entry) => !known.has(entry.version)).map((entry) => row(entry.version, undefined)),
  ];
  const base = { versions: rows, versioned, unversioned: totals.unversioned, otherVersions: totals.otherVersions };
  const isOrderable = totals.versions.every((entry) => known.has(entry.version)) && totals.otherVersions === 0;
  if (!isOrderable || versioned === 0) return { ...base, onlySince: null, aboveOthers: null, regression: null, newRelease: null };
  const timed = rows.filter((candidate): candidate is TimedRow => candidate.firstSeenMs !== null && candidate.runningMs !== null);
  return {
    ...base,
    onlySince: findOnlySince(timed, settings),
    aboveOthers: findAboveOthers(timed, settings),
    regression: findRegression(timed, settings),
    newRelease: span ? findNewRelease(timed, ordered, span, versioned, settings) : null,
  };
}

type TimedRow = VersionRow & { firstSeenMs: number; runningMs: number };

const sumOf = (rows: readonly TimedRow[], value: (row: TimedRow) => number) => rows.reduce((sum, row) => sum + value(row), 0);

function findOnlySince(rows: readonly TimedRow[], settings: VersionSettings): OnlySinceFinding | null {
  const firstIndex = rows.findIndex((row) => row.errors > 0);
  if (firstIndex <= 0) return null;
  const since = rows.slice(firstIndex);
  const errors = sumOf(since, (row) => row.errors);
  const quiet = rows.slice(0, firstIndex).filter((row) => row.runningMs > 0);
  const quietRunningMs = sumOf(quiet, (row) => row.runningMs);
  const expectedErrors =
    rateOf(
      errors,
      sumOf(since, (row) => row.runningMs),
    ) *
    (quietRunningMs / HOUR_MS);
  if (errors < settings.minErrors || quiet.length === 0 || expectedErrors < settings.minExpectedErrors) return null;
  const first = rows[firstIndex]!;
  return { version: first.version, firstSeenMs: first.firstSeenMs, errors, quietVersions: quiet.map((row) => row.version), quietRunningMs, expectedErrors };
}

function findAboveOthers(rows: readonly TimedRow[], settings: VersionSettings): AboveOthersFinding | null {
  const running = rows.filter((row) => row.runningMs > 0 && row.errors > 0);
  if (running.length < 2) return null;
  const top = [...running].sort((left, right) => rateOf(right.errors, right.runningMs) - rateOf(left.errors, left.runningMs))[0]!;
  const others = running.filter((row) => row !== top);
  const perHour = rateOf(top.errors, top.runningMs);
  const othersRunningMs = sumOf(others, (row) => row.runningMs);
  const othersPerHour = rateOf(
    sumOf(others, (row) => row.errors),
    othersRunningMs,
  );
  const excess = top.errors - othersPerHour * (top.runningMs / HOUR_MS);
  const isAbove = top.errors >= settings.minErrors && perHour >= settings.aboveFactor * othersPerHour && excess >= settings.minErrors;
  if (!isAbove) return null;
  return { version: top.version, errors: top.errors, perHour, othersPerHour, factor: perHour / othersPerHour };
}

function findRegression(rows: readonly TimedRow[], settings: VersionSettings): RegressionFinding | null {
  // From the latest: the most recent return is the one to act on.
  for (let back = rows.length - 1; back >= 2; back -= 1) {
    const returned = rows[back]!;
    if (returned.errors === 0) continue;
    let before = back - 1;
    while (before >= 0 && rows[before]!.errors === 0) before -= 1;
    if (before < 0) return null;
    const quiet = rows.slice(before + 1, back).filter((row) => row.runningMs > 0);
    if (quiet.length === 0) continue;
    const earlier = rows[before]!;
    const around = [earlier, returned];
    const errors = sumOf(around, (row) => row.errors);
    const quietRunningMs = sumOf(quiet, (row) => row.runningMs);
    const expectedErrors =
      rateOf(
        errors,
        sumOf(around, (row) => row.runningMs),
      ) *
      (quietRunningMs / HOUR_MS);
    if (errors >= settings.minErrors && expectedErrors >= settings.minExpectedErrors) {
      return {
        before: earlier.version,
        quietVersions: quiet.map((row) => row.version),
        quietRunningMs,
        expectedErrors,
        back: returned.version,
        backFirstSeenMs: returned.firstSeenMs,
      };
    }
    back = before + 1;
  }
  return null;
}

function findNewRelease(
  rows: readonly TimedRow[],
  timeline: readonly VersionTimelineEntry[],
  span: TimeRange,
  versioned: number,
  settings: VersionSettings,
): NewReleaseFinding | null {
  const top = [...rows].sort((left, right) => right.errors - left.errors || right.firstSeenMs - left.firstSeenMs)[0];
  if (!top || top.errors < settings.minErrors || top.errors * 2 < versioned) return null;
  if (top.firstSeenMs < span.fromMs - settings.releaseLookbackMs || top.firstSeenMs >= span.toMs) return null;
  const earlier = timeline.filter((entry) => entry.firstSeenMs < top.firstSeenMs);
  const previous = earlier.at(-1);
  if (!previous) return null;
  // A timeline fed only by some windows (peaks) dates a version by the first of them it saw, not
  // by its release: unless an earlier version was seen running up to within the lookback of it,
  // the release may lie anywhere in the unseen stretch, and "new" would be drawn from missing data.
  const lastSeenBefore = Math.max(...earlier.map((entry) => entry.lastSeenMs));
  if (lastSeenBefore < top.firstSeenMs - settings.releaseLookbackMs) return null;
  return {
    version: top.version,
    firstSeenMs: top.firstSeenMs,
    beforeStartMs: span.fromMs - top.firstSeenMs,
    share: top.errors / versioned,
    previousVersion: previous.version,
  };
}
