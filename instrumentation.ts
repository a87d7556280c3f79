/**
 * Runs once per server process before it serves requests. On Node.js it stamps each request
 * with the address of its connection, which the sign-in throttle counts by (see
 * lib/http/connection-address.ts).
 */
export async function register(): Promise<void> {
  // Next.js replaces NEXT_RUNTIME at build time, which keeps the Node.js-only import out of the
  // edge bundle; lib/env.js (which reads .env files from disk) cannot run on the edge.
  // eslint-disable-next-line no-restricted-properties -- a build-time constant, not configuration
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { recordConnectionAddresses } = await import("./lib/auth/connection-address");
  recordConnectionAddresses();
}
