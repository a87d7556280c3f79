import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidInputError } from "@/lib/errors";
import type { WindowCounts } from "@/lib/pipeline/log-document";
import { createWindowGrid } from "@/lib/pipeline/time";
import { MAX_VERSION_LENGTH, type FieldMapping } from "./field-mapping";
import { countFiles, createFileSource, InputError, listInputFiles, parseTimestamp, type FileSourceOptions } from "./file-source";

const prague = createWindowGrid("Europe/Prague", 15);
const at = (iso: string) => Date.parse(iso);

// The default mapping of values.yaml (ECS-style names).
const fields: FieldMapping = {
  timestamp: "@timestamp",
  namespace: "kubernetes.namespace",
  app: "kubernetes.labels.app",
  level: "level",
  message: "message",
  trace_id: "trace.id",
  version: "service.version",
};
const options: FileSourceOptions = { fields, errorLevels: ["ERROR"], grid: prague };

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "peaks-file-source-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let fileIndex = 0;
/** Writes lines to a new file in the temporary folder (gzip-compressed when asked) and returns its path. */
function writeFile(lines: readonly string[], { name, gzip = false }: { name?: string; gzip?: boolean } = {}): string {
  fileIndex += 1;
  const file = path.join(tmp, name ?? `input-${fileIndex}.ndjson`);
  const text = lines.map((line) => `${line}\n`).join("");
  writeFileSync(file, gzip ? gzipSync(text) : text);
  return file;
}

const errorDoc = (timestamp: string, namespace: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ "@timestamp": timestamp, level: "ERROR", message: "boom", kubernetes: { namespace, labels: { app: `${namespace}-api` } }, ...extra });

/** Counts as a plain object: ISO window start → namespace → count. */
function plain(counts: WindowCounts): Record<string, Record<string, number>> {
  const result: Record<string, Record<string, number>> = {};
  for (const [start, byNamespace] of [...counts].sort(([left], [right]) => left - right)) {
    result[new Date(start).toISOString()] = Object.fromEntries([...byNamespace].sort(([left], [right]) => left.localeCompare(right)));
  }
  return result;
}

describe("parseTimestamp", () => {
  it("reads UTC timestamps with 0 to 9 fraction digits exactly as Date.parse does", () => {
    const instants = [0, 1, 999, 86_399_999, 1_768_471_203_123, 1_772_236_800_000, 1_798_761_599_999];
    for (const instant of instants) {
      const iso = new Date(instant).toISOString();
      for (const text of [iso, iso.replace(/\.\d{3}Z$/, "Z"), iso.replace(/(\.\d)\d\dZ$/, "$1Z"), iso.replace("Z", "456789Z"), iso.replace("T", " ")]) {
        expect(parseTimestamp(text, prague)).toBe(Date.parse(text.replace(" ", "T")));
      }
    }
  });

  it("takes an ISO-8601 instant with Z as is", () => {
    expect(parseTimestamp("2026-01-15T10:00:03.123Z", prague)).toBe(at("2026-01-15T10:00:03.123Z"));
  });

  it("applies an explicit +02:00 offset, whatever the grid's timezone", () => {
    expect(parseTimestamp("2026-01-15T12:00:00+02:00", prague)).toBe(at("2026-01-15T10:00:00Z"));
  });

  it("takes a large number as epoch milliseconds", () => {
    expect(parseTimestamp(1_768_471_203_123, prague)).toBe(1_768_471_203_123);
  });

  it("takes a small number as epoch seconds", () => {
    expect(parseTimestamp(1_768_471_203, prague)).toBe(1_768_471_203_000);
  });

  it("reads a time without offset as Prague winter time (UTC+1)", () => {
    expect(parseTimestamp("2026-01-15T11:00:00", prague)).toBe(at("2026-01-15T10:00:00Z"));
  });

  it("reads a time without offset as Prague summer time (UTC+2)", () => {
    expect(parseTimestamp("2026-07-15T12:00:00", prague)).toBe(at("2026-07-15T10:00:00Z"));
  });

  it("accepts a space instead of T and keeps the milliseconds", () => {
    expect(parseTimestamp("2026-01-15 11:00:03.123", prague)).toBe(at("2026-01-15T10:00:03.123Z"));
  });

  it("returns null for strings that are not timestamps", () => {
    for (const value of ["", "garbage", "15.01.2026 11:00", "2026-01-15", "2026-01-15T11", "yesterday at noon"]) {
      expect(parseTimestamp(value, prague), value).toBeNull();
    }
  });

  it("returns null for values that are neither strings nor finite numbers", () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, true, {}, [], null, undefined]) {
      expect(parseTimestamp(value, prague)).toBeNull();
    }
  });

  // Date.UTC and Date.parse roll impossible dates over into the next day or month; such
  // documents must be skipped, not counted in a wrong window.
  it("returns null for an impossible calendar date without offset (2026-02-30 10:00)", () => {
    expect(parseTimestamp("2026-02-30 10:00", prague)).toBeNull();
  });

  it("returns null for an impossible hour without offset (2026-01-15 25:00)", () => {
    expect(parseTimestamp("2026-01-15 25:00", prague)).toBeNull();
  });

  it("returns null for an impossible calendar date with Z (2026-02-30T10:00:00Z)", () => {
    expect(parseTimestamp("2026-02-30T10:00:00Z", prague)).toBeNull();
  });
});

describe("listInputFiles", () => {
  let folder: string;
  beforeAll(() => {
    folder = path.join(tmp, "tree");
    mkdirSync(path.join(folder, "b-sub", "deeper"), { recursive: true });
    mkdirSync(path.join(folder, ".hidden-folder"), { recursive: true });
    for (const name of [
      "z.log",
      "a.ndjson",
      "c.jsonl.gz",
      "d.TXT",
      "e.log.gz",
      "labels.json",
      "notes.md",
      "data.ndjson.bz2",
      ".hidden.ndjson",
      "b-sub/x.txt",
      "b-sub/deeper/y.ndjson",
      "b-sub/skip.csv",
      ".hidden-folder/inside.ndjson",
    ]) {
      writeFileSync(path.join(folder, name), "");
    }
  });

  it("always takes a named file, even with an odd extension", async () => {
    const odd = path.join(folder, "notes.md");
    const labels = path.join(folder, "labels.json");
    expect(await listInputFiles([odd, labels])).toEqual([odd, labels]);
  });

  it("yields only log files of a folder, recursively and sorted, leaving out hidden ones and labels.json", async () => {
    const files = await listInputFiles([folder]);
    expect(files.map((file) => path.relative(folder, file))).toEqual([
      "a.ndjson",
      path.join("b-sub", "deeper", "y.ndjson"),
      path.join("b-sub", "x.txt"),
      "c.jsonl.gz",
      "d.TXT",
      "e.log.gz",
      "z.log",
    ]);
  });

  it("keeps the order of several named paths", async () => {
    const second = path.join(folder, "z.log");
    const first = path.join(folder, "a.ndjson");
    expect(await listInputFiles([second, first])).toEqual([second, first]);
  });

  it("throws an invalid-input error naming a missing path", async () => {
    const missing = path.join(tmp, "does-not-exist.ndjson");
    const error: unknown = await listInputFiles([folder, missing]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toContain(missing);
  });
});

describe("countFiles", () => {
  it("notes the versions per UTC day and namespace from the error documents: first and last seen, none for other levels or documents without one", async () => {
    const file = writeFile([
      errorDoc("2026-01-15T10:01:00Z", "payments", { service: { version: "1.4.0" } }),
      errorDoc("2026-01-15T10:09:00Z", "payments", { service: { version: "1.5.0" } }),
      errorDoc("2026-01-15T10:12:00Z", "payments", { service: { version: "1.4.0" } }),
      errorDoc("2026-01-15T10:13:00Z", "payments"),
      JSON.stringify({
        "@timestamp": "2026-01-15T10:14:00Z",
        level: "INFO",
        message: "deployed",
        kubernetes: { namespace: "payments" },
        service: { version: "1.6.0" },
      }),
      errorDoc("2026-01-15T10:16:00Z", "orders", { service: { version: "2.0.0" } }),
      errorDoc("2026-01-16T00:30:00Z", "orders", { service: { version: "2.0.0" } }),
    ]);
    const { versions } = await countFiles([file], options, null);
    const plainVersions = [...versions!].map(([start, byNamespace]) => [
      new Date(start).toISOString(),
      [...byNamespace].map(([namespace, byVersion]) => [
        namespace,
        [...byVersion].map(([version, seen]) => [version, new Date(seen.firstSeenMs).toISOString(), new Date(seen.lastSeenMs).toISOString()]),
      ]),
    ]);
    expect(plainVersions).toEqual([
      [
        "2026-01-15T00:00:00.000Z",
        [
          [
            "payments",
            [
              ["1.4.0", "2026-01-15T10:01:00.000Z", "2026-01-15T10:12:00.000Z"],
              ["1.5.0", "2026-01-15T10:09:00.000Z", "2026-01-15T10:09:00.000Z"],
            ],
          ],
          ["orders", [["2.0.0", "2026-01-15T10:16:00.000Z", "2026-01-15T10:16:00.000Z"]]],
        ],
      ],
      ["2026-01-16T00:00:00.000Z", [["orders", [["2.0.0", "2026-01-16T00:30:00.000Z", "2026-01-16T00:30:00.000Z"]]]]],
    ]);
  });

  const lines = [
    errorDoc("2026-01-15T10:01:00Z", "payments"),
    errorDoc("2026-01-15T10:14:59.999Z", "payments"),
    errorDoc("2026-01-15T10:15:00Z", "payments"),
    errorDoc("2026-01-15T10:05:00Z", "orders"),
  ];
  const expected = {
    "2026-01-15T10:00:00.000Z": { orders: 1, payments: 2 },
    "2026-01-15T10:15:00.000Z": { payments: 1 },
  };

  it("counts documents per 15-minute window and namespace", async () => {
    const report = await countFiles([writeFile(lines)], options, null);
    expect(plain(report.counts)).toEqual(expected);
    expect(report).toMatchObject({ documents: 4, ignoredLevels: 0, outsideRange: 0, skipped: { total: 0, byReason: {}, examples: [] } });
  });

  it("puts a document without offset in the window of its Prague local time", async () => {
    // 11:07 in Prague in January is 10:07 UTC: window 10:00Z (local 11:00).
    const report = await countFiles([writeFile([errorDoc("2026-01-15 11:07:30", "payments")])], options, null);
    expect(plain(report.counts)).toEqual({ "2026-01-15T10:00:00.000Z": { payments: 1 } });
  });

  it("counts a window again after documents out of time order", async () => {
    const shuffled = [lines[2]!, lines[0]!, lines[3]!, lines[1]!];
    const report = await countFiles([writeFile(shuffled)], options, null);
    expect(plain(report.counts)).toEqual(expected);
  });

  it("gives the same counts for a plain and a gzip-compressed file", async () => {
    const plainReport = await countFiles([writeFile(lines)], options, null);
    const gzipReport = await countFiles([writeFile(lines, { name: "compressed.ndjson.gz", gzip: true })], options, null);
    expect(plain(gzipReport.counts)).toEqual(plain(plainReport.counts));
    expect(gzipReport.documents).toBe(4);
  });

  it("detects gzip by content, also without a .gz extension", async () => {
    const report = await countFiles([writeFile(lines, { name: "compressed-no-extension.ndjson", gzip: true })], options, null);
    expect(report.skipped.total).toBe(0);
    expect(plain(report.counts)).toEqual(expected);
  });

  it("adds up several files", async () => {
    const report = await countFiles([writeFile(lines.slice(0, 2)), writeFile(lines.slice(2), { name: "second.ndjson.gz", gzip: true })], options, null);
    expect(plain(report.counts)).toEqual(expected);
    expect(report.documents).toBe(4);
  });

  it("reads Elasticsearch hits through their _source", async () => {
    const hit = JSON.stringify({
      _index: "logs-2026.01.15",
      _id: "abc",
      _source: { "@timestamp": "2026-01-15T10:01:00Z", level: "ERROR", message: "boom", kubernetes: { namespace: "payments" } },
    });
    const report = await countFiles([writeFile([hit])], options, null);
    expect(plain(report.counts)).toEqual({ "2026-01-15T10:00:00.000Z": { payments: 1 } });
  });

  it("reads flat dotted keys", async () => {
    const flat = JSON.stringify({ "@timestamp": "2026-01-15T10:01:00Z", level: "ERROR", "kubernetes.namespace": "x", "trace.id": "t-1", message: "m" });
    const seen: { namespace: string; traceId: string | null }[] = [];
    const report = await countFiles([writeFile([flat])], options, null, {
      onDocument: (document) => seen.push({ namespace: document.namespace, traceId: document.traceId }),
    });
    expect(plain(report.counts)).toEqual({ "2026-01-15T10:00:00.000Z": { x: 1 } });
    expect(seen).toEqual([{ namespace: "x", traceId: "t-1" }]);
  });

  it("reads the version nested, flat or as a number; a document without one has none", async () => {
    const lines = [
      errorDoc("2026-01-15T10:01:00Z", "x", { service: { version: "1.5.0" } }),
      JSON.stringify({ "@timestamp": "2026-01-15T10:02:00Z", level: "ERROR", "kubernetes.namespace": "x", "service.version": "1.4.0" }),
      errorDoc("2026-01-15T10:03:00Z", "x", { service: { version: 3 } }),
      errorDoc("2026-01-15T10:04:00Z", "x", { service: { version: "" } }),
      errorDoc("2026-01-15T10:05:00Z", "x", { service: { version: { major: 1 } } }),
      errorDoc("2026-01-15T10:06:00Z", "x"),
      errorDoc("2026-01-15T10:07:00Z", "x", { service: { version: "v".repeat(500) } }),
    ];
    const versions: (string | null)[] = [];
    const report = await countFiles([writeFile(lines)], options, null, { onDocument: (document) => versions.push(document.version) });
    expect(report.documents).toBe(7);
    expect(versions).toEqual(["1.5.0", "1.4.0", "3", null, null, null, "v".repeat(MAX_VERSION_LENGTH)]);
  });

  it("compares levels case-insensitively and counts other levels as ignored", async () => {
    const withLevel = (level: unknown) => JSON.stringify({ "@timestamp": "2026-01-15T10:01:00Z", level, kubernetes: { namespace: "payments" } });
    const report = await countFiles(
      [writeFile([withLevel("error"), withLevel("Error"), withLevel("ERROR"), withLevel("WARN"), withLevel("info"), withLevel(null)])],
      options,
      null,
    );
    expect(report.documents).toBe(3);
    expect(report.ignoredLevels).toBe(3);
    expect(report.skipped.total).toBe(0);
  });

  it("uses every configured error level", async () => {
    const withLevel = (level: string) => JSON.stringify({ "@timestamp": "2026-01-15T10:01:00Z", level, kubernetes: { namespace: "payments" } });
    const report = await countFiles(
      [writeFile([withLevel("fatal"), withLevel("ERROR"), withLevel("warn")])],
      { ...options, errorLevels: ["error", "Fatal"] },
      null,
    );
    expect(report.documents).toBe(2);
    expect(report.ignoredLevels).toBe(1);
  });

  it("skips each kind of bad line with its reason and file:line, and keeps counting after it", async () => {
    const file = writeFile([
      errorDoc("2026-01-15T10:01:00Z", "payments"), // 1
      "{not json", // 2
      "[1,2,3]", // 3
      JSON.stringify({ level: "ERROR", kubernetes: { namespace: "payments" } }), // 4: no timestamp
      errorDoc("not a time", "payments"), // 5
      JSON.stringify({ "@timestamp": "2026-01-15T10:02:00Z", level: "ERROR" }), // 6: no namespace
      "42", // 7
      "", // 8
      "   ", // 9
      errorDoc("2026-01-15T10:03:00Z", "payments"), // 10
      errorDoc("2026-01-15T10:04:00Z", ""), // 11: empty namespace
      errorDoc("2026-01-15T10:05:00Z", "orders"), // 12
    ]);
    const report = await countFiles([file], options, null);
    expect(report.documents).toBe(3);
    expect(plain(report.counts)).toEqual({ "2026-01-15T10:00:00.000Z": { orders: 1, payments: 2 } });
    expect(report.skipped.total).toBe(7);
    expect(report.skipped.byReason).toEqual({
      "invalid JSON": 1,
      "not a JSON object": 2,
      "missing timestamp (@timestamp)": 1,
      "invalid timestamp (@timestamp)": 1,
      "missing namespace (kubernetes.namespace)": 2,
    });
    expect(report.skipped.examples).toEqual([
      `${file}:2: invalid JSON`,
      `${file}:3: not a JSON object`,
      `${file}:4: missing timestamp (@timestamp)`,
      `${file}:5: invalid timestamp (@timestamp)`,
      `${file}:6: missing namespace (kubernetes.namespace)`,
      `${file}:7: not a JSON object`,
      `${file}:11: missing namespace (kubernetes.namespace)`,
    ]);
  });

  it("numbers the lines of a gzip-compressed file like those of a plain one", async () => {
    const file = writeFile(["", errorDoc("2026-01-15T10:01:00Z", "payments"), "{oops"], { name: "bad.log.gz", gzip: true });
    const report = await countFiles([file], options, null);
    expect(report.documents).toBe(1);
    expect(report.skipped.examples).toEqual([`${file}:3: invalid JSON`]);
  });

  it("keeps at most 25 examples but counts every skipped line", async () => {
    const report = await countFiles([writeFile(Array.from({ length: 30 }, () => "{bad"))], options, null);
    expect(report.skipped.total).toBe(30);
    expect(report.skipped.byReason).toEqual({ "invalid JSON": 30 });
    expect(report.skipped.examples).toHaveLength(25);
  });

  it("ignores empty lines without counting or skipping them", async () => {
    const report = await countFiles([writeFile(["", lines[0]!, "", "", lines[1]!, "\t "])], options, null);
    expect(report).toMatchObject({ documents: 2, ignoredLevels: 0, outsideRange: 0, skipped: { total: 0 } });
  });

  it("counts documents outside [from, to) in outsideRange only", async () => {
    const range = { fromMs: at("2026-01-15T10:00:00Z"), toMs: at("2026-01-15T10:15:00Z") };
    const file = writeFile([
      errorDoc("2026-01-15T09:59:59.999Z", "payments"),
      errorDoc("2026-01-15T10:00:00Z", "payments"),
      errorDoc("2026-01-15T10:14:59.999Z", "orders"),
      errorDoc("2026-01-15T10:15:00Z", "payments"),
    ]);
    const report = await countFiles([file], options, range);
    expect(report.documents).toBe(2);
    expect(report.outsideRange).toBe(2);
    expect(plain(report.counts)).toEqual({ "2026-01-15T10:00:00.000Z": { orders: 1, payments: 1 } });
  });

  it("works with a custom field mapping", async () => {
    const custom: FileSourceOptions = {
      ...options,
      fields: { timestamp: "ts", namespace: "ns", app: "svc", level: "severity", message: "msg", trace_id: "meta.trace", version: "meta.release" },
    };
    const file = writeFile([
      JSON.stringify({ ts: 1_768_471_260_000, ns: "billing", severity: "error", msg: "x", svc: "billing-api", meta: { trace: "t-9", release: "2026.1" } }),
      JSON.stringify({ ts: "2026-01-15T10:20:00Z", ns: "billing", severity: "ERROR" }),
      // The default names mean nothing under this mapping.
      errorDoc("2026-01-15T10:01:00Z", "payments"),
    ]);
    const documents: { app: string | null; traceId: string | null; version: string | null; timestamp: number }[] = [];
    const report = await countFiles([file], custom, null, {
      onDocument: (document) => documents.push({ app: document.app, traceId: document.traceId, version: document.version, timestamp: document.timestamp }),
    });
    expect(plain(report.counts)).toEqual({ "2026-01-15T10:00:00.000Z": { billing: 1 }, "2026-01-15T10:15:00.000Z": { billing: 1 } });
    expect(report.ignoredLevels).toBe(1);
    expect(documents[0]).toEqual({ app: "billing-api", traceId: "t-9", version: "2026.1", timestamp: 1_768_471_260_000 });
  });

  it("names the custom fields in the skip reasons", async () => {
    const custom: FileSourceOptions = { ...options, fields: { ...fields, timestamp: "ts", namespace: "ns" } };
    const file = writeFile([JSON.stringify({ level: "ERROR", ns: "a" }), JSON.stringify({ level: "ERROR", ts: "2026-01-15T10:00:00Z" })]);
    const report = await countFiles([file], custom, null);
    expect(report.skipped.examples).toEqual([`${file}:1: missing timestamp (ts)`, `${file}:2: missing namespace (ns)`]);
  });

  it("reports each file when it is done, with its size", async () => {
    const first = writeFile(lines);
    const second = writeFile(lines, { name: "done.ndjson.gz", gzip: true });
    const done: string[] = [];
    await countFiles([first, second], options, null, { onFileDone: (file, bytes) => done.push(`${path.basename(file)}:${bytes > 0}`) });
    expect(done).toEqual([`${path.basename(first)}:true`, "done.ndjson.gz:true"]);
  });
});

describe("createFileSource", () => {
  const lines = [
    errorDoc("2026-01-15T10:09:00Z", "payments", { trace: { id: "late" } }),
    errorDoc("2026-01-15T10:01:00Z", "payments", { trace: { id: "early" } }),
    errorDoc("2026-01-15T10:05:00Z", "orders", { trace: { id: "orders" } }),
    errorDoc("2026-01-15T10:05:00Z", "payments", { trace: { id: "middle" } }),
    errorDoc("2026-01-15T10:20:00Z", "payments", { trace: { id: "next" } }),
    errorDoc("2026-01-15T11:20:00Z", "payments", { trace: { id: "outside" } }),
  ];
  const range = { fromMs: at("2026-01-15T10:00:00Z"), toMs: at("2026-01-15T11:00:00Z") };

  it("hands over each window's earliest documents in time order, with the true totals", async () => {
    const source = createFileSource([writeFile(lines)], options);
    const windows: { start: string; traces: (string | null)[]; total: number }[] = [];
    const report = await source.readDocuments({ range, maxPerWindow: 2 }, (window) => {
      windows.push({ start: new Date(window.windowStart).toISOString(), traces: window.documents.map((document) => document.traceId), total: window.total });
    });
    expect(windows).toEqual([
      { start: "2026-01-15T10:00:00.000Z", traces: ["early", "orders"], total: 4 },
      { start: "2026-01-15T10:15:00.000Z", traces: ["next"], total: 1 },
    ]);
    expect(report).toEqual({ windows: 2, read: 3, total: 5 });
  });

  it("reads one namespace when asked, and keeps the earliest even past twice the cap", async () => {
    const many = Array.from({ length: 50 }, (_, index) =>
      errorDoc(new Date(at("2026-01-15T10:14:00Z") - index * 1000).toISOString(), "payments", { trace: { id: `t${index}` } }),
    );
    const source = createFileSource([writeFile([...many, ...lines])], options);
    const traces: (string | null)[] = [];
    await source.readDocuments({ range, namespace: "payments", maxPerWindow: 3 }, (window) => {
      if (window.windowStart === at("2026-01-15T10:00:00Z")) traces.push(...window.documents.map((document) => document.traceId));
    });
    expect(traces).toEqual(["early", "middle", "late"]);
  });

  it("counts like countFiles and lists its files", async () => {
    const file = writeFile(lines);
    const source = createFileSource([file], options);
    expect(plain((await source.countWindows(range)).counts)).toEqual(plain((await countFiles([file], options, range)).counts));
    expect(await source.listInputs()).toEqual([file]);
    expect(source.kind).toBe("file");
  });
});

describe("coverage of files", () => {
  const infoDoc = (timestamp: string, namespace: string) =>
    JSON.stringify({ "@timestamp": timestamp, level: "INFO", message: "alive", kubernetes: { namespace } });

  it("covers, per namespace in it, the span from a file's first to its last line of any level", async () => {
    const file = writeFile([
      infoDoc("2026-01-15T09:00:00Z", "payments"),
      errorDoc("2026-01-15T09:20:00Z", "payments"),
      infoDoc("2026-01-15T10:00:00Z", "orders"),
    ]);
    const report = await countFiles([file], options, null);
    expect(report.coverage.all).toEqual([]);
    expect(report.coverage.byNamespace.get("payments")).toEqual([{ fromMs: at("2026-01-15T09:00:00Z"), toMs: at("2026-01-15T10:00:00Z") }]);
    expect(report.coverage.byNamespace.get("orders")).toEqual([{ fromMs: at("2026-01-15T09:00:00Z"), toMs: at("2026-01-15T10:00:00Z") }]);
    expect(report.coverage.byNamespace.has("search")).toBe(false);
    expect(report.files).toEqual([{ file, fromMs: at("2026-01-15T09:00:00Z"), toMs: at("2026-01-15T10:00:00Z"), documents: 1 }]);
  });

  it("joins files that end and start seconds apart, and leaves a missing file as a gap", async () => {
    const hourly = (day: string, first: string, last: string) =>
      [first, ...Array.from({ length: 22 }, (_, hour) => `${day}T${String(hour + 1).padStart(2, "0")}:00:00Z`), last].map((time) => infoDoc(time, "payments"));
    const first = writeFile(hourly("2026-01-15", "2026-01-15T00:00:00Z", "2026-01-15T23:59:58Z"));
    const second = writeFile(hourly("2026-01-16", "2026-01-16T00:00:03Z", "2026-01-16T23:59:59Z"));
    const fourth = writeFile([
      infoDoc("2026-01-18T00:00:01Z", "payments"),
      infoDoc("2026-01-18T01:00:00Z", "payments"),
      infoDoc("2026-01-18T02:00:00Z", "payments"),
    ]);
    const report = await countFiles([first, second, fourth], options, null);
    expect(report.coverage.byNamespace.get("payments")).toEqual([
      { fromMs: at("2026-01-15T00:00:00Z"), toMs: at("2026-01-16T23:59:59Z") },
      { fromMs: at("2026-01-18T00:00:01Z"), toMs: at("2026-01-18T02:00:00Z") },
    ]);
  });

  it("clips coverage to the range read", async () => {
    const file = writeFile(Array.from({ length: 24 }, (_, hour) => infoDoc(`2026-01-15T${String(hour).padStart(2, "0")}:00:00Z`, "payments")));
    const report = await countFiles([file], options, { fromMs: at("2026-01-15T10:00:00Z"), toMs: at("2026-01-15T12:00:00Z") });
    expect(report.coverage.byNamespace.get("payments")).toEqual([{ fromMs: at("2026-01-15T10:00:00Z"), toMs: at("2026-01-15T12:00:00Z") }]);
  });

  it("chooses files by content, not name: a file named for another day is read, and later reads skip files that cannot hold the range", async () => {
    const misnamed = writeFile([errorDoc("2026-03-02T10:00:00Z", "payments")], { name: "errors-2019-01-01.ndjson" });
    const other = writeFile([errorDoc("2026-01-15T10:00:00Z", "payments")], { name: "errors-2026-03-02.ndjson" });
    const source = createFileSource([misnamed, other], options);
    const march = { fromMs: at("2026-03-02T00:00:00Z"), toMs: at("2026-03-03T00:00:00Z") };
    expect((await source.countWindows(march)).documents).toBe(1);
    expect(await source.filesFor(march)).toEqual([misnamed]);
  });

  it("names the file when gzip data ends early", async () => {
    const whole = gzipSync(
      Array.from({ length: 2000 }, (_, index) => errorDoc(`2026-01-15T10:${String(index % 60).padStart(2, "0")}:00Z`, "payments")).join("\n"),
    );
    const file = path.join(tmp, "truncated.ndjson.gz");
    writeFileSync(file, whole.subarray(0, Math.floor(whole.length / 2)));
    await expect(countFiles([file], options, null)).rejects.toThrow(`Cannot read ${file}: the gzip data ends early (truncated file?)`);
  });
});

describe("silences in files", () => {
  const line = (timestamp: string, level = "INFO") => JSON.stringify({ "@timestamp": timestamp, level, message: "m", kubernetes: { namespace: "orders" } });

  it("breaks a file's coverage where no line occurs for longer than the longest silence", async () => {
    const file = writeFile([line("2026-01-15T00:00:00Z"), line("2026-01-15T01:59:00Z"), line("2026-01-15T02:00:00Z"), line("2026-02-03T12:00:00Z", "ERROR")]);
    const report = await countFiles([file], { ...options, maxSilenceMs: 2 * 3_600_000 }, null);
    // One stray line 19 days ahead covers only itself, not the days before it.
    expect(report.coverage.byNamespace.get("orders")).toEqual([
      { fromMs: at("2026-01-15T00:00:00Z"), toMs: at("2026-01-15T02:00:00Z") },
      { fromMs: at("2026-02-03T12:00:00Z"), toMs: at("2026-02-03T12:00:00Z") },
    ]);
  });

  it("keeps a silence of exactly the longest silence covered, inside a file and between two", async () => {
    const first = writeFile([line("2026-01-15T00:00:00Z"), line("2026-01-15T02:00:00Z")]);
    const second = writeFile([line("2026-01-15T04:00:00Z"), line("2026-01-15T05:00:00Z")]);
    const report = await countFiles([first, second], { ...options, maxSilenceMs: 2 * 3_600_000 }, null);
    expect(report.coverage.byNamespace.get("orders")).toEqual([{ fromMs: at("2026-01-15T00:00:00Z"), toMs: at("2026-01-15T05:00:00Z") }]);
  });
});
