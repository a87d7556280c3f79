import { z } from "zod";
import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { route } from "@/lib/http/route";
import { takeBackNewNormal } from "@/lib/jobs/new-normal";
import { newNormalIdSchema } from "@/lib/new-normal/contract";

export const dynamic = "force-dynamic";

/** Takes an accepted new normal back: the newest of its namespace first, while its windows are stored (analysts). */
export const POST = route({ role: "analyst", input: z.object({ id: newNormalIdSchema }) }, async ({ actor, input }) =>
  takeBackNewNormal(await getDatabase(), getConfig(), actor, input.id),
);
