import type { Actor } from "@/lib/roles";

/** Who reads the digest when it is sent (the cron route, the scheduler, `peaks digest --send`); it only reads. */
export const systemDigestActor: Actor = Object.freeze({ kind: "system", name: "daily digest", role: "analyst" });
