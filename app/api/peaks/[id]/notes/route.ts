import { getDatabase } from "@/lib/db/client";
import { addNoteRequestSchema } from "@/lib/peaks/contract";
import { addNote } from "@/lib/peaks/triage";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const POST = route({ role: "analyst", input: addNoteRequestSchema, status: 201 }, async ({ actor, input: { id, ...note } }) =>
  addNote(await getDatabase(), actor, id, note),
);
