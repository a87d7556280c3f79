import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { loadConfig, type FrozenConfig } from "@/lib/config";
import type { PrismaClient } from "@/lib/db/client";
import { applyIncidentAction } from "@/lib/incidents/actions";
import { trackIncidents } from "@/lib/incidents/track";
import { deliverMessages, type OutgoingMessage } from "@/lib/notify/deliver";
import type { FirstSeenPattern } from "@/lib/peaks/contract";
import type { Actor } from "@/lib/roles";
import { databaseKinds, useMigratedDatabase } from "@/test/support/test-database";
import { teamsMessagesFor, type TeamsMessageTally } from "./teams-messages";
import { peakRow } from "@/test/support/peak-rows";

const config: FrozenConfig = loadConfig(path.resolve("values.yaml"));
const WINDOW = config.window_minutes * 60_000;
const QUIET = config.incidents.auto_resolve_quiet_windows;
const t0 = Date.parse("2026-11-23T08:00:00Z");
const at = (windows: number) => new Date(t0 + windows * WINDOW);

/** The configuration with notifications.teams.first_seen on. */
const firstSeenOn: FrozenConfig = { ...config, notifications: { ...config.notifications, teams: { ...config.notifications.teams, first_seen: true } } };

const certificate: FirstSeenPattern = { patternId: "c3a1f0", template: "Certificate validation failed for issuer <*>", count: 8 };
const quota: FirstSeenPattern = { patternId: "d4b2e1", template: "Disk quota exceeded on volume <*>", count: 6 };

async function createWindow(prisma: PrismaClient, timestamp: Date, options: { namespace?: string; firstSeen?: FirstSeenPattern[] } = {}): Promise<number> {
  const peak = await prisma.peakInvestigation.create({
    data: peakRow(timestamp, {
      namespace: options.namespace ?? "payments",
      // Only the part of an investigation the messages read.
      ...(options.firstSeen ? { topPatterns: { firstSeenPatterns: options.firstSeen }, enrichedAt: timestamp } : {}),
    }),
    select: { id: true },
  });
  return peak.id;
}

async function countWindows(prisma: PrismaClient, from: number, count: number): Promise<void> {
  for (let index = 0; index < count; index += 1) {
    const timestamp = at(from + index);
    await prisma.peakRawData.create({
      data: {
        timestamp,
        dayOfWeek: 1,
        hourOfDay: timestamp.getUTCHours(),
        quarterHour: Math.floor(timestamp.getUTCMinutes() / 15),
        namespace: "payments",
        errorCount: 30,
      },
    });
  }
}

describe.each(databaseKinds)("Teams messages per incident on %s", (kind) => {
  const db = useMigratedDatabase(kind);
  const prisma = () => db().prisma;
  let analyst: Actor;
  let tally: TeamsMessageTally;

  beforeEach(async () => {
    await prisma().$executeRawUnsafe(
      "TRUNCATE incidents, notification_deliveries, peak_investigation, peak_raw_data, known_peaks, known_issues, audit_log, users RESTART IDENTITY CASCADE",
    );
    const ana = await prisma().user.create({ data: { email: "ana@example.com", role: "analyst" } });
    analyst = { kind: "user", id: ana.id, email: ana.email, name: null, role: "analyst" };
    tally = { quiet: 0, skippedKnown: 0, snoozed: 0, resolutions: 0 };
  });

  const messagesOf = (range: { fromMs: number; toMs: number }, runNow: Date) => teamsMessagesFor(db(), config, range, { now: new Date(), runNow }, true, tally);
  const markSent = (message: OutgoingMessage) =>
    prisma().notificationDelivery.create({
      data: { channel: "teams", dedupeKey: message.dedupeKey, peakId: message.peakId, status: "sent", attempts: 1, payload: {}, sentAt: new Date() },
    });
  const linkOf = (message: OutgoingMessage) =>
    (message.payload as { attachments: { content: { actions: { url: string }[] } }[] }).attachments[0]!.content.actions[0]!.url;

  it("announces an incident once, under its id, and not again as it grows; then its resolution once", async () => {
    const first = await createWindow(prisma(), at(0));
    await createWindow(prisma(), at(1));
    await trackIncidents(db(), config, at(2), { autoResolve: true });
    const incident = (await prisma().incident.findFirstOrThrow()).id;

    const [announcement, ...others] = await messagesOf({ fromMs: at(0).getTime(), toMs: at(2).getTime() }, at(2));
    expect(others).toEqual([]);
    expect(announcement).toMatchObject({ dedupeKey: `teams:incident:${incident}`, peakId: first });
    expect(linkOf(announcement!)).toBe(`${config.notifications.dashboard_url.replace(/\/$/, "")}/incidents/${incident}`);
    await markSent(announcement!);

    // It grows in the next run: the same key, which the delivery step finds sent.
    await createWindow(prisma(), at(2));
    await trackIncidents(db(), config, at(3), { autoResolve: true });
    expect((await messagesOf({ fromMs: at(2).getTime(), toMs: at(3).getTime() }, at(3))).map((message) => message.dedupeKey)).toEqual([
      `teams:incident:${incident}`,
    ]);

    // Back to normal: the resolution is announced, once.
    await countWindows(prisma(), 3, QUIET);
    await trackIncidents(db(), config, at(3 + QUIET), { autoResolve: true });
    const range = { fromMs: at(3).getTime(), toMs: at(3 + QUIET).getTime() };
    const [resolution] = await messagesOf(range, at(3 + QUIET));
    expect(resolution!.dedupeKey).toBe(`teams:incident:${incident}:resolved:0`);
    expect(JSON.stringify(resolution!.payload)).toContain(`Back to normal: ${QUIET} windows in a row under threshold`);
    expect(tally.resolutions).toBe(1);
    await markSent(resolution!);
    expect(await messagesOf(range, at(4 + QUIET))).toEqual([]);

    // Errors return within reopen_hours: the reopened incident is announced again, as a regression.
    await createWindow(prisma(), at(QUIET + 10));
    await trackIncidents(db(), config, at(QUIET + 11), { autoResolve: true });
    const [reopened] = await messagesOf({ fromMs: at(QUIET + 10).getTime(), toMs: at(QUIET + 11).getTime() }, at(QUIET + 11));
    expect(reopened!.dedupeKey).toBe(`teams:incident:${incident}:reopened:1`);
    expect(JSON.stringify(reopened!.payload)).toContain("Regression: errors returned");
  });

  it("leaves snoozed incidents and false positives unannounced", async () => {
    await createWindow(prisma(), at(0));
    await createWindow(prisma(), at(20));
    await trackIncidents(db(), config, at(21), { autoResolve: true });
    const [snoozed, falsePositive] = (await prisma().incident.findMany({ orderBy: { id: "asc" } })).map((incident) => incident.id);
    const now = at(21);
    await applyIncidentAction(
      db(),
      analyst,
      snoozed!,
      { action: "snooze", until: new Date(now.getTime() + 3_600_000).toISOString() },
      { windowMinutes: 15, now },
    );
    await applyIncidentAction(db(), analyst, falsePositive!, { action: "false_positive" }, { windowMinutes: 15, now });
    expect(await messagesOf({ fromMs: at(0).getTime(), toMs: at(21).getTime() }, now)).toEqual([]);
    expect(tally.snoozed).toBe(1);
  });
});

describe.each(databaseKinds)("Teams messages of first-seen patterns on %s", (kind) => {
  const db = useMigratedDatabase(kind);
  const prisma = () => db().prisma;
  let analyst: Actor;
  let tally: TeamsMessageTally;

  beforeEach(async () => {
    await prisma().$executeRawUnsafe(
      "TRUNCATE incidents, notification_deliveries, peak_investigation, peak_raw_data, known_peaks, known_issues, audit_log, users RESTART IDENTITY CASCADE",
    );
    const ana = await prisma().user.create({ data: { email: "ana@example.com", role: "analyst" } });
    analyst = { kind: "user", id: ana.id, email: ana.email, name: null, role: "analyst" };
    tally = { quiet: 0, skippedKnown: 0, snoozed: 0, resolutions: 0 };
  });

  const messagesOf = (range: { fromMs: number; toMs: number }, runNow: Date, settings: FrozenConfig) =>
    teamsMessagesFor(db(), settings, range, { now: new Date(), runNow }, true, tally);
  const keysOf = (messages: readonly OutgoingMessage[]) => messages.map((message) => message.dedupeKey);

  it("announces nothing of them while notifications.teams.first_seen is off, the default", async () => {
    expect(config.notifications.teams.first_seen).toBe(false);
    await createWindow(prisma(), at(0), { firstSeen: [certificate] });
    await trackIncidents(db(), config, at(1), { autoResolve: true });
    const incident = (await prisma().incident.findFirstOrThrow()).id;
    expect(keysOf(await messagesOf({ fromMs: at(0).getTime(), toMs: at(1).getTime() }, at(1), config))).toEqual([`teams:incident:${incident}`]);
  });

  it("with it on, sends one message per namespace and pattern, once ever, though later windows and runs carry the pattern again", async () => {
    const first = await createWindow(prisma(), at(0), { firstSeen: [certificate, quota] });
    const orders = await createWindow(prisma(), at(0), { namespace: "orders", firstSeen: [certificate] });
    await trackIncidents(db(), firstSeenOn, at(1), { autoResolve: true });
    const incident = (await prisma().peakInvestigation.findUniqueOrThrow({ where: { id: first } })).incidentId!;
    const messages = await messagesOf({ fromMs: at(0).getTime(), toMs: at(1).getTime() }, at(1), firstSeenOn);
    const firstSeen = messages.filter((message) => message.dedupeKey.startsWith("teams:first-seen:"));
    expect(firstSeen).toHaveLength(3);
    expect(firstSeen.map((message) => [message.dedupeKey, message.peakId])).toEqual(
      expect.arrayContaining([
        ["teams:first-seen:payments:c3a1f0", first],
        ["teams:first-seen:payments:d4b2e1", first],
        ["teams:first-seen:orders:c3a1f0", orders],
      ]),
    );
    const link = (firstSeen[0]!.payload as { attachments: { content: { actions: { url: string }[] } }[] }).attachments[0]!.content.actions[0]!.url;
    expect(link).toBe(`${config.notifications.dashboard_url.replace(/\/$/, "")}/incidents/${incident}`);

    const posted: unknown[] = [];
    const settings = {
      webhookUrl: "https://teams.example.com/hook",
      attempts: 1,
      initialBackoffMs: 0,
      fetch: (_url: string | URL | Request, init?: RequestInit) => {
        posted.push(JSON.parse(String(init?.body)));
        return Promise.resolve(new Response("1", { status: 200 }));
      },
    } as const;
    expect((await deliverMessages(db(), "teams", messages, settings)).sent).toBe(5);

    // A later window of the incident, whose (re-)investigation stored the certificate pattern as first seen again: nothing is sent twice.
    await createWindow(prisma(), at(1), { firstSeen: [certificate] });
    await trackIncidents(db(), firstSeenOn, at(2), { autoResolve: true });
    const again = await messagesOf({ fromMs: at(1).getTime(), toMs: at(2).getTime() }, at(2), firstSeenOn);
    expect(keysOf(again)).toContain("teams:first-seen:payments:c3a1f0");
    const delivered = await deliverMessages(db(), "teams", again, settings);
    expect(delivered.sent).toBe(0);
    expect(posted).toHaveLength(5);
  });

  it("leaves the patterns of snoozed incidents and false positives unannounced", async () => {
    await createWindow(prisma(), at(0), { firstSeen: [certificate] });
    await createWindow(prisma(), at(20), { firstSeen: [quota] });
    await trackIncidents(db(), firstSeenOn, at(21), { autoResolve: true });
    const [snoozed, falsePositive] = (await prisma().incident.findMany({ orderBy: { id: "asc" } })).map((incident) => incident.id);
    const now = at(21);
    await applyIncidentAction(
      db(),
      analyst,
      snoozed!,
      { action: "snooze", until: new Date(now.getTime() + 3_600_000).toISOString() },
      { windowMinutes: 15, now },
    );
    await applyIncidentAction(db(), analyst, falsePositive!, { action: "false_positive" }, { windowMinutes: 15, now });
    expect(await messagesOf({ fromMs: at(0).getTime(), toMs: at(21).getTime() }, now, firstSeenOn)).toEqual([]);
  });
});
