import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";
import { env } from "./lib/env.js";

// Engine "js" with a driver adapter: Prisma needs no downloaded engine binary. `generate` runs
// offline; `migrate diff` (scripts/new-migration.ts) connects to the PostgreSQL in DATABASE_URL.
// Migrations are applied by lib/db/migrate.ts, never by `migrate deploy`.
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  async adapter() {
    return new PrismaPg({ connectionString: env.DATABASE_URL ?? "postgresql://localhost:5432/postgres" });
  },
});
