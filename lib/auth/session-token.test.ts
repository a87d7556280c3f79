import { encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { requestCookies } from "./session";
import { decodeSessionToken, readSessionCookie, sessionCookieName } from "./session-token";

const secret = "a-test-secret-of-enough-length-0123456789";

describe("decodeSessionToken", () => {
  it("decodes a next-auth session token and gives the same payload again for the same token", async () => {
    const token = await encode({ token: { userId: 7, email: "ana@example.com" }, secret, maxAge: 60 });
    const first = await decodeSessionToken({ token, secret });
    expect(first).toMatchObject({ userId: 7, email: "ana@example.com" });
    expect(await decodeSessionToken({ token, secret })).toBe(first);
  });

  it("refuses a token of another secret, a tampered token and an expired one", async () => {
    const token = await encode({ token: { userId: 7 }, secret, maxAge: 60 });
    await expect(decodeSessionToken({ token, secret: `${secret}-other` })).rejects.toThrow();
    const tampered = `${token.slice(0, -4)}${token.endsWith("AAAA") ? "BBBB" : "AAAA"}`;
    await expect(decodeSessionToken({ token: tampered, secret })).rejects.toThrow();
    const expired = await encode({ token: { userId: 7 }, secret, maxAge: -60 });
    await expect(decodeSessionToken({ token: expired, secret })).rejects.toThrow();
    expect(await decodeSessionToken({ token: "", secret })).toBeNull();
  });
});

describe("session cookies", () => {
  it("names the cookie __Secure- on an HTTPS site", () => {
    expect(sessionCookieName("https://peaks.example.com")).toBe("__Secure-next-auth.session-token");
    expect(sessionCookieName("http://localhost:3000")).toBe("next-auth.session-token");
    expect(sessionCookieName(undefined)).toBe("next-auth.session-token");
  });

  it("joins a token split into numbered chunks in order, and ignores other cookies", () => {
    const name = "next-auth.session-token";
    const cookies = [
      { name: `${name}.1`, value: "second" },
      { name: "next-auth.csrf-token", value: "csrf" },
      { name: `${name}.0`, value: "first-" },
      { name: `${name}-like`, value: "x" },
    ];
    expect(readSessionCookie({ getAll: () => cookies }, name)).toBe("first-second");
    expect(readSessionCookie({ getAll: () => [{ name, value: "whole" }] }, name)).toBe("whole");
    expect(readSessionCookie({ getAll: () => [] }, name)).toBeNull();
  });

  it("reads a request's Cookie header, URI-decoding values and keeping a malformed one as sent", () => {
    const request = new Request("http://localhost/api/peaks", { headers: { cookie: "a=1; next-auth.session-token=ab%2Bc; bad=%E0%A4%A; =orphan; flag" } });
    expect(requestCookies(request).getAll()).toEqual([
      { name: "a", value: "1" },
      { name: "next-auth.session-token", value: "ab+c" },
      { name: "bad", value: "%E0%A4%A" },
    ]);
    expect(requestCookies(new Request("http://localhost/")).getAll()).toEqual([]);
  });
});
