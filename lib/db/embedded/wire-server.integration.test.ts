import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMBEDDED_PORT } from "./paths";
import { runEmbeddedServer, type EmbeddedServer } from "./run-server";

describe("the embedded database served to several clients", () => {
  let dataDir: string;
  let server: EmbeddedServer;
  let pool: pg.Pool;
  const connect = () => {
    const client = new pg.Client({ host: server.socketDir, port: EMBEDDED_PORT, user: "postgres", database: "postgres" });
    client.on("error", () => {});
    return client.connect().then(() => client);
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "peaks-wire-"));
    server = await runEmbeddedServer({ dataDir, idleShutdownMs: 0, log: () => {} });
    pool = new pg.Pool({ host: server.socketDir, port: EMBEDDED_PORT, user: "postgres", database: "postgres", max: 6 });
    await pool.query("CREATE TABLE items (id serial PRIMARY KEY, value int NOT NULL)");
  });
  afterAll(async () => {
    await pool.end();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("keeps a transaction isolated: another client's statement waits for the commit", async () => {
    const writer = await connect();
    const reader = await connect();
    try {
      await writer.query("BEGIN");
      await writer.query("INSERT INTO items (value) VALUES ($1)", [1]);
      const pending = reader.query<{ n: number }>("SELECT count(*)::int AS n FROM items WHERE value IN (1, 2)");
      await new Promise((resolve) => setTimeout(resolve, 100));
      await writer.query("INSERT INTO items (value) VALUES ($1)", [2]);
      await writer.query("COMMIT");
      expect((await pending).rows[0]?.n).toBe(2);
    } finally {
      await writer.end();
      await reader.end();
    }
  });

  it("never mixes up concurrent parameterised queries of different clients", async () => {
    const results = await Promise.all(
      Array.from({ length: 120 }, (_, index) =>
        pool.query<{ doubled: number; label: string }>("SELECT $1::int * 2 AS doubled, $2::text AS label", [index, `client-${index}`]),
      ),
    );
    results.forEach((result, index) => {
      expect(result.rows[0]).toEqual({ doubled: index * 2, label: `client-${index}` });
    });
  });

  it("returns large results intact to concurrent clients", async () => {
    await pool.query("CREATE TABLE wide AS SELECT g AS id, md5(g::text) AS digest FROM generate_series(1, 50000) g");
    const results = await Promise.all(
      Array.from({ length: 3 }, () => pool.query<{ id: number; digest: string }>("SELECT id, digest FROM wide WHERE id > $1 ORDER BY id", [0])),
    );
    for (const result of results) {
      expect(result.rows).toHaveLength(50000);
      const corrupted = result.rows.filter((row, index) => row.id !== index + 1 || row.digest !== createHash("md5").update(String(row.id)).digest("hex"));
      expect(corrupted).toEqual([]);
    }
  });

  it("rolls back the open transaction of a client that disconnects, and serves the others", async () => {
    const quitter = await connect();
    await quitter.query("BEGIN");
    await quitter.query("INSERT INTO items (value) VALUES (99)");
    const waiting = pool.query<{ n: number }>("SELECT count(*)::int AS n FROM items WHERE value = 99");
    (quitter as unknown as { connection: { stream: { destroy: () => void } } }).connection.stream.destroy();
    expect((await waiting).rows[0]?.n).toBe(0);
  });

  it("recovers from an error inside another client's transaction", async () => {
    const client = await connect();
    try {
      await client.query("BEGIN");
      await expect(client.query("SELECT 1 / 0")).rejects.toThrow("division by zero");
      await expect(client.query("SELECT 1")).rejects.toThrow(/current transaction is aborted/);
      await client.query("ROLLBACK");
      expect((await pool.query<{ ok: number }>("SELECT 1 AS ok")).rows[0]?.ok).toBe(1);
    } finally {
      await client.end();
    }
  });

  it("refuses a second server for the same data folder", async () => {
    await expect(runEmbeddedServer({ dataDir, idleShutdownMs: 0, log: () => {} })).rejects.toThrow(
      `The embedded database is already served by process ${process.pid}`,
    );
    expect((await pool.query<{ ok: number }>("SELECT 1 AS ok")).rows[0]?.ok).toBe(1);
  });
});
