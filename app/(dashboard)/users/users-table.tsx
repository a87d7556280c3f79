"use client";

import { DataTable, type Column } from "@/components/ui/data-table";
import type { UserSummary } from "@/lib/users/contract";
import { formatDateTime } from "@/lib/format";
import type { Jsonified } from "@/lib/http/jsonified";
import { AccountControls, ConfirmChange, type PendingChange } from "./user-actions";

export type UserRow = Jsonified<UserSummary>;

type UsersTableProps = {
  users: readonly UserRow[];
  currentUserId: number | null;
  timeZone: string;
  /** The change waiting for confirmation: its question opens in a row under its account. */
  pending: PendingChange | null;
  isChanging: boolean;
  onPropose: (change: PendingChange) => void;
  onConfirm: (change: PendingChange, user: UserRow) => void;
  onCancel: () => void;
};

/** Every account with its status, sign-in and role, and the controls to change it. */
export function UsersTable({ users, currentUserId, timeZone, pending, isChanging, onPropose, onConfirm, onCancel }: UsersTableProps) {
  const columns: Column<UserRow>[] = [
    {
      key: "email",
      header: "E-mail",
      cell: (user) => (
        <>
          {user.email}
          {user.name ? <span className="muted"> · {user.name}</span> : null}
          {user.id === currentUserId ? <span className="muted"> (you)</span> : null}
        </>
      ),
    },
    { key: "status", header: "Status", cell: (user) => (user.isDisabled ? <span className="badge badge-failed">disabled</span> : "active") },
    { key: "sign-in", header: "Sign-in", cell: (user) => (user.hasPassword ? "password" : "single sign-on") },
    { key: "last-sign-in", header: "Last sign-in", cell: (user) => formatDateTime(user.lastLoginAt, timeZone) },
    {
      key: "actions",
      header: "Role and actions",
      cell: (user) => <AccountControls user={user} isSelf={user.id === currentUserId} disabled={isChanging} onChange={onPropose} />,
    },
  ];
  return (
    <DataTable
      rows={users}
      columns={columns}
      getRowKey={(user) => user.id}
      aria-labelledby="user-list"
      scroll="horizontal"
      rowProps={(user) => ({ "data-testid": `user-${user.email}` })}
      renderAfterRow={(user) =>
        pending?.userId === user.id ? (
          <ConfirmChange change={pending} user={user} isPending={isChanging} onConfirm={() => onConfirm(pending, user)} onCancel={onCancel} />
        ) : null
      }
    />
  );
}
