import { encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { requestCookies } from "./session";
import { getAuthSecret } from "./secret";
import { decodeSessionToken, readSessionToken } from "./session-token";

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
  it("reads the session token of a cookie jar, joining a token split into numbered chunks in order", async () => {
    const token = await encode({ token: { userId: 7, sessionVersion: 2 }, secret: getAuthSecret(), maxAge: 60 });
    const name = "next-auth.session-token";
    expect(await readSessionToken({ getAll: () => [{ name, value: token }] })).toMatchObject({ userId: 7, sessionVersion: 2 });
    const middle = Math.floor(token.length / 2);
    const chunked = [
      { name: `${name}.1`, value: token.slice(middle) },
      { name: "next-auth.csrf-token", value: "csrf" },
      { name: `${name}.0`, value: token.slice(0, middle) },
    ];
    expect(await readSessionToken({ getAll: () => chunked })).toMatchObject({ userId: 7 });
    expect(await readSessionToken({ getAll: () => [] })).toBeNull();
    expect(await readSessionToken({ getAll: () => [{ name, value: "not-a-token" }] })).toBeNull();
    // The __Secure- cookie belongs to an https site only.
    expect(await readSessionToken({ getAll: () => [{ name: `__Secure-${name}`, value: token }] })).toBeNull();
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
