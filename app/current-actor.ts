import { cookies } from "next/headers";
import { cache } from "react";
import { getActor } from "@/lib/auth/session";
import type { Actor } from "@/lib/roles";

/**
 * The signed-in user of the page being rendered, or null (see getActor). Read once per request:
 * the dashboard's layout, a detail page's layout and the page itself all ask.
 */
export const currentActor = cache(async (): Promise<Actor | null> => getActor(await cookies()));
