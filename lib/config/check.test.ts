import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ENVIRONMENT_VARIABLES } from "@/lib/env-schema.js";
import {
  checkConfiguration,
  formatConfigCheck,
  NOT_SET,
  REDACTED,
  SECRET_LOOKING_NAME,
  SECRET_VARIABLES,
  redactUrl,
  type ConfigCheckReport,
  type EnvironmentVariable,
} from "./check";

const valuesText = readFileSync(path.join(import.meta.dirname, "..", "..", "values.yaml"), "utf8");

/** values.yaml with each line starting with a key replaced; returns the text and the 1-based line of each replacement. */
function withLines(replacements: Record<string, string>): { text: string; lines: Record<string, number> } {
  const lines = valuesText.split("\n");
  const found: Record<string, number> = {};
  for (const [prefix, replacement] of Object.entries(replacements)) {
    const index = lines.findIndex((line) => line.startsWith(prefix));
    if (index < 0) throw new Error(`no line starts with ${prefix}`);
    lines[index] = replacement;
    found[prefix] = index + 1;
  }
  return { text: lines.join("\n"), lines: found };
}

function check(text: string, environment: Record<string, string | undefined> = {}): ConfigCheckReport {
  return checkConfiguration({ file: "values.yaml", content: { text }, environment });
}

/** Everything the report could show: the text and the JSON document. */
const everythingShown = (report: ConfigCheckReport) => `${formatConfigCheck(report)}\n${JSON.stringify(report)}`;

describe("checkConfiguration on a valid file", () => {
  it("is valid with the repository's values.yaml and an empty environment", () => {
    const report = check(valuesText);
    expect(report.isValid).toBe(true);
    expect(report.problems).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.values?.timezone).toBe("Europe/Prague");
  });

  it("fills in the defaults of sections the file leaves out", () => {
    const withoutScheduler = valuesText.replace(/^scheduler:\n(?: {2}.*\n|\s*#.*\n)*/m, "");
    expect(withoutScheduler).not.toMatch(/^scheduler:/m);
    const report = check(withoutScheduler);
    expect(report.values?.scheduler).toEqual({
      enabled: "auto",
      pipeline: "2,17,32,47 * * * *",
      enrichment: "9 * * * *",
      maintenance: "23 3 * * *",
      digest: "5 * * * *",
    });
  });

  it("fills in the environment's defaults", () => {
    const { environment } = check(valuesText);
    expect(environment).toMatchObject({
      PORT: 3000,
      PEAKS_DATA_DIR: ".data",
      PEAKS_CONFIG: "values.yaml",
      ES_TLS_REJECT_UNAUTHORIZED: true,
      DATABASE_URL: null,
    });
  });

  it("lists every variable the environment's schema has, in its order", () => {
    expect(Object.keys(check(valuesText).environment)).toEqual(ENVIRONMENT_VARIABLES);
  });

  it("says what runs: the embedded database, a generated session key, the built-in scheduler", () => {
    const { effective } = check(valuesText, { PEAKS_DATA_DIR: "/srv/peaks" });
    expect(effective.database).toBe("embedded (PGlite) in /srv/peaks");
    expect(effective.sessionKey).toBe("generated once into /srv/peaks/auth-secret");
    expect(effective.publicUrl).toBe("http://localhost:3000");
    expect(effective.scheduler).toContain("built into peaks serve");
  });

  it("hands the scheduled jobs to an outside cron when CRON_SECRET is set and scheduler.enabled is auto", () => {
    expect(check(valuesText, { CRON_SECRET: "c".repeat(16) }).effective.scheduler).toContain("outside cron");
  });
});

describe("checkConfiguration on a file with problems", () => {
  it("lists every problem at once, each with its line and key path", () => {
    const { text, lines } = withLines({
      "window_minutes:": "window_minutes: 7",
      "  min_absolute_value:": "  min_absolut_value: 100",
      "  enabled: auto": "  enabled: sometimes",
    });
    const report = check(text);
    expect(report.isValid).toBe(false);
    expect(report.values).toBeNull();
    expect(report.problems).toEqual(
      expect.arrayContaining([
        { source: "file", file: "values.yaml", line: lines["window_minutes:"], keyPath: "window_minutes", message: expect.stringContaining("must divide 60") },
        {
          source: "file",
          file: "values.yaml",
          line: lines["  min_absolute_value:"],
          keyPath: "peak_detection",
          message: expect.stringContaining("min_absolut_value"),
        },
        { source: "file", file: "values.yaml", line: lines["  enabled: auto"], keyPath: "scheduler.enabled", message: "must be auto, true or false" },
      ]),
    );
    expect(formatConfigCheck(report)).toContain(`values.yaml:${lines["window_minutes:"]}: window_minutes: must divide 60`);
  });

  it("reports a YAML error with its line", () => {
    const { text, lines } = withLines({ "window_minutes:": "timezone: UTC" });
    expect(check(text).problems).toEqual([{ source: "file", file: "values.yaml", line: lines["window_minutes:"], message: expect.stringContaining("unique") }]);
  });

  it("reports a file that cannot be read", () => {
    const report = checkConfiguration({ file: "missing.yaml", content: { readError: "ENOENT" }, environment: {} });
    expect(report.problems).toEqual([{ source: "file", file: "missing.yaml", message: "cannot be read: ENOENT" }]);
    expect(report.values).toBeNull();
    expect(report.effective.scheduler).toBe("unknown: missing.yaml has problems");
  });

  it("names the variable of each environment problem, beside the file's problems", () => {
    const { text } = withLines({ "window_minutes:": "window_minutes: 7" });
    const report = check(text, { CRON_SECRET: "short", PORT: "http", OIDC_ISSUER: "https://login.example.com", OIDC_CLIENT_ID: "peaks" });
    expect(report.problems.filter((problem) => problem.source === "environment")).toEqual([
      { source: "environment", variable: "PORT", message: expect.any(String) },
      { source: "environment", variable: "CRON_SECRET", message: "must be at least 16 characters" },
      { source: "environment", variable: "OIDC_ISSUER", message: "OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together" },
    ]);
    expect(report.problems.some((problem) => problem.source === "file")).toBe(true);
    expect(report.effective.publicUrl).toBe("unknown: PORT is not valid");
  });

  it("names a variable required with another: ES_USERNAME without ES_PASSWORD", () => {
    expect(check(valuesText, { ES_URL: "https://es.example:9200", ES_USERNAME: "reader" }).problems).toEqual([
      { source: "environment", variable: "ES_USERNAME", message: "ES_USERNAME and ES_PASSWORD must be set together" },
    ]);
  });

  it("does not describe an invalid DATABASE_URL as the embedded database", () => {
    const report = check(valuesText, { DATABASE_URL: "mysql://peaks:hunter2@db/peaks" });
    expect(report.effective.database).toBe("unknown: DATABASE_URL is not valid");
    expect(everythingShown(report)).not.toContain("hunter2");
  });
});

describe("redaction", () => {
  it("holds every variable whose name looks secret in SECRET_VARIABLES", () => {
    const secretLooking = ENVIRONMENT_VARIABLES.filter((name) => SECRET_LOOKING_NAME.test(name));
    expect(secretLooking.length).toBeGreaterThan(0);
    for (const name of secretLooking) expect(SECRET_VARIABLES, `${name} looks secret`).toContain(name);
  });

  it("never shows the value of a secret-looking variable, in text or JSON", () => {
    // Valid for every kind of variable: a URL, at least 32 characters, unique per variable.
    const sentinelOf = (name: string) => `https://sentinel-${name.toLowerCase().replaceAll("_", "-")}-0123456789abcdef.example/`;
    const secretLooking = ENVIRONMENT_VARIABLES.filter((name) => SECRET_LOOKING_NAME.test(name));
    const environment: Record<string, string> = {
      ES_URL: "https://es.example:9200",
      ES_USERNAME: "reader",
      OIDC_ISSUER: "https://sso.example",
      OIDC_CLIENT_ID: "peaks",
    };
    for (const name of secretLooking) environment[name] = sentinelOf(name);
    const report = check(valuesText, environment);
    expect(report.problems).toEqual([]);
    const shown = everythingShown(report);
    for (const name of secretLooking) {
      expect(shown, `${name} is shown`).not.toContain(sentinelOf(name));
      expect(report.environment[name]).toBe(REDACTED);
    }
  });

  it.each(SECRET_VARIABLES)("shows %s as set or not set only", (name: EnvironmentVariable) => {
    const value = name === "TEAMS_WEBHOOK_URL" ? "https://prod.example/workflows/hook?sig=s3cr3t-signature" : "s3cr3t-".repeat(6);
    const environment: Record<string, string> = { [name]: value };
    if (name === "OIDC_CLIENT_SECRET") Object.assign(environment, { OIDC_ISSUER: "https://sso.example", OIDC_CLIENT_ID: "peaks" });
    if (name === "ES_PASSWORD") environment.ES_USERNAME = "reader";
    const report = check(valuesText, environment);
    expect(report.problems).toEqual([]);
    expect(report.environment[name]).toBe(REDACTED);
    expect(everythingShown(report)).not.toContain("s3cr3t");
    expect(check(valuesText).environment[name]).toBeNull();
    expect(formatConfigCheck(check(valuesText))).toMatch(new RegExp(`^ {2}${name} +${NOT_SET}$`, "m"));
  });

  it("shows DATABASE_URL's user, host, port and database but not its password", () => {
    const report = check(valuesText, { DATABASE_URL: "postgresql://peaks:hunter2@db.internal:5432/peaks_prod" });
    expect(report.environment.DATABASE_URL).toBe("postgresql://peaks:redacted@db.internal:5432/peaks_prod");
    expect(report.effective.database).toBe("PostgreSQL at postgresql://peaks:redacted@db.internal:5432/peaks_prod");
    expect(everythingShown(report)).not.toContain("hunter2");
  });

  it("hides a password given as a query parameter", () => {
    expect(redactUrl("postgres://db.internal/peaks?user=peaks&password=hunter2&sslmode=require")).toBe(
      "postgres://db.internal/peaks?user=peaks&password=redacted&sslmode=require",
    );
  });

  it("hides a password written into ES_URL, and in values.yaml's URLs", () => {
    const { text } = withLines({ "  dashboard_url:": "  dashboard_url: https://ops:hunter2@peaks.example" });
    const report = check(text, { ES_URL: "https://reader:hunter2@es.example:9200", ES_API_KEY: "k".repeat(20) });
    expect(report.problems).toEqual([]);
    expect(report.environment.ES_URL).toBe("https://reader:redacted@es.example:9200/");
    expect(everythingShown(report)).not.toContain("hunter2");
  });

  it("keeps a URL without credentials as written", () => {
    expect(check(valuesText, { NEXTAUTH_URL: "https://peaks.example" }).environment.NEXTAUTH_URL).toBe("https://peaks.example");
  });
});

describe("warnings", () => {
  const about = (report: ConfigCheckReport) => report.warnings.map((warning) => warning.about);

  it("warns about Elasticsearch without credentials, and the check stays valid", () => {
    const report = check(valuesText, { ES_URL: "https://es.example:9200" });
    expect(report.isValid).toBe(true);
    expect(report.warnings).toEqual([{ about: ["ES_URL"], message: expect.stringContaining("without credentials") }]);
  });

  it("warns about the embedded database in a production setup", () => {
    expect(about(check(valuesText, { NODE_ENV: "production" }))).toContainEqual(["DATABASE_URL", "NODE_ENV"]);
    expect(about(check(valuesText, { NODE_ENV: "production", DATABASE_URL: "postgresql://db/peaks" }))).toEqual([]);
  });

  it("warns about Teams enabled without a webhook, and a webhook with Teams off", () => {
    const { text } = withLines({ "    enabled: false": "    enabled: true" });
    expect(about(check(text))).toContainEqual(["notifications.teams.enabled", "TEAMS_WEBHOOK_URL"]);
    expect(check(text).effective.teams).toBe("off: notifications.teams.enabled is true but TEAMS_WEBHOOK_URL is not set");
    expect(about(check(valuesText, { TEAMS_WEBHOOK_URL: "https://hook.example/x" }))).toContainEqual(["notifications.teams.enabled", "TEAMS_WEBHOOK_URL"]);
  });

  it("warns when nothing runs the scheduled jobs", () => {
    const { text } = withLines({ "  enabled: auto": "  enabled: false" });
    expect(about(check(text))).toEqual([["scheduler.enabled", "CRON_SECRET"]]);
    expect(about(check(text, { CRON_SECRET: "c".repeat(16) }))).toEqual([]);
  });

  it("warns when messages link to another origin than the dashboard's public URL", () => {
    expect(about(check(valuesText, { NEXTAUTH_URL: "http://localhost:3000" }))).toEqual([]);
    expect(about(check(valuesText, { NEXTAUTH_URL: "http://localhost:8080" }))).toEqual([["notifications.dashboard_url", "NEXTAUTH_URL"]]);
  });
});

describe("the JSON document", () => {
  it("holds the values, the environment, what is in effect, the problems and the warnings", () => {
    const { text } = withLines({ "window_minutes:": "window_minutes: 7" });
    const document: unknown = JSON.parse(JSON.stringify(check(text, { ES_URL: "https://es.example:9200", CRON_SECRET: "c".repeat(16) })));
    expect(document).toMatchObject({
      file: "values.yaml",
      isValid: false,
      values: null,
      environment: { CRON_SECRET: REDACTED, ES_URL: "https://es.example:9200", DATABASE_URL: null },
      effective: { database: "embedded (PGlite) in .data" },
      problems: [{ source: "file", keyPath: "window_minutes" }],
      warnings: [{ about: ["ES_URL"] }],
    });
  });
});

describe("checkConfiguration and the daily digest", () => {
  const withRecipients = valuesText.replace("  email_to: []", "  email_to: [ops@example.com]");

  it("shows SMTP_URL without its password, in the variables, the digest's line and the JSON", () => {
    const report = check(withRecipients, { SMTP_URL: "smtp://digest:hunter2-secret@mail.internal:587" });
    expect(report.environment.SMTP_URL).toBe("smtp://digest:redacted@mail.internal:587");
    expect(report.effective.digest).toBe(
      "daily at 08:00, sent by e-mail to 1 address through smtp://digest:redacted@mail.internal:587; the page /reports/daily/<date> shows it either way",
    );
    expect(everythingShown(report)).not.toContain("hunter2");
    expect(report.warnings).toEqual([]);
  });

  it("refuses an SMTP_URL that is not smtp:// or smtps://, naming the variable", () => {
    const report = check(valuesText, { SMTP_URL: "http://mail.internal" });
    expect(report.problems).toContainEqual({ source: "environment", variable: "SMTP_URL", message: "must be a URL starting with smtp:// or smtps://" });
  });

  it("warns about recipients without SMTP_URL, and about SMTP_URL without recipients", () => {
    expect(check(withRecipients).warnings).toContainEqual({
      about: ["digest.email_to", "SMTP_URL"],
      message: "digest.email_to lists addresses but SMTP_URL is not set: the digest is not e-mailed",
    });
    expect(check(valuesText, { SMTP_URL: "smtp://mail.internal:25" }).warnings.map((warning) => warning.about)).toContainEqual(["digest.email_to", "SMTP_URL"]);
    expect(check(valuesText).effective.digest).toBe(
      "daily at 08:00, sent nowhere (no TEAMS_WEBHOOK_URL, and no SMTP_URL with digest.email_to); the page /reports/daily/<date> shows it either way",
    );
  });
});
