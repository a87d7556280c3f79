import { readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { ConflictError } from "@/lib/errors";

export type LockOwner = { pid: number; startedAt: string };

/** True while a process with this pid exists. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The live process holding the lock, or null when the lock is free or stale. */
export function readLockOwner(lockFile: string): LockOwner | null {
  let owner: LockOwner;
  try {
    owner = JSON.parse(readFileSync(lockFile, "utf8")) as LockOwner;
  } catch {
    return null;
  }
  return Number.isInteger(owner.pid) && isProcessAlive(owner.pid) ? owner : null;
}

// Two processes taking over the same stale lock can both believe they won: each re-reads the
// lock after this pause, and only the one whose pid is in the file goes on.
const TAKEOVER_SETTLE_MS = 150;

/**
 * Takes the lock atomically (O_EXCL); a lock left by a dead process is taken over.
 * Throws ConflictError naming the live owner otherwise. Resolves to the release function.
 */
export async function acquireLock(lockFile: string): Promise<() => void> {
  const owner: LockOwner = { pid: process.pid, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      writeFileSync(lockFile, JSON.stringify(owner), { flag: "wx", mode: 0o600 });
      await new Promise((resolve) => setTimeout(resolve, TAKEOVER_SETTLE_MS));
      const holder = readLockOwner(lockFile);
      if (holder?.pid !== process.pid) {
        throw new ConflictError(`The embedded database was taken by process ${holder?.pid ?? "unknown"} at the same moment`);
      }
      return () => {
        if (readLockOwner(lockFile)?.pid === process.pid) unlinkSync(lockFile);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const current = readLockOwner(lockFile);
      if (current) {
        throw new ConflictError(`The embedded database is already served by process ${current.pid} (since ${current.startedAt})`);
      }
      try {
        unlinkSync(lockFile);
      } catch {
        // Another process removed the stale lock first; try again.
      }
    }
  }
  throw new ConflictError(`Could not take the lock ${lockFile}`);
}
