import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

// Dependency direction (see the README's architecture): app → components → lib; inside lib,
// jobs → {db, es, pipeline, config}, es → pipeline (types), synthetic → pipeline, pipeline → nothing.
const appAndComponents = { group: ["@/app/*", "@/components/*", "next/*", "next", "react", "react-dom"], message: "lib must not depend on the web layer." };
// A domain's modules: its contract (schemas and answer types, safe for the browser), its
// presentation helpers (pure, browser-safe) and its use cases (server only).
/** @type {Record<string, string[]>} */
const browserSafe = {
  peaks: ["contract", "explain", "status-filter", "timeline", "words"],
  "known-issues": ["contract", "form"],
  patterns: ["contract", "rules-contract", "why-grouped"],
  thresholds: ["contract", "form"],
  namespaces: ["contract"],
  overview: ["contract"],
  runs: ["contract"],
  users: ["contract"],
  "new-normal": ["contract"],
  incidents: ["contract", "words"],
  problems: ["contract", "words"],
  digest: ["contract", "words"],
  versions: ["contract", "words"],
  events: ["contract"],
};
/** @param {(domain: string) => string[]} allowed */
const domainModulesBut = (allowed) =>
  Object.keys(browserSafe).flatMap((domain) => [`@/lib/${domain}/*`, ...allowed(domain).map((module) => `!@/lib/${domain}/${module}`)]);
const serverModules = [
  "@/lib/db/*",
  "@prisma/*",
  "pg",
  "@/lib/jobs/*",
  "@/lib/services",
  "@/lib/services/*",
  "@/lib/detection/*",
  "@/lib/es",
  "@/lib/es/*",
  "@/lib/notify/*",
  "@/lib/ai/*",
];
const contractsOnly = {
  group: [...serverModules, ...domainModulesBut((domain) => browserSafe[domain] ?? [])],
  message:
    "Components and client files take data as props and import a domain's contract (and its browser-safe helpers), never queries, use cases or server modules.",
};
const queriesOnly = {
  group: [
    "@/lib/pipeline/*",
    "@/lib/jobs/*",
    "@/lib/services",
    "@/lib/services/*",
    "@/lib/detection/*",
    "@/lib/es",
    "@/lib/es/*",
    "@/lib/notify/*",
    ...domainModulesBut(() => ["contract"]),
  ],
  message:
    "lib/db holds queries only: use cases (lib/<domain>, lib/detection, lib/jobs) call it and lib/pipeline, never the reverse; a query may use a domain's contract.",
};
const pipelinePurity = {
  group: [
    "next",
    "next/*",
    "next-auth",
    "next-auth/*",
    "react",
    "react-dom",
    "@prisma/*",
    "pg",
    "@electric-sql/*",
    "@elastic/*",
    "@/lib/db/*",
    "@/lib/es/*",
    "@/lib/jobs/*",
    "@/lib/auth/*",
    "@/lib/env*",
    "@/lib/config",
    "@/lib/config/*",
    "@/app/*",
    "@/components/*",
    "node:fs",
    "node:fs/*",
    "fs",
    "fs/*",
    "node:net",
    "net",
    "node:http",
    "http",
    "node:https",
    "https",
    "node:child_process",
    "child_process",
  ],
  message: "lib/pipeline is pure, and lib/synthetic with it: time, configuration and data come in as arguments; no I/O, framework, database or environment.",
};
const pipelineCore = {
  group: ["@/lib/synthetic/*"],
  message: "lib/pipeline is the product's core: the simulator (lib/synthetic) builds on it, never the other way round.",
};
const esAdapter = {
  group: ["next", "next/*", "@prisma/*", "pg", "@/lib/db/*", "@/lib/jobs/*", "@/app/*", "@/components/*"],
  message: "lib/es is the Elasticsearch adapter: it depends on lib/pipeline's types only, never on the database or the web layer.",
};

const environmentRead = {
  group: ["@/lib/env*"],
  message: "Adapters and use cases take their connections as arguments; only a composition root (lib/services, cli/services.ts) reads the environment.",
  allowTypeImports: true,
};

// The command line's one composition root is cli/services.ts: its commands take the
// configuration, window grid, connections and database from there (cliSettings, withServices).
const cliCompositionMessage =
  "A command takes its configuration, window grid, connections and database from cli/services.ts (cliSettings, withServices), the command line's one composition root.";
const cliComposition = [
  { regex: "^(\\.{1,2}/)+(cli/)?database(\\.[jt]s)?$|^@/cli/database(\\.[jt]s)?$", message: cliCompositionMessage },
  { group: ["@/lib/config"], importNames: ["getConfig"], message: cliCompositionMessage },
  { group: ["@/lib/config/grid"], importNames: ["gridOf"], message: cliCompositionMessage },
  { group: ["@/lib/services/connections"], importNames: ["connectionsOf"], message: cliCompositionMessage },
];

/** @typedef {{ group?: string[]; regex?: string; importNames?: string[]; message: string; allowTypeImports?: boolean }} ImportPattern */
/**
 * @param {...ImportPattern} patterns
 * @returns {["error", { patterns: ImportPattern[] }]}
 */
const restrictImports = (...patterns) => ["error", { patterns }];

export default defineConfig([
  ...nextVitals,
  ...nextTypescript,
  globalIgnores([".next/**", ".data/**", "lib/db/generated/**", "next-env.d.ts", "scratch/**", "playwright-report/**", "test-results/**", "e2e/.artifacts/**"]),
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/ban-ts-comment": ["error", { "ts-ignore": true, "ts-nocheck": true, "ts-expect-error": "allow-with-description" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/consistent-type-definitions": ["error", "type"],
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Only lib/env.js (and lib/env-source.js, its reading) reads the environment; import `env` from there." },
      ],
    },
  },
  { files: ["lib/env.js", "lib/env-source.js"], rules: { "no-restricted-properties": "off" } },
  // Module augmentation (next-auth's Session and JWT) can only be written as interfaces.
  { files: ["types/**/*.d.ts"], rules: { "@typescript-eslint/consistent-type-definitions": "off" } },
  { files: ["lib/**"], rules: { "@typescript-eslint/no-restricted-imports": restrictImports(appAndComponents) } },
  {
    files: ["components/**", "app/**/*.tsx"],
    ignores: ["app/**/page.tsx", "app/**/layout.tsx"],
    rules: { "@typescript-eslint/no-restricted-imports": restrictImports(contractsOnly) },
  },
  { files: ["lib/db/**"], ignores: ["**/*.test.ts"], rules: { "@typescript-eslint/no-restricted-imports": restrictImports(appAndComponents, queriesOnly) } },
  { files: ["lib/es/**"], rules: { "@typescript-eslint/no-restricted-imports": restrictImports(esAdapter, environmentRead) } },
  {
    files: ["cli/**"],
    ignores: ["cli/services.ts", "**/*.test.ts"],
    rules: { "@typescript-eslint/no-restricted-imports": restrictImports(...cliComposition) },
  },
  // Tests set up child processes' environments; the code under test never reads one.
  {
    files: ["lib/notify/**", "lib/ai/**", "lib/jobs/**"],
    ignores: ["**/*.test.ts"],
    rules: { "@typescript-eslint/no-restricted-imports": restrictImports(appAndComponents, environmentRead) },
  },
  {
    files: ["lib/pipeline/**", "lib/synthetic/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": restrictImports(pipelinePurity),
      "no-restricted-globals": [
        "error",
        { name: "process", message: "lib/pipeline is pure: pass what you need as an argument." },
        { name: "fetch", message: "lib/pipeline is pure: no network." },
      ],
      "no-restricted-syntax": [
        "error",
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: "lib/pipeline takes `now` as an argument." },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "lib/pipeline takes `now` as an argument." },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: "lib/pipeline is deterministic: pass a seeded random source.",
        },
      ],
    },
  },
  // Tests of the core may draw seeded random data from the simulator; the core itself may not.
  {
    files: ["lib/pipeline/**"],
    ignores: ["lib/pipeline/**/*.test.ts"],
    rules: { "@typescript-eslint/no-restricted-imports": restrictImports(pipelinePurity, pipelineCore) },
  },
]);
