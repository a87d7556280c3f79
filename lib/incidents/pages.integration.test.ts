import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { ForbiddenError, InvalidInputError } from "@/lib/errors";
import { getPeak } from "@/lib/peaks/detail";
import type { Actor } from "@/lib/roles";
import { databaseKinds, useMigratedDatabase } from "@/test/support/test-database";
import { applyIncidentAction } from "./actions";
import { hasIncident, listOwnerCandidates } from "./list";
import { trackIncidents } from "./track";
import { peakRow } from "@/test/support/peak-rows";

// What the incident pages read besides the incident itself: who may own it, whether it exists,
// and, on a peak's page, the incident its window belongs to.

const config = loadConfig(path.resolve("values.yaml"));
const WINDOW = config.window_minutes * 60_000;
const t0 = new Date("2026-11-23T08:00:00Z");
const at = (windows: number) => new Date(t0.getTime() + windows * WINDOW);
const links = { template: null, windowMinutes: config.window_minutes };

describe.each(databaseKinds)("the incident pages' reads on %s", (kind) => {
  const db = useMigratedDatabase(kind);
  const prisma = () => db().prisma;
  let analyst: Actor;
  let viewer: Actor;

  beforeEach(async () => {
    await prisma().$executeRawUnsafe(
      "TRUNCATE incidents, peak_notes, notification_deliveries, peak_investigation, peak_raw_data, known_peaks, known_issues, audit_log, users RESTART IDENTITY CASCADE",
    );
    const ana = await prisma().user.create({ data: { email: "ana@example.com", role: "analyst" } });
    await prisma().user.create({ data: { email: "zed@example.com", role: "admin" } });
    await prisma().user.create({ data: { email: "off@example.com", role: "analyst", isDisabled: true } });
    const vic = await prisma().user.create({ data: { email: "vic@example.com", role: "viewer" } });
    analyst = { kind: "user", id: ana.id, email: ana.email, name: null, role: "analyst" };
    viewer = { kind: "user", id: vic.id, email: vic.email, name: null, role: "viewer" };
  });

  async function createWindow(timestamp: Date): Promise<number> {
    const peak = await prisma().peakInvestigation.create({ data: peakRow(timestamp), select: { id: true } });
    return peak.id;
  }

  it("offers the enabled analysts and admins as owners, by e-mail, to analysts only", async () => {
    expect(await listOwnerCandidates(db(), analyst)).toEqual([
      { id: expect.any(Number) as number, email: "ana@example.com", role: "analyst" },
      { id: expect.any(Number) as number, email: "zed@example.com", role: "admin" },
    ]);
    await expect(listOwnerCandidates(db(), viewer)).rejects.toThrow(ForbiddenError);
  });

  it("tells whether an incident exists, and refuses an id no incident can have", async () => {
    const first = await createWindow(at(0));
    await trackIncidents(db(), config, at(2), { autoResolve: false });
    const incidentId = (await prisma().peakInvestigation.findUniqueOrThrow({ where: { id: first }, select: { incidentId: true } })).incidentId!;
    expect(await hasIncident(db(), viewer, incidentId)).toBe(true);
    expect(await hasIncident(db(), viewer, incidentId + 1)).toBe(false);
    await expect(hasIncident(db(), viewer, 0)).rejects.toThrow(InvalidInputError);
  });

  it("gives a peak's page the incident of its window, with its windows and status; none before a run placed it", async () => {
    const first = await createWindow(at(0));
    await createWindow(at(1));
    const later = await createWindow(at(30));
    expect((await getPeak(db(), viewer, first, links)).incident).toBeNull();

    await trackIncidents(db(), config, at(32), { autoResolve: false });
    const incidentId = (await prisma().peakInvestigation.findUniqueOrThrow({ where: { id: first }, select: { incidentId: true } })).incidentId!;
    expect((await getPeak(db(), viewer, first, links)).incident).toEqual({ id: incidentId, windows: 2, status: "open" });
    await applyIncidentAction(db(), analyst, incidentId, { action: "acknowledge" }, { windowMinutes: config.window_minutes });
    expect((await getPeak(db(), viewer, first, links)).incident).toEqual({ id: incidentId, windows: 2, status: "acknowledged" });
    expect((await getPeak(db(), viewer, later, links)).incident).toMatchObject({ windows: 1, status: "open" });
  });
});
