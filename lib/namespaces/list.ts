import { judgeFreshness, type NewestWindows } from "@/lib/completeness/freshness";
import type { Db } from "@/lib/db/client";
import { createVersionedRead, readTableVersions, type TableVersions, type VersionedTable } from "@/lib/db/data-versions";
import { countOngoingIncidentsByNamespace, countOpenPeaksByNamespace, findBaselineNamespaces, findNewestWindows } from "@/lib/db/namespaces";

import { assertRole, type Actor } from "@/lib/roles";
import {
  namespaceListSchema,
  type AttentionReason,
  type CurrentWindow,
  type NamespaceCounts,
  type NamespaceList,
  type NamespaceListInput,
  type NamespaceRow,
  type NamespaceSort,
} from "./contract";
import { readCurrentWindows } from "./current-windows";
import type { SeriesContext } from "./series";
import { drawNamespaceSparklines, NAMESPACE_SOURCE_TABLES } from "./sparklines";

// The namespace lists of the overview and of the namespaces page: every namespace judged (reused
// while the windows, the baseline and the thresholds are unchanged), then searched, sorted and
// paged here, and only the page's namespaces drawn.

type Judgement = {
  newest: NewestWindows[];
  currentWindows: CurrentWindow[];
  baselineNamespaces: string[];
};
/** The latest judgement of every namespace per database, reused while its tables are unchanged. */
const reuseJudgement = createVersionedRead<Judgement>(NAMESPACE_SOURCE_TABLES);

type OpenCounts = { openPeaks: { namespace: string; open: number }[]; ongoingIncidents: { namespace: string; ongoing: number }[] };

/** Open peaks and ongoing incidents per namespace, reused while no peak or incident was written. */
const OPEN_COUNT_TABLES: readonly VersionedTable[] = ["incidents", "peak_investigation"];

/** Every table the namespace list is computed from: its versions read once (readTableVersions) serve a whole request. */
export const NAMESPACE_LIST_TABLES: readonly VersionedTable[] = [...NAMESPACE_SOURCE_TABLES, ...OPEN_COUNT_TABLES];
const reuseOpenCounts = createVersionedRead<OpenCounts>(OPEN_COUNT_TABLES);

async function countOpen(db: Db): Promise<OpenCounts> {
  const [openPeaks, ongoingIncidents] = await Promise.all([countOpenPeaksByNamespace(db), countOngoingIncidentsByNamespace(db)]);
  return { openPeaks, ongoingIncidents };
}

async function judgeNamespaces(db: Db, context: NamespaceStateContext, completedEndMs: number): Promise<Judgement> {
  const [newest, baselineNamespaces] = await Promise.all([findNewestWindows(db), findBaselineNamespaces(db)]);
  return { newest, currentWindows: await readCurrentWindows(db, newest, context, completedEndMs), baselineNamespaces };
}

/** What namespaces are judged with: the window grid, values.yaml's thresholds (under the saved ones) and pipeline.stale_after_minutes. */
export type NamespaceStateContext = SeriesContext & { staleAfterMinutes: number };

/** A namespace judged, before its sparkline is drawn. */
export type NamespaceState = Omit<NamespaceRow, "sparkline">;

/** Every namespace judged at `now`, by name, and how many call for attention. */
export type NamespaceStates = { states: NamespaceState[]; counts: NamespaceCounts; completedEndMs: number };

function attentionOf(window: CurrentWindow, isBehind: boolean, ongoingIncidents: number): AttentionReason[] {
  const reasons: AttentionReason[] = [];
  if (window.isCurrent && window.isAbove) reasons.push("above");
  if (ongoingIncidents > 0) reasons.push("incident");
  // A namespace that never stored a window (a baseline kept longer than its windows) is not stale: it has no source to fall behind.
  if (isBehind && window.windowEnd !== null) reasons.push("stale");
  return reasons;
}

function deviationOf(window: CurrentWindow): number | null {
  if (!window.isCurrent || window.errorCount === null || window.threshold === null || window.threshold <= 0) return null;
  return Math.round((window.errorCount / window.threshold) * 100) / 100;
}

/**
 * Every namespace (with stored windows, a baseline, open peaks or an ongoing incident) judged at
 * `now`: its newest window against its threshold, its freshness, its open peaks and ongoing
 * incidents, and why it calls for attention. The judgement of the windows is reused until the
 * last completed window, the windows, the baseline or the thresholds change, the counts of open
 * peaks and ongoing incidents until a peak or an incident is written (one read of the tables'
 * write counts tells).
 */
export async function readNamespaceStates(db: Db, context: NamespaceStateContext, now: Date, versionsRead?: TableVersions): Promise<NamespaceStates> {
  const { grid } = context;
  const completedEndMs = grid.windowStartOf(now.getTime());
  const judgementKey = `${completedEndMs}|${grid.timeZone}|${grid.windowMinutes}|${JSON.stringify(context.defaults)}`;
  // One read of the versions for both reused reads, unless the request read them already.
  const versions = versionsRead ?? (await readTableVersions(db, NAMESPACE_LIST_TABLES));
  const [judgement, openCounts] = await Promise.all([
    reuseJudgement(db, judgementKey, () => judgeNamespaces(db, context, completedEndMs), versions),
    reuseOpenCounts(db, "", () => countOpen(db), versions),
  ]);
  const kept = statesOf.get(judgement);
  if (kept && kept.openCounts === openCounts && kept.staleAfterMinutes === context.staleAfterMinutes) return kept.states;
  const states = judgeStates(judgement, openCounts, context, completedEndMs);
  statesOf.set(judgement, { openCounts, staleAfterMinutes: context.staleAfterMinutes, states });
  return states;
}

/**
 * The states last computed from a reused judgement (by its identity, so per database, window and
 * thresholds) and reused counts: requests that reuse both share one judgement of every namespace
 * instead of each building it again (some 10 ms of CPU for 1,000 namespaces). Shared: never changed.
 */
const statesOf = new WeakMap<Judgement, { openCounts: OpenCounts; staleAfterMinutes: number; states: NamespaceStates }>();

function judgeStates(
  { newest, currentWindows, baselineNamespaces }: Judgement,
  { openPeaks, ongoingIncidents }: OpenCounts,
  context: NamespaceStateContext,
  completedEndMs: number,
): NamespaceStates {
  const { grid } = context;
  const freshness = judgeFreshness(newest, { completedEndMs, windowMs: grid.windowMs, staleAfterMs: context.staleAfterMinutes * 60_000 });
  const windowOf = new Map(currentWindows.map((window) => [window.namespace, window]));
  const freshnessOf = new Map(freshness.map((entry) => [entry.namespace, entry]));
  const openOf = new Map(openPeaks.map((row) => [row.namespace, row.open]));
  const ongoingOf = new Map(ongoingIncidents.map((row) => [row.namespace, row.ongoing]));
  const names = [...new Set([...windowOf.keys(), ...baselineNamespaces, ...openOf.keys(), ...ongoingOf.keys()])].sort(compareNames);
  const states = names.map((namespace): NamespaceState => {
    const window = windowOf.get(namespace) ?? noWindow(namespace);
    const fresh = freshnessOf.get(namespace);
    const isBehind = fresh?.isBehind ?? true;
    const ongoing = ongoingOf.get(namespace) ?? 0;
    return {
      ...window,
      lastErrorUntil: fresh?.lastErrorUntil ?? null,
      isBehind,
      deviation: deviationOf(window),
      openPeaks: openOf.get(namespace) ?? 0,
      ongoingIncidents: ongoing,
      attention: attentionOf(window, isBehind, ongoing),
    };
  });
  return { states, counts: countStates(states), completedEndMs };
}

function noWindow(namespace: string): CurrentWindow {
  return { namespace, windowStart: null, windowEnd: null, errorCount: null, threshold: null, baselineMean: null, isAbove: false, isCurrent: false };
}

function countStates(states: readonly NamespaceState[]): NamespaceCounts {
  const count = (test: (state: NamespaceState) => boolean) => states.reduce((sum, state) => sum + (test(state) ? 1 : 0), 0);
  return {
    total: states.length,
    judged: count((state) => state.isCurrent),
    above: count((state) => state.attention.includes("above")),
    withIncidents: count((state) => state.attention.includes("incident")),
    stale: count((state) => state.attention.includes("stale")),
    needingAttention: count((state) => state.attention.length > 0),
  };
}

/** Names in one order on every machine: by code unit, not by the server's locale. */
function compareNames(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Above now first, then an ongoing incident, then stale, then the rest. */
function attentionRank(state: NamespaceState): number {
  if (state.attention.includes("above")) return 0;
  if (state.attention.includes("incident")) return 1;
  if (state.attention.includes("stale")) return 2;
  return 3;
}

/** Highest deviation first, namespaces without one after every namespace with one. */
function compareDeviation(left: NamespaceState, right: NamespaceState): number {
  return (right.deviation ?? -1) - (left.deviation ?? -1);
}

const comparators: Record<NamespaceSort, (left: NamespaceState, right: NamespaceState) => number> = {
  attention: (left, right) => attentionRank(left) - attentionRank(right) || compareDeviation(left, right) || compareNames(left.namespace, right.namespace),
  deviation: (left, right) => compareDeviation(left, right) || compareNames(left.namespace, right.namespace),
  name: (left, right) => compareNames(left.namespace, right.namespace),
};

/** Every order of the states asked for so far, per states array (reused while the states are). */
const sortedOf = new WeakMap<readonly NamespaceState[], Map<NamespaceSort, NamespaceState[]>>();

function sortedStates(states: readonly NamespaceState[], sort: NamespaceSort): readonly NamespaceState[] {
  let orders = sortedOf.get(states);
  if (!orders) sortedOf.set(states, (orders = new Map()));
  let sorted = orders.get(sort);
  if (!sorted) orders.set(sort, (sorted = [...states].sort(comparators[sort])));
  return sorted;
}

/**
 * One page of the namespaces (viewers and above), searched by part of the name (any case) and
 * sorted (see namespaceSorts), each with its last 24 hours drawn; the counts are over every
 * namespace, whatever the search. `versionsRead`: NAMESPACE_LIST_TABLES' versions, when the
 * request read them already.
 */
export async function listNamespaces(
  db: Db,
  actor: Actor | null,
  context: NamespaceStateContext,
  input: NamespaceListInput = {},
  now: Date = new Date(),
  versionsRead?: TableVersions,
): Promise<NamespaceList> {
  assertRole(actor, "viewer");
  const { q, sort, offset, limit } = namespaceListSchema.parse(input);
  const versions = versionsRead ?? (await readTableVersions(db, NAMESPACE_LIST_TABLES));
  const { states, counts } = await readNamespaceStates(db, context, now, versions);
  const needle = q.toLowerCase();
  // Filtering the sorted list gives the sorted matches: every order ends with the name, so it is total.
  const sorted = sortedStates(states, sort);
  const matching = needle === "" ? sorted : sorted.filter((state) => state.namespace.toLowerCase().includes(needle));
  const page = matching.slice(offset, offset + limit);
  const drawing = await drawNamespaceSparklines(
    db,
    context,
    page.map((state) => state.namespace),
    now,
    versions,
  );
  return {
    from: drawing.from,
    to: drawing.to,
    windowMinutes: context.grid.windowMinutes,
    bucketMinutes: drawing.bucketMinutes,
    readAt: now.toISOString(),
    counts,
    matching: matching.length,
    q,
    sort,
    offset,
    limit,
    nextOffset: offset + page.length < matching.length ? offset + page.length : null,
    rows: page.map((state) => ({ ...state, sparkline: drawing.byNamespace.get(state.namespace) ?? emptySparkline(drawing) })),
  };
}

function emptySparkline(drawing: { from: number; bucketMinutes: number }): NamespaceRow["sparkline"] {
  return { start: drawing.from, bucketMs: drawing.bucketMinutes * 60_000, count: [], mean: [], low: [], high: [], errors: 0, windows: 0, expected: null };
}
