import { BACKTEST_DEFAULT_DAYS, BACKTEST_MAX_DAYS } from "@/lib/thresholds/contract";

/** Backtest lengths offered; the URL may carry any whole number of days up to the maximum. */
export const BACKTEST_DAY_CHOICES = [3, 7, 14, 30] as const;

/** ?days= of the thresholds page: a whole number of days from 1 to the maximum, else the default. */
export function parseBacktestDays(value: string | string[] | undefined | null): number {
  const text = Array.isArray(value) ? value[0] : value;
  const days = Number(text);
  return Number.isInteger(days) && days >= 1 && days <= BACKTEST_MAX_DAYS ? days : BACKTEST_DEFAULT_DAYS;
}
