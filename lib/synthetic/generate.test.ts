import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import {
  addDays,
  CASES_MIN_DAYS,
  compileTemplate,
  DEFAULT_NAMESPACE_COUNT,
  generateDay,
  generateDays,
  generateDayWindows,
  isIsoDate,
  labelsOf,
  LEARNING_DAYS,
  planDataSet,
  serializeDocument,
  templatePattern,
  usualRate,
  versionAt,
  type DataSetPlan,
  type GeneratedDocument,
  type GenerateOptions,
  releaseIncidentId,
  firstReleaseIncidentId,
} from "./generate";
import { incidentKinds, labelsSchema } from "./labels";
import {
  analyzeVersions,
  countErrorsByVersion,
  DEFAULT_VERSION_SETTINGS,
  mergeVersionSightings,
  sightVersions,
  sumVersionCounts,
} from "@/lib/pipeline/versions";

const HOUR_MS = 3_600_000;
const WINDOW_MS = 15 * 60_000;

// A small data set (low rate, 11 days) keeps the tests fast: its incidents fall in the last
// third (days 7–10), it contains the spring DST change (2026-03-29, day 6), and every
// incident has the same local time a week earlier in the data.
const smallOptions: GenerateOptions = { seed: 7, from: "2026-03-23", days: 11, timeZone: "Europe/Prague", windowMinutes: 15, rate: 0.3 };
const small = planDataSet(smallOptions);
const dayCache = new WeakMap<DataSetPlan, Map<string, GeneratedDocument[]>>();
const countCache = new WeakMap<DataSetPlan, Map<string, Map<string, number>>>();
function cached<Value>(cache: WeakMap<DataSetPlan, Map<string, Value>>, plan: DataSetPlan, date: string, make: () => Value): Value {
  let byDate = cache.get(plan);
  if (!byDate) cache.set(plan, (byDate = new Map()));
  let value = byDate.get(date);
  if (value === undefined) byDate.set(date, (value = make()));
  return value;
}
function day(date: string, plan: DataSetPlan = small): GeneratedDocument[] {
  return cached(dayCache, plan, date, () => generateDay(plan, date));
}
function allSmallDocuments(): GeneratedDocument[] {
  return small.days.flatMap((date) => day(date));
}

/** ERROR documents per namespace and window start. */
function errorCounts(documents: readonly GeneratedDocument[], plan: DataSetPlan = small): Map<string, number> {
  const counts = new Map<string, number>();
  for (const document of documents) {
    if (document.level !== "ERROR") continue;
    const key = `${document.namespace}|${plan.grid.windowStartOf(document.timestamp)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function countAt(plan: DataSetPlan, namespace: string, windowStart: number): number {
  const date = plan.grid.localDateOf(windowStart);
  return cached(countCache, plan, date, () => errorCounts(day(date, plan), plan)).get(`${namespace}|${windowStart}`) ?? 0;
}

const iso = (ms: number) => new Date(ms).toISOString();

describe("planDataSet and labels", () => {
  it("produces labels that validate against labelsSchema", () => {
    const labels = labelsOf(small);
    expect(labelsSchema.safeParse(labels).success).toBe(true);
    expect(labels.timezone).toBe("Europe/Prague");
    expect(labels.window_minutes).toBe(15);
    expect(labels.seed).toBe(7);
    expect(labels.from).toBe("2026-03-22T23:00:00.000Z");
    // The last day, 2 April, is in summer time.
    expect(labels.to).toBe("2026-04-02T22:00:00.000Z");
  });

  it("gives identical labels for the same seed", () => {
    expect(JSON.stringify(labelsOf(planDataSet(smallOptions)))).toBe(JSON.stringify(labelsOf(small)));
  });

  it("gives different labels for a different seed", () => {
    const other = labelsOf(planDataSet({ ...smallOptions, seed: 8 }));
    expect(other.incidents.map((incident) => incident.start)).not.toEqual(labelsOf(small).incidents.map((incident) => incident.start));
  });

  it("has six namespaces by default, each with its own rate", () => {
    const plan = planDataSet({ ...smallOptions, rate: 1 });
    expect(plan.namespaces.map((namespace) => namespace.name)).toEqual(["payments", "orders", "checkout", "identity", "search", "notifications"]);
    expect(plan.namespaces).toHaveLength(DEFAULT_NAMESPACE_COUNT);
    const rates = plan.namespaces.map((namespace) => namespace.baseRate);
    expect(new Set(rates).size).toBe(6);
    expect(Math.min(...rates)).toBeLessThan(10);
    expect(Math.max(...rates)).toBeGreaterThanOrEqual(50);
    expect(plan.namespaces.filter((namespace) => namespace.shape !== null).length).toBeGreaterThanOrEqual(2);
  });

  it("generates distinct names and apps for more namespaces", () => {
    const plan = planDataSet({ ...smallOptions, namespaces: 21 });
    const names = plan.namespaces.map((namespace) => namespace.name);
    expect(new Set(names).size).toBe(21);
    expect(names.slice(6, 8)).toEqual(["inventory", "shipping"]);
    expect(names[20]).toBe("service-21");
    expect(plan.namespaces[6]?.apps.map((app) => app.name)).toEqual(["inventory-api", "inventory-worker", "inventory-store"]);
    // Every namespace still gets an incident.
    expect(new Set(plan.incidents.map((incident) => incident.namespace)).size).toBe(21);
  });

  it("works with a single namespace", () => {
    const plan = planDataSet({ ...smallOptions, namespaces: 1 });
    const labels = labelsOf(plan);
    expect(labels.namespaces).toEqual(["payments"]);
    expect(labels.incidents.length).toBeGreaterThanOrEqual(1);
    expect(labels.scheduled).toHaveLength(11);
  });

  it("scales every rate with the rate multiplier", () => {
    const single = planDataSet({ ...smallOptions, rate: 1 });
    const double = planDataSet({ ...smallOptions, rate: 2 });
    const window = single.grid.localDayRange("2026-03-24").startMs + 10 * HOUR_MS;
    for (const namespace of single.namespaces) {
      expect(usualRate(double, namespace.name, window)).toBeCloseTo(2 * usualRate(single, namespace.name, window), 9);
    }
  });

  it("rejects invalid options with a RangeError", () => {
    expect(() => planDataSet({ ...smallOptions, days: 0 })).toThrow(RangeError);
    expect(() => planDataSet({ ...smallOptions, days: 1.5 })).toThrow(RangeError);
    expect(() => planDataSet({ ...smallOptions, from: "2026-02-30" })).toThrow(RangeError);
    expect(() => planDataSet({ ...smallOptions, rate: 0 })).toThrow(RangeError);
    expect(() => planDataSet({ ...smallOptions, namespaces: 0 })).toThrow(RangeError);
    expect(() => planDataSet({ ...smallOptions, timeZone: "Mars/Olympus" })).toThrow(RangeError);
  });
});

describe("incidents", () => {
  const long = planDataSet({ seed: 3, from: "2026-01-05", days: 60, timeZone: "Europe/Prague", windowMinutes: 15 });

  it("lie inside the range, aligned to windows, none in the 21 learning days (28 days or more)", () => {
    const learningEnd = long.grid.localDayRange(addDays("2026-01-05", LEARNING_DAYS)).startMs;
    expect(long.incidents.length).toBeGreaterThan(6);
    for (const incident of long.incidents) {
      expect(incident.start).toBeGreaterThanOrEqual(learningEnd);
      expect(incident.end).toBeLessThanOrEqual(long.toMs);
      expect(incident.end).toBeGreaterThan(incident.start);
      expect(long.grid.windowStartOf(incident.start)).toBe(incident.start);
      expect(long.grid.windowStartOf(incident.end)).toBe(incident.end);
    }
  });

  it("include at least one per namespace", () => {
    expect(new Set(long.incidents.map((incident) => incident.namespace))).toEqual(new Set(long.namespaces.map((namespace) => namespace.name)));
  });

  it("fall in the last third with fewer than 28 days", () => {
    const lastThird = small.grid.localDayRange("2026-03-30").startMs;
    expect(small.incidents.length).toBeGreaterThanOrEqual(6);
    for (const incident of small.incidents) {
      expect(incident.start).toBeGreaterThanOrEqual(lastThird);
      expect(incident.end).toBeLessThanOrEqual(small.toMs);
    }
  });

  it("vary in magnitude (about 4× to 50×) and length (1 to 8 windows), some with a ramp-up", () => {
    const magnitudes = long.incidents.map((incident) => incident.magnitude);
    const lengths = long.incidents.map((incident) => (incident.end - incident.start) / WINDOW_MS);
    expect(Math.min(...magnitudes)).toBeGreaterThanOrEqual(4);
    expect(Math.min(...magnitudes)).toBeLessThan(12);
    expect(Math.max(...magnitudes)).toBeGreaterThan(25);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(8);
    expect(new Set(lengths).size).toBeGreaterThanOrEqual(3);
    expect(lengths).toContain(1);
    const ramped = long.incidents.filter((incident) => incident.windows.length > 1 && !incident.windows[0]!.fullHeight);
    expect(ramped.length).toBeGreaterThan(0);
  });

  it("of one namespace are at least 12 hours apart", () => {
    for (const namespace of long.namespaces) {
      const own = long.incidents.filter((incident) => incident.namespace === namespace.name);
      for (let index = 1; index < own.length; index += 1) {
        expect(own[index]!.start - own[index - 1]!.end).toBeGreaterThanOrEqual(12 * HOUR_MS);
      }
    }
  });

  it("have much higher counts than usual at that time, and than the same local time a week earlier", () => {
    for (const incident of small.incidents) {
      for (const window of incident.windows.filter((candidate) => candidate.fullHeight)) {
        const count = countAt(small, incident.namespace, window.start);
        const usual = usualRate(small, incident.namespace, window.start);
        // The same local time one week earlier (the spring DST change lies in between).
        const keys = small.grid.slotOf(window.start);
        const weekEarlier = small.grid
          .windowsBetween(small.grid.localDayRange(addDays(small.grid.localDateOf(window.start), -7)).startMs, window.start - 6 * 24 * HOUR_MS)
          .find((start) => {
            const other = small.grid.slotOf(start);
            return other.hourOfDay === keys.hourOfDay && other.quarterHour === keys.quarterHour;
          });
        expect(weekEarlier).toBeDefined();
        const before = countAt(small, incident.namespace, weekEarlier!);
        expect(count, `${incident.id} at ${iso(window.start)}`).toBeGreaterThanOrEqual(Math.max(3 * usual, 100));
        expect(count, `${incident.id} at ${iso(window.start)} vs ${before} a week earlier`).toBeGreaterThanOrEqual(3 * Math.max(before, 1));
      }
    }
  });

  it("have a root-cause template used nowhere else, logged first in its traces, in the labelled app", () => {
    const documents = allSmallDocuments();
    for (const incident of small.incidents) {
      const pattern = templatePattern(incident.rootCause);
      const matching = documents.filter((document) => pattern.test(document.message));
      expect(matching.length, incident.id).toBeGreaterThan(50);
      expect(matching.every((document) => document.eventId === incident.id && document.app === incident.app && document.namespace === incident.namespace)).toBe(
        true,
      );
      expect(matching.every((document) => document.timestamp >= incident.start && document.timestamp < incident.end)).toBe(true);
      // Each of its traces starts with the root cause.
      const traces = new Map<string, GeneratedDocument[]>();
      for (const document of documents) {
        if (document.eventId !== incident.id || document.traceId === null) continue;
        traces.set(document.traceId, [...(traces.get(document.traceId) ?? []), document]);
      }
      expect(traces.size).toBeGreaterThan(0);
      for (const trace of traces.values()) expect(trace[0]!.message).toMatch(pattern);
      expect(
        [...traces.values()].some(
          (trace) => trace.length > 1 || incident.app === small.namespaces.find((namespace) => namespace.name === incident.namespace)?.apps[0]?.name,
        ),
      ).toBe(true);
    }
  });
});

describe("scheduled and below-minimum spikes", () => {
  it("recur daily at the same local time from the first day (nightly batch)", () => {
    const nightly = small.scheduled.filter((spike) => spike.namespace === "payments");
    expect(nightly).toHaveLength(11);
    expect(small.grid.localDateOf(nightly[0]!.start)).toBe("2026-03-23");
    for (const spike of nightly) {
      expect(small.grid.slotOf(spike.start)).toMatchObject({ hourOfDay: 1, quarterHour: 2 });
      expect(spike.end - spike.start).toBe(2 * WINDOW_MS);
    }
    // The same local time is a different UTC time after the DST change.
    expect(new Set(nightly.map((spike) => iso(spike.start).slice(11)))).toEqual(new Set(["00:30:00.000Z", "23:30:00.000Z"]));
  });

  it("raise the count several times above the usual one in every occurrence", () => {
    for (const spike of small.scheduled.filter((candidate) => candidate.namespace === "payments")) {
      const count = countAt(small, spike.namespace, spike.start);
      expect(count, iso(spike.start)).toBeGreaterThan(4 * usualRate(small, spike.namespace, spike.start));
    }
  });

  it("include a weekday-only job that skips weekends", () => {
    const imports = small.scheduled.filter((spike) => spike.namespace === "search");
    // 23 March 2026 is a Monday: 11 days hold 9 weekdays.
    expect(imports).toHaveLength(9);
    for (const spike of imports) {
      const keys = small.grid.slotOf(spike.start);
      expect(keys.dayOfWeek).toBeLessThan(5);
      expect(keys).toMatchObject({ hourOfDay: 6, quarterHour: 0 });
    }
  });

  it("keep below-minimum spikes under min_absolute_value while multiplying the usual count", () => {
    const plan = planDataSet({ seed: 5, from: "2026-01-12", days: 8, timeZone: "Europe/Prague", windowMinutes: 15 });
    expect(plan.belowMinimum.length).toBeGreaterThanOrEqual(2);
    expect(new Set(plan.belowMinimum.map((spike) => spike.namespace))).toEqual(new Set(["identity", "notifications"]));
    for (const spike of plan.belowMinimum) {
      const count = countAt(plan, spike.namespace, spike.start);
      expect(count, iso(spike.start)).toBeLessThan(plan.minAbsoluteValue);
      expect(count, iso(spike.start)).toBeGreaterThan(2.5 * usualRate(plan, spike.namespace, spike.start));
    }
  });

  it("do not overlap incidents of the same namespace", () => {
    for (const spike of [...small.scheduled, ...small.belowMinimum]) {
      for (const incident of small.incidents.filter((candidate) => candidate.namespace === spike.namespace)) {
        expect(spike.end <= incident.start || incident.end <= spike.start).toBe(true);
      }
    }
  });
});

describe("generateDay", () => {
  it("gives identical documents for the same seed", () => {
    const again = generateDay(planDataSet(smallOptions), "2026-03-24");
    expect(again.map(serializeDocument)).toEqual(day("2026-03-24").map(serializeDocument));
  });

  it("gives different documents for a different seed", () => {
    const other = generateDay(planDataSet({ ...smallOptions, seed: 8 }), "2026-03-24");
    expect(other.slice(0, 50).map(serializeDocument)).not.toEqual(day("2026-03-24").slice(0, 50).map(serializeDocument));
  });

  it("sorts documents by time, all inside their local day", () => {
    for (const date of small.days) {
      const { startMs, endMs } = small.grid.localDayRange(date);
      const documents = day(date);
      expect(documents.length).toBeGreaterThan(1_000);
      const outside = documents.filter((document) => document.timestamp < startMs || document.timestamp >= endMs);
      const unsorted = documents.filter((document, index) => index > 0 && document.timestamp < documents[index - 1]!.timestamp);
      expect(outside, date).toEqual([]);
      expect(unsorted, date).toEqual([]);
    }
  });

  it("covers 23 hours (92 windows) on the spring DST day, without the local 02:00 hour", () => {
    const documents = day("2026-03-29");
    expect(iso(documents[0]!.timestamp) >= "2026-03-28T23:00:00.000Z").toBe(true);
    expect(iso(documents[documents.length - 1]!.timestamp) < "2026-03-29T22:00:00.000Z").toBe(true);
    const windows = new Set(documents.filter((document) => document.namespace === "payments").map((document) => small.grid.windowStartOf(document.timestamp)));
    expect(windows.size).toBe(92);
    expect([...windows].map((start) => small.grid.slotOf(start).hourOfDay)).not.toContain(2);
    // A local timestamp never names the missing hour.
    expect(documents.some((document) => document.timestampText.startsWith("2026-03-29 02:"))).toBe(false);
  });

  it("covers 25 hours (100 windows) on the autumn DST day", () => {
    const plan = planDataSet({ ...smallOptions, from: "2026-10-25", days: 1 });
    const documents = generateDay(plan, "2026-10-25");
    const windows = new Set(documents.map((document) => plan.grid.windowStartOf(document.timestamp)));
    expect(windows.size).toBe(100);
    expect(Math.min(...windows)).toBe(Date.parse("2026-10-24T22:00:00Z"));
    expect(Math.max(...windows)).toBe(Date.parse("2026-10-25T22:45:00Z"));
    // The repeated hour is ambiguous in local time: timestamps near it are written in UTC.
    expect(documents.filter((document) => !document.timestampText.endsWith("Z")).every((document) => !/^2026-10-25 0[1-3]:/.test(document.timestampText))).toBe(
      true,
    );
  });

  it("yields a day window by window, each batch inside one window, the same documents as generateDay", () => {
    const batches = [...generateDayWindows(small, "2026-03-24")];
    expect(batches).toHaveLength(96);
    for (const batch of batches) {
      const windows = new Set(batch.map((document) => small.grid.windowStartOf(document.timestamp)));
      expect(windows.size).toBeLessThanOrEqual(1);
    }
    expect(batches.flat().map(serializeDocument)).toEqual(day("2026-03-24").map(serializeDocument));
  });

  it("works with hour-long windows in another timezone", () => {
    const plan = planDataSet({ seed: 2, from: "2026-03-06", days: 3, timeZone: "America/New_York", windowMinutes: 60, rate: 0.2 });
    const labels = labelsOf(plan);
    expect(labelsSchema.safeParse(labels).success).toBe(true);
    // 8 March 2026 is the spring DST day in New York: 23 hourly windows.
    const windows = new Set(generateDay(plan, "2026-03-08").map((document) => plan.grid.windowStartOf(document.timestamp)));
    expect(windows.size).toBe(23);
    for (const spike of labels.scheduled.filter((candidate) => candidate.namespace === "payments")) {
      expect(plan.grid.slotOf(Date.parse(spike.start))).toMatchObject({ hourOfDay: 1, quarterHour: 0 });
    }
    for (const incident of plan.incidents) expect(plan.grid.windowStartOf(incident.start)).toBe(incident.start);
  });

  it("rejects a day outside the data set", () => {
    expect(() => generateDay(small, "2026-04-03")).toThrow(RangeError);
  });

  it("yields the days one at a time, in order", () => {
    const iterator = generateDays(planDataSet({ ...smallOptions, days: 2 }));
    const first = iterator.next();
    expect(first.done).toBe(false);
    expect(first.value?.date).toBe("2026-03-23");
    expect(iterator.next().value?.date).toBe("2026-03-24");
    expect(iterator.next().done).toBe(true);
  });

  it("makes the overdispersed namespaces much noisier than the Poisson ones", () => {
    // The first seven days (up to and including the DST day) hold no incident.
    const counts = errorCounts(small.days.slice(0, 7).flatMap((date) => day(date)));
    const labelled = [...small.scheduled, ...small.belowMinimum];
    const dispersion = (namespace: string) => {
      let sum = 0;
      let windows = 0;
      for (const start of small.grid.windowsBetween(small.fromMs, small.grid.localDayRange("2026-03-29").endMs)) {
        if (labelled.some((spike) => spike.namespace === namespace && start >= spike.start && start < spike.end)) continue;
        const usual = usualRate(small, namespace, start);
        const count = counts.get(`${namespace}|${start}`) ?? 0;
        sum += (count - usual) ** 2 / usual;
        windows += 1;
      }
      return sum / windows;
    };
    // Poisson: variance / mean ≈ 1; gamma–Poisson: 1 + mean / shape.
    expect(dispersion("payments")).toBeLessThan(1.4);
    expect(dispersion("checkout")).toBeLessThan(1.4);
    expect(dispersion("orders")).toBeGreaterThan(2.5);
    expect(dispersion("search")).toBeGreaterThan(1.8);
  });
});

describe("documents", () => {
  const lines = (documents: readonly GeneratedDocument[]) =>
    documents.map((document) => ({ document, json: JSON.parse(serializeDocument(document)) as Record<string, unknown> }));

  it("are mostly ERROR, with some WARN and INFO", () => {
    const documents = allSmallDocuments();
    const share = (level: string) => documents.filter((document) => document.level === level).length / documents.length;
    expect(share("ERROR")).toBeGreaterThan(0.85);
    expect(share("ERROR")).toBeLessThan(0.95);
    expect(share("WARN")).toBeGreaterThan(0.02);
    expect(share("INFO")).toBeGreaterThan(0.01);
  });

  it("are about 5 % Elasticsearch hits with _index, _id and _source", () => {
    const all = lines(day("2026-03-24"));
    const hits = all.filter(({ json }) => "_source" in json);
    expect(hits.length / all.length).toBeGreaterThan(0.03);
    expect(hits.length / all.length).toBeLessThan(0.07);
    for (const { document, json } of hits.slice(0, 200)) {
      const utc = iso(document.timestamp);
      expect(json._index).toBe(`logs-${utc.slice(0, 4)}.${utc.slice(5, 7)}.${utc.slice(8, 10)}`);
      expect(json._id).toMatch(/^[A-Za-z0-9_-]{20}$/);
      expect((json._source as Record<string, unknown>).message).toBe(document.message);
    }
  });

  it("have about 5 % local timestamps without an offset, which convert back to the same instant", () => {
    const documents = allSmallDocuments();
    const local = documents.filter((document) => !document.timestampText.endsWith("Z"));
    expect(local.length / documents.length).toBeGreaterThan(0.03);
    expect(local.length / documents.length).toBeLessThan(0.07);
    const wrongLocal = local.filter((document) => {
      const wallClock = Date.parse(`${document.timestampText.replace(" ", "T")}Z`);
      return (
        !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/.test(document.timestampText) ||
        wallClock - small.grid.offsetAt(document.timestamp) !== document.timestamp
      );
    });
    expect(wrongLocal).toEqual([]);
    const wrongUtc = documents.filter((document) => document.timestampText.endsWith("Z") && Date.parse(document.timestampText) !== document.timestamp);
    expect(wrongUtc).toEqual([]);
  });

  it("follow the default field mapping of values.yaml", () => {
    const { json } = lines(day("2026-03-24").slice(0, 100)).find(({ json }) => !("_source" in json) && "trace" in json)!;
    expect(Object.keys(json)).toEqual(["@timestamp", "level", "message", "kubernetes", "trace"]);
    const kubernetes = json.kubernetes as { namespace: string; labels: { app?: string }; pod: { name: string } };
    expect(typeof kubernetes.namespace).toBe("string");
    expect(typeof kubernetes.labels.app).toBe("string");
    expect(kubernetes.pod.name.startsWith(kubernetes.labels.app ?? "?")).toBe(true);
    expect((json.trace as { id: string }).id).toMatch(/^[0-9a-f]{32}$/);
  });

  it("serialize to valid JSON lines that carry every field unchanged", () => {
    const plan = planDataSet({ ...smallOptions, namespaces: 21, days: 1, rate: 0.1 });
    const mismatched = generateDay(plan, "2026-03-23").filter((document) => {
      const line = serializeDocument(document);
      const json = JSON.parse(line) as { _source?: unknown };
      const source = (json._source ?? json) as {
        "@timestamp": string;
        level: string;
        message: string;
        kubernetes: { namespace: string; labels: { app?: string }; pod: { name: string } };
        trace?: { id: string };
      };
      return (
        line.includes("\n") ||
        source["@timestamp"] !== document.timestampText ||
        source.level !== document.level ||
        source.message !== document.message ||
        source.kubernetes.namespace !== document.namespace ||
        (source.kubernetes.labels.app ?? null) !== document.app ||
        source.kubernetes.pod.name !== document.pod ||
        (source.trace?.id ?? null) !== document.traceId
      );
    });
    expect(mismatched).toEqual([]);
  });

  it("mostly carry a trace id; documents without one have no trace field", () => {
    const errors = allSmallDocuments().filter((document) => document.level === "ERROR");
    const traced = errors.filter((document) => document.traceId !== null).length / errors.length;
    expect(traced).toBeGreaterThan(0.8);
    expect(traced).toBeLessThan(0.98);
    const untraced = errors.find((document) => document.traceId === null)!;
    expect(JSON.parse(serializeDocument(untraced))).not.toHaveProperty("trace");
  });

  it("form traces across apps and namespaces, inside one window, root cause first", () => {
    const traces = new Map<string, GeneratedDocument[]>();
    for (const document of day("2026-03-25")) {
      if (document.traceId === null || document.level !== "ERROR") continue;
      traces.set(document.traceId, [...(traces.get(document.traceId) ?? []), document]);
    }
    const all = [...traces.values()];
    const multiApp = all.filter((trace) => new Set(trace.map((document) => document.app)).size > 1);
    const multiNamespace = all.filter((trace) => new Set(trace.map((document) => document.namespace)).size > 1);
    expect(multiApp.length).toBeGreaterThan(all.length * 0.2);
    expect(multiNamespace.length).toBeGreaterThan(10);
    // One window per trace; followers are callers reporting the failure a few milliseconds later.
    const crossingWindows = all.filter(
      (trace) => small.grid.windowStartOf(trace[0]!.timestamp) !== small.grid.windowStartOf(trace[trace.length - 1]!.timestamp),
    );
    expect(crossingWindows).toEqual([]);
    const badFollowers = all.filter((trace) =>
      trace.slice(1).some((follower) => follower.timestamp <= trace[0]!.timestamp || follower.timestamp - trace[0]!.timestamp >= 2_000),
    );
    expect(badFollowers).toEqual([]);
  });

  it("vary their text: one template gives many distinct messages", () => {
    const pattern = templatePattern(
      "com.acme.payments.PaymentDeclinedException: payment {uuid} declined by PSP: insufficient_funds (amount {amount} EUR, merchant {id})",
    );
    const messages = day("2026-03-24")
      .filter((document) => pattern.test(document.message))
      .map((document) => document.message);
    expect(messages.length).toBeGreaterThan(100);
    expect(new Set(messages).size).toBe(messages.length);
  });

  it("come from several apps per namespace and several stacks", () => {
    const documents = day("2026-03-24").filter((document) => document.level === "ERROR");
    for (const namespace of small.namespaces) {
      expect(new Set(documents.filter((document) => document.namespace === namespace.name).map((document) => document.app)).size).toBeGreaterThanOrEqual(3);
    }
    const text = documents.map((document) => document.message).join("\n");
    for (const marker of [
      "Exception",
      "\n\tat ",
      "Traceback (most recent call last)",
      "TypeError",
      "pq: ",
      "rpc error",
      "[error]",
      "ECONNREFUSED",
      "kafka",
      "timed out",
    ]) {
      expect(text, marker).toContain(marker);
    }
  });
});

describe("templates and dates", () => {
  it("match every message of a template, and only those", () => {
    const pattern = templatePattern("dial tcp {ip}:6379: connect: connection refused (attempt {n})");
    expect(pattern.test("dial tcp 10.1.2.3:6379: connect: connection refused (attempt 4)")).toBe(true);
    expect(pattern.test("dial tcp 10.1.2.3:5432: connect: connection refused (attempt 4)")).toBe(false);
    expect(templatePattern("a.b (c) [d] {n}").test("a.b (c) [d] 7")).toBe(true);
    expect(templatePattern("a.b").test("axb")).toBe(false);
  });

  it("reject an unknown placeholder", () => {
    expect(() => compileTemplate("value {nonsense}")).toThrow(/unknown placeholder \{nonsense\}/);
    expect(compileTemplate("{'qty': {n}}").names).toEqual(["n"]);
  });

  it("fill a repeated placeholder with the same value", () => {
    const documents = day("2026-03-24").filter((document) => document.message.startsWith("smtplib.SMTPRecipientsRefused"));
    expect(documents.length).toBeGreaterThan(0);
    for (const document of documents) {
      const [, first, second] = /^smtplib\.SMTPRecipientsRefused: \{'([^']+)'.*<([^>]+)>/.exec(document.message) ?? [];
      expect(first).toBeDefined();
      expect(first).toBe(second);
    }
  });

  it("add days across months and leap years, and validate calendar dates", () => {
    expect(addDays("2026-03-23", 10)).toBe("2026-04-02");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2026-01-01", -1)).toBe("2025-12-31");
    expect(isIsoDate("2026-02-28")).toBe(true);
    expect(isIsoDate("2026-02-29")).toBe(false);
    expect(isIsoDate("2026-2-28")).toBe(false);
    expect(() => addDays("yesterday", 1)).toThrow(RangeError);
  });
});

describe("default output (without cases)", () => {
  const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
  // Computed before the option `cases` existed: the default data set must not change, since
  // fixtures, benchmarks and earlier labels.json files depend on it.
  it("is byte-identical to the data sets generated before test cases existed", () => {
    const options: GenerateOptions = { seed: 11, from: "2026-02-23", days: 49, timeZone: "Europe/Prague", windowMinutes: 15 };
    const plan = planDataSet(options);
    expect(sha256(JSON.stringify(labelsOf(plan), null, 2))).toBe("266c08550f1083cfe01b82e2da99ef3e67e2b192ebcc56f2af539743ec201275");
    // The spring DST day, with incidents of the detection period.
    expect(sha256(generateDay(plan, "2026-03-29").map(serializeDocument).join("\n"))).toBe("ad9f48f30428f2c27a055aea8befda5e84acfa1f035653033529d5195d9084f1");
    expect(planDataSet({ ...options, cases: false }).incidents).toEqual(plan.incidents);
    expect(sha256(JSON.stringify(labelsOf(small), null, 2))).toBe("57533c45253aad428cef9d4ca23a93c93b3f262ef7d7839266e014be85e2103a");
    expect(sha256(day("2026-04-01").map(serializeDocument).join("\n"))).toBe("d70f017e70d502aa388ea7bf8607f6d8adabe2355a2b2be44ed2653ae60632d2");
  });

  it("has no case fields in its labels", () => {
    const text = JSON.stringify(labelsOf(small));
    expect(text).not.toMatch(/"kind"|"reaches_thresholds"|"accepted_from"|"namespace_kinds"/);
    expect(small.cases).toBe(false);
    expect(small.namespaceLevels).toBeNull();
  });
});

describe("test cases (cases: true)", () => {
  const DAY_MS = 24 * HOUR_MS;
  // 49 days from Monday 23 February 2026: learning until 15 March, the spring DST change on
  // Sunday 29 March in the detection period.
  const casesOptions: GenerateOptions = { seed: 4, from: "2026-02-23", days: 49, timeZone: "Europe/Prague", windowMinutes: 15, cases: true };
  const plan = planDataSet(casesOptions);
  const labels = labelsOf(plan);
  const ofKind = (kind: string) => plan.incidents.filter((incident) => incident.kind === kind);
  const profile = (name: string) => plan.namespaces.find((namespace) => namespace.name === name)!;
  const localTime = (ms: number) => new Date(ms + plan.grid.offsetAt(ms)).toISOString().slice(11, 16);

  /**
   * ERROR counts per namespace (index) and window start, and the first document of any level of
   * the newborn namespace, over every day: generated once (about 1.6 million documents).
   */
  let summary: { errors: Map<number, number>[]; firstNewbornDocument: number | null } | null = null;
  function everyDay() {
    if (summary) return summary;
    const indexOf = new Map(plan.namespaces.map((namespace) => [namespace.name, namespace.index]));
    const errors = plan.namespaces.map(() => new Map<number, number>());
    let firstNewbornDocument: number | null = null;
    for (const date of plan.days) {
      const { startMs, endMs } = plan.grid.localDayRange(date);
      // One batch per window, in order.
      const starts = plan.grid.windowsBetween(startMs, endMs);
      let window = 0;
      for (const batch of generateDayWindows(plan, date)) {
        const start = starts[window]!;
        window += 1;
        const perNamespace = plan.namespaces.map(() => 0);
        for (const document of batch) {
          if (firstNewbornDocument === null && document.namespace === "onboarding") firstNewbornDocument = document.timestamp;
          if (document.level === "ERROR") perNamespace[indexOf.get(document.namespace)!]! += 1;
        }
        perNamespace.forEach((errorCount, index) => errors[index]!.set(start, errorCount));
      }
    }
    return (summary = { errors, firstNewbornDocument });
  }
  // Generating every day takes tens of seconds on a busy machine: once, before the tests that read it.
  beforeAll(() => {
    everyDay();
  }, 300_000);
  const count = (namespace: string, start: number) => everyDay().errors[profile(namespace).index]!.get(start) ?? 0;
  /** Whether a labelled event of the namespace covers the window. */
  const isLabelled = (namespace: string, start: number) =>
    [...plan.incidents, ...plan.scheduled, ...plan.belowMinimum].some((event) => event.namespace === namespace && start >= event.start && start < event.end);

  it("contains every kind of incident, validates against labelsSchema and classifies the namespaces", () => {
    expect(labelsSchema.safeParse(labels).success).toBe(true);
    expect(new Set(labels.incidents.map((incident) => incident.kind))).toEqual(new Set(incidentKinds));
    expect(labels.namespaces.slice(6)).toEqual(["batch-jobs", "retries", "onboarding"]);
    expect(labels.namespace_kinds).toMatchObject({
      payments: "steady",
      orders: "noisy",
      search: "noisy",
      "batch-jobs": "noisy",
      retries: "noisy",
      onboarding: "newborn",
    });
    expect(ofKind("moderate").length).toBeGreaterThanOrEqual(4);
    // Every incident of a gamma–Poisson namespace is "noisy"; the case namespaces have 1–2 each.
    for (const incident of plan.incidents) expect(incident.kind === "noisy", incident.id).toBe(profile(incident.namespace).shape !== null);
    for (const name of ["batch-jobs", "retries"]) {
      const own = ofKind("noisy").filter((incident) => incident.namespace === name);
      expect(own.length, name).toBeGreaterThanOrEqual(1);
      expect(own.length, name).toBeLessThanOrEqual(2);
      for (const incident of own) expect(incident.magnitude).toBeGreaterThanOrEqual(8);
    }
    // The case incidents of this set all reach the thresholds.
    expect(plan.incidents.filter((incident) => incident.kind !== "incident" && !incident.reachesThresholds)).toEqual([]);
  });

  it("rejects cases with fewer than 42 days", () => {
    expect(CASES_MIN_DAYS).toBe(42);
    expect(() => planDataSet({ ...casesOptions, days: 41 })).toThrow(/cases need at least 42 days/);
    expect(() => planDataSet({ ...casesOptions, days: 42 })).not.toThrow();
  });

  it("gives identical labels and documents for the same options, other ones for another seed", () => {
    const again = planDataSet(casesOptions);
    expect(JSON.stringify(labelsOf(again))).toBe(JSON.stringify(labels));
    expect(generateDay(again, "2026-03-29").map(serializeDocument)).toEqual(generateDay(plan, "2026-03-29").map(serializeDocument));
    expect(JSON.stringify(labelsOf(planDataSet({ ...casesOptions, seed: 5 })))).not.toBe(JSON.stringify(labels));
  });

  it("repeats an incident of the 4th week one and two local weeks later at the same slots, DST respected", () => {
    const repeats = ofKind("repeat");
    expect(repeats).toHaveLength(2);
    const original = plan.incidents.find((incident) => incident.kind === "incident" && incident.rootCause === repeats[0]!.rootCause)!;
    expect(original).toBeDefined();
    expect(profile(original.namespace).shape).toBeNull();
    const originalDate = plan.grid.localDateOf(original.start);
    expect(originalDate >= "2026-03-16" && originalDate <= "2026-03-22").toBe(true);
    repeats.forEach((repeat, index) => {
      expect(plan.grid.localDateOf(repeat.start)).toBe(addDays(originalDate, 7 * (index + 1)));
      expect(repeat).toMatchObject({
        namespace: original.namespace,
        app: original.app,
        magnitude: original.magnitude,
        end: repeat.start + (original.end - original.start),
      });
      expect(repeat.windows.map((window) => plan.grid.slotOf(window.start))).toEqual(original.windows.map((window) => plan.grid.slotOf(window.start)));
      expect(repeat.windows.map((window) => [window.extraMean, window.fullHeight])).toEqual(
        original.windows.map((window) => [window.extraMean, window.fullHeight]),
      );
    });
    // The summer time began in between: two local weeks are an hour shorter.
    expect(repeats[1]!.start - original.start).toBe(14 * DAY_MS - HOUR_MS);
  });

  it("has a newborn namespace without any document before its birth day and an incident on its third day", () => {
    const bornAtMs = plan.namespaceLevels![profile("onboarding").index]!.bornAtMs;
    const birthDate = plan.grid.localDateOf(bornAtMs);
    expect(plan.grid.localDayRange(birthDate).startMs).toBe(bornAtMs);
    expect(bornAtMs).toBeGreaterThanOrEqual(plan.detectionFromMs);
    expect(plan.days).toContain(addDays(birthDate, 4));
    const first = everyDay().firstNewbornDocument!;
    expect(first).toBeGreaterThanOrEqual(bornAtMs);
    expect(first - bornAtMs).toBeLessThan(HOUR_MS);
    expect(usualRate(plan, "onboarding", bornAtMs - WINDOW_MS)).toBe(0);
    const [incident, ...others] = plan.incidents.filter((candidate) => candidate.namespace === "onboarding");
    expect(others).toEqual([]);
    expect(incident).toMatchObject({ kind: "newborn", reachesThresholds: true });
    expect(plan.grid.localDateOf(incident!.start)).toBe(addDays(birthDate, 2));
    expect(incident!.magnitude).toBeGreaterThanOrEqual(8);
    expect(incident!.magnitude).toBeLessThanOrEqual(20);
    expect(Math.max(...incident!.windows.map((window) => count("onboarding", window.start)))).toBeGreaterThan(150);
  });

  it("shifts one steady namespace's level for good, labelled for 4 hours, nothing labelled there after it", () => {
    const [shift, ...others] = ofKind("level_shift");
    expect(others).toEqual([]);
    expect(shift!.acceptedFrom).toBe(shift!.start);
    expect(shift!.end - shift!.start).toBe(4 * HOUR_MS);
    expect(shift!.start).toBeLessThanOrEqual(plan.toMs - 8 * DAY_MS);
    expect(shift!.start).toBeGreaterThanOrEqual(plan.detectionFromMs);
    expect(profile(shift!.namespace).shape).toBeNull();
    const label = labels.incidents.find((incident) => incident.id === shift!.id)!;
    expect(label).toMatchObject({ kind: "level_shift", accepted_from: label.start });
    // No incident of that namespace in the 12 hours before it, nor after it.
    const own = plan.incidents.filter((incident) => incident.namespace === shift!.namespace && incident !== shift);
    expect(own.filter((incident) => incident.end > shift!.start - 12 * HOUR_MS)).toEqual([]);
    // The week after T against the week before (same seasonal mean), unlabelled windows only.
    const extra = shift!.windows[0]!.extraMean;
    expect(extra).toBeGreaterThanOrEqual(3 * profile(shift!.namespace).baseRate);
    expect(extra).toBeLessThanOrEqual(6 * profile(shift!.namespace).baseRate);
    const meanCount = (from: number, to: number) => {
      const windows = plan.grid.windowsBetween(from, to).filter((start) => !isLabelled(shift!.namespace, start));
      return windows.reduce((sum, start) => sum + count(shift!.namespace, start), 0) / windows.length;
    };
    const before = meanCount(shift!.start - 7 * DAY_MS, shift!.start);
    const after = meanCount(shift!.start, shift!.start + 7 * DAY_MS);
    expect(after - before).toBeGreaterThan(0.85 * extra);
    expect(after - before).toBeLessThan(1.15 * extra);
    // Its errors after the label still carry its id, so they stay identifiable.
    const lastDay = generateDay(plan, plan.days[plan.days.length - 1]!);
    expect(lastDay.some((document) => document.eventId === shift!.id)).toBe(true);
  });

  it("makes the noisy namespaces overdispersed, with unlabelled natural exceedances", () => {
    const learning = plan.grid.windowsBetween(plan.fromMs, plan.detectionFromMs);
    const dispersion = (namespace: string) => {
      const windows = learning.filter((start) => !isLabelled(namespace, start));
      return (
        windows.reduce((sum, start) => sum + (count(namespace, start) - usualRate(plan, namespace, start)) ** 2 / usualRate(plan, namespace, start), 0) /
        windows.length
      );
    };
    // Variance / mean: 1 for Poisson, 1 + mean / shape for gamma–Poisson (about 20 here).
    expect(dispersion("payments")).toBeLessThan(1.4);
    expect(dispersion("batch-jobs")).toBeGreaterThan(8);
    expect(dispersion("retries")).toBeGreaterThan(8);
    const bursts = plan.namespaceLevels![profile("retries").index]!.burstFactors;
    expect(bursts.size).toBeGreaterThan(10);
    // Windows at 3× the usual count or more, with at least 100 errors, that no label covers.
    for (const namespace of ["batch-jobs", "retries"]) {
      const exceedances = learning.filter(
        (start) => !isLabelled(namespace, start) && count(namespace, start) >= Math.max(100, 3 * usualRate(plan, namespace, start)),
      );
      expect(exceedances.length, namespace).toBeGreaterThan(0);
    }
  });

  it("has a weekly batch in batch-jobs every Sunday 03:00–03:30 from the first week", () => {
    const weekly = plan.scheduled.filter((spike) => spike.description.includes("weekly"));
    expect(weekly).toHaveLength(7);
    expect(new Set(weekly.map((spike) => spike.namespace))).toEqual(new Set(["batch-jobs"]));
    expect(plan.scheduled.filter((spike) => spike.namespace === "batch-jobs")).toEqual(weekly);
    weekly.forEach((spike, week) => {
      expect(plan.grid.localDateOf(spike.start)).toBe(addDays("2026-03-01", 7 * week));
      expect(plan.grid.slotOf(spike.start)).toMatchObject({ dayOfWeek: 6, hourOfDay: 3, quarterHour: 0 });
      expect(spike.end - spike.start).toBe(2 * WINDOW_MS);
      expect(count("batch-jobs", spike.start), iso(spike.start)).toBeGreaterThan(
        usualRate(plan, "batch-jobs", spike.start) + 2 * profile("batch-jobs").baseRate,
      );
    });
  });

  it("places moderate incidents of 3.5–6× only where they clear 1.1 × min_absolute_value and 1.2 × dynamic_min × the 24-hour average", () => {
    for (const incident of ofKind("moderate")) {
      expect(incident.magnitude).toBeGreaterThanOrEqual(3.5);
      expect(incident.magnitude).toBeLessThanOrEqual(6);
      expect(profile(incident.namespace).shape).toBeNull();
      for (const window of incident.windows) {
        const usual = usualRate(plan, incident.namespace, window.start);
        const dayBefore = plan.grid.windowsBetween(window.start - DAY_MS, window.start);
        const average = dayBefore.reduce((sum, start) => sum + usualRate(plan, incident.namespace, start), 0) / dayBefore.length;
        expect(usual + window.extraMean, incident.id).toBeGreaterThanOrEqual(110);
        expect(usual + window.extraMean, incident.id).toBeGreaterThanOrEqual(1.2 * 2.5 * average);
      }
    }
  });

  it("has a slow ramp of 3–4 hours growing linearly to 8–12×, an incident across local midnight and one across the DST change", () => {
    const [ramp] = ofKind("ramp");
    const lengths = ramp!.windows.length;
    expect(lengths).toBeGreaterThanOrEqual(12);
    expect(lengths).toBeLessThanOrEqual(16);
    const step = ramp!.windows[0]!.extraMean;
    ramp!.windows.forEach((window, index) => expect(window.extraMean).toBeCloseTo(step * (index + 1), 6));
    expect(ramp!.windows.map((window) => window.fullHeight)).toEqual([...Array.from({ length: lengths - 1 }, () => false), true]);
    expect(ramp!.magnitude).toBeGreaterThanOrEqual(8);
    expect(ramp!.magnitude).toBeLessThanOrEqual(12);

    const [midnight] = ofKind("midnight");
    const nextDay = plan.grid.localDateOf(midnight!.end - 1);
    const localMidnight = plan.grid.localDayRange(nextDay).startMs;
    expect(plan.grid.localDateOf(midnight!.start)).toBe(addDays(nextDay, -1));
    expect(localMidnight - midnight!.start).toBeGreaterThanOrEqual(2 * WINDOW_MS);
    expect(midnight!.end - localMidnight).toBeGreaterThanOrEqual(2 * WINDOW_MS);

    const [dst] = ofKind("dst");
    // 01:30 CET to 03:30 CEST on 29 March 2026: an hour of real time around the change at 01:00 UTC.
    expect(iso(dst!.start)).toBe("2026-03-29T00:30:00.000Z");
    expect(iso(dst!.end)).toBe("2026-03-29T01:30:00.000Z");
    expect([localTime(dst!.start), localTime(dst!.end)]).toEqual(["01:30", "03:30"]);
  });

  it("covers the repeated hour of the autumn DST change, and has no DST incident without a change", () => {
    const autumn = planDataSet({ ...casesOptions, from: "2026-09-28", days: 42 });
    const [dst] = autumn.incidents.filter((incident) => incident.kind === "dst");
    // 01:30 CEST to 03:30 CET on 25 October 2026: three hours of real time.
    expect(iso(dst!.start)).toBe("2026-10-24T23:30:00.000Z");
    expect(iso(dst!.end)).toBe("2026-10-25T02:30:00.000Z");
    const utc = planDataSet({ ...casesOptions, timeZone: "UTC" });
    expect(utc.incidents.filter((incident) => incident.kind === "dst")).toEqual([]);
  });

  it("keeps incidents 12 hours apart per namespace and away from scheduled spikes", () => {
    for (const namespace of plan.namespaces) {
      const own = plan.incidents.filter((incident) => incident.namespace === namespace.name);
      for (let index = 1; index < own.length; index += 1) expect(own[index]!.start - own[index - 1]!.end, own[index]!.id).toBeGreaterThanOrEqual(12 * HOUR_MS);
      for (const incident of own) {
        for (const spike of plan.scheduled.filter((candidate) => candidate.namespace === namespace.name)) {
          expect(spike.end <= incident.start || incident.end <= spike.start, `${incident.id} and ${iso(spike.start)}`).toBe(true);
        }
      }
    }
  });

  it("computes reaches_thresholds from the thresholds it is given", () => {
    expect(labels.incidents.every((incident) => typeof incident.reaches_thresholds === "boolean")).toBe(true);
    // A ratio of 1000 × the usual count is out of reach for every incident.
    const strict = planDataSet({ ...casesOptions, minRatioMultiplier: 1000 });
    expect(strict.incidents.map((incident) => incident.id)).toEqual(plan.incidents.map((incident) => incident.id));
    expect(strict.incidents.filter((incident) => incident.reachesThresholds)).toEqual([]);
    // At a fifth of the rate the newborn namespace cannot reach 100 errors with 8–20×, and no
    // moderate incident fits; the level shift, placed anyway, does not reach the thresholds.
    const quiet = planDataSet({ ...casesOptions, rate: 0.2 });
    expect(quiet.incidents.filter((incident) => incident.kind === "moderate" || incident.kind === "newborn")).toEqual([]);
    expect(quiet.incidents.some((incident) => !incident.reachesThresholds)).toBe(true);
  });
});

describe("releases (releases: true)", () => {
  const plan = planDataSet({ ...smallOptions, releases: true });
  const releases = plan.releases!;
  const versionsOf = (namespace: string) => releases.releases.filter((release) => release.namespace === namespace).map((release) => release.version);
  const everyDocument = (() => {
    let all: GeneratedDocument[] | null = null;
    return () => (all ??= plan.days.flatMap((date) => cached(dayCache, plan, date, () => generateDay(plan, date))));
  })();

  it("runs three versions in every namespace but the last, released a quarter and 65 % into the detection period in working hours", () => {
    const names = plan.namespaces.map((namespace) => namespace.name);
    for (const name of names.slice(0, -1)) {
      const own = releases.releases.filter((release) => release.namespace === name);
      expect(own).toHaveLength(3);
      expect(own[0]!.at).toBeLessThan(plan.fromMs);
      expect(plan.grid.localDateOf(plan.detectionFromMs)).toBe("2026-03-30");
      const dates = own.slice(1).map((release) => plan.grid.localDateOf(release.at));
      // A release whose error's incident finds no free windows after it moves to a later working hour.
      if (releases.errors.some((error) => error.namespace === name)) {
        expect(dates[0]! >= "2026-03-31" && dates[1]! >= "2026-04-01" && dates[0]! < dates[1]!).toBe(true);
      } else expect(dates).toEqual(["2026-03-31", "2026-04-01"]);
      for (const release of own.slice(1)) expect(plan.grid.slotOf(release.at).hourOfDay).toBeGreaterThanOrEqual(9);
      expect(new Set(own.map((release) => release.version)).size).toBe(3);
    }
    expect(versionsOf(names.at(-1)!)).toEqual([]);
    expect(releases.errors.map((error) => [error.kind, error.namespace, error.versions])).toEqual([
      ["introduced", "payments", versionsOf("payments").slice(1)],
      ["regression", "orders", [versionsOf("orders")[0], versionsOf("orders")[2]]],
    ]);
  });

  it("leaves the data set as it was but for the versions, the errors tied to them and their incidents", () => {
    const date = "2026-03-31";
    const releaseIncidents = new Set(releases.errors.flatMap((error) => [releaseIncidentId(error), firstReleaseIncidentId(error)]));
    const withReleases = cached(dayCache, plan, date, () => generateDay(plan, date));
    const without = day(date);
    const isOwn = (document: GeneratedDocument) => document.origin === "release" || releaseIncidents.has(document.eventId ?? "");
    expect(withReleases.filter((document) => !isOwn(document)).map((document) => serializeDocument({ ...document, version: null }))).toEqual(
      without.map(serializeDocument),
    );
    const { releases: planned, release_errors: errors, incidents, ...rest } = labelsOf(plan);
    const { incidents: incidentsWithout, ...restWithout } = labelsOf(small);
    expect(rest).toEqual(restWithout);
    expect(incidents.filter((incident) => !releaseIncidents.has(incident.id))).toEqual(incidentsWithout);
    expect(planned).toHaveLength(3 * (plan.namespaces.length - 1));
    expect(labelsSchema.parse(labelsOf(plan)).release_errors).toEqual(errors);
  });

  it("gives each document the version its namespace ran at its time, written as service.version; the last namespace's none", () => {
    const documents = cached(dayCache, plan, "2026-03-31", () => generateDay(plan, "2026-03-31"));
    const last = plan.namespaces.at(-1)!.name;
    for (const document of documents) {
      expect(document.version).toBe(versionAt(plan, document.namespace, document.timestamp));
      const source = JSON.parse(serializeDocument(document)) as Record<string, unknown>;
      const written = "_source" in source ? (source._source as Record<string, unknown>) : source;
      expect(written.service).toEqual(document.namespace === last ? undefined : { version: document.version });
    }
    expect(new Set(documents.filter((document) => document.namespace === "payments").map((document) => document.version))).toEqual(
      new Set(versionsOf("payments").slice(0, 2)),
    );
  });

  it("bursts each error into an incident within 2 hours of the release that brings it (back), sized and kept apart like an ordinary one", () => {
    for (const error of releases.errors) {
      const incident = plan.incidents.find((candidate) => candidate.id === releaseIncidentId(error));
      expect(incident).toMatchObject({ namespace: error.namespace, app: error.app, rootCause: error.rootCause, kind: "incident", reachesThresholds: true });
      const version = error.kind === "introduced" ? error.versions[0] : error.versions.at(-1);
      const release = releases.releases.find((candidate) => candidate.namespace === error.namespace && candidate.version === version)!;
      expect(incident!.start).toBeGreaterThan(release.at);
      expect(incident!.start - release.at).toBeLessThanOrEqual(2 * 3_600_000);
      expect((incident!.end - incident!.start) / WINDOW_MS).toBeGreaterThanOrEqual(2);
      expect((incident!.end - incident!.start) / WINDOW_MS).toBeLessThanOrEqual(4);
      expect(incident!.magnitude).toBeGreaterThanOrEqual(4);
      for (const other of plan.incidents.filter((candidate) => candidate.namespace === error.namespace && candidate !== incident)) {
        expect(Math.max(other.start - incident!.end, incident!.start - other.end)).toBeGreaterThanOrEqual(12 * 3_600_000);
      }
      // Its documents carry the version the release brought.
      const versions = new Set(
        everyDocument()
          .filter((document) => document.eventId === incident!.id)
          .map((document) => document.version),
      );
      expect(versions).toEqual(new Set([version]));
    }
  });

  it("bursts the regressing error into an incident in its first version too, in the detection period, and labels each error's incidents", () => {
    const [introduced, regression] = releases.errors;
    const earlier = plan.incidents.find((incident) => incident.id === firstReleaseIncidentId(regression!))!;
    expect(earlier).toMatchObject({ namespace: regression!.namespace, rootCause: regression!.rootCause, reachesThresholds: true });
    expect(earlier.start).toBeGreaterThanOrEqual(plan.detectionFromMs);
    expect(
      new Set(
        everyDocument()
          .filter((document) => document.eventId === earlier.id)
          .map((document) => document.version),
      ),
    ).toEqual(new Set([regression!.versions[0]]));
    expect(plan.incidents.some((incident) => incident.id === firstReleaseIncidentId(introduced!))).toBe(false);
    expect(labelsOf(plan).release_errors!.map((error) => error.incidents)).toEqual([
      [releaseIncidentId(introduced!)],
      [firstReleaseIncidentId(regression!), releaseIncidentId(regression!)],
    ]);
  });

  it("still reads labels written before release errors had incidents", () => {
    const labels = labelsOf(plan);
    const older = {
      ...labels,
      release_errors: labels.release_errors!.map((error) => Object.fromEntries(Object.entries(error).filter(([key]) => key !== "incidents"))),
    };
    const parsed = labelsSchema.safeParse(older);
    expect(parsed.success).toBe(true);
    expect(parsed.data?.release_errors?.every((error) => error.incidents === undefined)).toBe(true);
  });

  it("logs the introduced error only from its release on, and the regressing one in the first and third versions only", () => {
    const versionsWith = (id: string) => {
      const counts = new Map<string, number>();
      for (const document of everyDocument()) if (document.eventId === id) counts.set(document.version!, (counts.get(document.version!) ?? 0) + 1);
      return counts;
    };
    const [payments, orders] = [versionsOf("payments"), versionsOf("orders")];
    const introduced = versionsWith("release-introduced-payments");
    expect([...introduced.keys()].sort()).toEqual([payments[1], payments[2]].sort());
    const regression = versionsWith("release-regression-orders");
    expect([...regression.keys()].sort()).toEqual([orders[0], orders[2]].sort());
    for (const count of [...introduced.values(), ...regression.values()]) expect(count).toBeGreaterThan(50);
  });

  it("is found by the version analysis: one error new with a release, one regressing in a later version", () => {
    // The namespaces' timelines from every error, window by window, as tracking builds them.
    const byWindow = new Map<string, GeneratedDocument[]>();
    for (const document of everyDocument()) {
      if (document.level !== "ERROR") continue;
      const key = `${plan.grid.windowStartOf(document.timestamp)} ${document.namespace}`;
      const list = byWindow.get(key);
      if (list) list.push(document);
      else byWindow.set(key, [document]);
    }
    const additions = mergeVersionSightings(
      [...byWindow].map(([key, documents]) => ({ namespace: key.split(" ")[1]!, sightings: sightVersions(documents, documents.length) })),
    );
    const timelineOf = (namespace: string) => additions.filter((addition) => addition.namespace === namespace);
    // A problem's windows: those holding the error, counted on its documents alone.
    const analysisOf = (id: string, namespace: string) => {
      const windows = new Map<number, GeneratedDocument[]>();
      for (const document of everyDocument()) {
        if (document.eventId !== id) continue;
        const start = plan.grid.windowStartOf(document.timestamp);
        windows.set(start, [...(windows.get(start) ?? []), document]);
      }
      const totals = sumVersionCounts([...windows.values()].map((documents) => countErrorsByVersion(documents, documents.length)));
      return analyzeVersions(totals, timelineOf(namespace), null, { ...DEFAULT_VERSION_SETTINGS, windowMs: WINDOW_MS });
    };
    const introduced = analysisOf("release-introduced-payments", "payments");
    expect(introduced.onlySince).toMatchObject({ version: versionsOf("payments")[1], quietVersions: [versionsOf("payments")[0]] });
    expect(introduced.regression).toBeNull();
    const regression = analysisOf("release-regression-orders", "orders");
    expect(regression.regression).toMatchObject({ before: versionsOf("orders")[0], quietVersions: [versionsOf("orders")[1]], back: versionsOf("orders")[2] });
    expect(regression.onlySince).toBeNull();
  });
});

describe("outbreak (outbreak: true)", () => {
  const plan = planDataSet({ ...smallOptions, outbreak: true });
  const outbreak = plan.outbreak!;
  const documentsOf = (date: string) => cached(dayCache, plan, date, () => generateDay(plan, date));
  const everyDocument = (() => {
    let all: GeneratedDocument[] | null = null;
    return () => (all ??= plan.days.flatMap(documentsOf));
  })();
  const parts = () => plan.incidents.filter((incident) => outbreak.incidentIds.includes(incident.id));

  it("breaks out in two ordinary namespaces at the same 2–4 windows of the detection period, one labelled incident in each", () => {
    expect(outbreak.namespaces).toHaveLength(2);
    expect(new Set(outbreak.namespaces).size).toBe(2);
    expect(outbreak.start).toBeGreaterThanOrEqual(plan.detectionFromMs);
    expect(outbreak.end).toBeLessThanOrEqual(plan.toMs);
    expect((outbreak.end - outbreak.start) / WINDOW_MS).toBeGreaterThanOrEqual(2);
    expect((outbreak.end - outbreak.start) / WINDOW_MS).toBeLessThanOrEqual(4);
    const partOf = (namespace: string) => parts().find((part) => part.namespace === namespace);
    expect(outbreak.namespaces.map((namespace) => partOf(namespace)?.id)).toEqual(outbreak.incidentIds);
    for (const namespace of outbreak.namespaces) {
      expect(partOf(namespace)).toMatchObject({ start: outbreak.start, end: outbreak.end, rootCause: outbreak.rootCause, kind: "incident" });
    }
    expect(parts()).toHaveLength(2);
    // Its root cause is used by no other incident.
    expect(plan.incidents.filter((incident) => incident.rootCause === outbreak.rootCause)).toHaveLength(2);
  });

  it("sizes each part like an ordinary incident, above the thresholds, and keeps 12 hours from the namespace's other incidents", () => {
    for (const part of parts()) {
      expect(part.magnitude).toBeGreaterThanOrEqual(4);
      expect(part.reachesThresholds).toBe(true);
      for (const window of part.windows) expect(window.extraMean + usualRate(plan, part.namespace, window.start)).toBeGreaterThanOrEqual(1.5 * 100);
      for (const other of plan.incidents.filter((incident) => incident.namespace === part.namespace && incident.id !== part.id)) {
        expect(other.start >= part.end + 12 * HOUR_MS || other.end + 12 * HOUR_MS <= part.start).toBe(true);
      }
    }
  });

  it("leaves the other incidents, their ids and the documents as they were but for the outbreak's errors", () => {
    const { outbreaks, incidents, ...rest } = labelsOf(plan);
    const { incidents: without, ...restWithout } = labelsOf(small);
    expect(rest).toEqual(restWithout);
    expect(incidents.filter((incident) => !outbreak.incidentIds.includes(incident.id))).toEqual(without);
    expect(labelsSchema.parse(labelsOf(plan)).outbreaks).toEqual(outbreaks);
    const date = plan.grid.localDateOf(outbreak.start);
    const own = (document: GeneratedDocument) => document.eventId !== null && outbreak.incidentIds.includes(document.eventId);
    expect(
      documentsOf(date)
        .filter((document) => !own(document))
        .map(serializeDocument),
    ).toEqual(day(date).map(serializeDocument));
  });

  it("logs the root cause in both namespaces only in its windows, each trace with its own id, rooted in the failing app", () => {
    const pattern = templatePattern(outbreak.rootCause);
    const roots = everyDocument().filter((document) => pattern.test(document.message));
    expect(new Set(roots.map((document) => document.namespace))).toEqual(new Set(outbreak.namespaces));
    for (const document of roots) {
      expect(document.timestamp).toBeGreaterThanOrEqual(outbreak.start);
      expect(document.timestamp).toBeLessThan(outbreak.end);
      expect(document.app).toBe(parts().find((part) => part.namespace === document.namespace)!.app);
    }
    for (const namespace of outbreak.namespaces) expect(roots.filter((document) => document.namespace === namespace).length).toBeGreaterThan(100);
    const traces = roots.flatMap((document) => (document.traceId === null ? [] : [document.traceId]));
    expect(new Set(traces).size).toBe(traces.length);
  });

  it("needs two namespaces", () => {
    expect(() => planDataSet({ ...smallOptions, namespaces: 1, outbreak: true })).toThrow(/at least 2 namespaces/);
    expect(planDataSet({ ...smallOptions, namespaces: 2, outbreak: true }).outbreak?.namespaces).toHaveLength(2);
  });

  it("has no outbreak without the option", () => {
    expect(small.outbreak).toBeNull();
    expect(labelsOf(small)).not.toHaveProperty("outbreaks");
  });
});
