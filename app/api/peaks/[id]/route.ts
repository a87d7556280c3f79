import { getPrisma } from "@/lib/db/client";
import { getPeak, peakRequestSchema } from "@/lib/db/peak-triage";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** A peak with its decision inputs, investigation, plateau, deliveries, notes and audit trail. */
export const GET = route({ role: "viewer", input: peakRequestSchema }, async ({ actor, input }) => getPeak(await getPrisma(), actor, input.id));
