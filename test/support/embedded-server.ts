import type { PrismaClient } from "@/lib/db/client";
import { readLockOwner } from "@/lib/db/embedded/lock";
import { embeddedPaths } from "@/lib/db/embedded/paths";

/**
 * Kills the embedded database server of a data folder with SIGKILL from inside a transaction
 * that then keeps querying: resolves the error the transaction failed with (null if it did not).
 */
export async function killServerInsideTransaction(prisma: PrismaClient, dataDir: string): Promise<unknown> {
  const lockFile = embeddedPaths(dataDir).lockFile;
  return prisma
    .$transaction(
      async (transaction) => {
        await transaction.user.count();
        const owner = readLockOwner(lockFile);
        if (!owner) throw new Error("no embedded server runs");
        process.kill(owner.pid, "SIGKILL");
        for (;;) await transaction.user.count();
      },
      { timeout: 60_000 },
    )
    .then(
      () => null,
      (error: unknown) => error,
    );
}
