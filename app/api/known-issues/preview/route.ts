import { getDatabase } from "@/lib/db/client";
import { previewMatchesSchema } from "@/lib/known-issues/contract";
import { previewMatches } from "@/lib/known-issues/matching";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Which recent peaks the patterns and regexes being edited would match; reads only, so viewers may ask. */
export const POST = route({ role: "viewer", input: previewMatchesSchema }, async ({ actor, input }) => previewMatches(await getDatabase(), actor, input));
