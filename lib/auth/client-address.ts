import { isIP, isIPv6 } from "node:net";

/**
 * The address of the client that sent a request, as far as it can be trusted:
 * - with no trusted proxy, the address of the connection itself; whatever `X-Forwarded-For`
 *   says was written by the client and is ignored;
 * - behind `trustedProxyHops` proxies that each append the address they were connected from,
 *   the entry the outermost trusted proxy appended (the rightmost `hops` addresses, counting the
 *   connection, are the proxies themselves; anything further left is the client's to invent).
 * Null when the connection's address is unknown (see connectionAddressOf).
 */
export function clientAddressOf(request: { connectionAddress: string | null; forwardedFor: string | null; trustedProxyHops: number }): string | null {
  const { connectionAddress, trustedProxyHops } = request;
  if (connectionAddress === null) return null;
  if (trustedProxyHops === 0) return normalizedAddress(connectionAddress);
  const forwarded = (request.forwardedFor ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  const chain = [...forwarded, connectionAddress];
  const candidate = chain[Math.max(0, chain.length - 1 - trustedProxyHops)] ?? connectionAddress;
  // A trusted proxy writes plain addresses; anything else means a proxy that does not append.
  return isIP(normalizedAddress(candidate)) ? normalizedAddress(candidate) : normalizedAddress(connectionAddress);
}

/** An address without the IPv4-mapped IPv6 prefix (`::ffff:10.0.0.1` is 10.0.0.1). */
function normalizedAddress(address: string): string {
  const lower = address.toLowerCase();
  return lower.startsWith("::ffff:") && isIP(lower.slice(7)) === 4 ? lower.slice(7) : lower;
}

/**
 * The key sign-in failures of an address are counted under: an IPv4 address itself, an IPv6
 * address by its /64 network, since one host is usually given a whole /64 and could otherwise
 * take a fresh address for every attempt.
 */
export function addressThrottleKey(address: string): string {
  if (!isIPv6(address)) return address;
  return `${expandedIpv6(address).slice(0, 4).join(":")}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, each without leading zeros. */
function expandedIpv6(address: string): string[] {
  const withoutZone = address.split("%")[0] ?? address;
  const [head = "", tail] = withoutZone.split("::");
  const groupsOf = (part: string) => (part === "" ? [] : part.split(":")).flatMap(ipv4AsGroups);
  const front = groupsOf(head);
  const back = tail === undefined ? [] : groupsOf(tail);
  const zeros = Array.from({ length: Math.max(0, 8 - front.length - back.length) }, () => "0");
  return [...front, ...zeros, ...back].map((group) => (Number.parseInt(group, 16) || 0).toString(16));
}

/** A trailing dotted IPv4 part of an IPv6 address (`::ffff:1.2.3.4`) as two 16-bit groups. */
function ipv4AsGroups(part: string): string[] {
  if (!part.includes(".")) return [part];
  const octets = part.split(".").map(Number);
  const [a = 0, b = 0, c = 0, d = 0] = octets;
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
}
