import type { Prisma } from "./client";
import type { PeakStatus } from "./generated/kysely/types";
import { peakSummarySelect, type PeakSummaryRow } from "./peaks";

// The reads and writes of the triage actions (lib/peaks/triage.ts), inside their transactions.

type Transaction = Prisma.TransactionClient;

/** A peak as the timeline lists it, read in the transaction that changed it. */
export async function findPeakSummary(transaction: Transaction, peakId: number): Promise<PeakSummaryRow> {
  return transaction.peakInvestigation.findUniqueOrThrow({ where: { id: peakId }, select: peakSummarySelect });
}

const peakForActionSelect = {
  id: true,
  status: true,
  namespace: true,
  appName: true,
  rootCause: true,
  topPatterns: true,
  enrichedAt: true,
  knownIssueId: true,
} satisfies Prisma.PeakInvestigationSelect;

/** What an action reads of the peak it changes. */
export type PeakForAction = Prisma.PeakInvestigationGetPayload<{ select: typeof peakForActionSelect }>;

export async function findPeakForAction(transaction: Transaction, peakId: number): Promise<PeakForAction | null> {
  return transaction.peakInvestigation.findUnique({ where: { id: peakId }, select: peakForActionSelect });
}

/**
 * Moves a peak from status `from` to `to` (and to `knownIssueId` when given), only if it still has
 * status `from`, so that of two concurrent changes only one applies. Returns whether it did.
 */
export async function updatePeakStatus(
  transaction: Transaction,
  change: { peakId: number; from: PeakStatus; to: PeakStatus; knownIssueId?: number },
): Promise<boolean> {
  const { count } = await transaction.peakInvestigation.updateMany({
    where: { id: change.peakId, status: change.from },
    data: { ...(change.knownIssueId === undefined ? {} : { knownIssueId: change.knownIssueId }), status: change.to },
  });
  return count > 0;
}

export async function peakExistsIn(transaction: Transaction, peakId: number): Promise<boolean> {
  return (await transaction.peakInvestigation.findUnique({ where: { id: peakId }, select: { id: true } })) !== null;
}

export async function insertPeakNote(
  transaction: Transaction,
  note: { peakId: number; authorId: number | null; actor: string; text: string },
): Promise<{ id: number; text: string; actor: string; createdAt: Date }> {
  return transaction.peakNote.create({ data: note, select: { id: true, text: true, actor: true, createdAt: true } });
}

// Known issues and known peaks a triage action attaches, creates or resolves.

export async function findKnownIssueHeadline(
  transaction: Transaction,
  knownIssueId: number,
): Promise<{ id: number; title: string; status: "active" | "resolved" } | null> {
  return transaction.knownIssue.findUnique({ where: { id: knownIssueId }, select: { id: true, title: true, status: true } });
}

/** A known issue's row; it must exist (a peak's foreign key names it). */
export async function findKnownIssueRow(transaction: Transaction, knownIssueId: number) {
  return transaction.knownIssue.findUniqueOrThrow({ where: { id: knownIssueId } });
}

export type KnownIssueFields = {
  title: string;
  description: string | null;
  patternIds: string[];
  regexes: string[];
  namespace: string | null;
  appName: string | null;
  link: string | null;
};

/** Creates an active known issue; returns its id. */
export async function insertKnownIssue(transaction: Transaction, fields: KnownIssueFields & { createdById: number | null }): Promise<number> {
  return (await transaction.knownIssue.create({ data: fields, select: { id: true } })).id;
}

/** Resolves a known issue if it is still active; returns whether it was (so that it is resolved once). */
export async function resolveKnownIssueIfActive(transaction: Transaction, knownIssueId: number, resolvedAt: Date): Promise<boolean> {
  const { count } = await transaction.knownIssue.updateMany({ where: { id: knownIssueId, status: "active" }, data: { status: "resolved", resolvedAt } });
  return count === 1;
}

/** The newest known peak a known issue was resolved into, or null. */
export async function findKnownPeakIdOfIssue(transaction: Transaction, knownIssueId: number): Promise<number | null> {
  return (await transaction.knownPeak.findFirst({ where: { knownIssueId }, orderBy: { id: "desc" }, select: { id: true } }))?.id ?? null;
}

/** Creates a known peak (a resolved incident with its solution); returns its id. */
export async function insertKnownPeak(
  transaction: Transaction,
  fields: Omit<KnownIssueFields, "description" | "link"> &
    Partial<Pick<KnownIssueFields, "description" | "link">> & {
      solution: string;
      knownIssueId?: number;
      resolvedById: number | null;
      resolvedAt: Date;
    },
): Promise<number> {
  return (await transaction.knownPeak.create({ data: fields, select: { id: true } })).id;
}
