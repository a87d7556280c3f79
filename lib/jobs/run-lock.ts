import os from "node:os";
import type { FrozenConfig } from "@/lib/config";
import { gridOf } from "@/lib/config/grid";
import type { Db } from "@/lib/db/client";
import { isProcessAlive } from "@/lib/db/embedded/lock";
import { attachRunToLock, releaseLock, renewLock, tryAcquireLock, type HeldLock, type LockOwner } from "@/lib/db/run-lock";
import { ConflictError } from "@/lib/errors";
import { describeInstant, type WindowGrid } from "@/lib/pipeline/time";

export { isProcessAlive };

/** The lock every job that processes windows takes: pipeline runs, ingest and batch. */
export const WINDOWS_LOCK = "windows";

/** This process as a lock owner, described as `holder` ("peaks ingest", "pipeline run (api)"). */
export function currentOwner(holder: string): LockOwner {
  return { holder, host: os.hostname(), pid: process.pid };
}

export type WindowsLock = {
  lock: HeldLock;
  /** The holder whose lease was taken over (a killed or lost run), if any. */
  tookOverFrom: HeldLock | null;
  attachRun: (runId: number) => Promise<void>;
  /** Throws when the lease was lost (it expired while this process could not renew it). */
  assertHeld: () => void;
  release: () => Promise<void>;
};

export type LockOptions = { now?: () => Date; isProcessAlive?: (pid: number) => boolean; owner?: LockOwner };

function describeHolder(lock: HeldLock, grid: WindowGrid): string {
  const run = lock.runId === null ? "" : `run #${lock.runId}, `;
  return `${lock.holder} (${run}pid ${lock.pid} on ${lock.host}, since ${describeInstant(lock.acquiredAt.getTime(), grid)})`;
}

/**
 * Takes the windows lock, renewing its lease in the background until released; throws a
 * ConflictError naming the holder when another live process has it.
 */
export async function acquireWindowsLock(db: Db, config: FrozenConfig, holder: string, options: LockOptions = {}): Promise<WindowsLock> {
  const now = options.now ?? (() => new Date());
  const leaseMs = config.pipeline.lock_lease_seconds * 1000;
  const attempt = await tryAcquireLock(db.prisma, WINDOWS_LOCK, options.owner ?? currentOwner(holder), {
    leaseMs,
    now: now(),
    isProcessAlive: options.isProcessAlive ?? isProcessAlive,
  });
  if (!attempt.acquired) {
    throw new ConflictError(
      `Another run is processing windows: ${describeHolder(attempt.heldBy, gridOf(config))}. Try again when it has finished; ` +
        `its lease runs until ${describeInstant(attempt.heldBy.expiresAt.getTime(), gridOf(config))} and is renewed while it works.`,
    );
  }
  let lock = attempt.lock;
  let isLost = false;
  let renewal: Promise<void> | null = null;
  const timer = setInterval(
    () => {
      if (renewal) return;
      renewal = renewLock(db.prisma, lock, { leaseMs, now: now() })
        .then((isHeld) => {
          if (!isHeld) isLost = true;
        })
        // A failed renewal is retried at the next tick; the lease outlives two missed ticks.
        .catch(() => {})
        .finally(() => {
          renewal = null;
        });
    },
    Math.max(1000, Math.floor(leaseMs / 3)),
  );
  timer.unref();
  return {
    lock,
    tookOverFrom: attempt.tookOverFrom,
    attachRun: async (runId) => {
      await attachRunToLock(db.prisma, lock, runId);
      lock = { ...lock, runId };
    },
    assertHeld: () => {
      if (isLost)
        throw new ConflictError("This run lost its lock (its lease expired while it could not renew it); another run may have taken over, so it stops here.");
    },
    release: async () => {
      clearInterval(timer);
      await renewal;
      await releaseLock(db.prisma, lock);
    },
  };
}

/** Runs a body while holding the windows lock. */
export async function withWindowsLock<T>(
  db: Db,
  config: FrozenConfig,
  holder: string,
  body: (lock: WindowsLock) => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const lock = await acquireWindowsLock(db, config, holder, options);
  try {
    return await body(lock);
  } finally {
    await lock.release();
  }
}
