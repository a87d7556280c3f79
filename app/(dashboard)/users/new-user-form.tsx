"use client";

import type { FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { roles, type Role } from "@/lib/roles";

/** What creating an account answered: the password is there when the server generated one, shown once. */
export type CreatedUser = { user: { email: string }; generatedPassword: string | null };

export type NewUserInput = { email: string; role: Role; name?: string };

/** Creates an account; the form empties once sent. */
export function NewUserForm({
  created,
  error,
  isPending,
  onCreate,
}: {
  created: CreatedUser | null;
  error: Error | null;
  isPending: boolean;
  onCreate: (input: NewUserInput) => void;
}) {
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = String(form.get("name") ?? "").trim();
    onCreate({
      email: String(form.get("email") ?? ""),
      role: String(form.get("role")) as Role,
      ...(name ? { name } : {}),
    });
    event.currentTarget.reset();
  }

  return (
    <section className="card users-new" aria-labelledby="new-user">
      <h2 id="new-user">New user</h2>
      <form className="form" onSubmit={onSubmit}>
        {error ? <Alert tone="error">{error.message}</Alert> : null}
        {created ? (
          <Alert tone="success">
            Created {created.user.email}.{" "}
            {created.generatedPassword ? (
              <>
                Password, shown only now: <code data-testid="generated-password">{created.generatedPassword}</code>
              </>
            ) : null}
          </Alert>
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
        <button className="button" type="submit" disabled={isPending}>
          {isPending ? "Creating…" : "Create user"}
        </button>
      </form>
    </section>
  );
}
