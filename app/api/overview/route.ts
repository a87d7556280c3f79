import { z } from "zod";
import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { route } from "@/lib/http/route";
import { overviewContext } from "@/lib/http/series-context";
import { readOverview } from "@/lib/overview/overview";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer", input: z.object({}) }, async ({ actor }) => readOverview(await getDatabase(), actor, overviewContext(getConfig())));
