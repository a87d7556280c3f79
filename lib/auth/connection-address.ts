import { randomBytes } from "node:crypto";
import http from "node:http";

/**
 * Next.js gives route handlers no access to the connection a request came on, and it fills in
 * `X-Forwarded-For` from the connection only when the client did not send one: the header is
 * the client's to choose. So the server process stamps every request, before Next.js sees it,
 * with the connection's address in a header of its own; the value starts with a token made
 * per process, so a client that sends the header itself is not believed.
 */
export const CONNECTION_ADDRESS_HEADER = "x-peaks-connection-address";

// On globalThis: the instrumentation hook and each route's bundle hold copies of this module.
const TOKEN = Symbol.for("peak-investigation.connection-address-token");
type TokenHolder = { [TOKEN]?: string };

/**
 * Stamps every request of every HTTP server of this process (called once, by the
 * instrumentation hook, before requests are served). Idempotent.
 */
export function recordConnectionAddresses(): void {
  const holder = globalThis as TokenHolder;
  if (holder[TOKEN]) return;
  const token = randomBytes(18).toString("base64url");
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function emitWithConnectionAddress(this: http.Server, event: string | symbol, ...args: unknown[]) {
    const request = args[0];
    if (event === "request" && request instanceof http.IncomingMessage) {
      request.headers[CONNECTION_ADDRESS_HEADER] = `${token} ${request.socket.remoteAddress ?? ""}`;
    }
    return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
  };
  holder[TOKEN] = token;
}

/**
 * The connection address a request was stamped with, or null when the request was not stamped
 * by this process (no instrumentation hook ran, or the client wrote the header).
 */
export function connectionAddressOf(headerValue: unknown): string | null {
  const token = (globalThis as TokenHolder)[TOKEN];
  if (!token || typeof headerValue !== "string") return null;
  const separator = headerValue.indexOf(" ");
  if (separator < 0 || headerValue.slice(0, separator) !== token) return null;
  const address = headerValue.slice(separator + 1);
  return address === "" ? null : address;
}
