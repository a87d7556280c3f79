import type { Metadata } from "next";
import { currentActor } from "@/app/current-actor";
import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { NotFoundError } from "@/lib/errors";
import { getProblem } from "@/lib/problems/detail";
import { problemSettingsOf } from "@/lib/problems/summaries";
import { hasRole } from "@/lib/roles";
import { parseProblemDetailSearch } from "../search-params";
import { ProblemClient } from "./client";
import { parseProblemPathId, type ProblemPathParams } from "./path-params";
import "../problems.css";
import "../../peaks/peaks.css";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: ProblemPathParams }): Promise<Metadata> {
  return { title: `Problem ${(await params).id}` };
}

export default async function ProblemPage({
  params,
  searchParams,
}: {
  params: ProblemPathParams;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const id = await parseProblemPathId(params);
  const search = parseProblemDetailSearch(await searchParams);
  const actor = await currentActor();
  const config = getConfig();
  // layout.tsx found the problem; a NotFoundError here says it had no window in this period (or was merged since): the page says so and offers a longer one.
  const loaded = await getProblem(await getDatabase(), actor, { id, since: search.since }, { ...problemSettingsOf(config), now: new Date() }).then(
    (problem) => ({ problem, missing: null }),
    (error: unknown) => {
      if (error instanceof NotFoundError) return { problem: null, missing: error.message };
      throw error;
    },
  );
  return (
    <ProblemClient
      id={id}
      initialSearch={search}
      initialProblem={loaded.problem}
      initialMissing={loaded.missing}
      timeZone={config.timezone}
      canCreateKnownIssue={actor !== null && hasRole(actor.role, "analyst")}
    />
  );
}
