import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidInputError } from "@/lib/errors";
import { labelsOf, planDataSet } from "@/lib/synthetic/generate";
import { readLabels } from "./validate";

// The command itself needs a database (integration); its labels file reading is tested here.

let tempRoot: string;

beforeAll(async () => {
  tempRoot = await mkdtemp(path.join(os.tmpdir(), "peaks-validate-"));
});

afterAll(async () => {
  await rm(tempRoot, { recursive: true, force: true });
});

/** labels.json as written before incident kinds existed. */
const oldLabels = {
  timezone: "Europe/Prague",
  window_minutes: 15,
  from: "2026-01-04T23:00:00.000Z",
  to: "2026-01-05T23:00:00.000Z",
  seed: 1,
  namespaces: ["payments"],
  incidents: [
    {
      id: "inc-001",
      namespace: "payments",
      start: "2026-01-05T09:00:00.000Z",
      end: "2026-01-05T09:30:00.000Z",
      magnitude: 12.5,
      root_cause: "pq: sorry, too many clients already",
      app: "ledger",
    },
  ],
  scheduled: [],
  below_minimum: [],
};

async function write(name: string, content: unknown): Promise<string> {
  const file = path.join(tempRoot, name);
  await writeFile(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

describe("readLabels", () => {
  it("reads labels written before incident kinds, without adding fields", async () => {
    const labels = await readLabels(await write("old.json", oldLabels));
    expect(labels).toEqual(oldLabels);
  });

  it("reads the labels of a data set with test cases", async () => {
    const plan = planDataSet({ seed: 2, from: "2026-02-23", days: 42, timeZone: "Europe/Prague", windowMinutes: 15, rate: 0.3, cases: true });
    const labels = await readLabels(await write("cases.json", labelsOf(plan)));
    expect(labels.namespace_kinds?.onboarding).toBe("newborn");
    expect(labels.incidents.filter((incident) => incident.kind === "repeat")).toHaveLength(2);
    expect(labels.incidents.find((incident) => incident.kind === "level_shift")?.accepted_from).toMatch(/Z$/);
  });

  it("rejects an unknown incident kind or namespace kind with the field named", async () => {
    const badKind = { ...oldLabels, incidents: [{ ...oldLabels.incidents[0], kind: "spike" }] };
    await expect(readLabels(await write("bad-kind.json", badKind))).rejects.toThrow(InvalidInputError);
    await expect(readLabels(await write("bad-kind.json", badKind))).rejects.toThrow(/incidents\.0\.kind/);
    const badNamespaceKind = { ...oldLabels, namespace_kinds: { payments: "bursty" } };
    await expect(readLabels(await write("bad-namespace-kind.json", badNamespaceKind))).rejects.toThrow(/namespace_kinds\.payments/);
  });

  it("rejects a file that is not JSON", async () => {
    await expect(readLabels(await write("broken.json", "{"))).rejects.toThrow(/is not valid JSON/);
  });
});
