import { withdrawSample, recordSample, type BaselineTable } from "@/lib/pipeline/baseline";
import { detectNamespace, type PeakDetectionSettings, type WindowCount, type WindowDecision } from "@/lib/pipeline/detect";
import { generateDayWindows, LEARNING_DAYS, type DataSetPlan } from "@/lib/synthetic/generate";
import type { Labels } from "@/lib/synthetic/labels";
import { acceptanceShifts, applyShifts, levelOffsetOf } from "@/lib/pipeline/new-normal";
import type { DetectedPeak } from "@/lib/synthetic/validate";

/**
 * Replays a generated data set through the detector in memory, as `peaks batch` would: the
 * learning days feed the baselines (INIT), then every later day is judged day by day with the
 * day before as history and the peaks of the two weeks before as earlier peaks. A namespace's
 * windows run from the first window of the first local day it has a document on (a namespace
 * born mid-period has gaps before, not zeros). A labelled level shift is accepted as the new
 * normal at its label's end, from its `accepted_from`, the way an analyst would.
 */

export type WindowCounts = Map<string, WindowCount[]>;

/** ERROR documents per namespace and window: every window of the namespace's days, zeros included. */
export function countPlan(plan: DataSetPlan): WindowCounts {
  const byNamespace = new Map<string, Map<number, number>>();
  const firstDay = new Map<string, number>();
  for (const date of plan.days) {
    const dayStart = plan.grid.localDayRange(date).startMs;
    for (const batch of generateDayWindows(plan, date)) {
      for (const document of batch) {
        if (!firstDay.has(document.namespace)) firstDay.set(document.namespace, dayStart);
        if (document.level !== "ERROR") continue;
        const start = plan.grid.windowStartOf(document.timestamp);
        let counts = byNamespace.get(document.namespace);
        if (!counts) byNamespace.set(document.namespace, (counts = new Map()));
        counts.set(start, (counts.get(start) ?? 0) + 1);
      }
    }
  }
  const result: WindowCounts = new Map();
  for (const [namespace, from] of firstDay) {
    const counts = byNamespace.get(namespace) ?? new Map<number, number>();
    result.set(
      namespace,
      plan.grid.windowsBetween(from, plan.toMs).map((start) => ({ start, count: counts.get(start) ?? 0 })),
    );
  }
  return result;
}

export type ReplayOptions = { settings: PeakDetectionSettings; learningDays?: number; acceptLevelShifts?: boolean };

export type Replay = { peaks: DetectedPeak[]; decisions: Map<string, WindowDecision[]>; baseline: BaselineTable };

const DAY_MS = 86_400_000;

export function replayDetection(plan: DataSetPlan, labels: Labels, counts: WindowCounts, options: ReplayOptions): Replay {
  const { grid } = plan;
  const learningEnd = grid.localDayRange(plan.days[Math.min(options.learningDays ?? LEARNING_DAYS, plan.days.length - 1)]!).startMs;
  const baseline: BaselineTable = new Map();
  const peaks: DetectedPeak[] = [];
  const decisions = new Map<string, WindowDecision[]>();
  for (const [namespace, windows] of counts) {
    const acceptances =
      (options.acceptLevelShifts ?? true)
        ? labels.incidents
            .filter((incident) => incident.namespace === namespace && incident.kind === "level_shift" && incident.accepted_from)
            .map((incident) => ({ from: Date.parse(incident.accepted_from!), at: Date.parse(incident.end) }))
        : [];
    const learning = windows.filter((window) => window.start < learningEnd);
    detectNamespace({ namespace, windows: learning, history: [], historyPeaks: new Map() }, baseline, grid, options.settings, { detect: false });
    const judged: WindowDecision[] = [];
    const peakStarts = new Map<number, number>();
    const contributions = new Map<number, number>();
    // Chunks end at each local midnight and at each acceptance.
    const cuts = [...plan.days.map((day) => grid.localDayRange(day).endMs), ...acceptances.map((acceptance) => acceptance.at)].sort((a, b) => a - b);
    let chunkFrom = learningEnd;
    for (const cut of cuts) {
      if (cut <= chunkFrom) continue;
      const chunk = windows.filter((window) => window.start >= chunkFrom && window.start < cut);
      const history = windows
        .filter((window) => window.start >= chunkFrom - DAY_MS && window.start < chunkFrom)
        .map((window) => ({ ...window, known: { isPeak: peakStarts.has(window.start), plateauStart: peakStarts.get(window.start) ?? null } }));
      const earlierPeaks = new Set([...peakStarts.keys()].filter((start) => start >= chunkFrom - 15 * DAY_MS && start < chunkFrom - DAY_MS));
      const result = detectNamespace({ namespace, windows: chunk, history, historyPeaks: new Map(), earlierPeaks }, baseline, grid, options.settings, {
        detect: true,
      });
      for (const decision of result) {
        judged.push(decision);
        contributions.set(decision.start, decision.baselineValue);
        if (decision.status === "peak") peakStarts.set(decision.start, decision.plateauStart ?? decision.start);
      }
      for (const acceptance of acceptances.filter((entry) => entry.at === cut)) {
        const since = windows.filter((window) => window.start >= acceptance.from && window.start < acceptance.at);
        for (const window of since) withdrawSample(baseline, namespace, grid.slotOf(window.start), contributions.get(window.start) ?? window.count);
        const offset = levelOffsetOf(since, baseline, namespace, grid) ?? 0;
        applyShifts(baseline, acceptanceShifts(baseline, namespace, offset, 60 / grid.windowMinutes), 1);
        for (const window of since) {
          recordSample(baseline, namespace, grid.slotOf(window.start), window.count);
          contributions.set(window.start, window.count);
        }
      }
      chunkFrom = cut;
    }
    decisions.set(namespace, judged);
    for (const [start, plateau] of peakStarts) peaks.push({ namespace, start, plateauStart: plateau === start ? null : plateau });
  }
  return { peaks, decisions, baseline };
}
