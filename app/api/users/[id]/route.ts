import { getDatabase } from "@/lib/db/client";
import { changeUser, deleteUser } from "@/lib/users/accounts";
import { changeUserRequestSchema, userRequestSchema } from "@/lib/users/contract";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** A new role and/or disabling or enabling the account; ends the user's sessions where access shrinks. */
export const PATCH = route({ role: "admin", input: changeUserRequestSchema }, async ({ actor, input: { id, ...changes } }) =>
  changeUser(await getDatabase(), actor, id, changes),
);

export const DELETE = route({ role: "admin", input: userRequestSchema }, async ({ actor, input }) => deleteUser(await getDatabase(), actor, input.id));
