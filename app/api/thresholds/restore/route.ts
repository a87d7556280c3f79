import { getConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db/client";
import { restoreThresholds, restoreThresholdsSchema } from "@/lib/db/thresholds";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Puts an earlier version in force again as a new version: {version, comment?} (admins). */
export const POST = route({ role: "admin", input: restoreThresholdsSchema, status: 201 }, async ({ actor, input }) =>
  restoreThresholds(await getPrisma(), actor, getConfig().peak_detection, input),
);
