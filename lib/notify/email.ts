/**
 * One e-mail through an SMTP server (nodemailer), tried again on transient failures. The server's
 * URL (SMTP_URL) may carry a password, so no description produced here contains the URL or its
 * credentials.
 */

import nodemailer from "nodemailer";
import { z } from "zod";
import { withRetries, type RetryPolicy } from "@/lib/retry";
import type { SendResult } from "./deliver";

export type EmailSettings = {
  /** smtp://user:password@host:port (STARTTLS when the server offers it) or smtps://… (TLS from the start). */
  smtpUrl: string;
  /** The From header: "name@host" or "Name <name@host>". */
  from: string;
  /** Tries in all, the first included. */
  attempts: number;
  initialBackoffMs: number;
  /** Longest wait between tries; ms. */
  maxBackoffMs?: number;
  /** Per connection step (connect, greeting, each command); ms. */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
};

/** An e-mail as the delivery log stores it (the payload of its delivery). */
export const emailPayloadSchema = z.object({
  to: z.array(z.string()).min(1),
  subject: z.string(),
  html: z.string(),
  text: z.string(),
});
export type EmailPayload = z.infer<typeof emailPayloadSchema>;

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_BACKOFF_MS = 30_000;
/** Connection failures worth another try; an authentication or address refusal is not. */
const TRANSIENT_CODES = new Set(["ECONNECTION", "ETIMEDOUT", "ESOCKET", "EDNS", "ECONNRESET", "ECONNREFUSED", "EPIPE"]);

type SmtpError = Error & { code?: string; responseCode?: number; response?: string };

/** 4xx answers (mailbox busy, try later) and dropped connections are transient; 5xx answers and refused logins are final. */
export function isTransientEmailError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, responseCode } = error as SmtpError;
  if (typeof responseCode === "number") return responseCode >= 400 && responseCode < 500;
  return typeof code === "string" && TRANSIENT_CODES.has(code);
}

/** The URL, its password and its user removed from a text that may quote them. */
export function withoutSmtpSecrets(text: string, smtpUrl: string): string {
  let secrets = [smtpUrl];
  try {
    const url = new URL(smtpUrl);
    secrets = [smtpUrl, url.href, decodeURIComponent(url.password), url.password, decodeURIComponent(url.username)];
  } catch {
    // Not a URL: only the text as given can leak.
  }
  return secrets.filter((secret) => secret.length > 2).reduce((redacted, secret) => redacted.split(secret).join("[redacted]"), text);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // The server's answer starts with its code ("535 5.7.8 Authentication failed"); nodemailer's code names the step (EAUTH).
  const { code, response } = error as SmtpError;
  const oneLine = (response ?? error.message).replace(/\s+/g, " ").trim().slice(0, 200);
  return code ? `${code}: ${oneLine}` : oneLine;
}

/**
 * Sends the e-mail (HTML with its text twin) to every recipient in one message. Never throws for
 * a failed delivery: the result says what happened, without the server's credentials.
 */
export async function sendEmail(payload: EmailPayload, settings: EmailSettings): Promise<SendResult> {
  const timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let transport: nodemailer.Transporter;
  try {
    transport = nodemailer.createTransport(settings.smtpUrl, {
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    });
  } catch (error) {
    return { ok: false, attempts: 0, error: `the SMTP URL is not usable: ${withoutSmtpSecrets(describe(error), settings.smtpUrl)}` };
  }
  const policy: RetryPolicy = {
    attempts: settings.attempts,
    initialBackoffMs: settings.initialBackoffMs,
    maxBackoffMs: settings.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS,
  };
  let attempts = 0;
  try {
    await withRetries(
      (attempt) => {
        attempts = attempt;
        return transport.sendMail({ from: settings.from, to: payload.to, subject: payload.subject, html: payload.html, text: payload.text });
      },
      policy,
      { classify: (error) => (isTransientEmailError(error) ? { retry: true } : { retry: false }), ...(settings.sleep ? { sleep: settings.sleep } : {}) },
    );
    return { ok: true, attempts };
  } catch (error) {
    return { ok: false, attempts, error: withoutSmtpSecrets(describe(error), settings.smtpUrl) };
  } finally {
    transport.close();
  }
}
