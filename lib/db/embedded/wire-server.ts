import net from "node:net";
import type { PGlite } from "@electric-sql/pglite";

/**
 * Serves one PGlite instance to many PostgreSQL wire-protocol clients.
 *
 * PGlite is a single session. Clients take turns: a connection owns the session from the first
 * message of a cycle (a simple Query, or an extended-protocol run up to its Sync) until the cycle
 * ends outside a transaction block. An open transaction keeps ownership, so a transaction never
 * sees another client's statements, and an extended-protocol run is never interleaved with
 * another client's Parse/Bind (the unnamed statement and portal are shared by the session).
 */
export type WireServerOptions = {
  db: PGlite;
  /** Unix socket path to listen on. */
  socketPath: string;
  /** A connection that holds the session without sending anything while others wait is closed after this (ms). */
  ownerIdleTimeoutMs?: number;
  onConnectionCountChange?: (count: number) => void;
  log?: (message: string) => void;
};

type Connection = {
  readonly id: number;
  readonly socket: net.Socket;
  buffer: Buffer;
  readonly pending: { message: Buffer; isStartup: boolean }[];
  isStarted: boolean;
  isRunning: boolean;
  isClosed: boolean;
  isMidCycle: boolean;
  lastActivity: number;
};

const SSL_REQUEST_CODE = 80877103;
const GSS_REQUEST_CODE = 80877104;
const CANCEL_REQUEST_CODE = 80877102;
const SYNC_MESSAGE = Buffer.from([0x53, 0, 0, 0, 4]);
const TYPE_QUERY = 0x51; // 'Q'
const TYPE_SYNC = 0x53; // 'S'
const TYPE_TERMINATE = 0x58; // 'X'

export type WireServer = {
  readonly connectionCount: () => number;
  close: () => Promise<void>;
};

/** Starts listening; resolves once the socket accepts connections. */
export async function startWireServer(options: WireServerOptions): Promise<WireServer> {
  const { db, socketPath } = options;
  const ownerIdleTimeoutMs = options.ownerIdleTimeoutMs ?? 60_000;
  const log = options.log ?? (() => {});
  const connections = new Set<Connection>();
  const waiting: Connection[] = [];
  let owner: Connection | null = null;
  let nextId = 1;

  const notifyCount = () => options.onConnectionCountChange?.(connections.size);

  const execute = (message: Buffer, connection: Connection | null) =>
    db.runExclusive(() =>
      db.execProtocolRawStream(new Uint8Array(message), {
        onRawData: (data) => {
          if (connection && !connection.isClosed && connection.socket.writable) {
            // A copy: `data` is a view into PGlite's memory, reused before the socket sends it.
            connection.socket.write(Buffer.from(data));
          }
        },
      }),
    );

  const release = (connection: Connection) => {
    if (owner !== connection) return;
    owner = null;
    const next = waiting.shift();
    if (next) {
      owner = next;
      void pump(next);
    }
  };

  const acquire = (connection: Connection): boolean => {
    if (owner === connection) return true;
    if (owner === null) {
      owner = connection;
      return true;
    }
    if (!waiting.includes(connection)) waiting.push(connection);
    return false;
  };

  const takeStartupMessage = (connection: Connection): Buffer | null => {
    if (connection.buffer.length < 8) return null;
    const length = connection.buffer.readInt32BE(0);
    if (connection.buffer.length < length) return null;
    const message = connection.buffer.subarray(0, length);
    connection.buffer = connection.buffer.subarray(length);
    return message;
  };

  const takeMessage = (connection: Connection): Buffer | null => {
    if (connection.buffer.length < 5) return null;
    const length = 1 + connection.buffer.readInt32BE(1);
    if (connection.buffer.length < length) return null;
    const message = connection.buffer.subarray(0, length);
    connection.buffer = connection.buffer.subarray(length);
    return message;
  };

  /** Splits buffered bytes into messages; answers the pre-startup negotiation itself. */
  const collect = (connection: Connection) => {
    for (;;) {
      if (!connection.isStarted) {
        const message = takeStartupMessage(connection);
        if (!message) return;
        const code = message.length >= 8 ? message.readInt32BE(4) : 0;
        if (code === SSL_REQUEST_CODE || code === GSS_REQUEST_CODE) {
          connection.socket.write("N");
          continue;
        }
        if (code === CANCEL_REQUEST_CODE) {
          // The session has no separate backend to signal; cancellation is not supported.
          connection.socket.end();
          return;
        }
        connection.isStarted = true;
        connection.pending.push({ message, isStartup: true });
        continue;
      }
      const message = takeMessage(connection);
      if (!message) return;
      connection.pending.push({ message, isStartup: false });
    }
  };

  const pump = async (connection: Connection): Promise<void> => {
    if (connection.isRunning || connection.isClosed) return;
    connection.isRunning = true;
    try {
      while (connection.pending.length > 0 && !connection.isClosed) {
        if (!acquire(connection)) return;
        const next = connection.pending.shift();
        if (!next) break;
        const { message, isStartup } = next;
        const type = message[0];
        if (!isStartup && type === TYPE_TERMINATE) {
          // Never forwarded: it would end the shared session. Closing runs the clean-up.
          connection.socket.end();
          break;
        }
        connection.isMidCycle = true;
        await execute(message, connection);
        connection.lastActivity = Date.now();
        const isCycleEnd = isStartup || type === TYPE_QUERY || type === TYPE_SYNC;
        if (isCycleEnd) {
          connection.isMidCycle = false;
          if (!db.isInTransaction()) {
            release(connection);
          }
        }
      }
    } catch (error) {
      log(`connection ${connection.id}: ${error instanceof Error ? error.message : String(error)}`);
      connection.socket.destroy();
    } finally {
      connection.isRunning = false;
    }
  };

  const cleanUp = async (connection: Connection) => {
    if (connection.isClosed) return;
    connection.isClosed = true;
    connections.delete(connection);
    const index = waiting.indexOf(connection);
    if (index >= 0) waiting.splice(index, 1);
    notifyCount();
    if (owner !== connection) return;
    // Wait for a message still executing, then leave the session clean for the next client.
    while (connection.isRunning) await new Promise((resolve) => setTimeout(resolve, 5));
    try {
      if (connection.isMidCycle) await execute(SYNC_MESSAGE, null);
      if (db.isInTransaction()) await db.exec("ROLLBACK");
    } catch (error) {
      log(`cleanup of connection ${connection.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
    release(connection);
  };

  const server = net.createServer((socket) => {
    const connection: Connection = {
      id: nextId++,
      socket,
      buffer: Buffer.alloc(0),
      pending: [],
      isStarted: false,
      isRunning: false,
      isClosed: false,
      isMidCycle: false,
      lastActivity: Date.now(),
    };
    connections.add(connection);
    notifyCount();
    socket.setNoDelay(true);
    socket.on("data", (data) => {
      connection.lastActivity = Date.now();
      connection.buffer = connection.buffer.length === 0 ? data : Buffer.concat([connection.buffer, data]);
      try {
        collect(connection);
      } catch (error) {
        log(`connection ${connection.id}: malformed message: ${String(error)}`);
        socket.destroy();
        return;
      }
      void pump(connection);
    });
    socket.on("error", () => socket.destroy());
    socket.on("close", () => void cleanUp(connection));
  });

  const idleWatch = setInterval(
    () => {
      const current = owner;
      if (current && waiting.length > 0 && !current.isRunning && Date.now() - current.lastActivity > ownerIdleTimeoutMs) {
        log(`connection ${current.id} held the database idle for over ${ownerIdleTimeoutMs} ms while others waited; closing it`);
        current.socket.destroy();
      }
    },
    Math.min(1000, ownerIdleTimeoutMs),
  );
  idleWatch.unref();

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => {
      server.off("error", reject);
      resolve();
    });
  });

  return {
    connectionCount: () => connections.size,
    close: async () => {
      clearInterval(idleWatch);
      for (const connection of connections) connection.socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
