import path from "node:path";
import { ESLint, type Linter } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

// Proves that the dependency-direction rules of eslint.config.mjs fire, by linting small
// snippets under virtual file names. Only the rule under test is looked at, so that other
// rules (unused variables, type imports…) neither make a test pass nor fail.

const root = path.resolve(import.meta.dirname, "..");
const restrictedImports = "@typescript-eslint/no-restricted-imports";

let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
}, 60_000);

async function lint(file: string, code: string): Promise<Linter.LintMessage[]> {
  const filePath = path.join(root, file);
  // An ignored path would lint to nothing and make every "is allowed" test pass vacuously.
  expect(await eslint.isPathIgnored(filePath)).toBe(false);
  const [result] = await eslint.lintText(code, { filePath });
  if (!result) throw new Error(`ESLint returned no result for ${file}`);
  // A parse error would hide every rule.
  expect(result.messages.filter((message) => message.fatal)).toEqual([]);
  return result.messages;
}

async function errorsOf(ruleId: string, file: string, code: string): Promise<Linter.LintMessage[]> {
  return (await lint(file, code)).filter((message) => message.ruleId === ruleId && message.severity === 2);
}

const timeout = 60_000;

describe("lib/pipeline is pure", () => {
  const file = "lib/pipeline/example.ts";

  it.each([
    ["@prisma/client", 'import { PrismaClient } from "@prisma/client";\nexport const client = PrismaClient;\n'],
    ["next/server", 'import { NextResponse } from "next/server";\nexport const response = NextResponse;\n'],
    ["@/lib/db/client", 'import { getPrisma } from "@/lib/db/client";\nexport const get = getPrisma;\n'],
    ["@/lib/env.js", 'import { env } from "@/lib/env.js";\nexport const environment = env;\n'],
    ["node:fs", 'import { readFileSync } from "node:fs";\nexport const read = readFileSync;\n'],
    ["@/lib/config", 'import { getConfig } from "@/lib/config";\nexport const config = getConfig;\n'],
  ])(
    "forbids importing %s",
    async (_module, code) => {
      const errors = await errorsOf(restrictedImports, file, code);
      expect(errors).toHaveLength(1);
      expect(errors[0]?.message).toContain("lib/pipeline is pure");
    },
    timeout,
  );

  it(
    "allows a relative import inside lib/pipeline",
    async () => {
      expect(await errorsOf(restrictedImports, file, 'import { score } from "./score";\nexport const s = score;\n')).toEqual([]);
    },
    timeout,
  );

  it(
    "forbids Date.now()",
    async () => {
      const errors = await errorsOf("no-restricted-syntax", file, "export const now = Date.now();\n");
      expect(errors).toHaveLength(1);
      expect(errors[0]?.message).toContain("takes `now` as an argument");
    },
    timeout,
  );

  it(
    "forbids new Date() without arguments",
    async () => {
      const errors = await errorsOf("no-restricted-syntax", file, "export const now = new Date();\n");
      expect(errors).toHaveLength(1);
      expect(errors[0]?.message).toContain("takes `now` as an argument");
    },
    timeout,
  );

  it(
    'allows new Date("2026-01-01")',
    async () => {
      expect(await errorsOf("no-restricted-syntax", file, 'export const start = new Date("2026-01-01");\n')).toEqual([]);
    },
    timeout,
  );

  it(
    "allows new Date(timestamp)",
    async () => {
      expect(await errorsOf("no-restricted-syntax", file, "export const at = (ms: number) => new Date(ms);\n")).toEqual([]);
    },
    timeout,
  );

  it(
    "forbids Math.random()",
    async () => {
      const errors = await errorsOf("no-restricted-syntax", file, "export const pick = Math.random();\n");
      expect(errors).toHaveLength(1);
      expect(errors[0]?.message).toContain("seeded random source");
    },
    timeout,
  );

  it(
    "forbids process.exitCode",
    async () => {
      const errors = await errorsOf("no-restricted-globals", file, "export function fail(): void {\n  process.exitCode = 1;\n}\n");
      expect(errors).toHaveLength(1);
      expect(errors[0]?.message).toContain("lib/pipeline is pure");
    },
    timeout,
  );

  it(
    "forbids fetch",
    async () => {
      const errors = await errorsOf("no-restricted-globals", file, 'export const load = () => fetch("https://example.com");\n');
      expect(errors).toHaveLength(1);
    },
    timeout,
  );

  it(
    "does not apply the pipeline's syntax rules outside lib/pipeline",
    async () => {
      expect(await errorsOf("no-restricted-syntax", "lib/jobs/example.ts", "export const now = Date.now();\n")).toEqual([]);
    },
    timeout,
  );
});

describe("components take data as props", () => {
  const file = "components/example.tsx";

  it(
    "forbids a value import of @/lib/db/client",
    async () => {
      const code = 'import { getPrisma } from "@/lib/db/client";\nexport const get = getPrisma;\n';
      const errors = await errorsOf(restrictedImports, file, code);
      expect(errors).toHaveLength(1);
      expect(errors[0]?.message).toContain("Components take data as props");
    },
    timeout,
  );

  it(
    "allows a type import from @/lib/db/overview",
    async () => {
      const code = 'import type { Overview } from "@/lib/db/overview";\nexport type Props = { overview: Overview };\n';
      expect(await errorsOf(restrictedImports, file, code)).toEqual([]);
    },
    timeout,
  );

  it(
    "forbids a value import of @prisma/client",
    async () => {
      const code = 'import { PrismaClient } from "@prisma/client";\nexport const client = PrismaClient;\n';
      expect(await errorsOf(restrictedImports, file, code)).toHaveLength(1);
    },
    timeout,
  );
});

describe("lib/es is an adapter without database access", () => {
  it(
    "forbids importing @/lib/db/client",
    async () => {
      const code = 'import { getPrisma } from "@/lib/db/client";\nexport const get = getPrisma;\n';
      const errors = await errorsOf(restrictedImports, "lib/es/example.ts", code);
      expect(errors).toHaveLength(1);
      expect(errors[0]?.message).toContain("lib/es is the Elasticsearch adapter");
    },
    timeout,
  );
});

describe("adapters and use cases take their connections from a composition root", () => {
  const code = 'import { env } from "@/lib/env.js";\nexport const url = env.ES_URL;\n';

  it.each(["lib/es/example.ts", "lib/notify/example.ts", "lib/ai/example.ts", "lib/jobs/example.ts"])(
    "forbids %s reading lib/env.js",
    async (file) => {
      const errors = await errorsOf(restrictedImports, file, code);
      expect(errors).toHaveLength(1);
      expect(errors[0]?.message).toContain("only a composition root");
    },
    timeout,
  );

  it(
    "allows a type-only import of the environment's shape",
    async () => {
      const typeOnly = 'import type { Environment } from "@/lib/env.js";\nexport type Ai = Pick<Environment, "AI_MODEL">;\n';
      expect(await errorsOf(restrictedImports, "lib/ai/example.ts", typeOnly)).toEqual([]);
    },
    timeout,
  );

  it.each(["lib/services/example.ts", "cli/example.ts"])(
    "allows the composition root %s to read it",
    async (file) => {
      expect(await errorsOf(restrictedImports, file, code)).toEqual([]);
    },
    timeout,
  );
});

describe("lib does not depend on the web layer", () => {
  it(
    "forbids lib/something.ts importing @/components/x",
    async () => {
      const code = 'import { X } from "@/components/x";\nexport const x = X;\n';
      const errors = await errorsOf(restrictedImports, "lib/something.ts", code);
      expect(errors).toHaveLength(1);
      expect(errors[0]?.message).toContain("lib must not depend on the web layer");
    },
    timeout,
  );

  it(
    "allows lib/something.ts importing another lib module",
    async () => {
      const code = 'import { formatCount } from "@/lib/format";\nexport const f = formatCount;\n';
      expect(await errorsOf(restrictedImports, "lib/something.ts", code)).toEqual([]);
    },
    timeout,
  );
});

describe("only lib/env.js reads the environment", () => {
  const code = "export const value = process.env.X;\n";

  it(
    "forbids process.env in lib/other.ts",
    async () => {
      const errors = await errorsOf("no-restricted-properties", "lib/other.ts", code);
      expect(errors).toHaveLength(1);
      expect(errors[0]?.message).toContain("Only lib/env.js reads the environment");
    },
    timeout,
  );

  it(
    "allows process.env in lib/env.js",
    async () => {
      expect(await errorsOf("no-restricted-properties", "lib/env.js", code)).toEqual([]);
    },
    timeout,
  );
});

describe("the simulator builds on the core, never the other way round", () => {
  const code = 'import { createRandom } from "@/lib/synthetic/random";\nexport const random = createRandom;\n';

  it(
    "forbids lib/pipeline importing lib/synthetic",
    async () => {
      const errors = await errorsOf(restrictedImports, "lib/pipeline/example.ts", code);
      expect(errors).toHaveLength(1);
      expect(errors[0]?.message).toContain("the simulator (lib/synthetic) builds on it");
    },
    timeout,
  );

  it(
    "allows a test of lib/pipeline to draw seeded data from it",
    async () => {
      expect(await errorsOf(restrictedImports, "lib/pipeline/example.test.ts", code)).toEqual([]);
    },
    timeout,
  );

  it(
    "holds lib/synthetic to the core's purity",
    async () => {
      const errors = await errorsOf(
        restrictedImports,
        "lib/synthetic/example.ts",
        'import { readFileSync } from "node:fs";\nexport const read = readFileSync;\n',
      );
      expect(errors).toHaveLength(1);
    },
    timeout,
  );
});
