import { redirect } from "next/navigation";
import { getConfig } from "@/lib/config";
import { gridOf } from "@/lib/config/grid";
import { newestDueDate } from "@/lib/digest/read";

export const dynamic = "force-dynamic";

/** The newest daily report: the date whose digest.local_time passed last. */
export default function NewestDailyReportPage() {
  const config = getConfig();
  redirect(`/reports/daily/${newestDueDate({ config, grid: gridOf(config), now: new Date() })}`);
}
