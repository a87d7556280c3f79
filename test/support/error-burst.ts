import type { LogDocument } from "@/lib/pipeline/log-document";

/**
 * `count` ERROR documents of one namespace in the window starting at `startMs`, a second apart
 * from 5 s in, from the app `<namespace>-api`; the i-th message is `message(firstValue + 7 i)`.
 */
export function errorBurst(namespace: string, startMs: number, count: number, message: (value: number) => string, firstValue: number): LogDocument[] {
  return Array.from({ length: count }, (_, index) => ({
    timestamp: startMs + 5_000 + index * 1_000,
    namespace,
    app: `${namespace}-api`,
    level: "ERROR",
    message: message(firstValue + index * 7),
    traceId: null,
    version: null,
  }));
}
