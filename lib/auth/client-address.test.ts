import { describe, expect, it } from "vitest";
import { addressThrottleKey, clientAddressOf } from "./client-address";

describe("clientAddressOf", () => {
  it("takes the connection's address and ignores X-Forwarded-For without trusted proxies", () => {
    expect(clientAddressOf({ connectionAddress: "203.0.113.7", forwardedFor: "198.51.100.1", trustedProxyHops: 0 })).toBe("203.0.113.7");
    expect(clientAddressOf({ connectionAddress: "::ffff:203.0.113.7", forwardedFor: null, trustedProxyHops: 0 })).toBe("203.0.113.7");
  });

  it("takes the address the outermost trusted proxy appended, whatever the client wrote before it", () => {
    // client 198.51.100.1 → proxy (appends the client) → dashboard; the connection is the proxy.
    expect(clientAddressOf({ connectionAddress: "10.0.0.2", forwardedFor: "198.51.100.1", trustedProxyHops: 1 })).toBe("198.51.100.1");
    expect(clientAddressOf({ connectionAddress: "10.0.0.2", forwardedFor: "6.6.6.6, 198.51.100.1", trustedProxyHops: 1 })).toBe("198.51.100.1");
    // Two proxies: CDN then a load balancer.
    expect(clientAddressOf({ connectionAddress: "10.0.0.3", forwardedFor: "6.6.6.6, 198.51.100.1, 10.0.0.2", trustedProxyHops: 2 })).toBe("198.51.100.1");
  });

  it("falls back to the furthest address it has when the chain is shorter than the hops, and to the connection for garbage", () => {
    expect(clientAddressOf({ connectionAddress: "10.0.0.2", forwardedFor: null, trustedProxyHops: 2 })).toBe("10.0.0.2");
    expect(clientAddressOf({ connectionAddress: "10.0.0.2", forwardedFor: "198.51.100.1", trustedProxyHops: 3 })).toBe("198.51.100.1");
    expect(clientAddressOf({ connectionAddress: "10.0.0.2", forwardedFor: "not-an-address", trustedProxyHops: 1 })).toBe("10.0.0.2");
  });

  it("is null when the connection's address is unknown", () => {
    expect(clientAddressOf({ connectionAddress: null, forwardedFor: "198.51.100.1", trustedProxyHops: 1 })).toBeNull();
  });
});

describe("addressThrottleKey", () => {
  it("keeps an IPv4 address and groups IPv6 addresses by their /64 network", () => {
    expect(addressThrottleKey("203.0.113.7")).toBe("203.0.113.7");
    expect(addressThrottleKey("2001:db8:1:2::1")).toBe("2001:db8:1:2::/64");
    expect(addressThrottleKey("2001:0DB8:0001:0002:aaaa:bbbb:cccc:dddd")).toBe("2001:db8:1:2::/64");
    expect(addressThrottleKey("::1")).toBe("0:0:0:0::/64");
    expect(addressThrottleKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(addressThrottleKey("64:ff9b::192.0.2.33")).toBe("64:ff9b:0:0::/64");
  });
});
