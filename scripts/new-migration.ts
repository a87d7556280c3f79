// Writes the SQL migration that takes the database from the schema of the newest migration to
// the current prisma/schema.prisma:  npm run db:new-migration -- <name>
// The newest migration folder keeps the schema.prisma it was generated from, so the next diff has
// a base; writing a new migration moves that snapshot to the new folder. Whether the migrations
// really build that schema is checked by lib/db/migrations-drift.integration.test.ts.
// Prisma's diff needs a reachable PostgreSQL when a driver adapter is configured: a throwaway
// cluster is started for it.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { readMigrations, DEFAULT_MIGRATIONS_DIR } from "@/lib/db/migrate";
import { childProcessEnvironment } from "@/lib/env.js";
import { startPostgres } from "@/test/support/postgres-server";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("Usage: npm run db:new-migration -- <name in lower_snake_case>");
  process.exit(2);
}
const schema = path.join("prisma", "schema.prisma");
const migrations = await readMigrations();
const newest = migrations.at(-1);
const base = newest ? path.join(DEFAULT_MIGRATIONS_DIR, newest.name, "schema.prisma") : null;
if (base && !existsSync(base)) {
  console.error(`${base} is missing: the newest migration must keep the schema it was generated from.`);
  process.exit(1);
}
const server = await startPostgres();
try {
  const from = base ? ["--from-schema-datamodel", base] : ["--from-empty"];
  const diff = spawnSync("npx", ["prisma", "migrate", "diff", ...from, "--to-schema-datamodel", schema, "--script"], {
    encoding: "utf8",
    env: childProcessEnvironment({ DATABASE_URL: server.url }),
  });
  if (diff.status !== 0) {
    console.error(diff.stderr);
    process.exit(1);
  }
  if (!/^(CREATE|ALTER|DROP|INSERT|UPDATE|DELETE)\b/m.test(diff.stdout)) {
    console.log("prisma/schema.prisma has no change since the newest migration; nothing written.");
    process.exit(0);
  }
  const number = String((Number(newest?.name.slice(0, 4) ?? "0") || 0) + 1).padStart(4, "0");
  const folder = path.join(DEFAULT_MIGRATIONS_DIR, `${number}_${name}`);
  mkdirSync(folder);
  writeFileSync(path.join(folder, "migration.sql"), diff.stdout);
  copyFileSync(schema, path.join(folder, "schema.prisma"));
  if (base) rmSync(base);
  console.log(`Wrote ${path.relative(process.cwd(), folder)}/migration.sql; review it, then run npm run db:migrate.`);
} finally {
  server.stop();
}
