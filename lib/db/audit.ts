import { actorLabel, type Actor } from "@/lib/roles";
import type { Prisma, PrismaClient } from "./client";

type Writer = Pick<PrismaClient, "auditLog"> | Prisma.TransactionClient;

/** Records who did what to which entity; call it in the same transaction as the change. */
export async function recordAudit(
  writer: Writer,
  actor: Actor,
  entry: { action: string; entityType: string; entityId?: string | number; details?: Prisma.InputJsonObject },
): Promise<void> {
  await writer.auditLog.create({
    data: {
      userId: actor.kind === "user" ? actor.id : null,
      actor: actorLabel(actor),
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId === undefined ? null : String(entry.entityId),
      details: entry.details ?? {},
    },
  });
}
