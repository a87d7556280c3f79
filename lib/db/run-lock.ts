import type { PrismaClient } from "./client";

/** Who holds (or wants) a lock. */
export type LockOwner = { holder: string; host: string; pid: number };

export type HeldLock = LockOwner & { name: string; runId: number | null; acquiredAt: Date; expiresAt: Date };

export type LockAttempt =
  | { acquired: true; lock: HeldLock; /** The holder whose lease was taken over, if any. */ tookOverFrom: HeldLock | null }
  | { acquired: false; heldBy: HeldLock };

type LockRow = { name: string; run_id: number | null; holder: string; host: string; pid: number; acquired_at: Date; expires_at: Date };

function heldLockOf(row: LockRow): HeldLock {
  return { name: row.name, runId: row.run_id, holder: row.holder, host: row.host, pid: row.pid, acquiredAt: row.acquired_at, expiresAt: row.expires_at };
}

/**
 * Whether a lease can be taken over: it expired, or its holder was a process on this host that
 * no longer exists (a killed run need not wait for its lease to run out).
 */
export function isStale(lock: HeldLock, owner: LockOwner, now: Date, isProcessAlive: (pid: number) => boolean): boolean {
  if (lock.expiresAt.getTime() <= now.getTime()) return true;
  return lock.host === owner.host && !isProcessAlive(lock.pid);
}

/**
 * Takes the named lease for `leaseMs`, unless someone else holds a live one. A plain row with
 * compare-and-swap rather than pg_advisory_lock: the embedded database serves every client
 * from one session, where an advisory lock would be granted to all of them.
 */
export async function tryAcquireLock(
  prisma: PrismaClient,
  name: string,
  owner: LockOwner,
  options: { leaseMs: number; now: Date; isProcessAlive: (pid: number) => boolean },
): Promise<LockAttempt> {
  const expiresAt = new Date(options.now.getTime() + options.leaseMs);
  const inserted = await prisma.$queryRaw<LockRow[]>`
    INSERT INTO pipeline_locks (name, run_id, holder, host, pid, acquired_at, expires_at)
    VALUES (${name}, NULL, ${owner.holder}, ${owner.host}, ${owner.pid}, ${options.now}, ${expiresAt})
    ON CONFLICT (name) DO NOTHING
    RETURNING *`;
  if (inserted[0]) return { acquired: true, lock: heldLockOf(inserted[0]), tookOverFrom: null };

  const current = (await prisma.$queryRaw<LockRow[]>`SELECT * FROM pipeline_locks WHERE name = ${name}`)[0];
  if (!current) return tryAcquireLock(prisma, name, owner, options);
  const held = heldLockOf(current);
  if (!isStale(held, owner, options.now, options.isProcessAlive)) return { acquired: false, heldBy: held };
  // Only the caller that still sees the same stale holder wins the takeover.
  const taken = await prisma.$queryRaw<LockRow[]>`
    UPDATE pipeline_locks
       SET run_id = NULL, holder = ${owner.holder}, host = ${owner.host}, pid = ${owner.pid}, acquired_at = ${options.now}, expires_at = ${expiresAt}
     WHERE name = ${name} AND host = ${held.host} AND pid = ${held.pid} AND acquired_at = ${held.acquiredAt}
    RETURNING *`;
  if (taken[0]) return { acquired: true, lock: heldLockOf(taken[0]), tookOverFrom: held };
  return tryAcquireLock(prisma, name, owner, options);
}

function identity(lock: HeldLock) {
  return { name: lock.name, host: lock.host, pid: lock.pid, acquiredAt: lock.acquiredAt };
}

/** Extends the lease; false when it was lost (taken over after it expired). */
export async function renewLock(prisma: PrismaClient, lock: HeldLock, options: { leaseMs: number; now: Date }): Promise<boolean> {
  const { name, host, pid, acquiredAt } = identity(lock);
  const expiresAt = new Date(options.now.getTime() + options.leaseMs);
  const updated = await prisma.$executeRaw`
    UPDATE pipeline_locks SET expires_at = ${expiresAt}
     WHERE name = ${name} AND host = ${host} AND pid = ${pid} AND acquired_at = ${acquiredAt}`;
  return updated === 1;
}

/** Records which run holds the lock, for the message a second run gets. */
export async function attachRunToLock(prisma: PrismaClient, lock: HeldLock, runId: number): Promise<void> {
  const { name, host, pid, acquiredAt } = identity(lock);
  await prisma.$executeRaw`
    UPDATE pipeline_locks SET run_id = ${runId}
     WHERE name = ${name} AND host = ${host} AND pid = ${pid} AND acquired_at = ${acquiredAt}`;
}

/** Releases the lock if still held by this owner. */
export async function releaseLock(prisma: PrismaClient, lock: HeldLock): Promise<void> {
  const { name, host, pid, acquiredAt } = identity(lock);
  await prisma.$executeRaw`
    DELETE FROM pipeline_locks WHERE name = ${name} AND host = ${host} AND pid = ${pid} AND acquired_at = ${acquiredAt}`;
}

/** The current holder of a lock, if any. */
export async function findLock(prisma: PrismaClient, name: string): Promise<HeldLock | null> {
  const row = (await prisma.$queryRaw<LockRow[]>`SELECT * FROM pipeline_locks WHERE name = ${name}`)[0];
  return row ? heldLockOf(row) : null;
}
