// Detection accuracy benchmark:  npm run bench:detection [-- --seeds 6 --first-seed 1 --days 49 --variants]
//
// Generates labelled data sets with every case kind (`peaks generate --cases`: noisy
// namespaces, moderate incidents near the thresholds, repeats one and two weeks later, a
// namespace born mid-period, a level shift, a slow ramp, incidents across midnight and the
// daylight-saving change, a weekly batch and blips under the minimum as distractors) for
// several seeds, replays each through the detector in memory as `peaks batch` would (learning
// days first, then day by day; a level shift accepted as the new normal after 4 hours), and
// scores the peaks with `peaks validate`'s rules. Figures are summed over the seeds.
//
// With --variants it also replays the alternatives the default rule was chosen against
// (other same-day ratios and spread tails), with the same data, so they can be compared.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { formatTable } from "../cli/output";
import { DEFAULT_SAME_DAY_MIN_RATIO, DEFAULT_TAIL_PROBABILITY } from "@/lib/config/schema";
import { recordSample, slotKey, type BaselineTable } from "@/lib/pipeline/baseline";
import { NO_BASELINE_RATIO, type PeakDetectionSettings } from "@/lib/pipeline/detect";
import { labelsOf, LEARNING_DAYS, planDataSet, type DataSetPlan } from "@/lib/synthetic/generate";
import { standardDeviation } from "@/lib/pipeline/running-stats";
import { incidentKindOf, reachesThresholdsOf } from "@/lib/synthetic/labels";
import { validateDetection, type DetectedPeak, type ValidationReport } from "@/lib/synthetic/validate";
import { countPlan, replayDetection, type WindowCounts } from "../test/support/detection-replay";
import { hasFlag, optionValue, printRunHeader } from "./bench-support";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const seeds = Number(optionValue("--seeds") ?? 6);
const firstSeed = Number(optionValue("--first-seed") ?? 1);
const days = Number(optionValue("--days") ?? 49);
// Spans the spring daylight-saving change of Europe/Prague (29 March 2026).
const FROM = "2026-02-23";

const defaults: PeakDetectionSettings = {
  min_ratio_multiplier: 3,
  max_ratio_multiplier: 5,
  dynamic_min_multiplier: 2.5,
  min_absolute_value: 100,
  same_day_window_count: 3,
  same_day_min_ratio: DEFAULT_SAME_DAY_MIN_RATIO,
  tail_probability: DEFAULT_TAIL_PROBABILITY,
};

type Variant = { name: string; settings: PeakDetectionSettings; seedRule?: boolean };
const variants: Variant[] = [
  { name: "default", settings: defaults },
  { name: "seed's rule (same-day ratio decides)", settings: defaults, seedRule: true },
];
if (hasFlag("--variants")) {
  // tail 0.5 puts the spread threshold at the model's median: the spread check off.
  for (const tail of [0.5, 1e-4, 1e-5, 1e-7]) variants.push({ name: `tail ${tail}`, settings: { ...defaults, tail_probability: tail } });
  for (const ratio of [0, 1.5, 2, 3])
    variants.push({ name: ratio === 0 ? "same-day view off" : `same-day ≥ ${ratio}×`, settings: { ...defaults, same_day_min_ratio: ratio } });
}

/**
 * The rule of the system this replaces, for comparison: the ratio is the count over the mean of
 * the previous same_day_window_count windows of the same local day (the slot's baseline mean
 * when there are none), the required ratio grows with the slot's σ ÷ μ, and every window adds
 * its full count to its slot.
 */
function replaySeedRule(plan: DataSetPlan, counts: WindowCounts, settings: PeakDetectionSettings): DetectedPeak[] {
  const { grid } = plan;
  const learningEnd = grid.localDayRange(plan.days[LEARNING_DAYS]!).startMs;
  const baseline: BaselineTable = new Map();
  const peaks: DetectedPeak[] = [];
  for (const [namespace, windows] of counts) {
    const plateauOf = new Map<number, number>();
    windows.forEach((window, index) => {
      const keys = grid.slotOf(window.start);
      if (window.start >= learningEnd) {
        const day = grid.localDateOf(window.start);
        const references = windows
          .slice(Math.max(0, index - settings.same_day_window_count), index)
          .filter((reference) => grid.localDateOf(reference.start) === day);
        const slot = baseline.get(slotKey(namespace, keys));
        const mean = slot?.mean ?? 0;
        const stddev = slot ? standardDeviation(slot) : 0;
        const referenceMean = references.length > 0 ? references.reduce((sum, reference) => sum + reference.count, 0) / references.length : null;
        const denominator = referenceMean ?? mean;
        const ratio = denominator > 0 ? window.count / denominator : NO_BASELINE_RATIO;
        const variation = mean > 0 ? Math.min(1, stddev / mean) : 1;
        const required = settings.min_ratio_multiplier + (settings.max_ratio_multiplier - settings.min_ratio_multiplier) * variation;
        const day24 = windows.slice(Math.max(0, index - 96), index);
        const average24h = day24.length > 0 ? day24.reduce((sum, entry) => sum + entry.count, 0) / day24.length : 0;
        if (window.count >= settings.min_absolute_value && ratio >= required && window.count >= settings.dynamic_min_multiplier * average24h) {
          const plateau = references.map((reference) => plateauOf.get(reference.start)).find((start) => start !== undefined);
          plateauOf.set(window.start, plateau ?? window.start);
          peaks.push({ namespace, start: window.start, plateauStart: plateau ?? null });
        }
      }
      recordSample(baseline, namespace, keys, window.count);
    });
  }
  return peaks;
}

type Totals = {
  misses: string[];
  alarms: string[];
  incidents: number;
  detected: number;
  reaching: number;
  reachingDetected: number;
  events: number;
  falseAlarms: number;
  distractorFlags: number;
  delays: number[];
  byKind: Map<string, { incidents: number; detected: number; delays: number[] }>;
  byNamespaceKind: Map<string, { events: number; falseAlarms: number }>;
};

const emptyTotals = (): Totals => ({
  misses: [],
  alarms: [],
  incidents: 0,
  detected: 0,
  reaching: 0,
  reachingDetected: 0,
  events: 0,
  falseAlarms: 0,
  distractorFlags: 0,
  delays: [],
  byKind: new Map(),
  byNamespaceKind: new Map(),
});

function addReport(totals: Totals, report: ValidationReport, labels: ReturnType<typeof labelsOf>): void {
  totals.incidents += report.total.incidents;
  totals.detected += report.total.detected;
  totals.events += report.total.events;
  totals.falseAlarms += report.total.falseAlarms;
  totals.distractorFlags += report.falseAlarms.filter((alarm) => alarm.overlaps !== null).length;
  const kindOf = new Map(labels.incidents.map((incident) => [incident.id, incidentKindOf(incident)]));
  totals.misses.push(
    ...report.misses.map((miss) => `seed ${labels.seed} ${miss.id} (${kindOf.get(miss.id)}) ${miss.namespace} ${miss.start} magnitude ${miss.magnitude}`),
  );
  totals.alarms.push(
    ...report.falseAlarms.map(
      (alarm) =>
        `seed ${labels.seed} ${alarm.namespace} (${labels.namespace_kinds?.[alarm.namespace] ?? "steady"}) ${alarm.start}, ${alarm.windows} window(s)${alarm.overlaps ? `, overlaps ${alarm.overlaps}` : ""}`,
    ),
  );
  const detectedIds = new Map(report.detections.map((detection) => [detection.incidentId, detection.delayMinutes]));
  for (const incident of labels.incidents) {
    const delay = detectedIds.get(incident.id);
    const kind = incidentKindOf(incident);
    const entry = totals.byKind.get(kind) ?? { incidents: 0, detected: 0, delays: [] };
    entry.incidents += 1;
    if (delay !== undefined) {
      entry.detected += 1;
      entry.delays.push(delay);
      totals.delays.push(delay);
    }
    totals.byKind.set(kind, entry);
    if (reachesThresholdsOf(incident)) {
      totals.reaching += 1;
      if (delay !== undefined) totals.reachingDetected += 1;
    }
  }
  for (const [namespace, scores] of Object.entries(report.perNamespace)) {
    const kind = labels.namespace_kinds?.[namespace] ?? "steady";
    const entry = totals.byNamespaceKind.get(kind) ?? { events: 0, falseAlarms: 0 };
    entry.events += scores.events;
    entry.falseAlarms += scores.falseAlarms;
    totals.byNamespaceKind.set(kind, entry);
  }
}

const share = (part: number, whole: number) => (whole === 0 ? "-" : (part / whole).toFixed(3));
const mean = (values: readonly number[]) => (values.length === 0 ? "-" : (values.reduce((sum, value) => sum + value, 0) / values.length).toFixed(1));

printRunHeader(ROOT);
console.log(`Data: ${seeds} seeds (${firstSeed}–${firstSeed + seeds - 1}) × ${days} days from ${FROM}, Europe/Prague, 15-minute windows, every case kind.\n`);
const totals = new Map(variants.map((variant) => [variant.name, emptyTotals()]));
const started = Date.now();
for (let seed = firstSeed; seed < firstSeed + seeds; seed += 1) {
  const plan = planDataSet({ seed, from: FROM, days, timeZone: "Europe/Prague", windowMinutes: 15, cases: true });
  const labels = labelsOf(plan);
  const counts = countPlan(plan);
  for (const variant of variants) {
    const peaks = variant.seedRule
      ? replaySeedRule(plan, counts, variant.settings)
      : replayDetection(plan, labels, counts, { settings: variant.settings }).peaks;
    const report = validateDetection(labels, peaks, { windowMinutes: 15, fromMs: plan.detectionFromMs });
    addReport(totals.get(variant.name)!, report, labels);
  }
}

// The ordinary sets of `peaks generate` (no case kinds), 28 days, as the demo and the tests use them.
const plain = emptyTotals();
for (let seed = firstSeed; seed < firstSeed + seeds; seed += 1) {
  const plan = planDataSet({ seed, from: FROM, days: 28, timeZone: "Europe/Prague", windowMinutes: 15 });
  const labels = labelsOf(plan);
  const replay = replayDetection(plan, labels, countPlan(plan), { settings: defaults });
  addReport(plain, validateDetection(labels, replay.peaks, { windowMinutes: 15, fromMs: plan.detectionFromMs }), labels);
}

const summary = variants.map((variant) => {
  const total = totals.get(variant.name)!;
  const noisy = total.byNamespaceKind.get("noisy");
  return [
    variant.name,
    `${total.detected}/${total.incidents}`,
    share(total.reachingDetected, total.reaching),
    share(total.events - total.falseAlarms, total.events),
    String(total.falseAlarms),
    noisy ? share(noisy.events - noisy.falseAlarms, noisy.events) : "-",
    String(total.distractorFlags),
    mean(total.delays),
  ];
});
console.log(
  formatTable(["rule", "detected", "recall (reaching)", "precision", "false alarms", "precision (noisy ns)", "distractor flags", "mean delay (min)"], summary),
);

const chosen = totals.get("default")!;
console.log("\nDefault rule by case kind:");
console.log(
  formatTable(
    ["kind", "incidents", "detected", "recall", "mean delay (min)", "max delay (min)"],
    [...chosen.byKind].map(([kind, entry]) => [
      kind,
      String(entry.incidents),
      String(entry.detected),
      share(entry.detected, entry.incidents),
      mean(entry.delays),
      entry.delays.length === 0 ? "-" : String(Math.max(...entry.delays)),
    ]),
  ),
);
console.log(
  formatTable(
    ["namespace kind", "events", "false alarms", "precision"],
    [...chosen.byNamespaceKind].map(([kind, entry]) => [
      kind,
      String(entry.events),
      String(entry.falseAlarms),
      share(entry.events - entry.falseAlarms, entry.events),
    ]),
  ),
);
console.log(
  `\nOrdinary sets (${seeds} seeds × 28 days, no case kinds), default rule: detected ${plain.detected}/${plain.incidents}, ` +
    `precision ${share(plain.events - plain.falseAlarms, plain.events)}, ${plain.falseAlarms} false alarms, ${plain.distractorFlags} distractor flags, mean delay ${mean(plain.delays)} min`,
);
console.log(`\nMisses of the default rule (${chosen.misses.length}):`);
for (const miss of chosen.misses) console.log(`  ${miss}`);
console.log(`False alarms of the default rule (${chosen.alarms.length}):`);
for (const alarm of chosen.alarms) console.log(`  ${alarm}`);
console.log(`\n${((Date.now() - started) / 1000).toFixed(1)} s`);
