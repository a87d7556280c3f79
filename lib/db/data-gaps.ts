import type { Db, PrismaClient } from "./client";

export type DataGapKind = "stale" | "silent";

/** What a run observed: a stale source (subject "") or a silent namespace (subject = namespace). */
export type ObservedDataGap = { kind: DataGapKind; subject: string; dataUntil: Date | null; detail: string };

export type DataGapEpisode = {
  id: number;
  kind: DataGapKind;
  subject: string;
  dataUntil: Date | null;
  detail: string;
  openedAt: Date;
  lastSeenAt: Date;
  closedAt: Date | null;
};

const selectEpisode = { id: true, kind: true, subject: true, dataUntil: true, detail: true, openedAt: true, lastSeenAt: true, closedAt: true } as const;

function asEpisode(row: { kind: string } & Omit<DataGapEpisode, "kind">): DataGapEpisode {
  return { ...row, kind: row.kind === "silent" ? "silent" : "stale" };
}

/**
 * Brings the episodes of the given kinds up to what a run observed, in one transaction: an
 * observation without an open episode opens one, one with an open episode refreshes it, and an
 * open episode no longer observed is closed (recovered). Kinds the run could not check (e.g. its
 * source failed) are left as they are.
 */
export async function syncDataGaps(
  prisma: PrismaClient,
  observed: readonly ObservedDataGap[],
  checkedKinds: readonly DataGapKind[],
  now: Date,
): Promise<{ opened: DataGapEpisode[]; recovered: DataGapEpisode[] }> {
  return prisma.$transaction(async (transaction) => {
    const open = await transaction.dataGap.findMany({ where: { closedAt: null, kind: { in: [...checkedKinds] } }, select: selectEpisode });
    const openByKey = new Map(open.map((episode) => [`${episode.kind}|${episode.subject}`, episode]));
    const opened: DataGapEpisode[] = [];
    const seen = new Set<string>();
    for (const gap of observed) {
      const key = `${gap.kind}|${gap.subject}`;
      seen.add(key);
      const episode = openByKey.get(key);
      if (episode) {
        await transaction.dataGap.update({ where: { id: episode.id }, data: { lastSeenAt: now, dataUntil: gap.dataUntil, detail: gap.detail } });
      } else {
        opened.push(asEpisode(await transaction.dataGap.create({ data: { ...gap, openedAt: now, lastSeenAt: now }, select: selectEpisode })));
      }
    }
    const recovered: DataGapEpisode[] = [];
    for (const episode of open) {
      if (seen.has(`${episode.kind}|${episode.subject}`)) continue;
      recovered.push(asEpisode(await transaction.dataGap.update({ where: { id: episode.id }, data: { closedAt: now }, select: selectEpisode })));
    }
    return { opened, recovered };
  });
}

/** Episodes open now, and those closed since `closedSince` (their recovery message may still be due). */
export async function findDataGapsToAnnounce(prisma: PrismaClient, closedSince: Date): Promise<DataGapEpisode[]> {
  const rows = await prisma.dataGap.findMany({
    where: { OR: [{ closedAt: null }, { closedAt: { gte: closedSince } }] },
    select: selectEpisode,
    orderBy: { id: "asc" },
  });
  return rows.map(asEpisode);
}

/** Episodes open now, oldest first: what the overview's banner says. */
export async function findOpenDataGaps(prisma: PrismaClient): Promise<DataGapEpisode[]> {
  const rows = await prisma.dataGap.findMany({ where: { closedAt: null }, select: selectEpisode, orderBy: { openedAt: "asc" } });
  return rows.map(asEpisode);
}

/** Episodes that were open at some instant of [from, to): opened before its end and not closed before its start; oldest first, at most `limit`. */
export async function findDataGapsDuring(db: Db, range: { from: Date; to: Date }, limit: number): Promise<DataGapEpisode[]> {
  const rows = await db.kysely
    .selectFrom("data_gaps")
    .select(["id", "kind", "subject", "data_until as dataUntil", "detail", "opened_at as openedAt", "last_seen_at as lastSeenAt", "closed_at as closedAt"])
    .where("opened_at", "<", range.to)
    .where((eb) => eb.or([eb("closed_at", "is", null), eb("closed_at", ">=", range.from)]))
    .orderBy("opened_at")
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map(asEpisode);
}
