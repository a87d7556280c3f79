import { cookies } from "next/headers";
import { getActor } from "@/lib/auth/session";
import type { Actor } from "@/lib/auth/roles";

/** The signed-in user of the page being rendered, or null (see getActor). */
export async function currentActor(): Promise<Actor | null> {
  return getActor(await cookies());
}
