import { getPrisma } from "@/lib/db/client";
import { addNote, addNoteRequestSchema } from "@/lib/db/peak-triage";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const POST = route({ role: "analyst", input: addNoteRequestSchema, status: 201 }, async ({ actor, input: { id, ...note } }) =>
  addNote(await getPrisma(), actor, id, note),
);
