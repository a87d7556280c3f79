import { z } from "zod";
import { getConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db/client";
import { readOverview } from "@/lib/db/overview";
import { route } from "@/lib/http/route";
import { overviewContext } from "@/lib/http/series-context";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer", input: z.object({}) }, async ({ actor }) => readOverview(await getPrisma(), actor, overviewContext(getConfig())));
