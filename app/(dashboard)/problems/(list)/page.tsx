import type { Metadata } from "next";
import { currentActor } from "@/app/current-actor";
import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { listProblems } from "@/lib/problems/list";
import { problemSettingsOf } from "@/lib/problems/summaries";
import { ProblemsClient } from "../client";
import { parseProblemListSearch, toListProblemsInput } from "../search-params";
import "../problems.css";

export const metadata: Metadata = { title: "Problems" };
export const dynamic = "force-dynamic";

export default async function ProblemsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const search = parseProblemListSearch(await searchParams);
  const config = getConfig();
  const page = await listProblems(await getDatabase(), await currentActor(), toListProblemsInput(search), {
    ...problemSettingsOf(config),
    now: new Date(),
  });
  return <ProblemsClient initialSearch={search} initialPage={page} timeZone={config.timezone} />;
}
