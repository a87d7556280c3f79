import type { FrozenConfig } from "@/lib/config";
import type { SeriesContext } from "@/lib/db/namespaces";
import type { OverviewContext } from "@/lib/db/overview";
import { createWindowGrid, type WindowGrid } from "@/lib/pipeline/time";

// A grid caches its timezone lookups: one per configuration keeps them warm across requests.
const grids = new Map<string, WindowGrid>();

function gridOf(config: FrozenConfig): WindowGrid {
  const key = `${config.timezone}|${config.window_minutes}`;
  let grid = grids.get(key);
  if (!grid) grids.set(key, (grid = createWindowGrid(config.timezone, config.window_minutes)));
  return grid;
}

/** The window grid and values.yaml thresholds that the chart routes draw with. */
export function seriesContext(config: FrozenConfig): SeriesContext {
  return { grid: gridOf(config), defaults: config.peak_detection };
}

/** The window grid and the staleness limit the overview judges each namespace's freshness with. */
export function overviewContext(config: FrozenConfig): OverviewContext {
  return { grid: gridOf(config), staleAfterMinutes: config.pipeline.stale_after_minutes };
}
