import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { currentActor } from "@/app/current-actor";
import { getConfig } from "@/lib/config";
import { gridOf } from "@/lib/config/grid";
import { getDatabase } from "@/lib/db/client";
import { readDigest } from "@/lib/digest/read";
import { InvalidInputError, NotFoundError } from "@/lib/errors";
import { isDigestDue, shiftIsoDate } from "@/lib/pipeline/digest-period";
import { DailyReport } from "./report";
import "../daily-report.css";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ date: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: `Daily report ${(await params).date}` };
}

/** The daily digest of a date as a printable page: an unknown or not yet due date is a 404. */
export default async function DailyReportPage({ params }: Params) {
  const { date } = await params;
  const config = getConfig();
  const grid = gridOf(config);
  const now = new Date();
  const content = await readDigest(await getDatabase(), await currentActor(), { date }, { config, grid, now }).catch((error: unknown) => {
    if (error instanceof InvalidInputError || error instanceof NotFoundError) notFound();
    throw error;
  });
  const next = shiftIsoDate(content.date, 1);
  return (
    <DailyReport
      content={content}
      previousDate={shiftIsoDate(content.date, -1)}
      nextDate={isDigestDue(next, config.digest.local_time, now.getTime(), grid) ? next : null}
    />
  );
}
