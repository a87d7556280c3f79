import { recordAudit } from "@/lib/db/audit";
import type { Db } from "@/lib/db/client";
import {
  deleteEmptyIncidents,
  endIncident,
  findIncidentsNear,
  findIncidentTotals,
  findOngoingIncidents,
  findSnoozedIncidents,
  findUnplacedPeaks,
  insertIncident,
  moveWindowsIntoIncident,
  refreshIncidentSpan,
  reopenReturnedIncident,
  updateIncidentSnooze,
} from "@/lib/db/incidents";
import type { FrozenConfig } from "@/lib/config";
import { hasEnded, placeNewWindows, storedSnoozeState, type IncidentRules } from "@/lib/pipeline/incidents";
import { pipelineActor } from "@/lib/roles";

// What every run does with incidents after detection: new peak windows join (or reopen, or begin)
// incidents, then ongoing incidents are settled (ended, resolved when back to normal, snoozes lifted).

export function incidentRulesOf(config: FrozenConfig): IncidentRules {
  return {
    windowMs: config.window_minutes * 60_000,
    gapMs: config.notifications.teams.incident_gap_minutes * 60_000,
    reopenMs: config.incidents.reopen_hours * 3_600_000,
  };
}

export type PlacementTally = { joined: number; created: number; reopened: number };

/**
 * Puts every peak window that is in no incident yet into one: per namespace, the windows are
 * placed among the incidents near them in time (placeNewWindows). A reopened incident is audited
 * as the pipeline's doing, with how long after it resolved itself the errors returned.
 */
export async function placeNewPeaks(db: Db, config: FrozenConfig, now: Date): Promise<PlacementTally> {
  const rules = incidentRulesOf(config);
  const unplaced = await findUnplacedPeaks(db);
  const tally: PlacementTally = { joined: 0, created: 0, reopened: 0 };
  const byNamespace = new Map<string, typeof unplaced>();
  for (const peak of unplaced) {
    const peaks = byNamespace.get(peak.namespace);
    if (peaks) peaks.push(peak);
    else byNamespace.set(peak.namespace, [peak]);
  }
  for (const [namespace, peaks] of byNamespace) {
    const starts = peaks.map((peak) => peak.timestamp.getTime());
    const reach = rules.windowMs + rules.gapMs;
    const near = await findIncidentsNear(db, namespace, { fromMs: Math.min(...starts) - reach - rules.reopenMs, toMs: Math.max(...starts) + reach });
    const placements = placeNewWindows(
      near.map((incident) => ({
        id: incident.id,
        startedAt: incident.started_at.getTime(),
        lastWindowAt: incident.last_window_at.getTime(),
        resolvedWithSolution: incident.status === "resolved" && incident.resolution !== "quiet",
        resolvedQuietlyAt: incident.status === "resolved" && incident.resolution === "quiet" ? (incident.resolved_at?.getTime() ?? null) : null,
      })),
      peaks.map((peak) => ({ id: peak.id, start: peak.timestamp.getTime() })),
      rules,
    );
    for (const placement of placements) {
      await db.prisma.$transaction(async (transaction) => {
        if (placement.kind === "new") {
          const incidentId = await insertIncident(transaction, {
            namespace,
            startedAt: new Date(placement.startedAt),
            lastWindowAt: new Date(placement.lastWindowAt),
          });
          // Its span is the placement's, unless a concurrent run placed some of its windows first.
          const moved = await moveWindowsIntoIncident(transaction, incidentId, placement.peakIds);
          if (moved < placement.peakIds.length) await refreshIncidentSpan(transaction, incidentId);
          tally.created += 1;
          return;
        }
        if (placement.kind === "reopen" && (await reopenReturnedIncident(transaction, placement.incidentId, now))) {
          await recordAudit(transaction, pipelineActor, {
            action: "incident.reopen",
            entityType: "incident",
            entityId: placement.incidentId,
            details: {
              from: "resolved",
              to: "open",
              regression: true,
              returnedAfterMinutes: Math.round(placement.afterMs / 60_000),
              peakIds: placement.peakIds,
            },
          });
          tally.reopened += 1;
        }
        await moveWindowsIntoIncident(transaction, placement.incidentId, placement.peakIds);
        await refreshIncidentSpan(transaction, placement.incidentId);
        if (placement.kind === "join") tally.joined += placement.peakIds.length;
      });
    }
  }
  return tally;
}

export type SettleTally = { ended: number; autoResolved: number; snoozesLifted: number };

/**
 * Settles the ongoing incidents at `now`: one with incidents.auto_resolve_quiet_windows counted
 * windows after its last has ended, and with `autoResolve` an open or acknowledged one is then
 * resolved as back to normal (audited as the pipeline's doing). A batch over history passes
 * false: what it finds is left for triage. Snoozes whose time passed or whose incident grew by
 * their factor are lifted.
 */
export async function settleIncidents(db: Db, config: FrozenConfig, now: Date, options: { autoResolve: boolean }): Promise<SettleTally> {
  const quietWindows = config.incidents.auto_resolve_quiet_windows;
  const windowMs = config.window_minutes * 60_000;
  const ongoing = await findOngoingIncidents(db, quietWindows);
  const tally: SettleTally = { ended: 0, autoResolved: 0, snoozesLifted: 0 };
  for (const incident of ongoing) {
    if (!hasEnded(Number(incident.windows_after), quietWindows)) continue;
    await db.prisma.$transaction(async (transaction) => {
      const endedAt = new Date(incident.last_window_at.getTime() + windowMs);
      const { ended, resolvedFrom } = await endIncident(transaction, incident.id, endedAt, options.autoResolve ? now : null);
      if (!ended) return;
      tally.ended += 1;
      if (resolvedFrom === null) return;
      tally.autoResolved += 1;
      await recordAudit(transaction, pipelineActor, {
        action: "incident.auto_resolve",
        entityType: "incident",
        entityId: incident.id,
        details: { from: resolvedFrom, to: "resolved", quietWindows, endedAt: endedAt.toISOString() },
      });
    });
  }
  tally.snoozesLifted = await liftSnoozes(db, now);
  return tally;
}

/** Lifts the snoozes that no longer hold (time passed, or the incident grew by the factor); audited. */
async function liftSnoozes(db: Db, now: Date): Promise<number> {
  const snoozed = await findSnoozedIncidents(db);
  if (snoozed.length === 0) return 0;
  const excessOf = new Map(
    (
      await findIncidentTotals(
        db,
        snoozed.map((incident) => incident.id),
      )
    ).map((total) => [total.incident_id, total.excess]),
  );
  let lifted = 0;
  for (const incident of snoozed) {
    const state = storedSnoozeState(incident, excessOf.get(incident.id) ?? 0, now);
    if (state !== "expired" && state !== "grew") continue;
    await db.prisma.$transaction(async (transaction) => {
      await updateIncidentSnooze(transaction, incident.id, { until: null, growth: null, excess: null });
      await recordAudit(transaction, pipelineActor, {
        action: "incident.snooze_lifted",
        entityType: "incident",
        entityId: incident.id,
        details: { reason: state, excess: Math.round(excessOf.get(incident.id) ?? 0) },
      });
    });
    lifted += 1;
  }
  return lifted;
}

export type IncidentTally = PlacementTally & SettleTally;

/** After detection: new windows into incidents, then the ongoing ones settled. */
export async function trackIncidents(db: Db, config: FrozenConfig, now: Date, options: { autoResolve: boolean }): Promise<IncidentTally> {
  // Windows a correction removed may leave an incident without any.
  await deleteEmptyIncidents(db);
  const placed = await placeNewPeaks(db, config, now);
  const settled = await settleIncidents(db, config, now, options);
  return { ...placed, ...settled };
}
