import { getDatabase } from "@/lib/db/client";
import { resetUserPassword } from "@/lib/users/accounts";
import { resetPasswordRequestSchema } from "@/lib/users/contract";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** A new password (the one given, or a generated one answered once); ends the user's sessions. */
export const POST = route({ role: "admin", input: resetPasswordRequestSchema }, async ({ actor, input: { id, ...options } }) =>
  resetUserPassword(await getDatabase(), actor, id, options),
);
