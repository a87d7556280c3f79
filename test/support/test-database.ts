import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import { connectionConfig, openDatabase, type Database } from "@/lib/db/client";
import { type DatabaseTarget } from "@/lib/db/target";
import { runEmbeddedServer } from "@/lib/db/embedded/run-server";

/** Both kinds of database every integration suite runs against. */
export const databaseKinds = ["pglite", "postgres"] as const;
export type DatabaseKind = (typeof databaseKinds)[number];

export type TestDatabase = {
  kind: DatabaseKind;
  target: DatabaseTarget;
  /** Connection settings for raw SQL (node-postgres). */
  connection: pg.ClientConfig;
  /** Opens the migrated database through Prisma. */
  open: () => Promise<Database>;
  drop: () => Promise<void>;
};

/** A new, empty database: a fresh embedded data folder, or a new database in the test cluster. */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === "pglite") {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "peaks-pglite-"));
    const server = await runEmbeddedServer({ dataDir, idleShutdownMs: 0, log: () => {} });
    const target: DatabaseTarget = { kind: "embedded", dataDir };
    return {
      kind,
      target,
      connection: await connectionConfig(target),
      open: () => openDatabase(target, { poolSize: 3 }),
      drop: async () => {
        await server.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const adminUrl = inject("postgresUrl");
  const name = `peaks_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const target: DatabaseTarget = { kind: "postgres", url: url.toString() };
  return {
    kind,
    target,
    connection: { connectionString: url.toString() },
    open: () => openDatabase(target, { poolSize: 3 }),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

/**
 * Registers hooks that give the enclosing suite its own migrated database of the given kind,
 * opened through Prisma, and drop it afterwards. Returns an accessor valid inside tests.
 */
export function useMigratedDatabase(kind: DatabaseKind): () => Database {
  let testDatabase: TestDatabase | undefined;
  let database: Database | undefined;
  beforeAll(async () => {
    testDatabase = await createTestDatabase(kind);
    database = await testDatabase.open();
  });
  afterAll(async () => {
    await database?.close();
    await testDatabase?.drop();
  });
  return () => {
    if (!database) throw new Error("The test database is opened in beforeAll; use it inside tests and hooks only");
    return database;
  };
}
