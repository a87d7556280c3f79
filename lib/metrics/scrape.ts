import type { FrozenConfig } from "@/lib/config";
import { gridOf } from "@/lib/config/grid";
import type { Database } from "@/lib/db/client";
import { readOperationalFigures } from "@/lib/db/metrics";
import { isBearerAuthorized } from "@/lib/http/cron";
import { NotFoundError, UnauthenticatedError } from "@/lib/errors";
import { renderMetrics } from "./exposition";

/**
 * A scrape of /api/metrics: refused unless the Authorization header carries the metrics token
 * (404 while no token is set: the route is off, so it tells nothing), then the exposition of
 * the process's instruments and the database's figures at `now`.
 */
export async function scrapeMetrics(options: {
  authorization: string | null;
  token: string | undefined;
  database: () => Promise<Database>;
  config: Pick<FrozenConfig, "timezone" | "window_minutes">;
  now: Date;
}): Promise<{ text: string; contentType: string }> {
  if (!options.token) throw new NotFoundError("Metrics are off: set METRICS_TOKEN to turn them on");
  if (!isBearerAuthorized(options.authorization, options.token)) throw new UnauthenticatedError("Metrics need Authorization: Bearer $METRICS_TOKEN");
  const database = await options.database();
  const figures = await readOperationalFigures(database, options.now, gridOf(options.config).windowMs);
  const { pool } = database;
  return renderMetrics(figures, { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max ?? 10 }, options.now);
}
