import { z } from "zod";
import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { route } from "@/lib/http/route";
import { seriesContext } from "@/lib/http/series-context";
import { readNamespaceSparklines } from "@/lib/namespaces/sparklines";

export const dynamic = "force-dynamic";

/** Every namespace's last 24 hours against its baseline (the overview's sparklines). */
export const GET = route({ role: "viewer", input: z.object({}) }, async ({ actor }) =>
  readNamespaceSparklines(await getDatabase(), actor, seriesContext(getConfig())),
);
