import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { fileSourceOf } from "@/lib/es";
import { findIncidentErrorsByVersion, findNamespaceVersions } from "@/lib/db/versions";
import { getIncident } from "@/lib/incidents/list";
import { investigateSample } from "@/lib/jobs/first-start";
import { readOverview } from "@/lib/overview/overview";
import { createWindowGrid } from "@/lib/pipeline/time";
import { versionImpactOf } from "@/lib/versions/impact";
import type { Actor } from "@/lib/roles";
import { generateDays, labelsOf, planDataSet, templatePattern } from "@/lib/synthetic/generate";
import { batchFolder, writeByUtcDate } from "@/test/support/completeness";
import { databaseKinds, useMigratedDatabase, type DatabaseKind } from "@/test/support/test-database";
import { getProblem } from "./detail";
import { listProblems } from "./list";
import { problemSettingsOf } from "./summaries";

// Problems, their trend and scope, cross-namespace events and release impact found by the real
// pipeline (batch INIT then REGULAR, then the investigation of every peak) in generated data
// with planned problems: an outbreak (one root cause in two namespaces at once) and releases (an
// error new with a version, one that a version fixes and the next brings back). Every expectation
// comes from the labels.

const config = loadConfig(path.resolve("values.yaml"));
const grid = createWindowGrid(config.timezone, config.window_minutes);
const plan = planDataSet({
  seed: 1,
  from: "2026-01-05",
  days: 14,
  timeZone: config.timezone,
  windowMinutes: config.window_minutes,
  namespaces: 3,
  rate: 0.3,
  minAbsoluteValue: config.peak_detection.min_absolute_value,
  dynamicMinMultiplier: config.peak_detection.dynamic_min_multiplier,
  minRatioMultiplier: config.peak_detection.min_ratio_multiplier,
  releases: true,
  outbreak: true,
});
const labels = labelsOf(plan);
const outbreak = labels.outbreaks![0]!;
const folder = mkdtempSync(path.join(os.tmpdir(), "peaks-generated-problems-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
beforeAll(() => {
  const documents = [...generateDays(plan)].flatMap((day) => day.documents);
  writeByUtcDate(folder, documents);
});

const viewer: Actor = { kind: "user", id: 1, email: "vic@example.com", name: null, role: "viewer" };
const HOUR_MS = 3_600_000;
const outbreakStartMs = Date.parse(outbreak.start);
const outbreakEndMs = Date.parse(outbreak.end);
const isOutbreakMessage = (message: string) => templatePattern(outbreak.root_cause).test(message);
/** The data set's end: the whole detection period is the last 7 days, and the 7 days before hold no peak. */
const end = new Date(plan.toMs);
const settingsAt = (now: Date, systemicNamespaces = config.problems.systemic_namespaces) => ({ ...problemSettingsOf(config), systemicNamespaces, now });
const incidentSettings = { links: { template: null, windowMinutes: config.window_minutes }, now: end };
const releasesOf = (namespace: string) => labels.releases!.filter((release) => release.namespace === namespace);
/** An error tied to versions, its labelled incident, the version whose release brings it (back), and the one before. */
const releaseError = (kind: "introduced" | "regression") => {
  const error = labels.release_errors!.find((candidate) => candidate.kind === kind)!;
  const incident = labels.incidents.find((candidate) => candidate.id === error.incidents!.at(-1))!;
  const version = kind === "introduced" ? error.versions[0]! : error.versions.at(-1)!;
  const own = releasesOf(error.namespace);
  const index = own.findIndex((release) => release.version === version);
  return { error, incident, release: own[index]!, previous: own[index - 1]! };
};

describe.each(databaseKinds)("problems from generated data on %s", (kind: DatabaseKind) => {
  const db = useMigratedDatabase(kind);

  beforeAll(async () => {
    // As `peaks batch --all` and `peaks investigate-sample` load a sample: INIT before the labels' detection period, REGULAR from it.
    await batchFolder(db(), config, folder, { phase: "all", splitDay: grid.localDateOf(plan.detectionFromMs) });
    const source = fileSourceOf(config, [folder]);
    try {
      await investigateSample(db(), config, source);
    } finally {
      await source.close();
    }
  }, 300_000);

  const outbreakProblem = async (settings: ReturnType<typeof settingsAt>) => {
    const page = await listProblems(db(), viewer, { since: "7d" }, settings);
    return page.problems.filter((problem) => problem.example !== null && isOutbreakMessage(problem.example));
  };
  /** The stored incidents holding the outbreak's windows, per labelled namespace. */
  const outbreakIncidents = async () =>
    db().prisma.incident.findMany({
      where: { namespace: { in: outbreak.namespaces }, startedAt: { lt: new Date(outbreakEndMs) }, lastWindowAt: { gte: new Date(outbreakStartMs) } },
      select: { id: true, namespace: true },
      orderBy: { id: "asc" },
    });

  it("makes the outbreak one problem of its two labelled namespaces, from its first window, growing against the week before", async () => {
    const problems = await outbreakProblem(settingsAt(end));
    expect(problems).toHaveLength(1);
    const [problem] = problems;
    expect(problem!.namespaces).toEqual([...outbreak.namespaces].sort());
    expect(problem!.firstSeen).toBe(outbreak.start);
    expect(Date.parse(problem!.lastSeen)).toBeLessThanOrEqual(outbreakEndMs);
    expect(problem!.incidents).toBe(outbreak.namespaces.length);
    // Its root cause is logged only in the outbreak's windows: none in the week before.
    expect(problem!.trend).toMatchObject({ direction: "up", previous: { windows: 0, errors: 0 }, ratio: null });
    expect(problem!.trend.current.errors).toBe(problem!.errors);
    const detail = await getProblem(db(), viewer, { id: problem!.id, since: "7d" }, settingsAt(end));
    expect(detail.incidentList.map((incident) => incident.namespace).sort()).toEqual([...outbreak.namespaces].sort());
    expect(detail.incidentList.map((incident) => incident.start)).toEqual(outbreak.namespaces.map(() => outbreak.start));
  });

  it("calls it several with the default systemic_namespaces (3), systemic with 2", async () => {
    const [byDefault] = await outbreakProblem(settingsAt(end));
    expect(config.problems.systemic_namespaces).toBe(3);
    expect(byDefault!.scope).toEqual({ kind: "several", namespaces: 2, mostAtOnce: 2, mostAtOnceFrom: outbreak.start });
    const [withTwo] = await outbreakProblem(settingsAt(end, 2));
    expect(withTwo!.scope).toEqual({ kind: "systemic", namespaces: 2, mostAtOnce: 2, mostAtOnceFrom: outbreak.start });
  });

  /** The stored incidents holding a labelled incident's windows. */
  const storedIncidentsOf = (label: { namespace: string; start: string; end: string }) =>
    db().prisma.incident.findMany({
      where: { namespace: label.namespace, startedAt: { lt: new Date(label.end) }, lastWindowAt: { gte: new Date(label.start) } },
      select: { id: true },
      orderBy: { id: "asc" },
    });

  it.each(["introduced", "regression"] as const)(
    "shows the %s error's incident as new with the labelled release, its errors all of that version",
    async (kind) => {
      const { incident, release, previous } = releaseError(kind);
      const stored = await storedIncidentsOf(incident);
      expect(stored).toHaveLength(1);
      const detail = await getIncident(db(), viewer, stored[0]!.id, incidentSettings);
      const versions = detail.versions!;
      expect(versions.versions.filter((row) => row.errors > 0).map((row) => [row.version, row.share])).toEqual([[release.version, 1]]);
      const releaseRow = versions.versions.find((row) => row.version === release.version)!;
      expect(Date.parse(releaseRow.firstSeen!)).toBeGreaterThanOrEqual(Date.parse(release.at));
      expect(Date.parse(releaseRow.firstSeen!)).toBeLessThan(Date.parse(incident.start));
      const newRelease = versions.findings.find((finding) => finding.kind === "new_release");
      expect(newRelease).toMatchObject({ version: release.version, firstSeen: releaseRow.firstSeen, previousVersion: previous.version, share: 1 });
      expect(newRelease!.kind === "new_release" && newRelease!.minutesBeforeStart).toBeGreaterThan(0);
    },
  );

  it("makes the regressing error one problem of its two incidents, whose errors by version regress in the labelled third version", async () => {
    const { error, release } = releaseError("regression");
    expect(error.incidents).toHaveLength(2);
    const labelled = error.incidents!.map((id) => labels.incidents.find((incident) => incident.id === id)!);
    const stored = (await Promise.all(labelled.map(storedIncidentsOf))).flat();
    expect(stored).toHaveLength(2);
    const problems = (await listProblems(db(), viewer, { since: "7d" }, settingsAt(end))).problems.filter(
      (problem) => problem.example !== null && templatePattern(error.root_cause).test(problem.example),
    );
    expect(problems.map((problem) => [problem.namespaces, problem.incidents])).toEqual([[[error.namespace], 2]]);
    // The problem's windows are its incidents': their errors by version over the namespace's whole timeline.
    const storedErrors = (await Promise.all(stored.map((incident) => findIncidentErrorsByVersion(db(), incident.id)))).flat();
    const impact = versionImpactOf(
      storedErrors.map((row) => row.errors_by_version),
      await findNamespaceVersions(db(), error.namespace),
      null,
      { windowMs: config.window_minutes * 60_000, windows: storedErrors.length },
    );
    const [first, quiet, back] = releasesOf(error.namespace).map((entry) => entry.version);
    const regression = impact!.findings.find((finding) => finding.kind === "regression");
    expect(regression).toMatchObject({ before: first, quietVersions: [quiet], back });
    expect(back).toBe(release.version);
    const backFirstSeen = regression!.kind === "regression" ? Date.parse(regression!.backFirstSeen) : NaN;
    expect(backFirstSeen).toBeGreaterThanOrEqual(Date.parse(release.at));
    expect(backFirstSeen - Date.parse(release.at)).toBeLessThan(HOUR_MS);
  });

  it("calls no version new with a release but one released shortly before the incident, dated from its first error", async () => {
    const incidents = await db().prisma.incident.findMany({ select: { id: true, namespace: true, startedAt: true }, orderBy: { id: "asc" } });
    expect(incidents.length).toBeGreaterThan(0);
    let newReleases = 0;
    for (const incident of incidents) {
      const detail = await getIncident(db(), viewer, incident.id, incidentSettings);
      for (const finding of detail.versions?.findings ?? []) {
        if (finding.kind !== "new_release") continue;
        newReleases += 1;
        const release = releasesOf(incident.namespace).find((candidate) => candidate.version === finding.version);
        expect(release, `${incident.namespace} ${finding.version}`).toBeDefined();
        expect(Date.parse(finding.firstSeen)).toBeGreaterThanOrEqual(Date.parse(release!.at));
        expect(Date.parse(finding.firstSeen) - Date.parse(release!.at)).toBeLessThan(HOUR_MS);
        expect(incident.startedAt.getTime() - Date.parse(release!.at)).toBeLessThanOrEqual(3 * HOUR_MS);
      }
    }
    expect(newReleases).toBeGreaterThanOrEqual(2);
  });

  it("has no outbreak problem in a period that ends before it", async () => {
    expect(await outbreakProblem(settingsAt(new Date(outbreakStartMs)))).toEqual([]);
  });

  it("links the outbreak's incidents in its two namespaces as one event on the overview of the day", async () => {
    const [problem] = await outbreakProblem(settingsAt(end));
    const overview = await readOverview(db(), viewer, { grid, staleAfterMinutes: 45, defaults: config.peak_detection }, new Date(outbreakEndMs + HOUR_MS));
    const incidents = await outbreakIncidents();
    expect(incidents.map((incident) => incident.namespace).sort()).toEqual([...outbreak.namespaces].sort());
    const events = overview.events.filter((event) => event.problemId === problem!.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ from: outbreak.start, namespaces: [...outbreak.namespaces].sort(), mostAtOnce: 2, incidentTotal: 2, ongoing: false });
    expect(events[0]!.incidents.map((incident) => incident.id).sort((left, right) => left - right)).toEqual(incidents.map((incident) => incident.id));
  });
});
