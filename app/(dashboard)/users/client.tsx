"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { roles, type Role } from "@/lib/auth/roles";
import type { UserSummary } from "@/lib/db/users";
import { fetchJson } from "@/lib/http/fetch-json";
import type { Jsonified } from "@/lib/http/jsonified";

type UserRow = Jsonified<UserSummary>;

type Created = { user: UserRow; generatedPassword: string | null };

export function UsersClient({ initialUsers }: { initialUsers: UserRow[] }) {
  const queryClient = useQueryClient();
  const users = useQuery({
    queryKey: ["users"],
    queryFn: () => fetchJson<{ users: UserRow[] }>("/api/users").then((body) => body.users),
    initialData: initialUsers,
  });
  const [created, setCreated] = useState<Created | null>(null);
  const create = useMutation({
    mutationFn: (input: { email: string; role: Role; name?: string }) =>
      fetchJson<Created>("/api/users", { method: "POST", body: JSON.stringify(input) }),
    onSuccess: (result) => {
      setCreated(result);
      void queryClient.invalidateQueries({ queryKey: ["users"] });
    },
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = String(form.get("name") ?? "").trim();
    setCreated(null);
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
      <div className="grid grid-2">
        <section className="card" aria-labelledby="user-list">
          <h2 id="user-list">Accounts</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">E-mail</th>
                <th scope="col">Role</th>
                <th scope="col">Sign-in</th>
              </tr>
            </thead>
            <tbody>
              {users.data.map((user) => (
                <tr key={user.id}>
                  <td>
                    {user.email}
                    {user.name ? <span className="muted"> · {user.name}</span> : null}
                  </td>
                  <td>{user.role + (user.isDisabled ? " (disabled)" : "")}</td>
                  <td>{user.hasPassword ? "password" : "single sign-on"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="card" aria-labelledby="new-user">
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
      </div>
    </>
  );
}
