import { after } from "next/server";
import { z } from "zod";
import { getDatabase } from "@/lib/db/client";
import { route } from "@/lib/http/route";
import { startRunForUser } from "@/lib/jobs/scheduled";
import { recordIdSchema } from "@/lib/record-id";
import { getRuns } from "@/lib/runs/history";
import { webServices } from "@/lib/services/web";

export const dynamic = "force-dynamic";
/** Seconds the run may go on after the answer on platforms that limit functions (Vercel). */
export const maxDuration = 800;

const instant = z.iso.datetime({ offset: true }).transform((value) => Date.parse(value));

const startInput = z
  .object({ from: instant.optional(), to: instant.optional(), skipAnalysis: z.boolean().optional() })
  .strict()
  .refine((value) => value.to === undefined || value.from !== undefined, { message: "to needs from", path: ["to"] })
  .refine((value) => value.from === undefined || value.to === undefined || value.from < value.to, { message: "must be after from", path: ["to"] });

/** Starts a run: 202 with its id while it goes on (progress at GET /api/pipeline/runs/:id), 409 while another runs. */
export const POST = route({ role: "analyst", input: startInput }, async ({ actor, input }) => {
  const answer = await startRunForUser(
    await webServices(),
    actor,
    {
      ...(input.from !== undefined ? { fromMs: input.from } : {}),
      ...(input.to !== undefined ? { toMs: input.to } : {}),
      ...(input.skipAnalysis !== undefined ? { skipAnalysis: input.skipAnalysis } : {}),
    },
    (task) => after(task),
  );
  return Response.json(answer, { status: answer.status === "running" ? 202 : 200 });
});

const listInput = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: recordIdSchema.optional(),
  status: z.enum(["running", "succeeded", "failed"]).optional(),
});

export const GET = route({ role: "viewer", input: listInput }, async ({ input }) =>
  getRuns(await getDatabase(), {
    limit: input.limit,
    ...(input.before !== undefined ? { beforeId: input.before } : {}),
    ...(input.status ? { status: input.status } : {}),
  }),
);
