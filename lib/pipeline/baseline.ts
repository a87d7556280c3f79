import { addSample, combineStats, emptyStats, removeSample, standardDeviation, type RunningStats } from "./running-stats";
import type { SlotKeys } from "./time";

/**
 * Seasonal baselines: running stats per (day_of_week, hour_of_day, quarter_hour, namespace).
 *
 * A slot gets one sample a week, so a young slot borrows from its neighbours. The rule: a slot
 * with at least `MIN_OWN_SAMPLES` samples stands alone. Otherwise its stats are pooled with the
 * windows just before and after it on the same weekday, and with the same window on the other
 * days of its kind (Monday–Friday, or Saturday–Sunday). The pool is used once it holds
 * `MIN_POOLED_SAMPLES` samples; below that the window has too little history to judge.
 * Pooling mixes slightly different slots, which widens the spread: it errs towards not flagging.
 */
export const MIN_OWN_SAMPLES = 4;
export const MIN_POOLED_SAMPLES = 8;

export type BaselineTable = Map<string, RunningStats>;

export type EffectiveBaseline = {
  mean: number;
  stddev: number;
  samples: number;
  /** slot: the slot's own history; pooled: borrowed from neighbours; insufficient: too little history to judge. */
  source: "slot" | "pooled" | "insufficient";
};

export function slotKey(namespace: string, keys: SlotKeys): string {
  return `${keys.dayOfWeek}|${keys.hourOfDay}|${keys.quarterHour}|${namespace}`;
}

/** The keys of every slot of a namespace: 7 days × the windows of a day. */
export function namespaceSlotKeys(namespace: string, windowsPerHour: number): string[] {
  const keys: string[] = [];
  for (let dayOfWeek = 0; dayOfWeek < 7; dayOfWeek += 1) {
    for (let hourOfDay = 0; hourOfDay < 24; hourOfDay += 1) {
      for (let quarterHour = 0; quarterHour < windowsPerHour; quarterHour += 1) keys.push(slotKey(namespace, { dayOfWeek, hourOfDay, quarterHour }));
    }
  }
  return keys;
}

/** Parses a slot key back into its parts. */
export function parseSlotKey(key: string): SlotKeys & { namespace: string } {
  const [dayOfWeek, hourOfDay, quarterHour, ...namespace] = key.split("|");
  return { dayOfWeek: Number(dayOfWeek), hourOfDay: Number(hourOfDay), quarterHour: Number(quarterHour), namespace: namespace.join("|") };
}

/** Adds one window's count to its slot (mutates the table). */
export function recordSample(table: BaselineTable, namespace: string, keys: SlotKeys, value: number): void {
  const key = slotKey(namespace, keys);
  table.set(key, addSample(table.get(key) ?? emptyStats, value));
}

/** Takes back a value a window added to its slot before (mutates the table), so that the window can be judged and added again. */
export function withdrawSample(table: BaselineTable, namespace: string, keys: SlotKeys, value: number): void {
  const key = slotKey(namespace, keys);
  const stats = table.get(key);
  if (stats) table.set(key, removeSample(stats, value));
}

function shiftWindow(keys: SlotKeys, windowsPerHour: number, by: number): SlotKeys {
  const perDay = 24 * windowsPerHour;
  const index = keys.dayOfWeek * perDay + keys.hourOfDay * windowsPerHour + keys.quarterHour + by;
  const wrapped = ((index % (7 * perDay)) + 7 * perDay) % (7 * perDay);
  return {
    dayOfWeek: Math.floor(wrapped / perDay),
    hourOfDay: Math.floor((wrapped % perDay) / windowsPerHour),
    quarterHour: wrapped % windowsPerHour,
  };
}

function sameKindDays(dayOfWeek: number): number[] {
  return dayOfWeek >= 5 ? [5, 6] : [0, 1, 2, 3, 4];
}

/** The slots a young slot is pooled with, by the rule above: its two neighbours, then the same window on the other days of its kind. */
export function poolingSlots(keys: SlotKeys, windowsPerHour: number): SlotKeys[] {
  const otherDays = sameKindDays(keys.dayOfWeek).filter((day) => day !== keys.dayOfWeek);
  return [shiftWindow(keys, windowsPerHour, -1), shiftWindow(keys, windowsPerHour, 1), ...otherDays.map((dayOfWeek) => ({ ...keys, dayOfWeek }))];
}

/** Whether a slot's own history is enough to judge its windows without pooling. */
export function standsAlone(stats: RunningStats | undefined): boolean {
  return (stats?.samples ?? 0) >= MIN_OWN_SAMPLES;
}

/** The baseline a window is judged against, by the rule above. */
export function effectiveBaseline(table: BaselineTable, namespace: string, keys: SlotKeys, windowsPerHour: number): EffectiveBaseline {
  const own = table.get(slotKey(namespace, keys)) ?? emptyStats;
  if (standsAlone(own)) {
    return { mean: own.mean, stddev: standardDeviation(own), samples: own.samples, source: "slot" };
  }
  let pooled = own;
  for (const slot of poolingSlots(keys, windowsPerHour)) {
    pooled = combineStats(pooled, table.get(slotKey(namespace, slot)) ?? emptyStats);
  }
  return {
    mean: pooled.mean,
    stddev: standardDeviation(pooled),
    samples: pooled.samples,
    source: pooled.samples >= MIN_POOLED_SAMPLES ? "pooled" : "insufficient",
  };
}
