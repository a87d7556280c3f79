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

describe("components and client files import contracts only", () => {
  it.each([
    ["components/example.tsx", 'import { getPrisma } from "@/lib/db/client";\nexport const get = getPrisma;\n'],
    ["components/example.tsx", 'import type { Overview } from "@/lib/db/overview";\nexport type Props = { overview: Overview };\n'],
    ["components/example.tsx", 'import { PrismaClient } from "@prisma/client";\nexport const client = PrismaClient;\n'],
    ["components/example.tsx", 'import type { PeakDetail } from "@/lib/peaks/detail";\nexport type Props = { peak: PeakDetail };\n'],
    ["components/example.tsx", 'import { listPeaks } from "@/lib/peaks/list";\nexport const list = listPeaks;\n'],
    ["components/example.tsx", 'import type { Services } from "@/lib/services";\nexport type Props = { services: Services };\n'],
    ["app/(dashboard)/example/client.tsx", 'import { createKnownIssue } from "@/lib/known-issues/curation";\nexport const create = createKnownIssue;\n'],
  ])(
    "forbids %s importing a server module (%#)",
    async (file, code) => {
      const errors = await errorsOf(restrictedImports, file, code);
      expect(errors).toHaveLength(1);
      expect(errors[0]?.message).toContain("import a domain's contract");
    },
    timeout,
  );

  it.each([
    ["components/example.tsx", 'import type { PeakDetail } from "@/lib/peaks/contract";\nexport type Props = { peak: PeakDetail };\n'],
    ["components/example.tsx", 'import { describeScope } from "@/lib/known-issues/form";\nexport const describe = describeScope;\n'],
    ["app/(dashboard)/example/client.tsx", 'import { formatRatio } from "@/lib/peaks/explain";\nexport const format = formatRatio;\n'],
    ["app/(dashboard)/example/page.tsx", 'import { listPeaks } from "@/lib/peaks/list";\nexport const list = listPeaks;\n'],
  ])(
    "allows %s its import (%#)",
    async (file, code) => {
      expect(await errorsOf(restrictedImports, file, code)).toEqual([]);
    },
    timeout,
  );
});

describe("lib/db holds queries only", () => {
  it.each([
    ['import { plateausOf } from "@/lib/pipeline/detect";\nexport const p = plateausOf;\n'],
    ['import type { BaselineTable } from "@/lib/pipeline/baseline";\nexport type T = BaselineTable;\n'],
    ['import { getPeak } from "@/lib/peaks/detail";\nexport const get = getPeak;\n'],
    ['import { loadBaseline } from "@/lib/detection/store";\nexport const load = loadBaseline;\n'],
    ['import { runPipeline } from "@/lib/jobs/pipeline";\nexport const run = runPipeline;\n'],
  ])(
    "forbids %s",
    async (code) => {
      const errors = await errorsOf(restrictedImports, "lib/db/example.ts", code);
      expect(errors).toHaveLength(1);
      expect(errors[0]?.message).toContain("lib/db holds queries only");
    },
    timeout,
  );

  it(
    "allows a domain's contract",
    async () => {
      const code = 'import type { NewNormalRecord } from "@/lib/new-normal/contract";\nexport type R = NewNormalRecord;\n';
      expect(await errorsOf(restrictedImports, "lib/db/example.ts", code)).toEqual([]);
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

describe("the command line takes its services from cli/services.ts", () => {
  it.each([
    ["cli/commands/example.ts", 'import { withDatabase } from "../database";\nexport const open = withDatabase;\n'],
    ["cli/commands/example.ts", 'import { withDatabase } from "@/cli/database";\nexport const open = withDatabase;\n'],
    ["cli/commands/example.ts", 'import { getConfig } from "@/lib/config";\nexport const config = getConfig();\n'],
    ["cli/commands/example.ts", 'import { gridOf } from "@/lib/config/grid";\nexport const grid = gridOf;\n'],
    ["cli/commands/example.ts", 'import { connectionsOf } from "@/lib/services/connections";\nexport const connections = connectionsOf;\n'],
    ["cli/example.ts", 'import { withDatabase } from "./database";\nexport const open = withDatabase;\n'],
    ["cli/example.ts", 'import { getConfig } from "@/lib/config";\nexport const config = getConfig();\n'],
  ])(
    "forbids %s its import (%#)",
    async (file, code) => {
      const errors = await errorsOf(restrictedImports, file, code);
      expect(errors).toHaveLength(1);
      expect(errors[0]?.message).toContain("the command line's one composition root");
    },
    timeout,
  );

  it.each([
    ["cli/commands/example.ts", 'import { cliSettings, withServices } from "../services";\nexport const run = [cliSettings, withServices];\n'],
    ["cli/commands/example.ts", 'import type { FrozenConfig } from "@/lib/config";\nexport type C = FrozenConfig;\n'],
    ["cli/commands/example.ts", 'import { findGaps } from "@/lib/detection/gaps";\nexport const find = findGaps;\n'],
    [
      "cli/services.ts",
      'import { getConfig } from "@/lib/config";\nimport { withDatabase } from "./database";\nexport const parts = [getConfig, withDatabase];\n',
    ],
    ["cli/commands/example.test.ts", 'import { gridOf } from "@/lib/config/grid";\nexport const grid = gridOf;\n'],
  ])(
    "allows %s its import (%#)",
    async (file, code) => {
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
      expect(errors[0]?.message).toContain("Only lib/env.js");
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
