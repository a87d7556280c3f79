import net from "node:net";
import { PrismaPg } from "@prisma/adapter-pg";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { mapConnectionError } from "./connection-error";
import { ensureEmbeddedServer } from "./embedded/ensure-server";
import { EMBEDDED_PORT, embeddedPaths } from "./embedded/paths";
import type { DB } from "./generated/kysely/types";
import { PrismaClient } from "./generated/prisma/client";
import { migrate, type MigrationReport } from "./migrate";
import { databaseTargetFromEnvironment, type DatabaseTarget } from "./target";

export type { Prisma, PrismaClient } from "./generated/prisma/client";

/** Connection settings for node-postgres; starts the embedded server when needed. */
export async function connectionConfig(target: DatabaseTarget): Promise<pg.PoolConfig> {
  if (target.kind === "postgres") return { connectionString: target.url };
  const socketDir = await ensureEmbeddedServer(target.dataDir);
  return { host: socketDir, port: EMBEDDED_PORT, user: "postgres", database: "postgres" };
}

/** Typed SQL over the database's own tables and columns (types generated from schema.prisma). */
export type Queries = Kysely<DB>;

export type Database = {
  /** Writes and transactions. */
  prisma: PrismaClient;
  /**
   * Reads, on the same pool: Prisma 6 compiles each query on the JavaScript thread (2–3 ms of
   * CPU for a one-row lookup), Kysely builds the SQL text in microseconds and node-postgres
   * runs it. Columns come back as node-postgres types them: int8 and numeric as strings.
   */
  kysely: Queries;
  pool: pg.Pool;
  target: DatabaseTarget;
  close: () => Promise<void>;
};

/** The handle every query and use case takes: Prisma for writes, Kysely for reads, one pool. */
export type Db = Pick<Database, "prisma" | "kysely">;

/**
 * Keeps the embedded server alive while this process lives (it stops only when no process is
 * connected), and starts it again if it goes away, so that the next query finds it.
 */
function holdEmbeddedServer(dataDir: string): () => void {
  let socket: net.Socket | undefined;
  let isReleased = false;
  const hold = () => {
    if (isReleased) return;
    socket = net.connect(embeddedPaths(dataDir).socketPath);
    socket.unref();
    socket.on("error", () => {});
    socket.on("close", () => {
      if (isReleased) return;
      setTimeout(() => {
        // Released meanwhile (the database was closed): starting a server now would leave it
        // running for nobody.
        if (!isReleased) void ensureEmbeddedServer(dataDir).then(hold, hold);
      }, 500).unref();
    });
  };
  hold();
  return () => {
    isReleased = true;
    socket?.destroy();
  };
}

/**
 * Connects to a target (starting the embedded server when needed) and applies pending
 * migrations. A failure to connect is an AppError naming the database (UnavailableError or
 * ConfigurationError, see mapConnectionError).
 */
export async function migrateDatabase(target: DatabaseTarget): Promise<{ config: pg.PoolConfig; report: MigrationReport }> {
  try {
    const config = await connectionConfig(target);
    return { config, report: await migrate(config) };
  } catch (error) {
    throw mapConnectionError(error, target) ?? error;
  }
}

/**
 * Releases, once the pool is closing, the checked-out clients whose connection has ended. Prisma
 * never releases the client of a transaction whose connection was lost (its ROLLBACK fails
 * first), and pool.end() waits for every checked-out client: closing would never finish, and
 * with nothing else to wait for, the process would end with exit 13 without saying why.
 */
function releaseLostClientsOnClose(pool: pg.Pool): () => void {
  const checkedOut = new Set<pg.PoolClient>();
  const lost = new WeakSet<pg.PoolClient>();
  let isClosing = false;
  const releaseIfLost = (client: pg.PoolClient) => {
    if (isClosing && lost.has(client) && checkedOut.delete(client)) client.release(new Error("connection lost"));
  };
  pool.on("connect", (client) => {
    // The end may come after the failed query was reported, so also after closing began.
    client.once("end", () => {
      lost.add(client);
      releaseIfLost(client);
    });
  });
  pool.on("acquire", (client) => checkedOut.add(client));
  pool.on("release", (_error, client) => checkedOut.delete(client));
  pool.on("remove", (client) => checkedOut.delete(client));
  return () => {
    isClosing = true;
    checkedOut.forEach(releaseIfLost);
  };
}

/**
 * Opens a database: applies pending migrations, then returns a Prisma client over it. A failure
 * to connect is an UnavailableError or ConfigurationError naming the database.
 */
export async function openDatabase(target: DatabaseTarget, options: { poolSize?: number } = {}): Promise<Database> {
  const { config } = await migrateDatabase(target);
  const release = target.kind === "embedded" ? holdEmbeddedServer(target.dataDir) : () => {};
  const pool = new pg.Pool({ ...config, max: options.poolSize ?? 5 });
  const releaseLostClients = releaseLostClientsOnClose(pool);
  // pool.end() resolves before its idle clients' connections have ended; closing waits for them,
  // so that a database dropped right after (tests, restore) has no session left to terminate.
  const connected = new Set<pg.PoolClient>();
  pool.on("connect", (client) => {
    connected.add(client);
    client.once("end", () => connected.delete(client));
  });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  // Never destroyed: destroying would end the pool, which close() ends once Prisma is done.
  const kysely = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    prisma,
    kysely,
    pool,
    target,
    close: async () => {
      release();
      await prisma.$disconnect();
      const ending = [...connected].map((client) => new Promise<void>((resolve) => client.once("end", () => resolve())));
      const ended = pool.end();
      releaseLostClients();
      await ended;
      await Promise.race([Promise.all(ending), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
    },
  };
}

const cache = globalThis as unknown as { peaksDatabase?: Promise<Database> };

/** The process-wide database of the environment's target, opened once (cached across dev reloads). */
export function getDatabase(): Promise<Database> {
  cache.peaksDatabase ??= openDatabase(databaseTargetFromEnvironment()).catch((error: unknown) => {
    cache.peaksDatabase = undefined;
    throw error;
  });
  return cache.peaksDatabase;
}

/** The process-wide Prisma client. */
export async function getPrisma(): Promise<PrismaClient> {
  return (await getDatabase()).prisma;
}
