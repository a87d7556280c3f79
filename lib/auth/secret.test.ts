import { mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigurationError } from "@/lib/errors";
import { keptAuthSecret } from "./secret";

describe("keptAuthSecret", () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), "peaks-secret-"));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it("generates a key once into the data folder, readable only by its owner, and reads it back", () => {
    const dataDir = path.join(folder, "data");
    const key = keptAuthSecret(dataDir);
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(path.join(dataDir, "auth-secret")).mode & 0o777).toBe(0o600);
    expect(keptAuthSecret(dataDir)).toBe(key);
  });

  it("names NEXTAUTH_SECRET and the folder where no key can be kept (a read-only file system)", () => {
    // sysfs takes no new files, not even from root.
    expect(() => keptAuthSecret("/sys")).toThrow(ConfigurationError);
    expect(() => keptAuthSecret("/sys")).toThrow(/^NEXTAUTH_SECRET is not set, and no session key can be kept in \/sys \(.+\); set NEXTAUTH_SECRET/);
  });
});
