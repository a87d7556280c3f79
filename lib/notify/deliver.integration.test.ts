import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/db/client";
import { findDeliveriesOfPeaks, findDeliveryByDedupeKey } from "@/lib/db/notifications";
import { startHttpStub, type HttpStub } from "@/test/support/http-stub";
import { databaseKinds, useMigratedDatabase, type DatabaseKind } from "@/test/support/test-database";
import { deliverMessages, type DeliverySettings, type OutgoingMessage } from "./deliver";

// Delivery end to end: the delivery log in a real database, messages POSTed to a real HTTP
// server on 127.0.0.1 standing in for the Teams webhook.

async function createPeak(prisma: PrismaClient, namespace: string, timestamp: string): Promise<number> {
  const peak = await prisma.peakInvestigation.create({
    data: {
      timestamp: new Date(timestamp),
      namespace,
      dayOfWeek: 3,
      hourOfDay: 10,
      quarterHour: 0,
      severity: "high",
      errorCount: 400,
      baselineMean: 20,
      baselineStddev: 5,
      baselineSamples: 12,
      ratio: 20,
      requiredRatio: 3,
      average24h: 25,
      referenceCounts: [18, 22, 20],
    },
    select: { id: true },
  });
  return peak.id;
}

function message(dedupeKey: string, peakId: number): OutgoingMessage {
  return {
    dedupeKey,
    peakId,
    payload: {
      type: "message",
      attachments: [
        { contentType: "application/vnd.microsoft.card.adaptive", content: { type: "AdaptiveCard", body: [{ type: "TextBlock", text: `peak ${peakId}` }] } },
      ],
    },
  };
}

const SENT_AT = new Date("2026-01-29T09:20:00Z");

describe.each(databaseKinds)("notification delivery on %s", (kind: DatabaseKind) => {
  const db = useMigratedDatabase(kind);
  let receiver: HttpStub;
  let settings: DeliverySettings;
  /** The parsed JSON bodies of the requests since the last `answerWith`. */
  const received = () => receiver.requests.map((request) => request.body);

  beforeAll(async () => {
    receiver = await startHttpStub();
    settings = {
      webhookUrl: `${receiver.url}/workflows/a1b2/triggers/manual/paths/invoke?api-version=2016-06-01&sig=SECRET-SIGNATURE`,
      attempts: 3,
      initialBackoffMs: 1,
      timeoutMs: 5000,
      sleep: async () => {},
      now: () => SENT_AT,
    };
  });
  afterAll(async () => {
    await receiver.close();
  });
  beforeEach(() => receiver.answerWith([{ status: 202 }]));

  it("sends a message once through a transient 500, logs it sent with both attempts, and never sends it again", async () => {
    const peakId = await createPeak(db().prisma, "payments", "2026-01-29T09:00:00Z");
    const outgoing = message("teams:payments:2026-01-29T09:00:00.000Z", peakId);
    receiver.answerWith([{ status: 500, text: "flow failed" }, { status: 202 }]);

    const first = await deliverMessages(db(), "teams", [outgoing], settings);
    expect(first).toEqual({
      sent: 1,
      alreadySent: 0,
      failed: 0,
      outcomes: [{ dedupeKey: outgoing.dedupeKey, peakId, status: "sent", attempts: 2, error: null }],
    });
    // Two requests reached the receiver; only the second was accepted, so one message was delivered.
    expect(received()).toEqual([outgoing.payload, outgoing.payload]);
    const row = await db().prisma.notificationDelivery.findUniqueOrThrow({ where: { dedupeKey: outgoing.dedupeKey } });
    expect(row).toMatchObject({ channel: "teams", peakId, status: "sent", attempts: 2, lastError: null, payload: outgoing.payload });
    expect(row.sentAt?.toISOString()).toBe(SENT_AT.toISOString());

    receiver.answerWith([{ status: 202 }]);
    const again = await deliverMessages(db(), "teams", [outgoing], settings);
    expect(again).toEqual({
      sent: 0,
      alreadySent: 1,
      failed: 0,
      outcomes: [{ dedupeKey: outgoing.dedupeKey, peakId, status: "already_sent", attempts: 0, error: null }],
    });
    expect(received()).toEqual([]);
    expect(await findDeliveryByDedupeKey(db().prisma, outgoing.dedupeKey)).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("logs a delivery the webhook keeps refusing as failed, and sends it on the next run", async () => {
    const peakId = await createPeak(db().prisma, "orders", "2026-01-29T10:00:00Z");
    const outgoing = message("teams:orders:2026-01-29T10:00:00.000Z", peakId);
    receiver.answerWith([{ status: 503, text: "Service Unavailable" }]);

    const failing = await deliverMessages(db(), "teams", [outgoing], settings);
    expect(failing).toEqual({
      sent: 0,
      alreadySent: 0,
      failed: 1,
      outcomes: [{ dedupeKey: outgoing.dedupeKey, peakId, status: "failed", attempts: 3, error: "HTTP 503: Service Unavailable" }],
    });
    expect(receiver.requests).toHaveLength(3);
    const failed = await db().prisma.notificationDelivery.findUniqueOrThrow({ where: { dedupeKey: outgoing.dedupeKey } });
    expect(failed).toMatchObject({ status: "failed", attempts: 3, lastError: "HTTP 503: Service Unavailable", sentAt: null, peakId });
    expect(failed.lastError).not.toContain("SECRET-SIGNATURE");

    receiver.answerWith([{ status: 200 }]);
    const retried = await deliverMessages(db(), "teams", [outgoing], settings);
    expect(retried.outcomes).toEqual([{ dedupeKey: outgoing.dedupeKey, peakId, status: "sent", attempts: 1, error: null }]);
    expect(received()).toEqual([outgoing.payload]);
    const sent = await db().prisma.notificationDelivery.findUniqueOrThrow({ where: { dedupeKey: outgoing.dedupeKey } });
    // Attempts add up across runs; the error of the failed run is cleared by the success.
    expect(sent).toMatchObject({ status: "sent", attempts: 4, lastError: null, peakId });
    expect(sent.sentAt?.toISOString()).toBe(SENT_AT.toISOString());
  });

  it("sends a message left pending by a run that died before its outcome was recorded", async () => {
    const peakId = await createPeak(db().prisma, "search", "2026-01-29T11:00:00Z");
    const outgoing = message("teams:search:2026-01-29T11:00:00.000Z", peakId);
    await db().prisma.notificationDelivery.create({
      data: { channel: "teams", dedupeKey: outgoing.dedupeKey, peakId, status: "pending", attempts: 1, payload: {} },
    });

    const report = await deliverMessages(db(), "teams", [outgoing], settings);
    expect(report.sent).toBe(1);
    expect(received()).toEqual([outgoing.payload]);
    expect(await db().prisma.notificationDelivery.findUniqueOrThrow({ where: { dedupeKey: outgoing.dedupeKey } })).toMatchObject({
      status: "sent",
      attempts: 2,
      payload: outgoing.payload,
    });
  });

  it("sends a batch one message at a time, skipping what was sent, and lists each peak's deliveries", async () => {
    const [first, second, third] = [
      await createPeak(db().prisma, "billing", "2026-01-30T09:00:00Z"),
      await createPeak(db().prisma, "billing", "2026-01-30T12:00:00Z"),
      await createPeak(db().prisma, "catalog", "2026-01-30T09:00:00Z"),
    ];
    const messages = [
      message("teams:billing:2026-01-30T09:00:00.000Z", first!),
      message("teams:billing:2026-01-30T12:00:00.000Z", second!),
      message("teams:catalog:2026-01-30T09:00:00.000Z", third!),
    ];
    await deliverMessages(db(), "teams", [messages[1]!], settings);
    receiver.answerWith([{ status: 202, delayMs: 30 }]);

    const report = await deliverMessages(db(), "teams", messages, settings);
    expect(report.outcomes.map((outcome) => [outcome.peakId, outcome.status])).toEqual([
      [first, "sent"],
      [second, "already_sent"],
      [third, "sent"],
    ]);
    expect({ sent: report.sent, alreadySent: report.alreadySent, failed: report.failed }).toEqual({ sent: 2, alreadySent: 1, failed: 0 });
    expect(received()).toEqual([messages[0]!.payload, messages[2]!.payload]);
    expect(receiver.concurrency.highest).toBe(1);

    const deliveries = await findDeliveriesOfPeaks(db(), [first!, second!]);
    expect(deliveries.map((delivery) => [delivery.peakId, delivery.dedupeKey, delivery.status, delivery.attempts])).toEqual([
      [second, "teams:billing:2026-01-30T12:00:00.000Z", "sent", 1],
      [first, "teams:billing:2026-01-30T09:00:00.000Z", "sent", 1],
    ]);
    expect(await findDeliveriesOfPeaks(db(), [])).toEqual([]);
  });
});
