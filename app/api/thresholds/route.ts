import { z } from "zod";
import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { saveThresholdsSchema } from "@/lib/thresholds/contract";
import { getThresholds, saveThresholds } from "@/lib/thresholds/settings";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** The thresholds in force and every version, newest first. */
export const GET = route({ role: "viewer", input: z.object({}) }, async ({ actor }) => getThresholds(await getDatabase(), actor, getConfig().peak_detection));

/** Saves a new version: {values, comment?, basedOnVersion} (admins; 409 when another version was saved meanwhile). */
export const POST = route({ role: "admin", input: saveThresholdsSchema, status: 201 }, async ({ actor, input }) =>
  saveThresholds(await getDatabase(), actor, getConfig().peak_detection, input),
);
