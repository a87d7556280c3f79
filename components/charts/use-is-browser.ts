import { useSyncExternalStore } from "react";

const subscribeToNothing = () => () => {};

/**
 * False on the server and while hydrating, true in the browser after that. Recharts draws a
 * chart only once mounted: on the server it builds its whole store for an empty box (some 10 ms
 * of CPU for the overview's 25 sparklines), so small charts in server-rendered lists render
 * their box alone until then.
 */
export function useIsBrowser(): boolean {
  return useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
}
