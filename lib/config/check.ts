import { stringify } from "yaml";
import { ENVIRONMENT_VARIABLES, environmentProblems, environmentSchema, type Environment } from "@/lib/env-schema.js";
import { readConfigText, type FrozenConfig } from "./parse";
import { isSchedulerOn } from "./schema";

// `peaks config check`: values.yaml and the environment checked together, every problem at
// once, and what the product makes of them (defaults filled in, secrets never shown). Pure: the
// file's text, its name and the environment come in as arguments.

export type EnvironmentVariable = keyof Environment;

/** Variables whose value is a secret: shown only as set or not set. */
export const SECRET_VARIABLES = [
  "NEXTAUTH_SECRET",
  "OIDC_CLIENT_SECRET",
  "ES_API_KEY",
  "ES_PASSWORD",
  "CRON_SECRET",
  "METRICS_TOKEN",
  "TEAMS_WEBHOOK_URL",
  "AI_API_KEY",
] as const satisfies readonly EnvironmentVariable[];

/** A variable name that suggests a secret; a test holds every such variable in SECRET_VARIABLES. */
export const SECRET_LOOKING_NAME = /SECRET|TOKEN|PASSWORD|KEY|WEBHOOK/;

export const REDACTED = "<set, redacted>";
export const NOT_SET = "<not set>";

export type CheckProblem =
  { source: "file"; file: string; line?: number; keyPath?: string; message: string } | { source: "environment"; variable: string; message: string };

/** Something that does not stop the product but is probably not what was meant; `about` names the keys and variables. */
export type CheckWarning = { about: string[]; message: string };

export type ConfigCheckReport = {
  file: string;
  isValid: boolean;
  /** values.yaml with every default filled in; null when it has problems. */
  values: FrozenConfig | null;
  /** Every variable the product reads, defaults filled in, secrets redacted; null: not set (or invalid, see problems). */
  environment: Record<EnvironmentVariable, string | number | boolean | null>;
  /** What the product does with both, in words. */
  effective: {
    database: string;
    sessionKey: string;
    publicUrl: string;
    singleSignOn: string;
    logSource: string;
    scheduler: string;
    teams: string;
    digest: string;
    ai: string;
  };
  problems: CheckProblem[];
  warnings: CheckWarning[];
};

export type ConfigCheckInput = {
  /** The configuration file's name as problems should show it. */
  file: string;
  /** Its text, or why it could not be read. */
  content: { text: string } | { readError: string };
  environment: Readonly<Record<string, string | undefined>>;
};

const isSecretVariable = (name: string): boolean => (SECRET_VARIABLES as readonly string[]).includes(name);

const SECRET_QUERY_PARAMETER = /pass|secret|token|key/i;

/** A URL without its password (and secret-looking query values), as written when it has neither; null when the text is not a URL. */
export function redactUrl(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  const secretParameters = [...url.searchParams.keys()].filter((name) => SECRET_QUERY_PARAMETER.test(name));
  if (url.password === "" && secretParameters.length === 0) return text;
  if (url.password !== "") url.password = "redacted";
  for (const name of secretParameters) url.searchParams.set(name, "redacted");
  return url.toString();
}

/** How a variable's raw or parsed value is shown. */
function shownVariable(name: EnvironmentVariable, value: unknown, isValid: boolean): string | number | boolean | null {
  if (value === undefined || value === null || value === "") return null;
  if (isSecretVariable(name)) return REDACTED;
  if (typeof value === "number" || typeof value === "boolean") return value;
  const text = String(value);
  if (name === "ES_CA_CERT" && text.includes("-----BEGIN")) return `<PEM text, ${text.length} characters>`;
  const url = redactUrl(text);
  if (url !== null) return url;
  // An invalid value that is not a URL may still be one with a typo: shown only when harmless.
  return isValid || !/[@:]/.test(text) ? text : "<invalid, not shown>";
}

/** Each variable parsed on its own (defaults filled in), so a bad one does not hide the others. */
function variablesOf(source: ConfigCheckInput["environment"]): { parsed: Partial<Environment>; invalid: Set<string>; shown: ConfigCheckReport["environment"] } {
  const parsed: Record<string, unknown> = {};
  const invalid = new Set<string>();
  const shown: Record<string, string | number | boolean | null> = {};
  for (const name of ENVIRONMENT_VARIABLES) {
    const result = environmentSchema.shape[name].safeParse(source[name]);
    if (result.success) parsed[name] = result.data;
    else invalid.add(name);
    shown[name] = shownVariable(name, result.success ? result.data : source[name]?.trim(), result.success);
  }
  return { parsed: parsed as Partial<Environment>, invalid, shown: shown as ConfigCheckReport["environment"] };
}

/** Every string of the configuration that is a URL with a password loses it (values.yaml holds no secrets, but may by mistake). */
function redactValues<T>(value: T): T {
  if (typeof value === "string") return (redactUrl(value) ?? value) as T;
  if (Array.isArray(value)) return value.map(redactValues) as T;
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, redactValues(child)])) as T;
  return value;
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

function isLocalUrl(text: string | undefined): boolean {
  if (text === undefined) return true;
  try {
    return LOCAL_HOSTS.has(new URL(text).hostname);
  } catch {
    return true;
  }
}

function originOf(text: string): string | null {
  try {
    return new URL(text).origin;
  } catch {
    return null;
  }
}

function effectiveOf(file: string, values: FrozenConfig | null, variables: Partial<Environment>, invalid: ReadonlySet<string>): ConfigCheckReport["effective"] {
  const dataDir = variables.PEAKS_DATA_DIR ?? ".data";
  const unknown = `unknown: ${file} has problems`;
  const unknownVariable = (name: string) => (invalid.has(name) ? `unknown: ${name} is not valid` : null);
  const teams = values?.notifications.teams;
  const missingAi = [variables.AI_BASE_URL ? null : "AI_BASE_URL", variables.AI_MODEL ? null : "AI_MODEL"].filter((name) => name !== null);
  return {
    database:
      unknownVariable("DATABASE_URL") ?? (variables.DATABASE_URL ? `PostgreSQL at ${redactUrl(variables.DATABASE_URL)}` : `embedded (PGlite) in ${dataDir}`),
    sessionKey: variables.NEXTAUTH_SECRET ? "NEXTAUTH_SECRET" : `generated once into ${dataDir}/auth-secret`,
    publicUrl: unknownVariable("NEXTAUTH_URL") ?? unknownVariable("PORT") ?? variables.NEXTAUTH_URL ?? `http://localhost:${variables.PORT ?? 3000}`,
    singleSignOn: variables.OIDC_ISSUER ? `${variables.OIDC_NAME ?? "Single sign-on"} at ${variables.OIDC_ISSUER}` : "off (OIDC_ISSUER is not set)",
    logSource:
      unknownVariable("ES_URL") ??
      (variables.ES_URL
        ? `Elasticsearch at ${redactUrl(variables.ES_URL)}${values ? `, index pattern ${values.source.index_pattern}` : ""}, ${
            variables.ES_API_KEY ? "API key" : variables.ES_USERNAME ? `user ${variables.ES_USERNAME}` : "no credentials"
          }`
        : variables.PEAKS_LOG_INPUT
          ? `log files: ${variables.PEAKS_LOG_INPUT}`
          : `none configured (ES_URL and PEAKS_LOG_INPUT are not set; npm start reads its sample data in ${dataDir}/sample-logs)`),
    scheduler: !values
      ? unknown
      : isSchedulerOn(values.scheduler.enabled, { isCronSecretSet: Boolean(variables.CRON_SECRET) })
        ? `built into peaks serve (scheduler.enabled: ${values.scheduler.enabled}${values.scheduler.enabled === "auto" ? ", CRON_SECRET is not set" : ""})`
        : `outside cron calling /api/cron/* (scheduler.enabled: ${values.scheduler.enabled}${values.scheduler.enabled === "auto" ? ", CRON_SECRET is set" : ""})`,
    teams: !teams
      ? unknown
      : !teams.enabled
        ? "off (notifications.teams.enabled: false)"
        : variables.TEAMS_WEBHOOK_URL
          ? `on${teams.notify_known_issues ? ", known issues as one-liners" : ""}${teams.first_seen ? ", first-seen patterns" : ""}`
          : "off: notifications.teams.enabled is true but TEAMS_WEBHOOK_URL is not set",
    digest: !values ? unknown : describeDigest(values.digest, variables, unknownVariable("SMTP_URL")),
    ai: !values
      ? unknown
      : !values.ai.enabled
        ? "off (ai.enabled: false)"
        : missingAi.length > 0
          ? `off: ai.enabled is true but ${missingAi.join(" and ")} ${missingAi.length === 1 ? "is" : "are"} not set`
          : `on, model ${variables.AI_MODEL} at ${redactUrl(variables.AI_BASE_URL ?? "")}`,
  };
}

/** Where the daily digest goes, in words; the SMTP server without its password. */
function describeDigest(digest: FrozenConfig["digest"], variables: Partial<Environment>, smtpProblem: string | null): string {
  if (!digest.enabled) return "off (digest.enabled: false)";
  if (smtpProblem) return smtpProblem;
  const channels: string[] = [];
  if (digest.teams && variables.TEAMS_WEBHOOK_URL) channels.push("to Teams");
  if (digest.email_to.length > 0 && variables.SMTP_URL) {
    channels.push(`by e-mail to ${digest.email_to.length} address${digest.email_to.length === 1 ? "" : "es"} through ${redactUrl(variables.SMTP_URL)}`);
  }
  const where = channels.length > 0 ? `sent ${channels.join(" and ")}` : "sent nowhere (no TEAMS_WEBHOOK_URL, and no SMTP_URL with digest.email_to)";
  return `daily at ${digest.local_time}, ${where}; the page /reports/daily/<date> shows it either way`;
}

function warningsOf(values: FrozenConfig | null, variables: Partial<Environment>): CheckWarning[] {
  const warnings: CheckWarning[] = [];
  const warn = (about: string[], message: string) => warnings.push({ about, message });
  const isProductionLooking = variables.NODE_ENV === "production" || !isLocalUrl(variables.NEXTAUTH_URL);

  if (variables.ES_URL) {
    if (!variables.ES_API_KEY && !variables.ES_USERNAME)
      warn(
        ["ES_URL"],
        "Elasticsearch is reached without credentials: set ES_API_KEY, or ES_USERNAME and ES_PASSWORD, unless the cluster allows anonymous reads",
      );
    if (variables.ES_API_KEY && variables.ES_USERNAME) warn(["ES_API_KEY", "ES_USERNAME"], "ES_API_KEY is used; ES_USERNAME and ES_PASSWORD are ignored");
    if (variables.PEAKS_LOG_INPUT) warn(["PEAKS_LOG_INPUT", "ES_URL"], "PEAKS_LOG_INPUT is ignored while ES_URL is set");
    if (variables.ES_TLS_REJECT_UNAUTHORIZED === false)
      warn(["ES_TLS_REJECT_UNAUTHORIZED"], "any Elasticsearch server certificate is accepted (for testing only)");
  } else {
    const unused = (["ES_API_KEY", "ES_USERNAME", "ES_CA_CERT"] as const).filter((name) => variables[name] !== undefined);
    if (unused.length > 0) warn([...unused, "ES_URL"], `${unused.join(", ")} ${unused.length === 1 ? "is" : "are"} ignored while ES_URL is not set`);
  }
  if (isProductionLooking && !variables.DATABASE_URL) {
    warn(
      ["DATABASE_URL", variables.NODE_ENV === "production" ? "NODE_ENV" : "NEXTAUTH_URL"],
      "a production setup on the embedded database, which serves one transaction at a time: set DATABASE_URL to a PostgreSQL server for a team",
    );
  }
  if (!values) return warnings;

  const teams = values.notifications.teams;
  if (teams.enabled && !variables.TEAMS_WEBHOOK_URL)
    warn(["notifications.teams.enabled", "TEAMS_WEBHOOK_URL"], "Teams notifications are enabled but TEAMS_WEBHOOK_URL is not set: no message is sent");
  if (!teams.enabled && variables.TEAMS_WEBHOOK_URL)
    warn(["notifications.teams.enabled", "TEAMS_WEBHOOK_URL"], "TEAMS_WEBHOOK_URL is set but notifications.teams.enabled is false: no message is sent");
  if (values.ai.enabled && (!variables.AI_BASE_URL || !variables.AI_MODEL))
    warn(["ai.enabled", "AI_BASE_URL", "AI_MODEL"], "AI analysis is enabled but AI_BASE_URL and AI_MODEL are not both set: runs record it as misconfigured");
  if (!values.ai.enabled && (variables.AI_BASE_URL || variables.AI_API_KEY))
    warn(["ai.enabled", "AI_BASE_URL"], "an AI endpoint is set but ai.enabled is false: no AI analysis runs");

  if (values.digest.enabled && values.digest.email_to.length > 0 && !variables.SMTP_URL)
    warn(["digest.email_to", "SMTP_URL"], "digest.email_to lists addresses but SMTP_URL is not set: the digest is not e-mailed");
  if (variables.SMTP_URL && (!values.digest.enabled || values.digest.email_to.length === 0))
    warn(["digest.email_to", "SMTP_URL"], "SMTP_URL is set but the digest has no recipients (digest.email_to) or is off: no e-mail is sent");

  const hasCronSecret = Boolean(variables.CRON_SECRET);
  if (values.scheduler.enabled === false && !hasCronSecret) {
    warn(
      ["scheduler.enabled", "CRON_SECRET"],
      "nothing runs the scheduled jobs: the built-in scheduler is off and the /api/cron/* routes answer 401 without CRON_SECRET",
    );
  }
  if (values.scheduler.enabled === true && hasCronSecret) {
    warn(
      ["scheduler.enabled", "CRON_SECRET"],
      "the built-in scheduler runs and CRON_SECRET lets an outside cron run the same jobs: choose one (scheduler.enabled: auto does)",
    );
  }
  const dashboardOrigin = originOf(values.notifications.dashboard_url);
  const publicOrigin = variables.NEXTAUTH_URL ? originOf(variables.NEXTAUTH_URL) : null;
  if (publicOrigin && dashboardOrigin && publicOrigin !== dashboardOrigin) {
    warn(["notifications.dashboard_url", "NEXTAUTH_URL"], `links in messages point to ${dashboardOrigin}, but the dashboard's public URL is ${publicOrigin}`);
  }
  return warnings;
}

/** Checks a values.yaml text and an environment together; never throws for bad input. */
export function checkConfiguration(input: ConfigCheckInput): ConfigCheckReport {
  const problems: CheckProblem[] = [];
  let values: FrozenConfig | null = null;
  if ("readError" in input.content) {
    problems.push({ source: "file", file: input.file, message: `cannot be read: ${input.content.readError}` });
  } else {
    const read = readConfigText(input.content.text, input.file);
    values = read.config;
    problems.push(...read.problems.map((problem) => ({ source: "file" as const, ...problem })));
  }
  problems.push(...environmentProblems(input.environment).map((problem) => ({ source: "environment" as const, ...problem })));
  const variables = variablesOf(input.environment);
  return {
    file: input.file,
    isValid: problems.length === 0,
    values: values && redactValues(values),
    environment: variables.shown,
    effective: effectiveOf(input.file, values, variables.parsed, variables.invalid),
    problems,
    warnings: warningsOf(values, variables.parsed),
  };
}

/** A problem as one line: where (file:line: key path, or the variable), then what. */
export function formatCheckProblem(problem: CheckProblem): string {
  if (problem.source === "environment") return `${problem.variable}: ${problem.message}`;
  return `${problem.file}${problem.line ? `:${problem.line}` : ""}: ${problem.keyPath === undefined ? "" : `${problem.keyPath}: `}${problem.message}`;
}

const indent = (text: string) =>
  text
    .trimEnd()
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");

/** The report for people: effective values, environment, what the product does, problems, warnings. */
export function formatConfigCheck(report: ConfigCheckReport): string {
  const width = Math.max(...ENVIRONMENT_VARIABLES.map((name) => name.length));
  const words: Record<keyof ConfigCheckReport["effective"], string> = {
    database: "database",
    sessionKey: "session key",
    publicUrl: "public URL",
    singleSignOn: "single sign-on",
    logSource: "log source",
    scheduler: "scheduler",
    teams: "Teams",
    digest: "daily digest",
    ai: "AI analysis",
  };
  const effectiveWidth = Math.max(...Object.values(words).map((word) => word.length));
  const lines = [
    `${report.file}: ${report.values ? "valid" : "not valid"}; environment: ${report.problems.some((problem) => problem.source === "environment") ? "not valid" : "valid"}`,
    "",
    `Values (${report.file}, defaults filled in):`,
    report.values ? indent(stringify(report.values, { lineWidth: 0 })) : "  not shown: the file has problems (below)",
    "",
    "Environment (secrets redacted):",
    ...ENVIRONMENT_VARIABLES.map((name) => {
      const value = report.environment[name];
      return `  ${name.padEnd(width)}  ${value === null ? NOT_SET : String(value)}`;
    }),
    "",
    "In effect:",
    ...Object.entries(report.effective).map(([key, value]) => `  ${words[key as keyof typeof words].padEnd(effectiveWidth)}  ${value}`),
    "",
    report.problems.length === 0 ? "Problems: none" : `Problems (${report.problems.length}):`,
    ...report.problems.map((problem) => `  ${formatCheckProblem(problem)}`),
    "",
    report.warnings.length === 0 ? "Warnings: none" : `Warnings (${report.warnings.length}):`,
    ...report.warnings.map((warning) => `  ${warning.about.join(", ")}: ${warning.message}`),
  ];
  return lines.join("\n");
}
