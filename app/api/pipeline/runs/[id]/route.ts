import { z } from "zod";
import { getDatabase } from "@/lib/db/client";
import { route } from "@/lib/http/route";
import { recordIdSchema } from "@/lib/record-id";
import { getRun } from "@/lib/runs/history";

export const dynamic = "force-dynamic";

/** A run with its steps: status, timings, counts and errors so far. */
export const GET = route({ role: "viewer", input: z.object({ id: recordIdSchema }) }, async ({ input }) => getRun(await getDatabase(), input.id));
