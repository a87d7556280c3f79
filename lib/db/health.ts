import { getLogger } from "@/lib/log";
import { getPrisma, readRows } from "./client";

export type Health = { status: "ok" | "unavailable"; database: "ok" | "unreachable"; checkedAt: string };

/** Whether the database answers; never throws and never reveals connection details. */
export async function checkHealth(): Promise<Health> {
  const checkedAt = new Date().toISOString();
  try {
    await readRows(await getPrisma(), "SELECT 1");
    return { status: "ok", database: "ok", checkedAt };
  } catch (error) {
    getLogger().error({ err: error }, "health check: database unreachable");
    return { status: "unavailable", database: "unreachable", checkedAt };
  }
}
