import type { Client } from "@elastic/elasticsearch";
import type { Db } from "@/lib/db/client";
import { appliedMigrationNames, shippedMigrationNames } from "@/lib/db/health";
import { pingElasticsearch } from "@/lib/es/ping";
import type { Logger } from "@/lib/log";

/** How long the readiness check waits for Elasticsearch before it says so. */
export const ELASTICSEARCH_PING_TIMEOUT_MS = 3_000;

export type CheckState = "ok" | "failed" | "not configured";
export type Readiness = {
  status: "ready" | "not ready";
  /** What is wrong, one sentence per failed check; absent when ready. */
  reason?: string;
  checks: { database: CheckState; migrations: CheckState; elasticsearch: CheckState };
  checkedAt: string;
};

export type ReadinessDependencies = {
  /** Opens (or returns) the application's database; it may throw when the database cannot be opened. */
  database: () => Promise<Db>;
  /** The Elasticsearch client of the configured log source (it may throw on bad settings), or null when the source is log files. */
  elasticsearch: (() => Client) | null;
  logger: Logger;
  now: Date;
  /** ELASTICSEARCH_PING_TIMEOUT_MS unless given. */
  elasticsearchTimeoutMs?: number;
};

/**
 * Whether this server can do its work: the database answers, every migration this version ships
 * is applied and none it does not know, and the configured Elasticsearch answers a ping. Reasons
 * name no host or user (the route needs no session); the logger gets the errors.
 */
export async function checkReadiness({
  database,
  elasticsearch,
  logger,
  now,
  elasticsearchTimeoutMs = ELASTICSEARCH_PING_TIMEOUT_MS,
}: ReadinessDependencies): Promise<Readiness> {
  const reasons: string[] = [];
  const checks: Readiness["checks"] = { database: "failed", migrations: "failed", elasticsearch: elasticsearch === null ? "not configured" : "failed" };

  const [databaseReasons, elasticsearchReason] = await Promise.all([
    checkDatabase(database, checks, logger),
    elasticsearch === null ? Promise.resolve(null) : checkElasticsearch(elasticsearch, elasticsearchTimeoutMs),
  ]);
  reasons.push(...databaseReasons);
  if (elasticsearch !== null) {
    if (elasticsearchReason === null) checks.elasticsearch = "ok";
    else {
      reasons.push(elasticsearchReason.reason);
      logger.warn({ err: elasticsearchReason.error }, `readiness: ${elasticsearchReason.reason}`);
    }
  }
  const checkedAt = now.toISOString();
  return reasons.length === 0 ? { status: "ready", checks, checkedAt } : { status: "not ready", reason: reasons.join("; "), checks, checkedAt };
}

async function checkDatabase(database: () => Promise<Db>, checks: Readiness["checks"], logger: Logger): Promise<string[]> {
  // Reading the applied migrations is the database's ping too.
  let applied: string[];
  try {
    applied = await appliedMigrationNames(await database());
  } catch (error) {
    logger.error({ err: error }, "readiness: the database cannot be used");
    return ["the database cannot be used (unreachable, refused, or its migrations failed; the server log has the details)"];
  }
  checks.database = "ok";
  try {
    const shipped = await shippedMigrationNames();
    const appliedSet = new Set(applied);
    const shippedSet = new Set(shipped);
    const pending = shipped.filter((name) => !appliedSet.has(name));
    const unknown = applied.filter((name) => !shippedSet.has(name));
    const reasons: string[] = [];
    if (pending.length > 0) reasons.push(`${pending.length} migration${pending.length === 1 ? "" : "s"} not applied: ${pending.join(", ")}`);
    if (unknown.length > 0) reasons.push(`the database has migrations this version does not know (${unknown.join(", ")}): it was migrated by a newer version`);
    if (reasons.length === 0) checks.migrations = "ok";
    return reasons;
  } catch (error) {
    logger.error({ err: error }, "readiness: cannot compare the migrations");
    return ["the migrations cannot be compared (the server log has the details)"];
  }
}

async function checkElasticsearch(client: () => Client, timeoutMs: number): Promise<{ reason: string; error: unknown } | null> {
  try {
    return await pingElasticsearch(client(), timeoutMs);
  } catch (error) {
    return { reason: "the Elasticsearch settings cannot be used (the server log has the details)", error };
  }
}

/**
 * The readiness check shared by concurrent callers and its answer reused for `reuseMs` after it
 * ends: the probe needs no session, so a flood of requests must not become a flood of database
 * queries and Elasticsearch pings.
 */
export function sharedReadiness(check: (now: Date) => Promise<Readiness>, reuseMs: number, clock: () => Date = () => new Date()): () => Promise<Readiness> {
  let running: Promise<Readiness> | null = null;
  let settled: { endedAtMs: number; answer: Promise<Readiness> } | null = null;
  return () => {
    if (running) return running;
    const now = clock();
    if (settled && now.getTime() - settled.endedAtMs < reuseMs) return settled.answer;
    const answer = check(now);
    running = answer;
    const settle = () => {
      running = null;
      settled = { endedAtMs: clock().getTime(), answer };
    };
    answer.then(settle, settle);
    return answer;
  };
}
