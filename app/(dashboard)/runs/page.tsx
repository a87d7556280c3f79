import type { Metadata } from "next";
import { hasRole } from "@/lib/roles";
import { currentActor } from "@/app/current-actor";
import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { getRuns } from "@/lib/runs/history";
import { RunsClient } from "./client";
import "../completeness.css";

export const metadata: Metadata = { title: "Pipeline runs" };
export const dynamic = "force-dynamic";

/** Runs shown at first; "Show older runs" adds as many again. */
const RUNS_PAGE_SIZE = 25;

export default async function RunsPage() {
  const actor = await currentActor();
  const { runs, nextBeforeId } = await getRuns(await getDatabase(), { limit: RUNS_PAGE_SIZE });
  // A JSON round trip gives the client the shape the API answers with (dates as ISO strings).
  const initialRuns = JSON.parse(JSON.stringify({ runs, nextBeforeId })) as Parameters<typeof RunsClient>[0]["initialRuns"];
  return (
    <RunsClient
      initialRuns={initialRuns}
      timeZone={getConfig().timezone}
      canRun={actor !== null && hasRole(actor.role, "analyst")}
      pageSize={RUNS_PAGE_SIZE}
      // eslint-disable-next-line react-hooks/purity -- a server component renders once per request: this is when its data was read
      renderedAt={Date.now()}
    />
  );
}
