import { describe, expect, it } from "vitest";
import { labelsSchema, type IncidentKind, type Labels, type NamespaceKind } from "./labels";
import { formatValidationReport, validateDetection, type DetectedPeak, type KindScores, type Scores } from "./validate";

const WINDOW = 15 * 60_000;
const at = (iso: string) => new Date(iso).getTime();
// Monday 5 January 2026, 00:00 UTC.
const DAY_START = at("2026-01-05T00:00:00Z");
/** Start of window `index` of the day (15-minute windows). */
const w = (index: number) => DAY_START + index * WINDOW;
const iso = (ms: number) => new Date(ms).toISOString();
const options = { windowMinutes: 15 };

type IncidentInput = {
  id: string;
  namespace: string;
  from: number;
  to: number;
  magnitude?: number;
  /** Written to the labels only when given (labels of a data set with test cases). */
  kind?: IncidentKind;
  reaches?: boolean;
  acceptedFrom?: number;
};
type SpikeInput = { namespace: string; from: number; to: number };

/** A labels.json for one day, checked against labelsSchema. Windows are given as indices of the day. */
function labels(
  namespaces: string[],
  incidents: IncidentInput[] = [],
  extra: { scheduled?: SpikeInput[]; belowMinimum?: SpikeInput[]; namespaceKinds?: Record<string, NamespaceKind> } = {},
): Labels {
  return labelsSchema.parse({
    timezone: "UTC",
    window_minutes: 15,
    from: iso(w(0)),
    to: iso(w(96)),
    seed: 42,
    namespaces,
    ...(extra.namespaceKinds ? { namespace_kinds: extra.namespaceKinds } : {}),
    incidents: incidents.map((incident) => ({
      id: incident.id,
      namespace: incident.namespace,
      start: iso(w(incident.from)),
      end: iso(w(incident.to)),
      magnitude: incident.magnitude ?? 8,
      root_cause: "db-timeout: connection to postgres timed out",
      app: "api",
      ...(incident.kind === undefined ? {} : { kind: incident.kind }),
      ...(incident.reaches === undefined ? {} : { reaches_thresholds: incident.reaches }),
      ...(incident.acceptedFrom === undefined ? {} : { accepted_from: iso(w(incident.acceptedFrom)) }),
    })),
    scheduled: (extra.scheduled ?? []).map((spike) => ({
      namespace: spike.namespace,
      start: iso(w(spike.from)),
      end: iso(w(spike.to)),
      description: "nightly batch",
    })),
    below_minimum: (extra.belowMinimum ?? []).map((spike) => ({ namespace: spike.namespace, start: iso(w(spike.from)), end: iso(w(spike.to)) })),
  });
}

/** A chain of consecutive peak windows [from, to) as detectNamespace reports it: the first has plateauStart null. */
function chain(namespace: string, from: number, to: number): DetectedPeak[] {
  const peaks: DetectedPeak[] = [];
  for (let index = from; index < to; index += 1) peaks.push({ namespace, start: w(index), plateauStart: index === from ? null : w(from) });
  return peaks;
}

const zeros: Scores = {
  incidents: 0,
  detected: 0,
  missed: 0,
  events: 0,
  falseAlarms: 0,
  precision: null,
  recall: null,
  f1: null,
  meanDelayMinutes: null,
  maxDelayMinutes: null,
};

describe("validateDetection", () => {
  it("scores perfect detection as precision = recall = F1 = 1 with delay 0", () => {
    const report = validateDetection(labels(["shop"], [{ id: "inc-1", namespace: "shop", from: 40, to: 44 }]), chain("shop", 40, 44), options);
    expect(report.total).toEqual({
      incidents: 1,
      detected: 1,
      missed: 0,
      events: 1,
      falseAlarms: 0,
      precision: 1,
      recall: 1,
      f1: 1,
      meanDelayMinutes: 0,
      maxDelayMinutes: 0,
    });
    expect(report.detections).toEqual([{ incidentId: "inc-1", namespace: "shop", delayMinutes: 0, windows: 4 }]);
    expect(report.misses).toEqual([]);
    expect(report.falseAlarms).toEqual([]);
  });

  it("reports an incident without a peak window as a miss", () => {
    const report = validateDetection(labels(["shop"], [{ id: "inc-1", namespace: "shop", from: 40, to: 44, magnitude: 6 }]), [], options);
    expect(report.misses).toEqual([{ id: "inc-1", namespace: "shop", start: iso(w(40)), end: iso(w(44)), magnitude: 6 }]);
    expect(report.total).toMatchObject({ incidents: 1, detected: 0, missed: 1, falseAlarms: 0, precision: null, recall: 0, f1: null });
    expect(report.detections).toEqual([]);
  });

  it("does not detect an incident from a peak just before it, and accepts one trailing window after its end", () => {
    const set = labels(["shop"], [{ id: "inc-1", namespace: "shop", from: 40, to: 44 }]);
    const before = validateDetection(set, [{ namespace: "shop", start: w(39), plateauStart: null }], options);
    expect(before.total).toMatchObject({ detected: 0, missed: 1, falseAlarms: 1 });
    const trailing = validateDetection(set, [{ namespace: "shop", start: w(44), plateauStart: null }], options);
    expect(trailing.total).toMatchObject({ detected: 1, falseAlarms: 0, meanDelayMinutes: 60 });
    const late = validateDetection(set, [{ namespace: "shop", start: w(45), plateauStart: null }], options);
    expect(late.total).toMatchObject({ detected: 0, falseAlarms: 1 });
  });

  it("reports a false alarm on a labelled scheduled spike with overlaps 'scheduled'", () => {
    const set = labels(["shop"], [], { scheduled: [{ namespace: "shop", from: 8, to: 10 }], belowMinimum: [{ namespace: "shop", from: 60, to: 61 }] });
    const report = validateDetection(
      set,
      [...chain("shop", 8, 10), { namespace: "shop", start: w(60), plateauStart: null }, { namespace: "shop", start: w(80), plateauStart: null }],
      options,
    );
    expect(report.falseAlarms).toEqual([
      { namespace: "shop", start: iso(w(8)), windows: 2, overlaps: "scheduled" },
      { namespace: "shop", start: iso(w(60)), windows: 1, overlaps: "below_minimum" },
      { namespace: "shop", start: iso(w(80)), windows: 1, overlaps: null },
    ]);
    expect(report.total).toMatchObject({ events: 3, falseAlarms: 3, precision: 0, recall: null, f1: null });
  });

  it("counts a long plateau as one event: one true positive, no false alarms from its later windows", () => {
    // The incident lasts 4 windows; the plateau goes on for 20 windows, well past the incident's end.
    const report = validateDetection(labels(["shop"], [{ id: "inc-1", namespace: "shop", from: 40, to: 44 }]), chain("shop", 40, 60), options);
    expect(report.total).toMatchObject({ events: 1, falseAlarms: 0, precision: 1, recall: 1, f1: 1 });
    expect(report.falseAlarms).toEqual([]);
  });

  it("joins windows one quiet window apart or linked by plateauStart into one event, and splits at a larger gap", () => {
    const peaks: DetectedPeak[] = [
      { namespace: "shop", start: w(10), plateauStart: null },
      { namespace: "shop", start: w(12), plateauStart: null }, // one quiet window after the first: same event
      { namespace: "shop", start: w(20), plateauStart: null },
      { namespace: "shop", start: w(23), plateauStart: w(20) }, // two quiet windows, but linked by its plateau
      { namespace: "shop", start: w(30), plateauStart: null }, // two quiet windows, no link: a new event
    ];
    const report = validateDetection(labels(["shop"]), peaks, options);
    expect(report.falseAlarms.map((alarm) => [alarm.start, alarm.windows])).toEqual([
      [iso(w(10)), 2],
      [iso(w(20)), 2],
      [iso(w(30)), 1],
    ]);
  });

  it("gives delay 30 minutes for a detection in the incident's 3rd window", () => {
    const report = validateDetection(labels(["shop"], [{ id: "inc-1", namespace: "shop", from: 40, to: 46 }]), chain("shop", 42, 46), options);
    expect(report.detections).toEqual([{ incidentId: "inc-1", namespace: "shop", delayMinutes: 30, windows: 4 }]);
    expect(report.total.meanDelayMinutes).toBe(30);
    expect(report.total.maxDelayMinutes).toBe(30);
  });

  it("scores two incidents in different namespaces per namespace and aggregates the total", () => {
    const set = labels(
      ["shop", "billing", "search"],
      [
        { id: "inc-shop", namespace: "shop", from: 40, to: 44 },
        { id: "inc-billing", namespace: "billing", from: 50, to: 56 },
      ],
    );
    const peaks = [...chain("shop", 41, 43), ...chain("billing", 70, 72)];
    const report = validateDetection(set, peaks, options);
    expect(Object.keys(report.perNamespace)).toEqual(["shop", "billing", "search"]);
    expect(report.perNamespace.shop).toEqual({
      incidents: 1,
      detected: 1,
      missed: 0,
      events: 1,
      falseAlarms: 0,
      precision: 1,
      recall: 1,
      f1: 1,
      meanDelayMinutes: 15,
      maxDelayMinutes: 15,
    });
    expect(report.perNamespace.billing).toEqual({
      incidents: 1,
      detected: 0,
      missed: 1,
      events: 1,
      falseAlarms: 1,
      precision: 0,
      recall: 0,
      f1: 0,
      meanDelayMinutes: null,
      maxDelayMinutes: null,
    });
    expect(report.perNamespace.search).toEqual(zeros);
    expect(report.total).toEqual({
      incidents: 2,
      detected: 1,
      missed: 1,
      events: 2,
      falseAlarms: 1,
      precision: 0.5,
      recall: 0.5,
      f1: 0.5,
      meanDelayMinutes: 15,
      maxDelayMinutes: 15,
    });
    expect(report.misses.map((miss) => miss.id)).toEqual(["inc-billing"]);
  });

  it("computes F1 as the harmonic mean of unequal precision and recall", () => {
    const set = labels(
      ["shop"],
      [
        { id: "inc-1", namespace: "shop", from: 10, to: 12 },
        { id: "inc-2", namespace: "shop", from: 30, to: 32 },
        { id: "inc-3", namespace: "shop", from: 50, to: 52 },
      ],
    );
    // Detects inc-1 only, plus one false alarm: precision 1/2, recall 1/3, F1 = 2·(1/6)/(5/6) = 0.4.
    const report = validateDetection(set, [...chain("shop", 10, 11), ...chain("shop", 80, 81)], options);
    expect(report.total.precision).toBe(0.5);
    expect(report.total.recall).toBeCloseTo(1 / 3, 12);
    expect(report.total.f1).toBeCloseTo(0.4, 12);
  });

  it("returns nulls, not NaN, with no incidents and no peaks", () => {
    const report = validateDetection(labels(["shop", "billing"]), [], options);
    expect(report.total).toEqual(zeros);
    expect(report.perNamespace).toEqual({ shop: zeros, billing: zeros });
    expect(JSON.stringify(report)).not.toContain("NaN");
    expect(formatValidationReport(report)).not.toContain("NaN");
  });

  it("counts only incidents starting in and peaks inside the [from, to) range", () => {
    const set = labels(
      ["shop"],
      [
        { id: "inc-early", namespace: "shop", from: 4, to: 8 },
        { id: "inc-inside", namespace: "shop", from: 40, to: 44 },
        { id: "inc-late", namespace: "shop", from: 80, to: 84 },
      ],
    );
    const peaks = [...chain("shop", 20, 21), ...chain("shop", 40, 42), ...chain("shop", 60, 61), ...chain("shop", 80, 82)];
    const report = validateDetection(set, peaks, { ...options, fromMs: w(32), toMs: w(64) });
    expect(report.range).toEqual({ fromMs: w(32), toMs: w(64) });
    expect(report.total).toMatchObject({ incidents: 1, detected: 1, missed: 0, events: 2, falseAlarms: 1 });
    expect(report.misses).toEqual([]);
    expect(report.falseAlarms.map((alarm) => alarm.start)).toEqual([iso(w(60))]);
    // Without options the range is the labels' own from / to: everything counts.
    const whole = validateDetection(set, peaks, options);
    expect(whole.range).toEqual({ fromMs: w(0), toMs: w(96) });
    expect(whole.total).toMatchObject({ incidents: 3, detected: 2, missed: 1, events: 4, falseAlarms: 2 });
  });

  it("treats the range as half-open: an incident or peak starting exactly at `to` is out, one at `from` is in", () => {
    const set = labels(
      ["shop"],
      [
        { id: "inc-at-from", namespace: "shop", from: 32, to: 34 },
        { id: "inc-at-to", namespace: "shop", from: 64, to: 66 },
      ],
    );
    const report = validateDetection(set, [...chain("shop", 32, 33), ...chain("shop", 64, 65)], { ...options, fromMs: w(32), toMs: w(64) });
    expect(report.total).toMatchObject({ incidents: 1, detected: 1, events: 1, falseAlarms: 0 });
  });

  it("does not count peaks continuing an incident that started before the range as false alarms", () => {
    const set = labels(["shop"], [{ id: "inc-1", namespace: "shop", from: 30, to: 40 }]);
    const report = validateDetection(set, chain("shop", 30, 40), { ...options, fromMs: w(36) });
    expect(report.total).toMatchObject({ incidents: 0, events: 1, falseAlarms: 0, precision: 1, recall: null });
  });

  it("counts peaks in a namespace missing from the labels as false alarms", () => {
    const report = validateDetection(labels(["shop"]), chain("ghost", 10, 13), options);
    expect(Object.keys(report.perNamespace)).toEqual(["shop", "ghost"]);
    expect(report.perNamespace.ghost).toMatchObject({ incidents: 0, events: 1, falseAlarms: 1, precision: 0 });
    expect(report.falseAlarms).toEqual([{ namespace: "ghost", start: iso(w(10)), windows: 3, overlaps: null }]);
    expect(report.total).toMatchObject({ falseAlarms: 1, precision: 0 });
  });

  it("ignores duplicate peak windows", () => {
    const peaks = [...chain("shop", 40, 42), ...chain("shop", 40, 42)];
    const report = validateDetection(labels(["shop"], [{ id: "inc-1", namespace: "shop", from: 40, to: 44 }]), peaks, options);
    expect(report.detections).toEqual([{ incidentId: "inc-1", namespace: "shop", delayMinutes: 0, windows: 2 }]);
    expect(report.total.events).toBe(1);
  });

  it("rejects a non-positive window length and an inverted range", () => {
    expect(() => validateDetection(labels(["shop"]), [], { windowMinutes: 0 })).toThrow(RangeError);
    expect(() => validateDetection(labels(["shop"]), [], { ...options, fromMs: w(10), toMs: w(5) })).toThrow(RangeError);
  });
});

describe("validateDetection per case kind", () => {
  // A data set with test cases: steady shop and billing, noisy batch, newborn signup.
  const namespaceKinds: Record<string, NamespaceKind> = { shop: "steady", billing: "steady", batch: "noisy", signup: "newborn" };
  const caseLabels = labels(
    ["shop", "billing", "batch", "signup"],
    [
      { id: "inc-1", namespace: "shop", from: 4, to: 8, kind: "incident", reaches: true },
      { id: "inc-2", namespace: "shop", from: 20, to: 22, kind: "moderate", reaches: true },
      { id: "inc-3", namespace: "billing", from: 20, to: 22, kind: "moderate", reaches: false },
      { id: "inc-4", namespace: "shop", from: 40, to: 42, kind: "moderate", reaches: true },
      { id: "inc-5", namespace: "batch", from: 30, to: 34, kind: "noisy", reaches: true },
      { id: "inc-6", namespace: "signup", from: 50, to: 52, kind: "newborn", reaches: false },
      { id: "inc-7", namespace: "billing", from: 60, to: 76, kind: "level_shift", reaches: true, acceptedFrom: 60 },
    ],
    {
      namespaceKinds,
      scheduled: [
        { namespace: "batch", from: 12, to: 14 },
        { namespace: "batch", from: 88, to: 90 },
      ],
      belowMinimum: [{ namespace: "shop", from: 70, to: 71 }],
    },
  );
  const peaks: DetectedPeak[] = [
    ...chain("shop", 4, 6), // inc-1, delay 0
    ...chain("shop", 21, 22), // inc-2, delay 15
    ...chain("billing", 21, 23), // inc-3, delay 15 (not reaching the thresholds, flagged anyway)
    // inc-4 missed
    ...chain("batch", 33, 34), // inc-5, delay 45
    ...chain("batch", 12, 14), // on the scheduled spike: a false alarm
    ...chain("batch", 80, 81), // natural noise: a false alarm
    ...chain("signup", 52, 53), // one window after the newborn incident: still detected, delay 30
    ...chain("billing", 62, 80), // the level shift, flagged from its 3rd window on, a plateau beyond its end
    ...chain("shop", 70, 71), // on the below-minimum spike
  ];
  const report = validateDetection(caseLabels, peaks, options);

  it("scores each kind: incidents, detected, recall, mean and max delay, recall over those reaching the thresholds", () => {
    expect(Object.keys(report.perKind)).toEqual(["incident", "moderate", "newborn", "level_shift", "noisy"]);
    expect(report.perKind.incident).toEqual<KindScores>({
      incidents: 1,
      detected: 1,
      recall: 1,
      meanDelayMinutes: 0,
      maxDelayMinutes: 0,
      reaching: 1,
      detectedReaching: 1,
      recallReaching: 1,
    });
    // inc-2 and inc-3 detected 15 minutes late, inc-4 missed; inc-3 does not reach the thresholds.
    expect(report.perKind.moderate).toEqual<KindScores>({
      incidents: 3,
      detected: 2,
      recall: 2 / 3,
      meanDelayMinutes: 15,
      maxDelayMinutes: 15,
      reaching: 2,
      detectedReaching: 1,
      recallReaching: 0.5,
    });
    expect(report.perKind.noisy).toMatchObject({ incidents: 1, detected: 1, meanDelayMinutes: 45, maxDelayMinutes: 45 });
    // No newborn incident reaches the thresholds: no recall over them.
    expect(report.perKind.newborn).toMatchObject({ incidents: 1, detected: 1, meanDelayMinutes: 30, reaching: 0, recallReaching: null });
    expect(report.perKind.level_shift).toMatchObject({ incidents: 1, detected: 1, meanDelayMinutes: 30 });
    expect(report.perKind.repeat).toBeUndefined();
    // The kinds add up to the total.
    const kinds = Object.values(report.perKind);
    expect(kinds.reduce((sum, scores) => sum + scores.incidents, 0)).toBe(report.total.incidents);
    expect(kinds.reduce((sum, scores) => sum + scores.detected, 0)).toBe(report.total.detected);
  });

  it("scores precision per namespace kind", () => {
    expect(report.perNamespaceKind).not.toBeNull();
    // steady: shop 3 events (inc-1, inc-2, the below-minimum blip) + billing 2 (inc-3, the level shift's plateau).
    expect(report.perNamespaceKind!.steady).toMatchObject({ namespaces: 2, events: 5, falseAlarms: 1, precision: 0.8, incidents: 5, detected: 4 });
    expect(report.perNamespaceKind!.noisy).toMatchObject({ namespaces: 1, events: 3, falseAlarms: 2, precision: 1 / 3 });
    expect(report.perNamespaceKind!.newborn).toMatchObject({ namespaces: 1, events: 1, falseAlarms: 0, precision: 1 });
  });

  it("counts the detected events on labelled distractors", () => {
    expect(report.distractors).toEqual({ scheduled: { spikes: 2, events: 1 }, belowMinimum: { spikes: 1, events: 1 } });
    // The same as the false alarms' overlaps.
    expect(report.falseAlarms.map((alarm) => alarm.overlaps)).toEqual(["scheduled", "below_minimum", null]);
  });

  it("counts events of a level-shift namespace that start after the label's end (and its trailing window) as false alarms", () => {
    // The shift is labelled over windows 60–75 (end: window 76); window 76 is its trailing window.
    const shift = labels(["billing"], [{ id: "shift", namespace: "billing", from: 60, to: 76, kind: "level_shift", acceptedFrom: 60 }], {
      namespaceKinds: { billing: "steady" },
    });
    const trailing = validateDetection(shift, chain("billing", 76, 77), options);
    expect(trailing.total).toMatchObject({ detected: 1, events: 1, falseAlarms: 0 });
    const after = validateDetection(shift, [...chain("billing", 60, 62), ...chain("billing", 77, 79), ...chain("billing", 90, 91)], options);
    expect(after.total).toMatchObject({ detected: 1, events: 3, falseAlarms: 2, precision: 1 / 3 });
    expect(after.falseAlarms.map((alarm) => [alarm.start, alarm.windows])).toEqual([
      [iso(w(77)), 2],
      [iso(w(90)), 1],
    ]);
    expect(after.perKind.level_shift).toMatchObject({ incidents: 1, detected: 1, meanDelayMinutes: 0 });
  });

  it("treats labels without kinds as ordinary incidents that reach the thresholds, without namespace kinds", () => {
    const old = labels(
      ["shop"],
      [
        { id: "inc-1", namespace: "shop", from: 40, to: 44 },
        { id: "inc-2", namespace: "shop", from: 60, to: 62 },
      ],
    );
    expect(old.incidents[0]).not.toHaveProperty("kind");
    const result = validateDetection(old, chain("shop", 41, 43), options);
    expect(result.perKind).toEqual({
      incident: { incidents: 2, detected: 1, recall: 0.5, meanDelayMinutes: 15, maxDelayMinutes: 15, reaching: 2, detectedReaching: 1, recallReaching: 0.5 },
    });
    expect(result.perNamespaceKind).toBeNull();
    expect(result.distractors).toEqual({ scheduled: { spikes: 0, events: 0 }, belowMinimum: { spikes: 0, events: 0 } });
  });

  it("counts only incidents and spikes that start in range per kind and as distractors", () => {
    const inRange = validateDetection(caseLabels, peaks, { ...options, fromMs: w(25), toMs: w(96) });
    expect(Object.keys(inRange.perKind)).toEqual(["moderate", "newborn", "level_shift", "noisy"]);
    expect(inRange.perKind.moderate).toMatchObject({ incidents: 1, detected: 0, recall: 0, meanDelayMinutes: null, recallReaching: 0 });
    expect(inRange.distractors).toEqual({ scheduled: { spikes: 1, events: 0 }, belowMinimum: { spikes: 1, events: 1 } });
  });

  it("prints the per-kind table, the namespace-kind table and the distractor line", () => {
    const text = formatValidationReport(report);
    expect(text).toMatch(/^kind\s+incidents\s+detected\s+recall\s+recall \(reaching\)\s+mean delay \(min\)\s+max delay \(min\)$/m);
    expect(text).toMatch(/^moderate\s+3\s+2\s+0\.667\s+0\.500\s+15\.0\s+15\.0$/m);
    expect(text).toMatch(/^newborn\s+1\s+1\s+1\.000\s+-\s+30\.0\s+30\.0$/m);
    expect(text).toMatch(/^namespace kind\s+namespaces\s+events\s+false alarms\s+precision$/m);
    expect(text).toMatch(/^steady\s+2\s+5\s+1\s+0\.800$/m);
    expect(text).toMatch(/^noisy\s+1\s+3\s+2\s+0\.333$/m);
    expect(text).toContain("Distractors: 1 detected event on scheduled spikes (2 labelled), 1 on below-minimum spikes (1 labelled)");
    // The kind tables come between the score table and the misses.
    expect(text.indexOf("TOTAL")).toBeLessThan(text.indexOf("By incident kind"));
    expect(text.indexOf("Distractors:")).toBeLessThan(text.indexOf("Misses ("));
  });

  it("prints one kind and no namespace-kind table for labels without kinds", () => {
    const text = formatValidationReport(
      validateDetection(labels(["shop"], [{ id: "inc-1", namespace: "shop", from: 40, to: 44 }]), chain("shop", 40, 42), options),
    );
    expect(text).toMatch(/^incident\s+1\s+1\s+1\.000\s+1\.000\s+0\.0\s+0\.0$/m);
    expect(text).not.toContain("By namespace kind");
    expect(text).toContain("Distractors: 0 detected events on scheduled spikes (0 labelled), 0 on below-minimum spikes (0 labelled)");
  });
});

describe("formatValidationReport", () => {
  it("shows the namespaces, the score columns, the misses and the false alarms", () => {
    const set = labels(
      ["shop", "billing"],
      [
        { id: "inc-shop", namespace: "shop", from: 40, to: 44 },
        { id: "inc-billing", namespace: "billing", from: 50, to: 56, magnitude: 12 },
      ],
      { scheduled: [{ namespace: "billing", from: 8, to: 10 }] },
    );
    const text = formatValidationReport(validateDetection(set, [...chain("shop", 40, 42), ...chain("billing", 8, 10)], options));
    expect(text).toContain("shop");
    expect(text).toContain("billing");
    expect(text).toContain("TOTAL");
    expect(text).toMatch(/precision\s+recall\s+F1/);
    expect(text).toContain("Misses (1):");
    expect(text).toContain(`MISS inc-billing  billing  ${iso(w(50))} → ${iso(w(56))}  magnitude 12`);
    expect(text).toContain("False alarms (1):");
    expect(text).toContain(`FALSE ALARM billing  ${iso(w(8))}  2 windows  (overlaps a scheduled spike)`);
    // shop: precision 1, recall 1, F1 1, delay 0.
    expect(text).toMatch(/^shop\s+1\s+1\s+0\s+0\s+1\.000\s+1\.000\s+1\.000\s+0\.0$/m);
  });

  it("writes 'none' for empty lists and '-' for undefined scores", () => {
    const text = formatValidationReport(validateDetection(labels(["shop"]), [], options));
    expect(text).toMatch(/^shop\s+0\s+0\s+0\s+0\s+-\s+-\s+-\s+-$/m);
    expect(text).toContain("Misses (0):\n  none");
    expect(text).toContain("False alarms (0):\n  none");
  });
});
