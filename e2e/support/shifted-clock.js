// A clock that a test moves, for the processes an e2e spec starts itself (a server, CLI runs):
// loaded first with `node --import <this file's URL>?offset-file=<path>` (in NODE_OPTIONS, so
// that their child processes load it too), it shifts `Date` (Date.now(), new Date(), Date()) by
// the milliseconds written in that file. The file is read again at most every 100 ms, so a
// running server follows the test's clock while time keeps flowing. Never part of the product.
// Plain JavaScript: it is loaded before tsx.
import { readFileSync } from "node:fs";

const offsetFile = new URL(import.meta.url).searchParams.get("offset-file");
/** How long an offset read is trusted, ms of the real clock (clocked-server.ts waits it out: OFFSET_REREAD_MS). */
const REREAD_MS = 100;

if (offsetFile) {
  const RealDate = Date;
  const realNow = () => RealDate.now();
  let offsetMs = 0;
  let readAtMs = Number.NEGATIVE_INFINITY;

  /** The shifted time, UTC ms. */
  const shiftedNow = () => {
    const now = realNow();
    if (now - readAtMs >= REREAD_MS) {
      readAtMs = now;
      try {
        const value = Number(readFileSync(offsetFile, "utf8").trim());
        if (Number.isFinite(value)) offsetMs = value;
      } catch {
        // The test replaces the file by renaming a new one over it; until it is back, the last offset holds.
      }
    }
    return now + offsetMs;
  };

  globalThis.Date = new Proxy(RealDate, {
    // `new Date()` is the shifted now; every other form (a time, a string, parts) is unchanged.
    construct: (target, args, newTarget) => Reflect.construct(target, args.length === 0 ? [shiftedNow()] : args, newTarget),
    // `Date()` called as a function is now as a string.
    apply: () => new RealDate(shiftedNow()).toString(),
    get: (target, key, receiver) => (key === "now" ? shiftedNow : Reflect.get(target, key, receiver)),
  });
}
