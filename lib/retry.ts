/** How often and how patiently a failed request is tried again. */
export type RetryPolicy = {
  /** Tries in all, the first included. */
  attempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
};

/** What the caller decides about a failure: retry (optionally not before a delay), or give up. */
export type RetryVerdict = { retry: false } | { retry: true; notBeforeMs?: number };

export type RetryHooks = {
  /** Decides whether a failure is worth another try. */
  classify: (error: unknown) => RetryVerdict;
  /** Told before each wait, e.g. for a log line. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  sleep?: (ms: number) => Promise<void>;
  /** A number in [0, 1); Math.random by default. */
  random?: () => number;
};

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The wait before try `attempt + 1`: exponential backoff with full jitter (uniform in
 * [0, min(max, initial × 2^(attempt-1))]), never shorter than a server's Retry-After, never
 * longer than the policy's maximum.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: number, notBeforeMs = 0): number {
  const ceiling = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** (attempt - 1));
  return Math.min(policy.maxBackoffMs, Math.max(notBeforeMs, Math.floor(ceiling * random)));
}

/** Runs an operation, trying it again after retryable failures; the last failure is rethrown. */
export async function withRetries<T>(operation: (attempt: number) => Promise<T>, policy: RetryPolicy, hooks: RetryHooks): Promise<T> {
  const sleep = hooks.sleep ?? defaultSleep;
  const random = hooks.random ?? Math.random;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation(attempt);
    } catch (error) {
      const verdict = hooks.classify(error);
      if (!verdict.retry || attempt >= policy.attempts) throw error;
      const delayMs = backoffDelay(policy, attempt, random(), verdict.notBeforeMs);
      hooks.onRetry?.(error, attempt, delayMs);
      await sleep(delayMs);
    }
  }
}
