import os from "node:os";
import type { FrozenConfig } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { isProcessAlive } from "@/lib/db/embedded/lock";
import { findSentDedupeKeys } from "@/lib/db/notifications";
import { releaseLock, renewLock, tryAcquireLock } from "@/lib/db/run-lock";
import { parseInput } from "@/lib/errors";
import { deliverThrough, type DeliveryChannel, type DeliveryOutcome, type Sender } from "@/lib/notify/deliver";
import { emailPayloadSchema, sendEmail, type EmailSettings } from "@/lib/notify/email";
import { postWebhook, type WebhookOptions } from "@/lib/notify/webhook";
import type { Connections } from "@/lib/services/connections";
import { z } from "zod";
import { digestDateSchema, type DigestContent } from "./contract";
import { newestDueDate, readDigest, type DigestSettings } from "./read";
import { digestCard } from "./render-card";
import { digestHtml, digestText } from "./render-html";
import { systemDigestActor } from "./actor";

// Sending the digest: at most once per local date and channel. Each channel's message has its own
// dedupe key in the delivery log ("digest:<date>:teams", "digest:<date>:email"), so a re-run sends
// only what was not sent and retries what failed; a lease ("digest" in pipeline_locks) makes
// concurrent calls wait their turn rather than both claim the same message.

/** The lease's name among the run locks. */
export const DIGEST_LOCK = "digest";

export type DigestChannels = {
  teams: ({ webhookUrl: string } & Pick<WebhookOptions, "attempts" | "initialBackoffMs" | "timeoutMs" | "fetch" | "sleep">) | null;
  email: (EmailSettings & { to: readonly string[]; subject: string }) | null;
};

/** The channels values.yaml and the connections give the digest; null where one is missing. */
export function digestChannelsOf(
  config: Pick<FrozenConfig, "digest" | "notifications">,
  connections: Pick<Connections, "teamsWebhookUrl" | "smtpUrl">,
): DigestChannels {
  const retry = { attempts: config.notifications.retry.attempts, initialBackoffMs: config.notifications.retry.initial_backoff_ms };
  return {
    teams: config.digest.teams && connections.teamsWebhookUrl ? { webhookUrl: connections.teamsWebhookUrl, ...retry } : null,
    email:
      config.digest.email_to.length > 0 && connections.smtpUrl
        ? { smtpUrl: connections.smtpUrl, from: config.digest.email_from, to: config.digest.email_to, subject: config.digest.email_subject, ...retry }
        : null,
  };
}

/** The dedupe key of a date's digest on a channel. */
export function digestDedupeKey(date: string, channel: DeliveryChannel): string {
  return `digest:${date}:${channel}`;
}

export type DigestSendReport = {
  date: string;
  /**
   * sent: every channel has it now; failed: a channel failed (the next call tries again);
   * already_sent: nothing left to send; busy: another call is sending it; disabled / no_channel: nothing to send to.
   */
  status: "sent" | "failed" | "already_sent" | "busy" | "disabled" | "no_channel";
  message: string;
  deliveries: (DeliveryOutcome & { channel: DeliveryChannel })[];
};

export type SendDigestSettings = DigestSettings & {
  channels: DigestChannels;
  /** Lease of the digest's lock; renewed while sending. */
  lockLeaseMs: number;
};

/**
 * Sends the digest of `date` (default: the newest due date) to every configured channel that does
 * not have it yet. Throws only when the database does, or for a date that is not a due digest;
 * a refused or unreachable channel is a failed delivery, logged and tried again on the next call.
 */
export async function sendDigest(db: Db, input: { date?: string | undefined }, settings: SendDigestSettings): Promise<DigestSendReport> {
  const date = input.date === undefined ? newestDueDate(settings) : parseInput(z.object({ date: digestDateSchema }), input).date;
  if (!settings.config.digest.enabled)
    return { date, status: "disabled", message: "The digest is off (digest.enabled: false in values.yaml).", deliveries: [] };
  const senders = sendersOf(settings.channels);
  if (senders.length === 0) {
    return {
      date,
      status: "no_channel",
      message: "No channel to send to: TEAMS_WEBHOOK_URL (with digest.teams), or SMTP_URL with digest.email_to.",
      deliveries: [],
    };
  }
  const keys = senders.map((sender) => digestDedupeKey(date, sender.channel));
  if ((await findSentDedupeKeys(db.prisma, keys)).size === keys.length) {
    return { date, status: "already_sent", message: `The digest of ${date} was sent to every channel already.`, deliveries: [] };
  }
  const now = () => settings.now;
  const owner = { holder: "daily digest", host: os.hostname(), pid: process.pid };
  const attempt = await tryAcquireLock(db.prisma, DIGEST_LOCK, owner, { leaseMs: settings.lockLeaseMs, now: new Date(), isProcessAlive });
  if (!attempt.acquired) {
    return {
      date,
      status: "busy",
      message: `Another ${attempt.heldBy.holder} (pid ${attempt.heldBy.pid} on ${attempt.heldBy.host}) is sending a digest now.`,
      deliveries: [],
    };
  }
  const lock = attempt.lock;
  const renewal = setInterval(
    () => void renewLock(db.prisma, lock, { leaseMs: settings.lockLeaseMs, now: new Date() }).catch(() => {}),
    Math.max(1000, settings.lockLeaseMs / 3),
  );
  renewal.unref();
  try {
    const content = await readDigest(db, systemDigestActor, { date }, settings);
    const deliveries: DigestSendReport["deliveries"] = [];
    for (const sender of senders) {
      const message = { dedupeKey: digestDedupeKey(date, sender.channel), peakId: null, payload: sender.payloadOf(content) };
      const report = await deliverThrough(db, sender.channel, [message], sender.send, now);
      deliveries.push(...report.outcomes.map((outcome) => ({ ...outcome, channel: sender.channel })));
    }
    const failed = deliveries.filter((delivery) => delivery.status === "failed");
    const sent = deliveries.filter((delivery) => delivery.status === "sent");
    if (failed.length > 0) {
      return {
        date,
        status: "failed",
        message: `The digest of ${date} failed on ${failed.map((delivery) => `${delivery.channel} (${delivery.error})`).join(", ")}; the next call tries again.`,
        deliveries,
      };
    }
    if (sent.length === 0) return { date, status: "already_sent", message: `The digest of ${date} was sent to every channel already.`, deliveries };
    return { date, status: "sent", message: `The digest of ${date} was sent to ${sent.map((delivery) => delivery.channel).join(" and ")}.`, deliveries };
  } finally {
    clearInterval(renewal);
    await releaseLock(db.prisma, lock);
  }
}

type ChannelSender = { channel: DeliveryChannel; payloadOf: (content: DigestContent) => Record<string, unknown>; send: Sender };

function sendersOf(channels: DigestChannels): ChannelSender[] {
  const senders: ChannelSender[] = [];
  const { teams, email } = channels;
  if (teams) {
    const { webhookUrl, ...options } = teams;
    senders.push({ channel: "teams", payloadOf: digestCard, send: (payload) => postWebhook(webhookUrl, payload, options) });
  }
  if (email) {
    const { to, subject, ...settings } = email;
    senders.push({
      channel: "email",
      payloadOf: (content) => ({ to: [...to], subject: subject.replaceAll("{date}", content.date), html: digestHtml(content), text: digestText(content) }),
      send: (payload) => sendEmail(emailPayloadSchema.parse(payload), settings),
    });
  }
  return senders;
}
