import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "@/lib/auth/callback-url";

const site = "http://localhost:3311";

describe("safeCallbackPath keeps a destination on this site", () => {
  const kept: [input: string, expected: string][] = [
    ["/", "/"],
    ["/users?x=1", "/users?x=1"],
    ["/peaks?state=open#latest", "/peaks?state=open#latest"],
    ["/namespaces/payments", "/namespaces/payments"],
    ["/a/../thresholds", "/thresholds"],
    ["http://localhost:3311/runs?page=2", "/runs?page=2"],
    ["HTTP://LOCALHOST:3311/runs", "/runs"],
    // Encoded characters stay encoded: a browser never reads %2F, %5C or %09 as a separator.
    ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
    ["/%09/evil.example", "/%09/evil.example"],
    ["/%5Cevil.example", "/%5Cevil.example"],
    // Our own scheme without slashes is a relative reference (WHATWG URL): a path on this site.
    ["http:evil.example", "/evil.example"],
  ];

  it.each(kept)("%j → %j", (input, expected) => {
    expect(safeCallbackPath(input, site)).toBe(expected);
  });
});

describe("safeCallbackPath sends anything else to /", () => {
  const hostile: [description: string, input: string | null | undefined][] = [
    ["null", null],
    ["undefined", undefined],
    ["an empty string", ""],
    ["a tab between the slashes (the reported bypass)", "/\t/evil.example"],
    ["a newline between the slashes", "/\n/evil.example"],
    ["a carriage return between the slashes", "/\r/evil.example"],
    ["a tab inside an otherwise local path", "/users\t"],
    ["a NUL character", "/users\u0000"],
    ["a C1 control character", "/users\u0085"],
    ["DEL", "/\u007F/evil.example"],
    ["a protocol-relative URL", "//evil.example"],
    ["a protocol-relative URL with a path", "//evil.example/login"],
    ["three slashes", "///evil.example"],
    ["a backslash after the slash", "/\\evil.example"],
    ["two backslashes", "\\\\evil.example"],
    ["a backslash inside a local path", "/users\\list"],
    ["a dot segment collapsing to //", "/.//evil.example"],
    ["an encoded dot segment collapsing to //", "/%2e//evil.example"],
    ["a parent segment collapsing to //", "/x/..//evil.example"],
    ["an absolute URL of another site", "https://evil.example"],
    ["another site with our host as its user name", "https://localhost:3311@evil.example/"],
    ["our host as a subdomain of another site", "http://localhost:3311.evil.example/"],
    ["our host on another port", "http://localhost:3312/"],
    ["our host over another scheme", "https://localhost:3311/"],
    ["another host name of the same machine", "http://127.0.0.1:3311/"],
    ["another scheme without slashes (parsed as https://evil.example/)", "https:evil.example"],
    ["javascript:", "javascript:alert(document.cookie)"],
    ["JavaScript: in mixed case", "JaVaScRiPt:alert(1)"],
    ["javascript: after a tab", "java\tscript:alert(1)"],
    ["data:", "data:text/html,<script>alert(1)</script>"],
    ["a leading space before //", " //evil.example"],
    ["a relative path without a leading slash", "users"],
    ["a bare host name", "evil.example"],
    ["a fragment only", "#top"],
    ["a query only", "?x=1"],
    ["an invalid absolute URL", "http://[::1"],
  ];

  it.each(hostile)("%s", (_description, input) => {
    expect(safeCallbackPath(input, site)).toBe("/");
  });

  it("refuses everything when the site's origin is itself opaque", () => {
    expect(safeCallbackPath("/users", "about:blank")).toBe("/");
  });
});
