import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { route } from "@/lib/http/route";
import { acceptNewNormal, listNewNormals } from "@/lib/jobs/new-normal";
import { acceptNewNormalSchema, listNewNormalSchema } from "@/lib/new-normal/contract";

export const dynamic = "force-dynamic";

/** Accepted new normals, newest first: ?namespace= (viewers and above). */
export const GET = route({ role: "viewer", input: listNewNormalSchema }, async ({ actor, input }) => listNewNormals(await getDatabase(), actor, input));

/**
 * Accepts a namespace's new level as normal: {peakId} (from its incident's first window) or
 * {namespace, from}, with comment?; {preview: true} measures without writing (analysts).
 */
export const POST = route({ role: "analyst", input: acceptNewNormalSchema }, async ({ actor, input }) => {
  const result = await acceptNewNormal(await getDatabase(), getConfig(), actor, input);
  return "accepted" in result ? Response.json(result, { status: 201 }) : result;
});
