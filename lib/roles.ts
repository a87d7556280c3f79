import { ForbiddenError, UnauthenticatedError } from "@/lib/errors";

export const roles = ["viewer", "analyst", "admin"] as const;
export type Role = (typeof roles)[number];

/**
 * Who performs an action: a signed-in user, an operator at the command line (full rights), or
 * the product itself, named for what it does (an analyst's rights, no more).
 */
export type Actor =
  | { kind: "user"; id: number; email: string; name: string | null; role: Role }
  | { kind: "cli"; role: "admin" }
  | { kind: "system"; name: string; role: "analyst" };

export const cliActor: Actor = Object.freeze({ kind: "cli", role: "admin" });
/** What a pipeline run decides on its own, such as an incident resolving after quiet windows. */
export const pipelineActor: Actor = Object.freeze({ kind: "system", name: "pipeline", role: "analyst" });

/** The first start's triage of the sample data set (its known issue and resolved peak). */
export const sampleDataActor: Actor = Object.freeze({ kind: "system", name: "sample data", role: "analyst" });

/** True when `role` is `required` or above (viewer < analyst < admin). */
export function hasRole(role: Role, required: Role): boolean {
  return roles.indexOf(role) >= roles.indexOf(required);
}

/** Throws unless the actor exists and has at least the required role. */
export function assertRole(actor: Actor | null, required: Role): asserts actor is Actor {
  if (!actor) throw new UnauthenticatedError();
  if (!hasRole(actor.role, required)) {
    throw new ForbiddenError(`This needs the ${required} role; you are ${actor.role === "viewer" ? "a" : "an"} ${actor.role}`);
  }
}

/** How the actor is named in the audit log. */
export function actorLabel(actor: Actor): string {
  if (actor.kind === "cli") return "cli";
  return actor.kind === "system" ? actor.name : actor.email;
}
