import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { hasRole } from "@/lib/roles";
import { currentActor } from "@/app/current-actor";
import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { getKnownIssue } from "@/lib/known-issues/catalog";
import { NotFoundError } from "@/lib/errors";
import { KnownIssueClient } from "./client";
import { parseKnownIssueId, type KnownIssuePathParams } from "./path-params";
import "../known-issues.css";

export const dynamic = "force-dynamic";

type Params = { params: KnownIssuePathParams };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: `Known issue #${(await params).id}` };
}

export default async function KnownIssuePage({ params }: Params) {
  const id = await parseKnownIssueId(params);
  const actor = await currentActor();
  const issue = await getKnownIssue(await getDatabase(), actor, id).catch((error: unknown) => {
    // Gone since layout.tsx looked: too late for a 404 status, but the page says so.
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  return <KnownIssueClient initialIssue={issue} timeZone={getConfig().timezone} canEdit={actor !== null && hasRole(actor.role, "analyst")} />;
}
