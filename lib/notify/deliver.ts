import type { Db } from "@/lib/db/client";
import { claimDelivery, findSentDedupeKeys, markDeliveryFailed, markDeliverySent } from "@/lib/db/notifications";
import { postWebhook } from "./webhook";

/**
 * Sends messages once per dedupe key, logging each in notification_deliveries.
 *
 * Delivery is at-least-once. A message is recorded as pending before its POST and marked sent
 * after, so a re-run never sends a sent message again and retries a failed one. One duplicate
 * window remains: if the process dies after the webhook accepted the POST but before the row is
 * marked sent, the row stays pending and the next run sends the message again. Closing it would
 * need the channel to deduplicate, which Teams webhooks do not.
 */

/** peakId: the peak a message is about; null for messages about the data (a gap episode). */
export type OutgoingMessage = { dedupeKey: string; peakId: number | null; payload: Record<string, unknown> };

export type DeliverySettings = {
  webhookUrl: string;
  /** Tries per message and run, the first included. */
  attempts: number;
  initialBackoffMs: number;
  /** Per try; ms. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** The clock for sent_at; the system clock by default. */
  now?: () => Date;
};

export type DeliveryOutcome = {
  dedupeKey: string;
  peakId: number | null;
  status: "sent" | "already_sent" | "failed";
  /** Requests made by this call (0 when already sent); the delivery log keeps the total. */
  attempts: number;
  /** Why it failed, safe to show (never the webhook URL); null unless failed. */
  error: string | null;
};

export type DeliveryReport = { sent: number; alreadySent: number; failed: number; outcomes: DeliveryOutcome[] };

/** The channels of the delivery log: Teams (incidents, data gaps, the digest) and e-mail (the digest). */
export type DeliveryChannel = "teams" | "email";

/** One message's requests to a channel: what a delivery records. `error` never holds a secret (a URL, a password). */
export type SendResult = { ok: true; attempts: number } | { ok: false; attempts: number; error: string };

/** Sends one stored payload over a channel, with the channel's own retries; never throws for a refused or unreachable channel. */
export type Sender = (payload: Record<string, unknown>) => Promise<SendResult>;

/**
 * Delivers each message not yet sent, one after another (Teams rate-limits bursts), and records
 * every outcome. Throws only when the database does; a refused or unreachable webhook is a
 * `failed` outcome.
 */
export async function deliverMessages(db: Db, channel: "teams", messages: readonly OutgoingMessage[], settings: DeliverySettings): Promise<DeliveryReport> {
  const post: Sender = (payload) =>
    postWebhook(settings.webhookUrl, payload, {
      attempts: settings.attempts,
      initialBackoffMs: settings.initialBackoffMs,
      ...(settings.timeoutMs !== undefined ? { timeoutMs: settings.timeoutMs } : {}),
      ...(settings.fetch ? { fetch: settings.fetch } : {}),
      ...(settings.sleep ? { sleep: settings.sleep } : {}),
    });
  return deliverThrough(db, channel, messages, post, settings.now);
}

/**
 * Delivers each message not yet sent through `send`, one after another, and records every
 * outcome in the delivery log, as deliverMessages does for Teams. Throws only when the database does.
 */
export async function deliverThrough(
  db: Db,
  channel: DeliveryChannel,
  messages: readonly OutgoingMessage[],
  send: Sender,
  clock?: () => Date,
): Promise<DeliveryReport> {
  const now = clock ?? (() => new Date());
  const outcomes: DeliveryOutcome[] = [];
  // Most messages a run builds were sent by an earlier run (each run re-reads the recent
  // incidents): one query answers for all of them instead of two statements each.
  const sentBefore = await findSentDedupeKeys(
    db.prisma,
    messages.map((message) => message.dedupeKey),
  );
  for (const message of messages) {
    const isClaimed =
      !sentBefore.has(message.dedupeKey) &&
      (await claimDelivery(db.prisma, { channel, dedupeKey: message.dedupeKey, peakId: message.peakId, payload: message.payload }));
    if (!isClaimed) {
      outcomes.push({ dedupeKey: message.dedupeKey, peakId: message.peakId, status: "already_sent", attempts: 0, error: null });
      continue;
    }
    const result = await send(message.payload);
    if (result.ok) {
      await markDeliverySent(db.prisma, message.dedupeKey, { attempts: result.attempts, sentAt: now() });
      outcomes.push({ dedupeKey: message.dedupeKey, peakId: message.peakId, status: "sent", attempts: result.attempts, error: null });
    } else {
      await markDeliveryFailed(db.prisma, message.dedupeKey, { attempts: result.attempts, error: result.error });
      outcomes.push({ dedupeKey: message.dedupeKey, peakId: message.peakId, status: "failed", attempts: result.attempts, error: result.error });
    }
  }
  return {
    sent: outcomes.filter((outcome) => outcome.status === "sent").length,
    alreadySent: outcomes.filter((outcome) => outcome.status === "already_sent").length,
    failed: outcomes.filter((outcome) => outcome.status === "failed").length,
    outcomes,
  };
}
