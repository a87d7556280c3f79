import { incidentKindOf, incidentKinds, namespaceKinds, reachesThresholdsOf, type IncidentKind, type Labels, type NamespaceKind } from "./labels";

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
 * - Per incident kind (labels without kinds: every incident is "incident"): the in-range incidents
 *   of each kind present, detected, recall, mean / max delay, and the recall over those whose
 *   labels say they reach the thresholds (`reaches_thresholds`, true when absent; null when none does).
 * - Per namespace kind (only when the labels have `namespace_kinds`): steady / noisy / newborn,
 *   the namespace counts summed over the namespaces of that kind (namespaces the labels do not
 *   classify are in no kind).
 * - Distractors: labelled scheduled / below-minimum spikes starting in range, and the false-alarm
 *   events that overlap them (as `overlaps` says).
 * - A level shift is an incident like any other: an event of its namespace whose windows all lie
 *   after its label's matching interval (after `end` + 1 window) matches nothing and is a false
 *   alarm, unless another incident's interval holds it; a plateau that began inside the label is
 *   one event and stays a true positive.
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

/** Recall and delays of the incidents of one kind. */
export type KindScores = {
  incidents: number;
  detected: number;
  recall: number | null;
  meanDelayMinutes: number | null;
  maxDelayMinutes: number | null;
  /** Incidents of the kind whose labels say they reach the thresholds, and how many of them were detected. */
  reaching: number;
  detectedReaching: number;
  /** detectedReaching / reaching; null when no incident of the kind reaches the thresholds. */
  recallReaching: number | null;
};

/** The scores of every namespace of one kind together. */
export type NamespaceKindScores = Scores & { namespaces: number };

/** Labelled spikes that should not be flagged, and the detected (false-alarm) events on them. */
export type DistractorScores = { spikes: number; events: number };

export type ValidationReport = {
  range: { fromMs: number; toMs: number };
  total: Scores;
  perNamespace: Record<string, Scores>;
  /** Per incident kind present in range, in the order of incidentKinds. */
  perKind: Partial<Record<IncidentKind, KindScores>>;
  /** Per namespace kind; null when the labels do not classify namespaces. */
  perNamespaceKind: Record<NamespaceKind, NamespaceKindScores> | null;
  distractors: { scheduled: DistractorScores; belowMinimum: DistractorScores };
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
type KindCounts = { incidents: number; detected: number; delays: number[]; reaching: number; detectedReaching: number };

const emptyCounts = (): Counts => ({ incidents: 0, detected: 0, events: 0, falseAlarms: 0, delays: [] });

function addCounts(sum: Counts, counts: Counts): void {
  sum.incidents += counts.incidents;
  sum.detected += counts.detected;
  sum.events += counts.events;
  sum.falseAlarms += counts.falseAlarms;
  sum.delays.push(...counts.delays);
}

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

const lies = (windowStart: number, interval: Interval, windowMs: number): boolean => windowStart >= interval.startMs && windowStart < interval.endMs + windowMs;

const ratio = (numerator: number, denominator: number): number | null => (denominator > 0 ? numerator / denominator : null);

const meanOf = (values: readonly number[]): number | null => (values.length > 0 ? values.reduce((sum, value) => sum + value, 0) / values.length : null);
const maxOf = (values: readonly number[]): number | null => (values.length > 0 ? Math.max(...values) : null);

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
    meanDelayMinutes: meanOf(counts.delays),
    maxDelayMinutes: maxOf(counts.delays),
  };
}

function kindScoresOf(counts: KindCounts): KindScores {
  return {
    incidents: counts.incidents,
    detected: counts.detected,
    recall: ratio(counts.detected, counts.incidents),
    meanDelayMinutes: meanOf(counts.delays),
    maxDelayMinutes: maxOf(counts.delays),
    reaching: counts.reaching,
    detectedReaching: counts.detectedReaching,
    recallReaching: ratio(counts.detectedReaching, counts.reaching),
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
  const kindCounts = new Map<IncidentKind, KindCounts>();
  for (const { incident, startMs, endMs } of incidents) {
    const namespaceCounts = countsOf(incident.namespace);
    namespaceCounts.incidents += 1;
    const kind = incidentKindOf(incident);
    const reaches = reachesThresholdsOf(incident);
    const ofKind = kindCounts.get(kind) ?? { incidents: 0, detected: 0, delays: [], reaching: 0, detectedReaching: 0 };
    kindCounts.set(kind, ofKind);
    ofKind.incidents += 1;
    if (reaches) ofKind.reaching += 1;
    const inside = (peaksByNamespace.get(incident.namespace) ?? []).filter((peak) => lies(peak.start, { startMs, endMs }, windowMs));
    const first = inside[0];
    if (first === undefined) {
      misses.push({ id: incident.id, namespace: incident.namespace, start: isoOf(startMs), end: isoOf(endMs), magnitude: incident.magnitude });
      continue;
    }
    const delayMinutes = (first.start - startMs) / MINUTE_MS;
    namespaceCounts.detected += 1;
    namespaceCounts.delays.push(delayMinutes);
    ofKind.detected += 1;
    ofKind.delays.push(delayMinutes);
    if (reaches) ofKind.detectedReaching += 1;
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
  const total = emptyCounts();
  for (const namespace of namespaces) {
    const namespaceCounts = countsOf(namespace);
    perNamespace[namespace] = scoresOf(namespaceCounts);
    addCounts(total, namespaceCounts);
  }

  const perKind: Partial<Record<IncidentKind, KindScores>> = {};
  for (const kind of incidentKinds) {
    const ofKind = kindCounts.get(kind);
    if (ofKind) perKind[kind] = kindScoresOf(ofKind);
  }

  let perNamespaceKind: Record<NamespaceKind, NamespaceKindScores> | null = null;
  const kindOfNamespace = labels.namespace_kinds;
  if (kindOfNamespace !== undefined) {
    const byKind = new Map<NamespaceKind, { counts: Counts; namespaces: number }>(
      namespaceKinds.map((kind) => [kind, { counts: emptyCounts(), namespaces: 0 }]),
    );
    for (const namespace of namespaces) {
      const kind = kindOfNamespace[namespace];
      if (kind === undefined) continue;
      const entry = byKind.get(kind)!;
      entry.namespaces += 1;
      addCounts(entry.counts, countsOf(namespace));
    }
    const scores = (kind: NamespaceKind): NamespaceKindScores => ({ ...scoresOf(byKind.get(kind)!.counts), namespaces: byKind.get(kind)!.namespaces });
    perNamespaceKind = { steady: scores("steady"), noisy: scores("noisy"), newborn: scores("newborn") };
  }

  const startsInRange = (list: readonly { startMs: number }[]) => list.filter((spike) => inRange(spike.startMs)).length;
  const alarmsOn = (overlap: ValidationFalseAlarm["overlaps"]) => falseAlarms.filter((entry) => entry.alarm.overlaps === overlap).length;
  const distractors = {
    scheduled: { spikes: startsInRange(scheduled), events: alarmsOn("scheduled") },
    belowMinimum: { spikes: startsInRange(belowMinimum), events: alarmsOn("below_minimum") },
  };

  return {
    range: { fromMs, toMs: untilMs },
    total: scoresOf(total),
    perNamespace,
    perKind,
    perNamespaceKind,
    distractors,
    misses,
    falseAlarms: falseAlarms.map((entry) => entry.alarm),
    detections,
  };
}

const fixed = (value: number | null, digits: number): string => (value === null ? "-" : value.toFixed(digits));

/**
 * A text table: the first column left-aligned, the others right-aligned, a rule under the
 * header; with `total`, a rule and that row at the end.
 */
function textTable(header: readonly string[], rows: readonly string[][], total?: string[]): string[] {
  const all = [header, ...rows, ...(total ? [total] : [])];
  const widths = header.map((_, column) => Math.max(...all.map((cells) => (cells[column] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join("  ")
      .trimEnd();
  const rule = widths.map((width) => "-".repeat(width)).join("  ");
  return [line(header), rule, ...rows.map(line), ...(total ? [rule, line(total)] : [])];
}

/**
 * Human-readable report: a score table (one row per namespace and a total), the table per
 * incident kind, the one per namespace kind (when the labels classify namespaces), the
 * distractor line, then the misses and false alarms.
 */
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
  const table = textTable(
    header,
    Object.entries(report.perNamespace).map(([name, scores]) => row(name, scores)),
    row("TOTAL", report.total),
  );

  const kinds = Object.entries(report.perKind);
  const kindTable =
    kinds.length === 0
      ? ["  none"]
      : textTable(
          ["kind", "incidents", "detected", "recall", "recall (reaching)", "mean delay (min)", "max delay (min)"],
          kinds.map(([kind, scores]) => [
            kind,
            String(scores.incidents),
            String(scores.detected),
            fixed(scores.recall, 3),
            fixed(scores.recallReaching, 3),
            fixed(scores.meanDelayMinutes, 1),
            fixed(scores.maxDelayMinutes, 1),
          ]),
        );
  const namespaceKindTable =
    report.perNamespaceKind === null
      ? []
      : [
          "",
          "By namespace kind:",
          ...textTable(
            ["namespace kind", "namespaces", "events", "false alarms", "precision"],
            Object.entries(report.perNamespaceKind).map(([kind, scores]) => [
              kind,
              String(scores.namespaces),
              String(scores.events),
              String(scores.falseAlarms),
              fixed(scores.precision, 3),
            ]),
          ),
        ];
  const { scheduled, belowMinimum } = report.distractors;
  const distractorLine =
    `Distractors: ${scheduled.events} detected event${scheduled.events === 1 ? "" : "s"} on scheduled spikes (${scheduled.spikes} labelled), ` +
    `${belowMinimum.events} on below-minimum spikes (${belowMinimum.spikes} labelled)`;

  const maxDelay = report.total.maxDelayMinutes === null ? "" : `, max delay ${fixed(report.total.maxDelayMinutes, 1)} min`;
  const lines = [
    `Validation ${isoOf(report.range.fromMs)} → ${isoOf(report.range.toMs)} (${report.total.events} detected events${maxDelay})`,
    "",
    ...table,
    "",
    "By incident kind (recall (reaching): over the incidents that reach the thresholds):",
    ...kindTable,
    ...namespaceKindTable,
    "",
    distractorLine,
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
