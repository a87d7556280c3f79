import { createWindowGrid, type WindowGrid } from "@/lib/pipeline/time";
import type { FrozenConfig } from "./index";

// A grid caches its timezone lookups: one per timezone and window length keeps them warm for
// the life of the process, across requests and runs.
const grids = new Map<string, WindowGrid>();

/** The window grid of a configuration: its timezone and window length, made once. */
export function gridOf(config: Pick<FrozenConfig, "timezone" | "window_minutes">): WindowGrid {
  const key = `${config.timezone}|${config.window_minutes}`;
  let grid = grids.get(key);
  if (!grid) grids.set(key, (grid = createWindowGrid(config.timezone, config.window_minutes)));
  return grid;
}
