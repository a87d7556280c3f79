import type { FrozenConfig } from "@/lib/config";
import type { SeriesContext } from "@/lib/db/namespaces";
import { createWindowGrid, type WindowGrid } from "@/lib/pipeline/time";

// A grid caches its timezone lookups: one per configuration keeps them warm across requests.
const grids = new Map<string, WindowGrid>();

/** The window grid and values.yaml thresholds that the chart routes draw with. */
export function seriesContext(config: FrozenConfig): SeriesContext {
  const key = `${config.timezone}|${config.window_minutes}`;
  let grid = grids.get(key);
  if (!grid) grids.set(key, (grid = createWindowGrid(config.timezone, config.window_minutes)));
  return { grid, defaults: config.peak_detection };
}
