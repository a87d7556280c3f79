"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Fragment, useState, type FormEvent } from "react";
import { roles, type Role } from "@/lib/roles";
import type { UserSummary } from "@/lib/users/contract";
import { formatDateTime } from "@/lib/format";
import { fetchJson } from "@/lib/http/fetch-json";
import type { Jsonified } from "@/lib/http/jsonified";
import { AccountControls, ConfirmChange, type PendingChange } from "./user-actions";

type UserRow = Jsonified<UserSummary>;

type Created = { user: UserRow; generatedPassword: string | null };

/** What the last confirmed change did, said once above the table. */
type Outcome = { message: string; password?: string };

/** Sends a confirmed change; answers what to tell the admin. */
async function applyChange(change: PendingChange, user: UserRow): Promise<Outcome> {
  const path = `/api/users/${change.userId}`;
  switch (change.kind) {
    case "role": {
      const changed = await fetchJson<UserRow>(path, { method: "PATCH", body: JSON.stringify({ role: change.role }) });
      return { message: `${changed.email} is now ${changed.role}; their sessions have ended.` };
    }
    case "disable":
    case "enable": {
      const changed = await fetchJson<UserRow>(path, { method: "PATCH", body: JSON.stringify({ disabled: change.kind === "disable" }) });
      return { message: changed.isDisabled ? `Disabled ${changed.email}; their sessions have ended.` : `Enabled ${changed.email}.` };
    }
    case "reset": {
      const { password } = await fetchJson<{ password: string }>(`${path}/reset-password`, { method: "POST", body: "{}" });
      return { message: `New password for ${user.email}, shown only now:`, password };
    }
    case "delete": {
      const deleted = await fetchJson<{ email: string }>(path, { method: "DELETE" });
      return { message: `Deleted ${deleted.email}.` };
    }
  }
}

export function UsersClient({ initialUsers, currentUserId, timeZone }: { initialUsers: UserRow[]; currentUserId: number | null; timeZone: string }) {
  const queryClient = useQueryClient();
  const users = useQuery({
    queryKey: ["users"],
    queryFn: () => fetchJson<{ users: UserRow[] }>("/api/users").then((body) => body.users),
    initialData: initialUsers,
  });
  const [created, setCreated] = useState<Created | null>(null);
  const create = useMutation({
    mutationFn: (input: { email: string; role: Role; name?: string }) => fetchJson<Created>("/api/users", { method: "POST", body: JSON.stringify(input) }),
    onSuccess: (result) => {
      setCreated(result);
      void queryClient.invalidateQueries({ queryKey: ["users"] });
    },
  });

  const [pending, setPending] = useState<PendingChange | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const change = useMutation({
    mutationFn: ({ pending: confirmed, user }: { pending: PendingChange; user: UserRow }) => applyChange(confirmed, user),
    onSuccess: (result) => {
      setOutcome(result);
      setPending(null);
      void queryClient.invalidateQueries({ queryKey: ["users"] });
    },
  });
  const pendingUser = pending ? users.data.find((user) => user.id === pending.userId) : undefined;

  function propose(next: PendingChange) {
    change.reset();
    setOutcome(null);
    // A password shown once goes as soon as the admin moves on.
    setCreated(null);
    setPending(next);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = String(form.get("name") ?? "").trim();
    setCreated(null);
    setOutcome(null);
    create.mutate({
      email: String(form.get("email") ?? ""),
      role: String(form.get("role")) as Role,
      ...(name ? { name } : {}),
    });
    event.currentTarget.reset();
  }

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Users</h1>
          <p>Viewers read everything; analysts triage peaks and curate known issues; admins also tune thresholds and manage users.</p>
        </div>
      </header>
      <section className="card" aria-labelledby="user-list">
        <h2 id="user-list">Accounts</h2>
        {change.isError ? (
          <p className="alert alert-error" role="alert">
            {change.error.message}
          </p>
        ) : null}
        {outcome ? (
          <p className="alert alert-success" role="status">
            {outcome.message} {outcome.password ? <code data-testid="reset-password">{outcome.password}</code> : null}
          </p>
        ) : null}
        <div className="table-scroll">
          <table aria-labelledby="user-list">
            <thead>
              <tr>
                <th scope="col">E-mail</th>
                <th scope="col">Status</th>
                <th scope="col">Sign-in</th>
                <th scope="col">Last sign-in</th>
                <th scope="col">Role and actions</th>
              </tr>
            </thead>
            <tbody>
              {users.data.map((user) => (
                <Fragment key={user.id}>
                  <tr data-testid={`user-${user.email}`}>
                    <td>
                      {user.email}
                      {user.name ? <span className="muted"> · {user.name}</span> : null}
                      {user.id === currentUserId ? <span className="muted"> (you)</span> : null}
                    </td>
                    <td>{user.isDisabled ? <span className="badge badge-failed">disabled</span> : "active"}</td>
                    <td>{user.hasPassword ? "password" : "single sign-on"}</td>
                    <td>{formatDateTime(user.lastLoginAt, timeZone)}</td>
                    <td>
                      <AccountControls user={user} isSelf={user.id === currentUserId} disabled={change.isPending} onChange={propose} />
                    </td>
                  </tr>
                  {pending && pendingUser?.id === user.id ? (
                    <tr>
                      <td colSpan={5}>
                        <ConfirmChange
                          change={pending}
                          user={user}
                          isPending={change.isPending}
                          onConfirm={() => change.mutate({ pending, user })}
                          onCancel={() => setPending(null)}
                        />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card users-new" aria-labelledby="new-user">
        <h2 id="new-user">New user</h2>
        <form className="form" onSubmit={onSubmit}>
          {create.isError ? (
            <p className="alert alert-error" role="alert">
              {create.error.message}
            </p>
          ) : null}
          {created ? (
            <p className="alert alert-success" role="status">
              Created {created.user.email}.{" "}
              {created.generatedPassword ? (
                <>
                  Password, shown only now: <code data-testid="generated-password">{created.generatedPassword}</code>
                </>
              ) : null}
            </p>
          ) : null}
          <div className="field">
            <label htmlFor="new-email">E-mail</label>
            <input id="new-email" name="email" type="email" required />
          </div>
          <div className="field">
            <label htmlFor="new-name">Name (optional)</label>
            <input id="new-name" name="name" type="text" />
          </div>
          <div className="field">
            <label htmlFor="new-role">Role</label>
            <select id="new-role" name="role" defaultValue="viewer">
              {roles.map((role) => (
                <option key={role} value={role}>
                  {role}
                </option>
              ))}
            </select>
          </div>
          <button className="button" type="submit" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create user"}
          </button>
        </form>
      </section>
    </>
  );
}
