import { getPrisma } from "@/lib/db/client";
import { resetPasswordRequestSchema, resetUserPassword } from "@/lib/db/users";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** A new password (the one given, or a generated one answered once); ends the user's sessions. */
export const POST = route({ role: "admin", input: resetPasswordRequestSchema }, async ({ actor, input: { id, ...options } }) =>
  resetUserPassword(await getPrisma(), actor, id, options),
);
