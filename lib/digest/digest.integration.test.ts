import path from "node:path";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig, type FrozenConfig } from "@/lib/config";
import { gridOf } from "@/lib/config/grid";
import { InvalidInputError, NotFoundError } from "@/lib/errors";
import { listProblems } from "@/lib/problems/list";
import { problemSettingsOf } from "@/lib/problems/summaries";
import type { Actor } from "@/lib/roles";
import { startHttpStub, type HttpStub } from "@/test/support/http-stub";
import { hoursBefore, PLANNED_PATTERNS, seedPlannedProblems } from "@/test/support/problem-rows";
import { databaseKinds, useMigratedDatabase } from "@/test/support/test-database";
import { readDigest } from "./read";
import { digestChannelsOf, digestDedupeKey, sendDigest, type SendDigestSettings } from "./send";

// The digest from generated data with planned problems (test/support/problem-rows.ts), sent to a
// local stand-in for the Teams webhook and a local SMTP server.

const loaded = loadConfig(path.resolve("values.yaml"));
// 2026-11-23 21:00 in Prague is 20:00 UTC: the digest of the 23rd covers the 24 h the planned problems are placed in.
const now = new Date("2026-11-23T20:00:00Z");
const DATE = "2026-11-23";
const config: FrozenConfig = { ...loaded, digest: { ...loaded.digest, local_time: "21:00", top: 3, email_to: ["ops@example.com", "lead@example.com"] } };
const grid = gridOf(config);
const viewer: Actor = { kind: "user", id: 1, email: "vic@example.com", name: null, role: "viewer" };
const { pool, deadlock, reports } = PLANNED_PATTERNS;

type ReceivedMail = { from: string; to: string[]; raw: string };

/** A local SMTP server that takes mail for user "digest" with password "s3cret-pw" (no TLS), or refuses every message with `refuseWith`. */
async function startSmtpServer(): Promise<{
  url: (password?: string) => string;
  mails: ReceivedMail[];
  refuseWith: { code: number } | null;
  close: () => Promise<void>;
}> {
  const state = { mails: [] as ReceivedMail[], refuseWith: null as { code: number } | null };
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === "digest" && auth.password === "s3cret-pw") callback(null, { user: "digest" });
      else callback(new Error("Invalid username or password"));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        if (state.refuseWith) {
          const error = Object.assign(new Error("Mailbox busy, try later"), { responseCode: state.refuseWith.code });
          callback(error);
          return;
        }
        state.mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((recipient) => recipient.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: (password = "s3cret-pw") => `smtp://digest:${password}@127.0.0.1:${port}`,
    get mails() {
      return state.mails;
    },
    get refuseWith() {
      return state.refuseWith;
    },
    set refuseWith(value) {
      state.refuseWith = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.each(databaseKinds)("the daily digest on %s", (kind) => {
  const db = useMigratedDatabase(kind);
  let teams: HttpStub;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

  const settingsWith = (overrides: { smtpPassword?: string; date?: string } = {}): SendDigestSettings => {
    const channels = digestChannelsOf(config, {
      teamsWebhookUrl: `${teams.url}/workflows/digest?sig=SECRET-SIGNATURE`,
      smtpUrl: smtp.url(overrides.smtpPassword),
    });
    return {
      config,
      grid,
      now,
      lockLeaseMs: 60_000,
      channels: {
        teams: { ...channels.teams!, attempts: 2, initialBackoffMs: 1, sleep: async () => {} },
        email: { ...channels.email!, attempts: 2, initialBackoffMs: 1, timeoutMs: 5000, sleep: async () => {} },
      },
    };
  };

  beforeAll(async () => {
    teams = await startHttpStub();
    smtp = await startSmtpServer();
    await seedPlannedProblems(db(), config, now);
    const prisma = db().prisma;
    await prisma.namespaceVersion.createMany({
      data: [
        { namespace: "payments", version: "4.2.0", firstSeen: hoursBefore(now, 11), lastSeen: now, errors: 1200n },
        { namespace: "inventory", version: "7.0.1", firstSeen: hoursBefore(now, 3), lastSeen: now, errors: 40n },
        // Before the period: not new.
        { namespace: "payments", version: "4.1.0", firstSeen: hoursBefore(now, 30), lastSeen: hoursBefore(now, 11), errors: 10n },
      ],
    });
    await prisma.dataGap.createMany({
      data: [
        { kind: "stale", subject: "", detail: "newest document 2 h old", openedAt: hoursBefore(now, 2), lastSeenAt: now, dataUntil: hoursBefore(now, 2.5) },
        {
          kind: "silent",
          subject: "search",
          detail: "no errors for 1 h",
          openedAt: hoursBefore(now, 12),
          lastSeenAt: hoursBefore(now, 11),
          closedAt: hoursBefore(now, 11),
        },
        // Closed before the period began: not listed.
        {
          kind: "silent",
          subject: "cart",
          detail: "no errors for 1 h",
          openedAt: hoursBefore(now, 40),
          lastSeenAt: hoursBefore(now, 30),
          closedAt: hoursBefore(now, 30),
        },
      ],
    });
  });
  afterAll(async () => {
    await teams.close();
    await smtp.close();
  });
  beforeEach(() => {
    teams.answerWith([{ status: 202 }]);
    smtp.refuseWith = null;
  });

  it("lists the top problems in the problems list's order, with the period's versions, open incidents and gaps", async () => {
    const content = await readDigest(db(), viewer, { date: DATE }, { config, grid, now });
    const listed = await listProblems(db(), viewer, { limit: 3 }, { ...problemSettingsOf(config), now });
    expect(content.period).toEqual({ from: "2026-11-22T20:00:00.000Z", to: "2026-11-23T20:00:00.000Z", minutes: 1440 });
    expect(content.problems.map((problem) => problem.id)).toEqual([`${pool}-timeout`, `${deadlock}-database`, `${reports}-unknown`]);
    expect(content.problems).toEqual(
      listed.problems.map((problem, index) => ({ ...problem, rank: index + 1, url: `http://localhost:3000/problems/${problem.id}`, versionFindings: [] })),
    );
    expect(content.problemTotal).toBe(7);
    expect(content.windowsWithoutRootCause).toBe(1);
    expect(content.newVersions.map((version) => [version.namespace, version.version])).toEqual([
      ["payments", "4.2.0"],
      ["inventory", "7.0.1"],
    ]);
    expect(content.dataGaps.map((gap) => [gap.kind, gap.subject, gap.isOpen])).toEqual([
      ["stale", "", true],
      ["silent", "search", false],
    ]);
    // Every incident the seed placed is open but the false positives'; the one of 60 h ago too (it never ended).
    const open = await db().prisma.incident.count({ where: { status: { in: ["open", "acknowledged"] }, startedAt: { lt: now } } });
    expect(content.openIncidentTotal).toBe(open);
    expect(content.openIncidents.length).toBe(open);
    expect(content.openIncidents.every((incident) => incident.windows > 0 && incident.errors > 0)).toBe(true);
    expect(content.headline).toMatch(
      /^7 problems \(top 3: 3 without a known issue, 3 growing, 1 systemic\); \d+ incidents still open; 1 data gap open; 2 new versions$/,
    );
  });

  it("refuses a date that is not a date, and one whose digest is not due yet", async () => {
    await expect(readDigest(db(), viewer, { date: "2026-02-30" }, { config, grid, now })).rejects.toThrow(InvalidInputError);
    await expect(readDigest(db(), viewer, { date: "2026-11-24" }, { config, grid, now })).rejects.toThrow(
      new NotFoundError("The digest of 2026-11-24 does not exist yet: it covers the 24 h up to 2026-11-24 21:00 Europe/Prague"),
    );
  });

  it("sends the card and the e-mail once, and a second call sends nothing", async () => {
    const first = await sendDigest(db(), {}, settingsWith());
    expect(first).toMatchObject({ date: DATE, status: "sent", message: `The digest of ${DATE} was sent to teams and email.` });
    expect(first.deliveries.map((delivery) => [delivery.channel, delivery.dedupeKey, delivery.status])).toEqual([
      ["teams", "digest:2026-11-23:teams", "sent"],
      ["email", "digest:2026-11-23:email", "sent"],
    ]);
    expect(teams.requests).toHaveLength(1);
    const card = JSON.stringify(teams.requests[0]!.body);
    expect(card).toContain("Daily digest of 2026-11-23");
    expect(card).toContain("HikariPool-1 - Connection is not available");
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]).toMatchObject({ from: "peaks@localhost", to: ["ops@example.com", "lead@example.com"] });
    expect(smtp.mails[0]!.raw).toContain("Subject: Error peaks: daily digest of 2026-11-23");
    expect(smtp.mails[0]!.raw).toContain("text/html");

    teams.answerWith([{ status: 202 }]);
    const again = await sendDigest(db(), {}, settingsWith());
    expect(again).toMatchObject({ status: "already_sent", deliveries: [] });
    expect(teams.requests).toHaveLength(0);
    expect(smtp.mails).toHaveLength(1);
    const logged = await db().prisma.notificationDelivery.findMany({ where: { dedupeKey: { startsWith: "digest:" } }, orderBy: { id: "asc" } });
    expect(logged.map((row) => [row.channel, row.dedupeKey, row.status, row.attempts])).toEqual([
      ["teams", "digest:2026-11-23:teams", "sent", 1],
      ["email", "digest:2026-11-23:email", "sent", 1],
    ]);
  });

  it("logs a failing channel, keeps what was sent, and sends the failed one on the next call", async () => {
    const date = "2026-11-22";
    teams.answerWith([{ status: 503, text: "Service Unavailable" }]);
    const failing = await sendDigest(db(), { date }, settingsWith({ smtpPassword: "wrong-password" }));
    expect(failing.status).toBe("failed");
    expect(failing.deliveries.map((delivery) => [delivery.channel, delivery.status, delivery.attempts])).toEqual([
      ["teams", "failed", 2],
      // A refused login is final: one try.
      ["email", "failed", 1],
    ]);
    expect(failing.deliveries[1]!.error).toMatch(/^EAUTH: 535 /);
    const shown =
      JSON.stringify(failing) + JSON.stringify(await db().prisma.notificationDelivery.findMany({ where: { dedupeKey: { startsWith: `digest:${date}` } } }));
    expect(shown).not.toContain("wrong-password");
    expect(shown).not.toContain("SECRET-SIGNATURE");

    // Teams answers now, e-mail still refuses: Teams is sent, e-mail stays failed.
    teams.answerWith([{ status: 202 }]);
    const half = await sendDigest(db(), { date }, settingsWith({ smtpPassword: "wrong-password" }));
    expect(half.deliveries.map((delivery) => [delivery.channel, delivery.status])).toEqual([
      ["teams", "sent"],
      ["email", "failed"],
    ]);
    expect(teams.requests).toHaveLength(1);

    teams.answerWith([{ status: 202 }]);
    const retried = await sendDigest(db(), { date }, settingsWith());
    expect(retried.deliveries.map((delivery) => [delivery.channel, delivery.status])).toEqual([
      ["teams", "already_sent"],
      ["email", "sent"],
    ]);
    expect(retried.status).toBe("sent");
    expect(teams.requests).toHaveLength(0);
    expect(await db().prisma.notificationDelivery.findUniqueOrThrow({ where: { dedupeKey: digestDedupeKey(date, "email") } })).toMatchObject({
      status: "sent",
      attempts: 3,
      lastError: null,
    });
  });

  it("retries a transient refusal of the SMTP server within one call", async () => {
    const date = "2026-11-21";
    smtp.refuseWith = { code: 451 };
    const mailsBefore = smtp.mails.length;
    const report = await sendDigest(db(), { date }, settingsWith());
    expect(report.deliveries.find((delivery) => delivery.channel === "email")).toMatchObject({ status: "failed", attempts: 2 });
    expect(report.deliveries.find((delivery) => delivery.channel === "email")!.error).toBe("EMESSAGE: 451 Mailbox busy, try later");
    expect(smtp.mails.length).toBe(mailsBefore);
  });

  it("sends once when two calls run at the same time", async () => {
    const date = "2026-11-20";
    teams.answerWith([{ status: 202, delayMs: 50 }]);
    const mailsBefore = smtp.mails.length;
    const reports = await Promise.all([sendDigest(db(), { date }, settingsWith()), sendDigest(db(), { date }, settingsWith())]);
    expect(reports.map((report) => report.status).sort()).toEqual(["busy", "sent"]);
    expect(teams.requests).toHaveLength(1);
    expect(smtp.mails.length).toBe(mailsBefore + 1);
    expect((await sendDigest(db(), { date }, settingsWith())).status).toBe("already_sent");
  });

  it("sends nothing when off or without a channel", async () => {
    const off = await sendDigest(db(), { date: "2026-11-19" }, { ...settingsWith(), config: { ...config, digest: { ...config.digest, enabled: false } } });
    expect(off.status).toBe("disabled");
    const nowhere = await sendDigest(db(), { date: "2026-11-19" }, { ...settingsWith(), channels: { teams: null, email: null } });
    expect(nowhere.status).toBe("no_channel");
    expect(teams.requests).toHaveLength(0);
  });
});
