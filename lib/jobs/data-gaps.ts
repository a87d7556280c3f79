import type { FrozenConfig } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { findDataGapsToAnnounce, type ObservedDataGap } from "@/lib/db/data-gaps";
import { findErrorlessWindowNamespaces, findWindows } from "@/lib/db/detection-store";
import type { OutgoingMessage } from "@/lib/notify/deliver";
import { dataGapMessage } from "@/lib/notify/teams";
import { findSilentNamespaces, type SilentNamespace } from "@/lib/pipeline/silence";
import { describeInstant, formatLocalTime } from "@/lib/pipeline/time";
import { gridOf } from "@/lib/config/grid";
import { loadBaselineOfSlots } from "@/lib/detection/store";

const DAY_MS = 86_400_000;

/** Namespaces silent at the end of what a run processed (see findSilentNamespaces); the day before is read to tell since when. */
export async function findSilentInStore(db: Db, config: FrozenConfig, untilMs: number): Promise<SilentNamespace[]> {
  const grid = gridOf(config);
  // Only a namespace whose last window has no error can be silent: the day of windows is read
  // for those, and only the slots of the last silent_namespace_windows windows, not every slot of the week.
  const lastStart = grid.windowStartOf(untilMs - 1);
  const quiet = await findErrorlessWindowNamespaces(db.prisma, lastStart);
  const stored = await findWindows(db.prisma, untilMs - DAY_MS, untilMs, quiet);
  const series = [...stored].map(([namespace, windows]) => ({ namespace, windows }));
  const slots = Array.from({ length: config.pipeline.silent_namespace_windows }, (_, index) => grid.slotOf(lastStart - index * grid.windowMs));
  const baseline = await loadBaselineOfSlots(db.prisma, quiet, slots, 60 / grid.windowMinutes);
  return findSilentNamespaces(series, baseline, grid, { untilMs, windowCount: config.pipeline.silent_namespace_windows });
}

/** The data gaps a run observed, as episodes to open or keep open. */
export function observedDataGaps(
  config: FrozenConfig,
  stale: { dataUntilMs: number | null; detail: string } | null,
  silent: readonly SilentNamespace[],
): ObservedDataGap[] {
  const grid = gridOf(config);
  return [
    ...(stale
      ? [{ kind: "stale" as const, subject: "", dataUntil: stale.dataUntilMs === null ? null : new Date(stale.dataUntilMs), detail: stale.detail }]
      : []),
    ...silent.map((namespace) => ({
      kind: "silent" as const,
      subject: namespace.namespace,
      dataUntil: new Date(namespace.sinceMs),
      detail: `no error since ${describeInstant(namespace.sinceMs, grid)}, where its baselines expect about ${Math.round(namespace.expected)} over the last ${config.pipeline.silent_namespace_windows} windows`,
    })),
  ];
}

/** Teams messages of the data-gap episodes open now or closed within a day (retries included; each is sent once by its key). */
export async function dataGapMessagesFor(db: Db, config: FrozenConfig, now: Date): Promise<OutgoingMessage[]> {
  const grid = gridOf(config);
  const episodes = await findDataGapsToAnnounce(db.prisma, new Date(now.getTime() - DAY_MS));
  const options = {
    dashboardUrl: config.notifications.dashboard_url,
    formatTime: (instantMs: number) => formatLocalTime(instantMs, grid),
    timeZone: config.timezone,
  };
  return episodes.flatMap((episode) => {
    // A closed episode still owes its opening message if that was never sent: both go, in order.
    const opened = dataGapMessage({ ...episode, closedAt: null }, options);
    const messages: OutgoingMessage[] = [{ ...opened, peakId: null }];
    if (episode.closedAt) messages.push({ ...dataGapMessage(episode, options), peakId: null });
    return messages;
  });
}
