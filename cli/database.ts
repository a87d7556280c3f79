import { databaseTargetFromEnvironment, openDatabase, type Database } from "@/lib/db/client";

/**
 * Runs a command body with the environment's database open, closing it afterwards.
 * CLI commands use this rather than the web server's process-wide cache.
 */
export async function withDatabase<T>(body: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase(databaseTargetFromEnvironment(), { poolSize: 2 });
  try {
    return await body(database);
  } finally {
    await database.close();
  }
}
