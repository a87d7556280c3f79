import { getServerSession } from "next-auth";
import { getPrisma } from "@/lib/db/client";
import { authOptions } from "./options";
import { assertRole, type Actor, type Role } from "./roles";

/**
 * The signed-in user of the current request, read fresh from the database so that a role
 * change or a disabled account takes effect at once; null when nobody is signed in.
 */
export async function getActor(): Promise<Actor | null> {
  const session = await getServerSession(authOptions);
  const userId = session?.user?.id;
  if (typeof userId !== "number") return null;
  const prisma = await getPrisma();
  const user = await prisma.user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, name: true, role: true, isDisabled: true },
  });
  if (!user || user.isDisabled) return null;
  return { kind: "user", id: user.id, email: user.email, name: user.name, role: user.role };
}

/** The current actor, or an UnauthenticatedError / ForbiddenError. */
export async function requireActor(required: Role): Promise<Actor> {
  const actor = await getActor();
  assertRole(actor, required);
  return actor;
}
