import { describe, expect, it } from "vitest";
import { authCookies } from "./cookies";

describe("authCookies", () => {
  it("on a plain-HTTP site: next-auth's plain names, not Secure", () => {
    const cookies = authCookies({ isHttpsSite: false, isSecure: false });
    expect(cookies.sessionToken.name).toBe("next-auth.session-token");
    expect(cookies.csrfToken.name).toBe("next-auth.csrf-token");
    for (const cookie of Object.values(cookies)) {
      expect(cookie.options).toMatchObject({ httpOnly: true, sameSite: "lax", path: "/", secure: false });
    }
  });

  it("on an HTTPS site: __Secure- and __Host- names, all Secure", () => {
    const cookies = authCookies({ isHttpsSite: true, isSecure: false });
    expect(cookies.sessionToken.name).toBe("__Secure-next-auth.session-token");
    expect(cookies.csrfToken.name).toBe("__Host-next-auth.csrf-token");
    expect(cookies.state.name).toBe("__Secure-next-auth.state");
    for (const cookie of Object.values(cookies)) expect(cookie.options.secure).toBe(true);
  });

  it("for a request over HTTPS to a site configured as plain HTTP: Secure, but the same names", () => {
    const cookies = authCookies({ isHttpsSite: false, isSecure: true });
    expect(cookies.sessionToken.name).toBe("next-auth.session-token");
    for (const cookie of Object.values(cookies)) expect(cookie.options.secure).toBe(true);
  });

  it("keeps the PKCE verifier and OAuth state for 15 minutes only", () => {
    const cookies = authCookies({ isHttpsSite: false, isSecure: false });
    expect(cookies.pkceCodeVerifier.options.maxAge).toBe(900);
    expect(cookies.state.options.maxAge).toBe(900);
  });
});
