import { getLogger } from "@/lib/log";
import { sql } from "kysely";
import { getDatabase } from "./client";

export type Health = { status: "ok" | "unavailable"; database: "ok" | "unreachable"; checkedAt: string };

/** Whether the database answers; never throws and never reveals connection details. */
export async function checkHealth(): Promise<Health> {
  const checkedAt = new Date().toISOString();
  try {
    await sql`SELECT 1`.execute((await getDatabase()).kysely);
    return { status: "ok", database: "ok", checkedAt };
  } catch (error) {
    getLogger().error({ err: error }, "health check: database unreachable");
    return { status: "unavailable", database: "unreachable", checkedAt };
  }
}
