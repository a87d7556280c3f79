/**
 * Incidents: consecutive peak windows of one namespace, the unit of triage. Which incident a new
 * peak window joins, when an incident has ended, and whether a snooze still holds are decided
 * here, from plain values; storing the answers is lib/incidents'.
 */

export type IncidentRules = {
  /** Window length, ms. */
  windowMs: number;
  /** A window starting at most this long after the end of an incident's last window joins it, ms. */
  gapMs: number;
  /** A window within this long after an incident resolved itself reopens it as a regression, ms. */
  reopenMs: number;
};

/** An incident as the planner needs it: its span and how it stands. */
export type IncidentSpan = {
  id: number;
  /** First and last window starts, UTC ms. */
  startedAt: number;
  lastWindowAt: number;
  /** True once an analyst resolved it: later windows start a new incident. */
  resolvedWithSolution: boolean;
  /** When it resolved itself after quiet windows, UTC ms; null otherwise. */
  resolvedQuietlyAt: number | null;
};

export type NewPeakWindow = { id: number; start: number };

/** What to do with one new window: join (or reopen) an incident, or begin a new one. */
export type IncidentPlacement =
  | { kind: "join"; incidentId: number; peakIds: number[] }
  | { kind: "reopen"; incidentId: number; peakIds: number[]; afterMs: number }
  | { kind: "new"; peakIds: number[]; startedAt: number; lastWindowAt: number };

/** Whether a window starting at `start` belongs to an incident spanning [startedAt, lastWindowAt + window]. */
function isWithinGap(span: { startedAt: number; lastWindowAt: number }, start: number, rules: IncidentRules): boolean {
  return start >= span.startedAt - rules.windowMs - rules.gapMs && start <= span.lastWindowAt + rules.windowMs + rules.gapMs;
}

/**
 * Places the new windows of ONE namespace among its incidents (those near the windows in time;
 * any order). Windows are taken oldest first, and an incident grows as windows join it, so a run
 * of windows joins one incident:
 * - a window within the gap of an incident not resolved with a solution joins it (an incident
 *   that resolved itself is reopened, as below);
 * - else a window within `reopenMs` after an incident resolved itself reopens that incident;
 * - else it begins a new incident, which the next windows may join.
 * An incident resolved with a solution is never joined: its return is a new incident (matched
 * to the known peak by enrichment).
 */
export function placeNewWindows(incidents: readonly IncidentSpan[], windows: readonly NewPeakWindow[], rules: IncidentRules): IncidentPlacement[] {
  const spans = incidents.map((incident) => ({ ...incident }));
  const placements: IncidentPlacement[] = [];
  const placementOf = new Map<number, IncidentPlacement>();
  type Fresh = { startedAt: number; lastWindowAt: number; placement: Extract<IncidentPlacement, { kind: "new" }> };
  const fresh: Fresh[] = [];

  const grow = (span: { startedAt: number; lastWindowAt: number }, start: number) => {
    span.startedAt = Math.min(span.startedAt, start);
    span.lastWindowAt = Math.max(span.lastWindowAt, start);
  };

  for (const window of [...windows].sort((left, right) => left.start - right.start || left.id - right.id)) {
    const joinable = spans
      .filter((span) => !span.resolvedWithSolution && isWithinGap(span, window.start, rules))
      .sort((left, right) => right.lastWindowAt - left.lastWindowAt)[0];
    if (joinable) {
      grow(joinable, window.start);
      const existing = placementOf.get(joinable.id);
      if (existing) existing.peakIds.push(window.id);
      else {
        const placement: IncidentPlacement =
          joinable.resolvedQuietlyAt !== null
            ? { kind: "reopen", incidentId: joinable.id, peakIds: [window.id], afterMs: Math.max(0, window.start - joinable.resolvedQuietlyAt) }
            : { kind: "join", incidentId: joinable.id, peakIds: [window.id] };
        joinable.resolvedQuietlyAt = null;
        placementOf.set(joinable.id, placement);
        placements.push(placement);
      }
      continue;
    }
    const freshJoinable = fresh.find((candidate) => isWithinGap(candidate, window.start, rules));
    if (freshJoinable) {
      grow(freshJoinable, window.start);
      freshJoinable.placement.peakIds.push(window.id);
      freshJoinable.placement.startedAt = freshJoinable.startedAt;
      freshJoinable.placement.lastWindowAt = freshJoinable.lastWindowAt;
      continue;
    }
    const returned = spans
      .filter(
        (span) =>
          span.resolvedQuietlyAt !== null &&
          window.start >= span.lastWindowAt &&
          window.start - Math.max(span.resolvedQuietlyAt, span.lastWindowAt + rules.windowMs) <= rules.reopenMs,
      )
      .sort((left, right) => right.lastWindowAt - left.lastWindowAt)[0];
    if (returned && returned.resolvedQuietlyAt !== null) {
      const placement: IncidentPlacement = {
        kind: "reopen",
        incidentId: returned.id,
        peakIds: [window.id],
        afterMs: Math.max(0, window.start - returned.resolvedQuietlyAt),
      };
      grow(returned, window.start);
      // Reopened, it is ongoing again: later windows join it within the gap, or begin a new incident.
      returned.resolvedQuietlyAt = null;
      placementOf.set(returned.id, placement);
      placements.push(placement);
      continue;
    }
    const placement = { kind: "new" as const, peakIds: [window.id], startedAt: window.start, lastWindowAt: window.start };
    fresh.push({ startedAt: window.start, lastWindowAt: window.start, placement });
    placements.push(placement);
  }
  return placements;
}

/**
 * Whether an ongoing incident has ended: at least `quietWindows` windows of its namespace were
 * counted after its last window (each under threshold, as none of them is a peak). Windows the
 * source did not cover are not stored, so a gap never ends an incident.
 */
export function hasEnded(countedWindowsAfterLast: number, quietWindows: number): boolean {
  return countedWindowsAfterLast >= quietWindows;
}

export type Snooze = { until: number | null; growth: number | null; excessWhenSnoozed: number | null };

/**
 * Whether a snooze still holds at `now` for an incident with `excess` errors above its baselines:
 * until its time passes, or until the excess reached `growth` × the excess when it was snoozed.
 * "expired" and "grew" say why it was lifted; "none" means it was not snoozed.
 */
export function snoozeState(snooze: Snooze, excess: number, now: number): "none" | "active" | "expired" | "grew" {
  if (snooze.until === null && snooze.growth === null) return "none";
  if (snooze.growth !== null && snooze.excessWhenSnoozed !== null && excess >= snooze.growth * Math.max(snooze.excessWhenSnoozed, 1)) return "grew";
  if (snooze.until !== null && now >= snooze.until) return "expired";
  return "active";
}

/** Errors a window had above its baseline mean; never negative. */
export function excessErrors(window: { errorCount: number; baselineMean: number }): number {
  return Math.max(0, window.errorCount - window.baselineMean);
}

/** snoozeState of an incident row as stored (lib/db/incidents reads), at `now`. */
export function storedSnoozeState(
  row: { snoozed_until: Date | null; snooze_growth: number | null; snooze_excess: number | null },
  excess: number,
  now: Date,
): ReturnType<typeof snoozeState> {
  return snoozeState({ until: row.snoozed_until?.getTime() ?? null, growth: row.snooze_growth, excessWhenSnoozed: row.snooze_excess }, excess, now.getTime());
}
