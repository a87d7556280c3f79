import { z } from "zod";
import { getDatabase } from "@/lib/db/client";
import { createUser, listUsers } from "@/lib/users/accounts";
import { createUserSchema } from "@/lib/users/contract";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route({ role: "admin", input: z.object({}) }, async ({ actor }) => ({
  users: await listUsers(await getDatabase(), actor),
}));

export const POST = route({ role: "admin", input: createUserSchema, status: 201 }, async ({ actor, input }) => createUser(await getDatabase(), actor, input));
