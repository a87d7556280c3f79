import { z } from "zod";
import { getPrisma } from "@/lib/db/client";
import { readOverview } from "@/lib/db/overview";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer", input: z.object({}) }, async ({ actor }) => readOverview(await getPrisma(), actor));
