import type { PrismaClient } from "./client";

/** A read kept for reuse: its result, and what tells whether it still holds. */
export type ReusedRead<Value> = { value: Promise<Value> };

/**
 * Keeps the latest of one expensive read per database client: reused while `isCurrent` says it
 * still holds, shared by the requests that come while it runs, and forgotten when it fails (the
 * next request reads again).
 */
export function createReusedRead<Entry extends ReusedRead<unknown>>(): (
  prisma: PrismaClient,
  isCurrent: (entry: Entry) => boolean,
  read: () => Entry,
) => Entry {
  const latest = new WeakMap<PrismaClient, Entry>();
  return (prisma, isCurrent, read) => {
    const kept = latest.get(prisma);
    if (kept && isCurrent(kept)) return kept;
    const fresh = read();
    latest.set(prisma, fresh);
    fresh.value.catch(() => {
      if (latest.get(prisma) === fresh) latest.delete(prisma);
    });
    return fresh;
  };
}
