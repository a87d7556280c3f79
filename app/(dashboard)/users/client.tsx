"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { fetchJson } from "@/lib/http/fetch-json";
import { NewUserForm, type NewUserInput } from "./new-user-form";
import type { PendingChange } from "./user-actions";
import { UsersTable, type UserRow } from "./users-table";

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
    mutationFn: (input: NewUserInput) => fetchJson<Created>("/api/users", { method: "POST", body: JSON.stringify(input) }),
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

  function propose(next: PendingChange) {
    change.reset();
    setOutcome(null);
    // A password shown once goes as soon as the admin moves on.
    setCreated(null);
    setPending(next);
  }

  function onCreate(input: NewUserInput) {
    setCreated(null);
    setOutcome(null);
    create.mutate(input);
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
        {change.isError ? <Alert tone="error">{change.error.message}</Alert> : null}
        {outcome ? (
          <Alert tone="success">
            {outcome.message} {outcome.password ? <code data-testid="reset-password">{outcome.password}</code> : null}
          </Alert>
        ) : null}
        <UsersTable
          users={users.data}
          currentUserId={currentUserId}
          timeZone={timeZone}
          pending={pending}
          isChanging={change.isPending}
          onPropose={propose}
          onConfirm={(confirmed, user) => change.mutate({ pending: confirmed, user })}
          onCancel={() => setPending(null)}
        />
      </section>
      <NewUserForm created={created} error={create.error} isPending={create.isPending} onCreate={onCreate} />
    </>
  );
}
