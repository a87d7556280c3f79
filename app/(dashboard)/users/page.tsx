import type { Metadata } from "next";
import { hasRole } from "@/lib/roles";
import { currentActor } from "@/app/current-actor";
import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db/client";
import { listUsers } from "@/lib/users/accounts";
import { UsersClient } from "./client";
import "./users.css";

export const metadata: Metadata = { title: "Users" };
export const dynamic = "force-dynamic";

export default async function UsersPage() {
  const actor = await currentActor();
  if (!actor || !hasRole(actor.role, "admin")) {
    return (
      <section className="card empty" role="alert">
        <h2>Administrators only</h2>
        <p>Managing users needs the admin role.</p>
      </section>
    );
  }
  const users = await listUsers(await getDatabase(), actor);
  const initialUsers = users.map((user) => ({
    ...user,
    createdAt: user.createdAt.toISOString(),
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
  }));
  return <UsersClient initialUsers={initialUsers} currentUserId={actor.kind === "user" ? actor.id : null} timeZone={getConfig().timezone} />;
}
