import { z } from "zod";
import { getConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db/client";
import { getThresholds, saveThresholds, saveThresholdsSchema } from "@/lib/db/thresholds";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** The thresholds in force and every version, newest first. */
export const GET = route({ role: "viewer", input: z.object({}) }, async ({ actor }) => getThresholds(await getPrisma(), actor, getConfig().peak_detection));

/** Saves a new version: {values, comment?, basedOnVersion} (admins; 409 when another version was saved meanwhile). */
export const POST = route({ role: "admin", input: saveThresholdsSchema, status: 201 }, async ({ actor, input }) =>
  saveThresholds(await getPrisma(), actor, getConfig().peak_detection, input),
);
