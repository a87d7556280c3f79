import type { WorkerInfo } from "@playwright/test";
import { openDatabase, type Database } from "@/lib/db/client";

/**
 * A worker fixture: the e2e server's embedded database (its server process is shared by every
 * client of the folder), to seed what the API cannot and to check what it wrote.
 */
export const e2eDatabase: [(args: object, provide: (database: Database) => Promise<void>, workerInfo: WorkerInfo) => Promise<void>, { scope: "worker" }] = [
  // Playwright reads a fixture's dependencies from its first parameter, which must be a destructuring pattern.
  async ({}, provide: (database: Database) => Promise<void>, workerInfo: WorkerInfo) => {
    const dataDir = workerInfo.config.webServer?.env?.PEAKS_DATA_DIR;
    if (!dataDir) throw new Error("playwright.config.ts gives the web server no PEAKS_DATA_DIR");
    const database = await openDatabase({ kind: "embedded", dataDir });
    try {
      await provide(database);
    } finally {
      await database.close();
    }
  },
  { scope: "worker" },
];
