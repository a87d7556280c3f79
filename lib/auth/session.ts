import { getDatabase } from "@/lib/db/client";
import { assertRole, type Actor, type Role } from "@/lib/roles";
import { readSessionToken, type CookieReader } from "./session-token";

/**
 * The signed-in user of the current request, read fresh from the database so that a role
 * change or a disabled account takes effect at once; null when nobody is signed in or the
 * session was ended.
 *
 * `cookies` are the request's (a page passes next/headers' cookies()). Reads the token with
 * readSessionToken rather than getServerSession, which would run the callbacks and encode a new
 * token on every call, and looks the user up with a plain read: this runs on every request.
 */
export async function getActor(cookies: CookieReader): Promise<Actor | null> {
  const payload = await readSessionToken(cookies);
  const userId = payload?.userId;
  if (typeof userId !== "number") return null;
  const { kysely } = await getDatabase();
  const user = await kysely
    .selectFrom("users")
    .select(["id", "email", "name", "role", "is_disabled", "session_version"])
    .where("id", "=", userId)
    .executeTakeFirst();
  if (!user || user.is_disabled) return null;
  // Sign-out, a new role, a disabled account or a new password raised the version: every token
  // issued before (and one without a version, from before versions existed) is refused.
  if (payload?.sessionVersion !== user.session_version) return null;
  return { kind: "user", id: user.id, email: user.email, name: user.name, role: user.role };
}

/** The actor of a request, or an UnauthenticatedError / ForbiddenError. */
export async function requireActor(request: Request, required: Role): Promise<Actor> {
  const actor = await getActor(requestCookies(request));
  assertRole(actor, required);
  return actor;
}

/** The cookies of a request's Cookie header, values URI-decoded as browsers and Next.js treat them. */
export function requestCookies(request: Request): CookieReader {
  const header = request.headers.get("cookie") ?? "";
  const cookies = header
    .split(";")
    .map((pair) => {
      const separator = pair.indexOf("=");
      if (separator < 0) return null;
      const raw = pair.slice(separator + 1).trim();
      let value = raw;
      try {
        value = decodeURIComponent(raw);
      } catch {
        // A malformed escape is kept as sent.
      }
      return { name: pair.slice(0, separator).trim(), value };
    })
    .filter((cookie): cookie is { name: string; value: string } => cookie !== null && cookie.name !== "");
  return { getAll: () => cookies };
}
