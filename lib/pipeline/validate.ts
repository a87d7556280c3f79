import type { Labels } from "./labels";

/**
 * Scores detected peaks against the ground truth of a generated data set (labels.json): the pure
 * core of `peaks validate` (replaces the old system's validate_detection.py).
 *
 * Rules
 * - Range: only incidents that START inside [fromMs, toMs) and peak windows that start inside it
 *   count. Defaults: the labels' own `from` / `to`.
 * - Detected events: per namespace, peak windows are grouped into events. Two peak windows belong
 *   to the same event when they share a plateau (a peak's plateauStart, or its own start when
 *   plateauStart is null, identifies its chain) or when they are at most one quiet window apart
 *   (starts no more than 2 windows apart, consecutive windows included). A long plateau is ONE event.
 * - Matching interval of a labelled interval [start, end): [start, end + 1 window), so a trailing
 *   window flagged right after the end still counts. A peak window "lies in" it when its start does.
 * - An incident is detected when at least one peak window of its namespace lies in its matching
 *   interval. Delay = start of the first such window − incident start, in minutes (0 when flagged
 *   in the incident's first window); `windows` of a detection = peak windows inside that interval.
 * - An event is a true positive when one of its windows lies in the matching interval of any
 *   labelled incident of its namespace (also one outside the range, so an event that continues an
 *   incident begun before `from` is not a false alarm). Any other event is ONE false alarm, however
 *   many windows it has; it is reported with `overlaps` "scheduled" / "below_minimum" when one of
 *   its windows lies in a labelled scheduled / below-minimum spike of its namespace (scheduled first).
 * - precision = true-positive events / events; recall = detected incidents / incidents;
 *   F1 = 2PR / (P + R) (0 when P + R = 0). Each is null when undefined (0/0 or a null input), never NaN.
 *   Mean / max delay are over detected incidents, null when none.
 * - Namespaces: every namespace of the labels appears (zeros when nothing happened there), plus any
 *   namespace that only has peaks (all of its events are false alarms). The total sums the counts
 *   of all namespaces and computes its ratios from those sums.
 */

const MINUTE_MS = 60_000;

/** A flagged window (UTC ms); plateauStart null = first window of its chain. */
export type DetectedPeak = { namespace: string; start: number; plateauStart: number | null };

export type Scores = {
  incidents: number;
  detected: number;
  missed: number;
  /** Detected events (chains of peak windows); true positives = events − falseAlarms. */
  events: number;
  falseAlarms: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  meanDelayMinutes: number | null;
  maxDelayMinutes: number | null;
};

export type ValidationMiss = { id: string; namespace: string; start: string; end: string; magnitude: number };
export type ValidationFalseAlarm = { namespace: string; start: string; windows: number; overlaps: "scheduled" | "below_minimum" | null };
export type ValidationDetection = { incidentId: string; namespace: string; delayMinutes: number; windows: number };

export type ValidationReport = {
  range: { fromMs: number; toMs: number };
  total: Scores;
  perNamespace: Record<string, Scores>;
  /** Incidents with no peak window, chronological; start / end normalised to toISOString(). */
  misses: ValidationMiss[];
  /** Events matching no incident, chronological. */
  falseAlarms: ValidationFalseAlarm[];
  /** Detected incidents, chronological. */
  detections: ValidationDetection[];
};

export type ValidationOptions = { fromMs?: number; toMs?: number; windowMinutes: number };

type Interval = { startMs: number; endMs: number };
type Event = { namespace: string; windows: number[] };
type Counts = { incidents: number; detected: number; events: number; falseAlarms: number; delays: number[] };

const toMs = (iso: string): number => new Date(iso).getTime();
const isoOf = (ms: number): string => new Date(ms).toISOString();

/** Groups one namespace's peak windows (sorted, distinct starts) into events. */
function eventsOf(namespace: string, peaks: readonly DetectedPeak[], windowMs: number): Event[] {
  const parent = peaks.map((_, index) => index);
  const find = (index: number): number => {
    let root = index;
    while (parent[root] !== root) root = parent[root]!;
    parent[index] = root;
    return root;
  };
  const union = (a: number, b: number) => {
    const rootA = find(a);
    const rootB = find(b);
    if (rootA !== rootB) parent[Math.max(rootA, rootB)] = Math.min(rootA, rootB);
  };
  const chainMember = new Map<number, number>();
  peaks.forEach((peak, index) => {
    const chain = peak.plateauStart ?? peak.start;
    const member = chainMember.get(chain);
    if (member === undefined) chainMember.set(chain, index);
    else union(member, index);
    const previous = peaks[index - 1];
    if (previous && peak.start - previous.start <= 2 * windowMs) union(index - 1, index);
  });
  const byRoot = new Map<number, Event>();
  peaks.forEach((peak, index) => {
    const root = find(index);
    const event = byRoot.get(root) ?? { namespace, windows: [] };
    event.windows.push(peak.start);
    byRoot.set(root, event);
  });
  return [...byRoot.values()];
}

const lies = (windowStart: number, interval: Interval, windowMs: number): boolean =>
  windowStart >= interval.startMs && windowStart < interval.endMs + windowMs;

const ratio = (numerator: number, denominator: number): number | null => (denominator > 0 ? numerator / denominator : null);

function scoresOf(counts: Counts): Scores {
  const precision = ratio(counts.events - counts.falseAlarms, counts.events);
  const recall = ratio(counts.detected, counts.incidents);
  const f1 = precision === null || recall === null ? null : precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return {
    incidents: counts.incidents,
    detected: counts.detected,
    missed: counts.incidents - counts.detected,
    events: counts.events,
    falseAlarms: counts.falseAlarms,
    precision,
    recall,
    f1,
    meanDelayMinutes: counts.delays.length > 0 ? counts.delays.reduce((sum, delay) => sum + delay, 0) / counts.delays.length : null,
    maxDelayMinutes: counts.delays.length > 0 ? Math.max(...counts.delays) : null,
  };
}

/** Scores `peaks` against `labels` by the rules above. Throws RangeError for a bad window length or an inverted range. */
export function validateDetection(labels: Labels, peaks: readonly DetectedPeak[], options: ValidationOptions): ValidationReport {
  const { windowMinutes } = options;
  if (!Number.isFinite(windowMinutes) || windowMinutes <= 0) throw new RangeError(`window length must be positive, got ${windowMinutes}`);
  const windowMs = windowMinutes * MINUTE_MS;
  const fromMs = options.fromMs ?? toMs(labels.from);
  const untilMs = options.toMs ?? toMs(labels.to);
  if (!Number.isFinite(fromMs) || !Number.isFinite(untilMs) || untilMs < fromMs) {
    throw new RangeError(`invalid range [${fromMs}, ${untilMs})`);
  }
  const inRange = (ms: number) => ms >= fromMs && ms < untilMs;

  const allIncidents = labels.incidents.map((incident) => ({ incident, startMs: toMs(incident.start), endMs: toMs(incident.end) }));
  const incidents = allIncidents.filter((entry) => inRange(entry.startMs)).sort((a, b) => a.startMs - b.startMs || a.incident.id.localeCompare(b.incident.id));
  const spikes = (list: readonly { namespace: string; start: string; end: string }[]) =>
    list.map((spike) => ({ namespace: spike.namespace, startMs: toMs(spike.start), endMs: toMs(spike.end) }));
  const scheduled = spikes(labels.scheduled);
  const belowMinimum = spikes(labels.below_minimum);

  // Peak windows in range per namespace, sorted, one per window start.
  const peaksByNamespace = new Map<string, DetectedPeak[]>();
  for (const peak of peaks) {
    if (!inRange(peak.start)) continue;
    const list = peaksByNamespace.get(peak.namespace) ?? [];
    list.push(peak);
    peaksByNamespace.set(peak.namespace, list);
  }
  for (const [namespace, list] of peaksByNamespace) {
    list.sort((a, b) => a.start - b.start);
    peaksByNamespace.set(
      namespace,
      list.filter((peak, index) => index === 0 || list[index - 1]!.start !== peak.start),
    );
  }

  const namespaces = [...labels.namespaces];
  const extra = [...new Set([...incidents.map((entry) => entry.incident.namespace), ...peaksByNamespace.keys()])]
    .filter((namespace) => !namespaces.includes(namespace))
    .sort();
  namespaces.push(...extra);
  const counts = new Map<string, Counts>(namespaces.map((namespace) => [namespace, { incidents: 0, detected: 0, events: 0, falseAlarms: 0, delays: [] }]));
  const countsOf = (namespace: string): Counts => counts.get(namespace)!;

  const misses: ValidationMiss[] = [];
  const detections: ValidationDetection[] = [];
  for (const { incident, startMs, endMs } of incidents) {
    const namespaceCounts = countsOf(incident.namespace);
    namespaceCounts.incidents += 1;
    const inside = (peaksByNamespace.get(incident.namespace) ?? []).filter((peak) => lies(peak.start, { startMs, endMs }, windowMs));
    const first = inside[0];
    if (first === undefined) {
      misses.push({ id: incident.id, namespace: incident.namespace, start: isoOf(startMs), end: isoOf(endMs), magnitude: incident.magnitude });
      continue;
    }
    const delayMinutes = (first.start - startMs) / MINUTE_MS;
    namespaceCounts.detected += 1;
    namespaceCounts.delays.push(delayMinutes);
    detections.push({ incidentId: incident.id, namespace: incident.namespace, delayMinutes, windows: inside.length });
  }

  const falseAlarms: { alarm: ValidationFalseAlarm; startMs: number }[] = [];
  for (const [namespace, list] of peaksByNamespace) {
    const namespaceIncidents = allIncidents.filter((entry) => entry.incident.namespace === namespace);
    const hits = (windows: number[], intervals: readonly (Interval & { namespace: string })[]) =>
      windows.some((window) => intervals.some((interval) => interval.namespace === namespace && lies(window, interval, windowMs)));
    for (const event of eventsOf(namespace, list, windowMs)) {
      const namespaceCounts = countsOf(namespace);
      namespaceCounts.events += 1;
      const matches = event.windows.some((window) => namespaceIncidents.some((entry) => lies(window, entry, windowMs)));
      if (matches) continue;
      namespaceCounts.falseAlarms += 1;
      const overlaps = hits(event.windows, scheduled) ? "scheduled" : hits(event.windows, belowMinimum) ? "below_minimum" : null;
      const startMs = event.windows[0]!;
      falseAlarms.push({ alarm: { namespace, start: isoOf(startMs), windows: event.windows.length, overlaps }, startMs });
    }
  }
  falseAlarms.sort((a, b) => a.startMs - b.startMs || a.alarm.namespace.localeCompare(b.alarm.namespace));

  const perNamespace: Record<string, Scores> = {};
  const total: Counts = { incidents: 0, detected: 0, events: 0, falseAlarms: 0, delays: [] };
  for (const namespace of namespaces) {
    const namespaceCounts = countsOf(namespace);
    perNamespace[namespace] = scoresOf(namespaceCounts);
    total.incidents += namespaceCounts.incidents;
    total.detected += namespaceCounts.detected;
    total.events += namespaceCounts.events;
    total.falseAlarms += namespaceCounts.falseAlarms;
    total.delays.push(...namespaceCounts.delays);
  }

  return {
    range: { fromMs, toMs: untilMs },
    total: scoresOf(total),
    perNamespace,
    misses,
    falseAlarms: falseAlarms.map((entry) => entry.alarm),
    detections,
  };
}

const fixed = (value: number | null, digits: number): string => (value === null ? "-" : value.toFixed(digits));

/** Human-readable report: a score table (one row per namespace and a total), then the misses and false alarms. */
export function formatValidationReport(report: ValidationReport): string {
  const header = ["namespace", "incidents", "detected", "missed", "false alarms", "precision", "recall", "F1", "mean delay (min)"];
  const row = (name: string, scores: Scores): string[] => [
    name,
    String(scores.incidents),
    String(scores.detected),
    String(scores.missed),
    String(scores.falseAlarms),
    fixed(scores.precision, 3),
    fixed(scores.recall, 3),
    fixed(scores.f1, 3),
    fixed(scores.meanDelayMinutes, 1),
  ];
  const rows = [header, ...Object.entries(report.perNamespace).map(([name, scores]) => row(name, scores)), row("TOTAL", report.total)];
  const widths = header.map((_, column) => Math.max(...rows.map((cells) => cells[column]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join("  ")
      .trimEnd();
  const rule = widths.map((width) => "-".repeat(width)).join("  ");
  const table = [line(header), rule, ...rows.slice(1, -1).map(line), rule, line(rows.at(-1)!)];

  const maxDelay = report.total.maxDelayMinutes === null ? "" : `, max delay ${fixed(report.total.maxDelayMinutes, 1)} min`;
  const lines = [
    `Validation ${isoOf(report.range.fromMs)} → ${isoOf(report.range.toMs)} (${report.total.events} detected events${maxDelay})`,
    "",
    ...table,
    "",
    `Misses (${report.misses.length}):`,
    ...(report.misses.length === 0
      ? ["  none"]
      : report.misses.map((miss) => `  MISS ${miss.id}  ${miss.namespace}  ${miss.start} → ${miss.end}  magnitude ${miss.magnitude}`)),
    "",
    `False alarms (${report.falseAlarms.length}):`,
    ...(report.falseAlarms.length === 0
      ? ["  none"]
      : report.falseAlarms.map(
          (alarm) =>
            `  FALSE ALARM ${alarm.namespace}  ${alarm.start}  ${alarm.windows} window${alarm.windows === 1 ? "" : "s"}` +
            (alarm.overlaps === null ? "" : `  (overlaps ${alarm.overlaps === "scheduled" ? "a scheduled spike" : "a below-minimum spike"})`),
        )),
  ];
  return `${lines.join("\n")}\n`;
}
