import { env } from "@/lib/env.js";

/** Where the data lives: a PostgreSQL server, or the embedded database of a data folder. */
export type DatabaseTarget = { kind: "postgres"; url: string } | { kind: "embedded"; dataDir: string };

/** The target named by the environment: DATABASE_URL, else the embedded database in PEAKS_DATA_DIR. */
export function databaseTargetFromEnvironment(): DatabaseTarget {
  return env.DATABASE_URL ? { kind: "postgres", url: env.DATABASE_URL } : { kind: "embedded", dataDir: env.PEAKS_DATA_DIR };
}

/** Human-readable description of a target, without credentials. */
export function describeTarget(target: DatabaseTarget): string {
  if (target.kind === "embedded") return `embedded database in ${target.dataDir}`;
  const url = new URL(target.url);
  return `PostgreSQL at ${url.hostname}${url.port ? `:${url.port}` : ""}${url.pathname}`;
}
