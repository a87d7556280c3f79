/** A read kept for reuse: its result, and what tells whether it still holds. */
export type ReusedRead<Value> = { value: Promise<Value> };

/**
 * Keeps the latest of one expensive read per database (its client, `db.prisma`, is the key): reused while `isCurrent` says it
 * still holds, shared by the requests that come while it runs, and forgotten when it fails (the
 * next request reads again).
 */
export function createReusedRead<Entry extends ReusedRead<unknown>>(): (database: object, isCurrent: (entry: Entry) => boolean, read: () => Entry) => Entry {
  const latest = new WeakMap<object, Entry>();
  return (database, isCurrent, read) => {
    const kept = latest.get(database);
    if (kept && isCurrent(kept)) return kept;
    const fresh = read();
    latest.set(database, fresh);
    fresh.value.catch(() => {
      if (latest.get(database) === fresh) latest.delete(database);
    });
    return fresh;
  };
}
