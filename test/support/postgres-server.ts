import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/** A throwaway PostgreSQL cluster in a temporary folder, on a free local port. */
export type PostgresServer = { url: string; stop: () => void };

function findBinDir(): string {
  const debianRoot = "/usr/lib/postgresql";
  if (existsSync(debianRoot)) {
    const versions = readdirSync(debianRoot)
      .filter((version) => existsSync(path.join(debianRoot, version, "bin", "initdb")))
      .sort((left, right) => Number(right) - Number(left));
    if (versions[0]) return path.join(debianRoot, versions[0], "bin");
  }
  const found = spawnSync("sh", ["-c", "command -v initdb"], { encoding: "utf8" }).stdout.trim();
  if (found) return path.dirname(found);
  throw new Error("PostgreSQL server binaries (initdb, pg_ctl) not found. Install them: apt-get install -y postgresql");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Starts a cluster (as the `postgres` system user when run as root, since PostgreSQL refuses root). */
export async function startPostgres(settings: { port?: number } = {}): Promise<PostgresServer> {
  const binDir = findBinDir();
  const root = mkdtempSync(path.join(os.tmpdir(), "peaks-pg-"));
  const dataDir = path.join(root, "data");
  const isRoot = process.getuid?.() === 0;
  if (isRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(root, uid, gid);
  }
  const run = (binary: string, args: string[]) => {
    const command = isRoot ? "runuser" : path.join(binDir, binary);
    const commandArgs = isRoot ? ["-u", "postgres", "--", path.join(binDir, binary), ...args] : args;
    const result = spawnSync(command, commandArgs, { encoding: "utf8" });
    if (result.status !== 0) {
      throw new Error(`${binary} ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
    }
  };
  run("initdb", ["-D", dataDir, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"]);
  const port = settings.port ?? (await freePort());
  const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  run("pg_ctl", ["-D", dataDir, "-o", options, "-l", path.join(root, "server.log"), "-w", "-t", "60", "start"]);
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    stop: () => {
      try {
        run("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}
