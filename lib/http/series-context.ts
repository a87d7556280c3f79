import type { FrozenConfig } from "@/lib/config";
import type { SeriesContext } from "@/lib/namespaces/series";
import type { OverviewContext } from "@/lib/overview/overview";
import { gridOf } from "@/lib/config/grid";

/** The window grid and values.yaml thresholds that the chart routes draw with. */
export function seriesContext(config: FrozenConfig): SeriesContext {
  return { grid: gridOf(config), defaults: config.peak_detection };
}

/** The window grid, the staleness limit and the values.yaml thresholds the overview judges each namespace's freshness and newest window with. */
export function overviewContext(config: FrozenConfig): OverviewContext {
  return { grid: gridOf(config), staleAfterMinutes: config.pipeline.stale_after_minutes, defaults: config.peak_detection };
}
