import { z } from "zod";
import type { Db, Prisma, PrismaClient } from "./client";

// The delivery log: one row per dedupe key. status: pending (claimed, outcome not yet known),
// sent (accepted by the channel; final), failed (the last run gave up; the next run tries again).
// attempts counts every request ever made for the key, across runs.

const deliverySelect = {
  id: true,
  channel: true,
  dedupeKey: true,
  peakId: true,
  status: true,
  attempts: true,
  lastError: true,
  createdAt: true,
  sentAt: true,
} as const;

/** A delivery without its payload. */
export type DeliveryRecord = Prisma.NotificationDeliveryGetPayload<{ select: typeof deliverySelect }>;

/** notification_deliveries.payload: the JSON body POSTed to the channel, as it was sent. */
export const deliveryPayloadSchema = z.record(z.string(), z.json());

export type DeliveryClaim = {
  channel: string;
  dedupeKey: string;
  peakId: number | null;
  /** The JSON body about to be sent. */
  payload: Record<string, unknown>;
};

/** Which of the dedupe keys were delivered already, in one query. */
export async function findSentDedupeKeys(prisma: PrismaClient, dedupeKeys: readonly string[]): Promise<Set<string>> {
  if (dedupeKeys.length === 0) return new Set();
  const rows = await prisma.notificationDelivery.findMany({ where: { dedupeKey: { in: [...dedupeKeys] }, status: "sent" }, select: { dedupeKey: true } });
  return new Set(rows.map((row) => row.dedupeKey));
}

/** The delivery of a dedupe key, or null when none was ever recorded. */
export async function findDeliveryByDedupeKey(prisma: PrismaClient, dedupeKey: string): Promise<DeliveryRecord | null> {
  return prisma.notificationDelivery.findUnique({ where: { dedupeKey }, select: deliverySelect });
}

/**
 * Records a message as pending with the payload about to be sent, creating its row or taking
 * over a pending or failed one. Returns false, changing nothing, when it was already sent.
 * Each statement is atomic, so a row another process marked sent is never reset to pending.
 */
export async function claimDelivery(prisma: PrismaClient, claim: DeliveryClaim): Promise<boolean> {
  // The payload is what gets POSTed as JSON: checked as such before it is stored.
  const payload = deliveryPayloadSchema.parse(claim.payload) as Prisma.InputJsonObject;
  await prisma.notificationDelivery.createMany({
    data: [{ channel: claim.channel, dedupeKey: claim.dedupeKey, peakId: claim.peakId, status: "pending", payload }],
    skipDuplicates: true,
  });
  const claimed = await prisma.notificationDelivery.updateMany({
    where: { dedupeKey: claim.dedupeKey, status: { not: "sent" } },
    data: { channel: claim.channel, peakId: claim.peakId, status: "pending", payload },
  });
  return claimed.count === 1;
}

/** Marks a delivery sent; `attempts` (requests of this run) is added to the total, and the last error cleared. */
export async function markDeliverySent(prisma: PrismaClient, dedupeKey: string, outcome: { attempts: number; sentAt: Date }): Promise<void> {
  await prisma.notificationDelivery.update({
    where: { dedupeKey },
    data: { status: "sent", attempts: { increment: outcome.attempts }, sentAt: outcome.sentAt, lastError: null },
  });
}

/** Marks a delivery failed with why; `attempts` (requests of this run) is added to the total. */
export async function markDeliveryFailed(prisma: PrismaClient, dedupeKey: string, outcome: { attempts: number; error: string }): Promise<void> {
  await prisma.notificationDelivery.update({
    where: { dedupeKey },
    data: { status: "failed", attempts: { increment: outcome.attempts }, lastError: outcome.error },
  });
}

/** The deliveries of some peaks, oldest first (a peak's page reads them). */
export async function findDeliveriesOfPeaks(db: Db, peakIds: readonly number[]): Promise<DeliveryRecord[]> {
  if (peakIds.length === 0) return [];
  return db.kysely
    .selectFrom("notification_deliveries")
    .select([
      "id",
      "channel",
      "dedupe_key as dedupeKey",
      "peak_id as peakId",
      "status",
      "attempts",
      "last_error as lastError",
      "created_at as createdAt",
      "sent_at as sentAt",
    ])
    .where("peak_id", "in", [...peakIds])
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}
