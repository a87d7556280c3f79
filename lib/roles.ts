import { ForbiddenError, UnauthenticatedError } from "@/lib/errors";

export const roles = ["viewer", "analyst", "admin"] as const;
export type Role = (typeof roles)[number];

/**
 * Who performs an action: a signed-in user, an operator at the command line (full rights), or the
 * pipeline itself (what a run decides on its own, such as an incident resolving after quiet windows).
 */
export type Actor =
  { kind: "user"; id: number; email: string; name: string | null; role: Role } | { kind: "cli"; role: "admin" } | { kind: "pipeline"; role: "admin" };

export const cliActor: Actor = Object.freeze({ kind: "cli", role: "admin" });
export const pipelineActor: Actor = Object.freeze({ kind: "pipeline", role: "admin" });

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
  return actor.kind === "user" ? actor.email : actor.kind;
}
