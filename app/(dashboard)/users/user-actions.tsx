"use client";

import { ConfirmPanel } from "@/components/ui/confirm-panel";
import { roles, type Role } from "@/lib/roles";

/** A change to one account that waits for the admin's confirmation. */
export type PendingChange = { kind: "role"; userId: number; role: Role } | { kind: "disable" | "enable" | "reset" | "delete"; userId: number };

type Account = { id: number; email: string; role: Role; isDisabled: boolean };

/** What a change does, in the words of its confirmation. */
export function describeChange(change: PendingChange, user: Account): { question: string; confirm: string } {
  switch (change.kind) {
    case "role":
      return {
        question: `Make ${user.email} ${change.role === "admin" ? "an admin" : `a ${change.role}`}? Their sessions end at once; they sign in again with the new role.`,
        confirm: "Change role",
      };
    case "disable":
      return { question: `Disable ${user.email}? They can no longer sign in, and their sessions end at once.`, confirm: "Disable" };
    case "enable":
      return { question: `Enable ${user.email} again? They can sign in with their current password.`, confirm: "Enable" };
    case "reset":
      return {
        question: `Give ${user.email} a new password? The new password is shown once, here; their sessions end and a sign-in lockout lifts.`,
        confirm: "Reset password",
      };
    case "delete":
      return {
        question: `Delete ${user.email}? This cannot be undone. What they wrote (thresholds, known issues, notes, the audit log) stays. Disabling keeps the account instead.`,
        confirm: "Delete user",
      };
  }
}

/** The role select and action buttons of one account's row. */
export function AccountControls({
  user,
  isSelf,
  disabled,
  onChange,
}: {
  user: Account;
  isSelf: boolean;
  disabled: boolean;
  onChange: (change: PendingChange) => void;
}) {
  return (
    <div className="user-actions">
      <select
        aria-label={`Role of ${user.email}`}
        value={user.role}
        disabled={disabled}
        onChange={(event) => onChange({ kind: "role", userId: user.id, role: event.target.value as Role })}
      >
        {roles.map((role) => (
          <option key={role} value={role}>
            {role}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="button button-secondary"
        disabled={disabled}
        onClick={() => onChange({ kind: user.isDisabled ? "enable" : "disable", userId: user.id })}
      >
        {user.isDisabled ? "Enable…" : "Disable…"}
      </button>
      <button type="button" className="button button-secondary" disabled={disabled} onClick={() => onChange({ kind: "reset", userId: user.id })}>
        Reset password…
      </button>
      <button
        type="button"
        className="button button-secondary button-danger"
        disabled={disabled}
        title={isSelf ? "Your own account" : undefined}
        onClick={() => onChange({ kind: "delete", userId: user.id })}
      >
        Delete…
      </button>
    </div>
  );
}

/** The confirmation of a pending change. */
export function ConfirmChange({
  change,
  user,
  isPending,
  onConfirm,
  onCancel,
}: {
  change: PendingChange;
  user: Account;
  isPending: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { question, confirm } = describeChange(change, user);
  return (
    <ConfirmPanel
      label={confirm}
      confirmLabel={confirm}
      pendingLabel="Working…"
      isPending={isPending}
      isDanger={change.kind === "delete"}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      {question}
    </ConfirmPanel>
  );
}
