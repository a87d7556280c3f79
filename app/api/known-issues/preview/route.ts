import { getPrisma } from "@/lib/db/client";
import { previewMatches, previewMatchesSchema } from "@/lib/db/known-issues";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Which recent peaks the patterns and regexes being edited would match; reads only, so viewers may ask. */
export const POST = route({ role: "viewer", input: previewMatchesSchema }, async ({ actor, input }) => previewMatches(await getPrisma(), actor, input));
