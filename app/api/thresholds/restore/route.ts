import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { restoreThresholdsSchema } from "@/lib/thresholds/contract";
import { restoreThresholds } from "@/lib/thresholds/settings";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Puts an earlier version in force again as a new version: {version, comment?} (admins). */
export const POST = route({ role: "admin", input: restoreThresholdsSchema, status: 201 }, async ({ actor, input }) =>
  restoreThresholds(await getDatabase(), actor, getConfig().peak_detection, input),
);
