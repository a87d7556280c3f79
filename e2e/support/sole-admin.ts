import { expect, type APIRequestContext } from "@playwright/test";
import { e2eUsers } from "./users";

type Listed = { id: number; email: string; role: string; isDisabled: boolean };

/**
 * Runs a probe of the last-active-admin guard with the e2e admin as the only active admin: other
 * specs create admins of their own (the forgery spec's same-origin control does). Those are
 * disabled for the probe and enabled again after it, whatever its outcome. `admin` is signed in
 * as the e2e admin.
 */
export async function asSoleActiveAdmin(admin: APIRequestContext, probe: (adminId: number) => Promise<void>): Promise<void> {
  const listed = await admin.get("/api/users");
  expect(listed.status()).toBe(200);
  const { users } = (await listed.json()) as { users: Listed[] };
  const self = users.find((user) => user.email === e2eUsers.admin.email)!;
  const others = users.filter((user) => user.role === "admin" && !user.isDisabled && user.id !== self.id);
  for (const other of others) expect((await admin.patch(`/api/users/${other.id}`, { data: { disabled: true } })).status()).toBe(200);
  try {
    await probe(self.id);
  } finally {
    for (const other of others) await admin.patch(`/api/users/${other.id}`, { data: { disabled: false } });
  }
}
