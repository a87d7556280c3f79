import { sql } from "kysely";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createElasticsearchClient } from "@/lib/es/client";
import { MIGRATIONS_TABLE } from "@/lib/db/migrate";
import { instruments } from "@/lib/metrics/instruments";
import { startFakeElasticsearch, type FakeElasticsearch } from "@/test/support/fake-elasticsearch";
import { databaseKinds, useMigratedDatabase } from "@/test/support/test-database";
import { checkReadiness, type ReadinessDependencies } from "./readiness";

const logger = pino({ level: "silent" });
const now = new Date("2026-12-03T07:00:00Z");

describe.each(databaseKinds)("readiness on %s", (kind) => {
  const database = useMigratedDatabase(kind);
  const dependencies = (overrides: Partial<ReadinessDependencies> = {}): ReadinessDependencies => ({
    database: () => Promise.resolve(database()),
    elasticsearch: null,
    logger,
    now,
    ...overrides,
  });

  it("is ready on a migrated database with log files as the source", async () => {
    expect(await checkReadiness(dependencies())).toEqual({
      status: "ready",
      checks: { database: "ok", migrations: "ok", elasticsearch: "not configured" },
      checkedAt: "2026-12-03T07:00:00.000Z",
    });
  });

  it("names a migration the database lacks", async () => {
    const db = database();
    const [last] = (await sql<{ name: string }>`SELECT name FROM ${sql.table(MIGRATIONS_TABLE)} ORDER BY name DESC LIMIT 1`.execute(db.kysely)).rows;
    await sql`DELETE FROM ${sql.table(MIGRATIONS_TABLE)} WHERE name = ${last!.name}`.execute(db.kysely);
    try {
      const readiness = await checkReadiness(dependencies());
      expect(readiness.status).toBe("not ready");
      expect(readiness.checks).toEqual({ database: "ok", migrations: "failed", elasticsearch: "not configured" });
      expect(readiness.reason).toBe(`1 migration not applied: ${last!.name}`);
    } finally {
      await sql`INSERT INTO ${sql.table(MIGRATIONS_TABLE)} (name, checksum) VALUES (${last!.name}, 'restored')`.execute(db.kysely);
    }
  });

  it("says when a newer version migrated the database", async () => {
    const db = database();
    await sql`INSERT INTO ${sql.table(MIGRATIONS_TABLE)} (name, checksum) VALUES ('9999_from_the_future', 'x')`.execute(db.kysely);
    try {
      const readiness = await checkReadiness(dependencies());
      expect(readiness.status).toBe("not ready");
      expect(readiness.reason).toBe("the database has migrations this version does not know (9999_from_the_future): it was migrated by a newer version");
    } finally {
      await sql`DELETE FROM ${sql.table(MIGRATIONS_TABLE)} WHERE name = '9999_from_the_future'`.execute(db.kysely);
    }
  });
});

describe("readiness without a usable database", () => {
  it("is not ready, and the reason reveals nothing of the connection", async () => {
    const readiness = await checkReadiness({
      database: () => Promise.reject(new Error("connect ECONNREFUSED 10.1.2.3:5432 password=hunter2")),
      elasticsearch: null,
      logger,
      now,
    });
    expect(readiness.status).toBe("not ready");
    expect(readiness.checks).toEqual({ database: "failed", migrations: "failed", elasticsearch: "not configured" });
    expect(readiness.reason).toMatch(/^the database cannot be used/);
    expect(JSON.stringify(readiness)).not.toMatch(/10\.1\.2\.3|hunter2|5432/);
  });
});

describe("readiness with Elasticsearch", () => {
  const database = useMigratedDatabase("pglite");
  let server: FakeElasticsearch;
  beforeAll(async () => {
    server = await startFakeElasticsearch({ auth: { apiKey: "secret-key" } });
  });
  afterAll(async () => {
    await server.close();
  });
  const connection = (overrides: { apiKey?: string; url?: string } = {}) => ({
    url: overrides.url ?? server.url,
    apiKey: overrides.apiKey ?? "secret-key",
    rejectUnauthorized: true,
    requestTimeoutMs: 30_000,
  });
  const check = (client: ReturnType<typeof createElasticsearchClient>, elasticsearchTimeoutMs = 3_000) =>
    checkReadiness({ database: () => Promise.resolve(database()), elasticsearch: () => client, logger, now, elasticsearchTimeoutMs });

  const requestsCounted = async (outcome: "ok" | "error") =>
    (await instruments().elasticsearchRequests.get()).values.find((value) => value.labels.outcome === outcome)?.value ?? 0;

  it("is ready when the cluster answers a ping, which the metrics count", async () => {
    server.resetRequests();
    const [okBefore, errorsBefore] = [await requestsCounted("ok"), await requestsCounted("error")];
    const readiness = await check(createElasticsearchClient(connection()));
    expect([await requestsCounted("ok"), await requestsCounted("error")]).toEqual([okBefore + 1, errorsBefore]);
    expect(readiness).toMatchObject({ status: "ready", checks: { elasticsearch: "ok" } });
    expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual(["HEAD /"]);
  });

  it("says the credentials were refused, without naming the server", async () => {
    const errorsBefore = await requestsCounted("error");
    const readiness = await check(createElasticsearchClient(connection({ apiKey: "wrong" })));
    expect(await requestsCounted("error")).toBe(errorsBefore + 1);
    expect(readiness).toMatchObject({ status: "not ready", checks: { database: "ok", migrations: "ok", elasticsearch: "failed" } });
    expect(readiness.reason).toBe("Elasticsearch refused the credentials (401): check ES_API_KEY or ES_USERNAME and ES_PASSWORD");
    expect(readiness.reason).not.toContain(new URL(server.url).port);
  });

  it("says when the cluster does not answer in time", async () => {
    server.inject({ delayMs: 1_500 }, { method: "HEAD" });
    const readiness = await check(createElasticsearchClient(connection()), 300);
    expect(readiness.reason).toBe("Elasticsearch did not answer within 0.3 s");
    server.clearFaults();
  });

  it("says when nothing listens at ES_URL", async () => {
    const readiness = await check(createElasticsearchClient(connection({ url: "http://127.0.0.1:9" })));
    expect(readiness).toMatchObject({ status: "not ready", reason: "Elasticsearch is unreachable", checks: { elasticsearch: "failed" } });
  });

  it("says when the settings cannot make a client", async () => {
    const readiness = await checkReadiness({
      database: () => Promise.resolve(database()),
      elasticsearch: () => {
        throw new Error("ES_CA_CERT: cannot read the certificate file /etc/secret/ca.pem");
      },
      logger,
      now,
    });
    expect(readiness.reason).toBe("the Elasticsearch settings cannot be used (the server log has the details)");
    expect(JSON.stringify(readiness)).not.toContain("/etc/secret");
  });
});
