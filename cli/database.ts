import { openDatabase, type Database } from "@/lib/db/client";
import { databaseTargetFromEnvironment, type DatabaseTarget } from "@/lib/db/target";
import { mapConnectionError } from "@/lib/db/connection-error";

// After a failure, closing gets this long (ms) before the command reports why it failed anyway.
const CLOSE_AFTER_FAILURE_MS = 5_000;

/** Closes a database after a failed body without failing again, and without waiting forever. */
async function closeAfterFailure(database: Database): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      database.close().catch(() => {}),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, CLOSE_AFTER_FAILURE_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs a command body with the environment's database open, closing it afterwards.
 * CLI commands use this rather than the web server's process-wide cache. A connection lost
 * while the body runs fails the command as UnavailableError naming the database.
 */
export async function withDatabase<T>(body: (database: Database) => Promise<T>, target: DatabaseTarget = databaseTargetFromEnvironment()): Promise<T> {
  const database = await openDatabase(target, { poolSize: 2 });
  let result: T;
  try {
    result = await body(database);
  } catch (error) {
    await closeAfterFailure(database);
    throw mapConnectionError(error, target) ?? error;
  }
  await database.close();
  return result;
}
