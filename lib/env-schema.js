// The environment's schema, without reading the process environment: lib/env.js parses this
// process's with it, and `peaks config check` a record it reads even when that one is invalid.
import { z } from "zod";

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

const optionalUrl = (/** @type {string[]} */ protocols) =>
  optionalText.refine(
    (value) => {
      if (value === undefined) return true;
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(" or ")}` },
  );

const booleanFlag = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((value) => value === "true" || value === "1");

/**
 * Variables that only work together; the problem names the first of a group.
 * @param {Record<string, unknown>} value variables with empty ones undefined
 * @returns {{ variable: string, message: string }[]}
 */
function pairProblems(value) {
  /** @type {{ variable: string, message: string }[]} */
  const problems = [];
  const oidc = [value.OIDC_ISSUER, value.OIDC_CLIENT_ID, value.OIDC_CLIENT_SECRET];
  const oidcSet = oidc.filter((part) => part !== undefined).length;
  if (oidcSet !== 0 && oidcSet !== oidc.length) {
    problems.push({ variable: "OIDC_ISSUER", message: "OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together" });
  }
  if ((value.ES_USERNAME === undefined) !== (value.ES_PASSWORD === undefined)) {
    problems.push({ variable: "ES_USERNAME", message: "ES_USERNAME and ES_PASSWORD must be set together" });
  }
  return problems;
}

export const environmentSchema = z
  .object({
    NODE_ENV: optionalText.pipe(
      z
        .enum(["development", "production", "test"])
        .optional()
        .transform((value) => value ?? "development"),
    ),
    CI: booleanFlag,
    // Set to 1 by Vercel in its builds and functions, whose file system is read-only apart from a
    // temporary folder an instance loses: the embedded database refuses to start there.
    VERCEL: booleanFlag,
    // Structured server logs (pino): the lowest level written.
    LOG_LEVEL: optionalText.pipe(
      z
        .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
        .optional()
        .transform((value) => value ?? "info"),
    ),

    DATABASE_URL: optionalUrl(["postgresql:", "postgres:"]),
    PEAKS_DATA_DIR: optionalText.transform((value) => value ?? ".data"),
    PEAKS_CONFIG: optionalText.transform((value) => value ?? "values.yaml"),
    PORT: optionalText.transform((value) => (value === undefined ? 3000 : Number(value))).pipe(z.number().int().min(1).max(65535)),

    NEXTAUTH_URL: optionalUrl(["http:", "https:"]),
    NEXTAUTH_SECRET: optionalText.refine((value) => value === undefined || value.length >= 32, {
      message: "must be at least 32 characters (generate one with `openssl rand -base64 32`)",
    }),
    PEAKS_ADMIN_EMAIL: optionalText.transform((value) => value ?? "admin@localhost").pipe(z.string().regex(/^[^\s@]+@[^\s@]+$/, "must be an e-mail address")),

    OIDC_ISSUER: optionalUrl(["https:", "http:"]),
    OIDC_CLIENT_ID: optionalText,
    OIDC_CLIENT_SECRET: optionalText,
    OIDC_NAME: optionalText.transform((value) => value ?? "Single sign-on"),

    // Log files or folders the pipeline reads when Elasticsearch is not configured, separated
    // like PATH entries (":" on Linux and macOS).
    PEAKS_LOG_INPUT: optionalText,

    ES_URL: optionalUrl(["http:", "https:"]),
    ES_API_KEY: optionalText,
    ES_USERNAME: optionalText,
    ES_PASSWORD: optionalText,
    ES_CA_CERT: optionalText,
    ES_REQUEST_TIMEOUT_MS: optionalText.transform((value) => (value === undefined ? 30_000 : Number(value))).pipe(z.number().int().min(1).max(3_600_000)),
    ES_TLS_REJECT_UNAUTHORIZED: z
      .enum(["true", "false", ""])
      .optional()
      .transform((value) => value !== "false"),

    CRON_SECRET: optionalText.refine((value) => value === undefined || value.length >= 16, {
      message: "must be at least 16 characters",
    }),
    TEAMS_WEBHOOK_URL: optionalUrl(["https:", "http:"]),
    // The daily digest's e-mail: smtp://user:password@host:587 (STARTTLS when offered) or smtps://… (TLS).
    SMTP_URL: optionalUrl(["smtp:", "smtps:"]),
    /** Bearer token of GET /api/metrics; unset, the metrics route answers 404. */
    METRICS_TOKEN: optionalText.refine((value) => value === undefined || value.length >= 16, {
      message: "must be at least 16 characters",
    }),

    AI_BASE_URL: optionalUrl(["https:", "http:"]),
    AI_API_KEY: optionalText,
    AI_MODEL: optionalText,
  })
  .superRefine((value, context) => {
    for (const problem of pairProblems(value)) context.addIssue({ code: "custom", path: [problem.variable], message: problem.message });
  });

/** @typedef {z.infer<typeof environmentSchema>} Environment */

export class EnvironmentError extends Error {
  /** @param {string[]} problems */
  constructor(problems) {
    super(`Invalid environment:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "EnvironmentError";
    this.problems = problems;
  }
}

/**
 * Parses an environment (a `process.env`-like record) into a frozen, typed object.
 * @param {Record<string, string | undefined>} source
 * @returns {Readonly<Environment>}
 */
export function parseEnvironment(source) {
  const result = environmentSchema.safeParse(source);
  if (!result.success) {
    throw new EnvironmentError(result.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`));
  }
  return Object.freeze(result.data);
}

/** Every variable the product reads, in the schema's order. */
export const ENVIRONMENT_VARIABLES = /** @type {(keyof Environment)[]} */ (Object.keys(environmentSchema.shape));

/**
 * The problems of an environment record, each naming its variable (empty when it is valid).
 * @param {Record<string, string | undefined>} source
 * @returns {{ variable: string, message: string }[]}
 */
export function environmentProblems(source) {
  const result = environmentSchema.safeParse(source);
  if (result.success) return [];
  const problems = result.error.issues.map((issue) => ({ variable: issue.path.join(".") || "(environment)", message: issue.message }));
  // The schema checks the pairs only when every variable is valid on its own; they are listed anyway.
  const trimmed = Object.fromEntries(Object.entries(source).map(([name, text]) => [name, text?.trim() || undefined]));
  const missing = pairProblems(trimmed).filter((pair) => !problems.some((problem) => problem.message === pair.message));
  return [...problems, ...missing];
}
