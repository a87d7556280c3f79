import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { hasRole } from "@/lib/auth/roles";
import { currentActor } from "@/app/current-actor";
import { getConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db/client";
import { getKnownIssue, knownIssueIdSchema } from "@/lib/db/known-issues";
import { NotFoundError } from "@/lib/errors";
import { KnownIssueClient } from "./client";
import "../known-issues.css";

export const dynamic = "force-dynamic";

/** Ids are PostgreSQL integers: a larger number names no issue rather than failing the query. */
const MAX_ID = 2_147_483_647;

type Params = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: `Known issue #${(await params).id}` };
}

export default async function KnownIssuePage({ params }: Params) {
  const id = knownIssueIdSchema.safeParse((await params).id);
  if (!id.success || id.data > MAX_ID) notFound();
  const actor = await currentActor();
  const issue = await getKnownIssue(await getPrisma(), actor, id.data).catch((error: unknown) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  return <KnownIssueClient initialIssue={issue} timeZone={getConfig().timezone} canEdit={actor !== null && hasRole(actor.role, "analyst")} />;
}
