/**
 * One JSON POST to a webhook (Teams Workflows), tried again on transient failures. The URL
 * carries a secret signature in its query string, so no description produced here contains it.
 */

import { withRetries, type RetryPolicy } from "@/lib/retry";

export type WebhookOptions = {
  /** Tries in all, the first included. */
  attempts: number;
  initialBackoffMs: number;
  /** Longest wait between tries, also the cap on a server's Retry-After; ms. */
  maxBackoffMs?: number;
  /** Per try, from sending the request to reading the whole answer; ms. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
};

export type WebhookResult = { ok: true; attempts: number; status: number } | { ok: false; attempts: number; error: string };

const DEFAULT_MAX_BACKOFF_MS = 30_000;
const DEFAULT_TIMEOUT_MS = 10_000;
/** Characters of a refusing answer's body kept in the error. */
const BODY_EXCERPT_LENGTH = 200;

/** A failed try, described safely; thrown inside the retry loop only. */
class AttemptFailure extends Error {
  readonly isRetryable: boolean;
  /** A server's Retry-After, ms from now. */
  readonly notBeforeMs: number | undefined;

  constructor(description: string, isRetryable: boolean, notBeforeMs?: number) {
    super(description);
    this.name = "AttemptFailure";
    this.isRetryable = isRetryable;
    this.notBeforeMs = notBeforeMs;
  }
}

/** Request timeout, rate limiting and server errors are transient; other refusals are not. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * A Retry-After header in ms from `nowMs`: delay-seconds or an HTTP date (a past date is 0).
 * Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date names its weekday and month; Date.parse alone also takes "-5" as a year.
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** Removes the URL, and its path and query on their own, from a text that may quote them. */
function withoutUrl(text: string, url: URL): string {
  const secrets = [url.href, `${url.pathname}${url.search}`, url.search].filter((secret) => secret.length > 1);
  return secrets.reduce((redacted, secret) => redacted.split(secret).join("[webhook url]"), text);
}

function excerpt(body: string): string {
  const oneLine = body.replace(/\s+/g, " ").trim();
  return oneLine.length > BODY_EXCERPT_LENGTH ? `${oneLine.slice(0, BODY_EXCERPT_LENGTH)}…` : oneLine;
}

/** The most specific code or message in an error's cause chain (fetch wraps socket errors as "fetch failed"). */
function networkReason(error: unknown): string {
  let reason = error instanceof Error ? error.message : String(error);
  for (let link: unknown = error; link instanceof Error; link = link.cause) {
    const code = (link as NodeJS.ErrnoException).code;
    if (typeof code === "string") return code;
    reason = link.message || reason;
  }
  return reason;
}

async function attemptPost(url: URL, body: string, timeoutMs: number, fetchImpl: typeof fetch): Promise<number> {
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    // A webhook that redirects is misconfigured; following it would send the message elsewhere.
    response = await fetchImpl(url, { method: "POST", headers: { "content-type": "application/json" }, body, signal, redirect: "manual" });
  } catch (error) {
    if (signal.aborted) throw new AttemptFailure(`no answer within ${timeoutMs} ms`, true);
    throw new AttemptFailure(`network error: ${withoutUrl(networkReason(error), url)}`, true);
  }
  if (response.ok) {
    // The message is accepted; release the connection without waiting for the rest of the answer.
    await response.body?.cancel().catch(() => {});
    return response.status;
  }
  const text = await response.text().catch(() => "");
  const description = withoutUrl(text ? `HTTP ${response.status}: ${excerpt(text)}` : `HTTP ${response.status}`, url);
  if (!isRetryableStatus(response.status)) throw new AttemptFailure(description, false);
  throw new AttemptFailure(description, true, parseRetryAfter(response.headers.get("retry-after"), Date.now()));
}

/**
 * POSTs `payload` as JSON. Any 2xx is success (Teams Workflows answers 202). Network errors,
 * timeouts, 408, 429 and 5xx are tried again after exponential backoff with full jitter, never
 * sooner than the server's Retry-After (capped at maxBackoffMs). Never throws for a failed
 * delivery: the result says what happened, without the URL.
 */
export async function postWebhook(url: string, payload: unknown, options: WebhookOptions): Promise<WebhookResult> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { ok: false, attempts: 0, error: "the webhook URL is not a valid URL" };
  }
  const policy: RetryPolicy = {
    attempts: options.attempts,
    initialBackoffMs: options.initialBackoffMs,
    maxBackoffMs: options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS,
  };
  const body = JSON.stringify(payload);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const fetchImpl = options.fetch ?? fetch;
  let attempts = 0;
  try {
    const status = await withRetries(
      (attempt) => {
        attempts = attempt;
        return attemptPost(target, body, timeoutMs, fetchImpl);
      },
      policy,
      {
        classify: (error) =>
          error instanceof AttemptFailure && error.isRetryable
            ? error.notBeforeMs === undefined
              ? { retry: true }
              : { retry: true, notBeforeMs: error.notBeforeMs }
            : { retry: false },
        ...(options.sleep ? { sleep: options.sleep } : {}),
      },
    );
    return { ok: true, attempts, status };
  } catch (error) {
    const description = error instanceof AttemptFailure ? error.message : `unexpected error: ${withoutUrl(networkReason(error), target)}`;
    return { ok: false, attempts, error: description };
  }
}
