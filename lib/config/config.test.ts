import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig, parseConfig } from "@/lib/config";
import { ConfigurationError } from "@/lib/errors";
import {
  DEFAULT_DIGEST,
  DEFAULT_FIRST_SEEN_MIN_COUNT,
  DEFAULT_PROBLEMS,
  DEFAULT_SAME_DAY_MIN_RATIO,
  DEFAULT_TAIL_PROBABILITY,
  DEFAULT_VERSION_FIELD,
} from "@/lib/config/schema";

const valuesPath = path.join(import.meta.dirname, "..", "..", "values.yaml");
const valuesText = readFileSync(valuesPath, "utf8");
const valuesLines = valuesText.split("\n");

/** 1-based number of the one line of values.yaml that starts with `prefix`. */
function lineNumberOf(prefix: string): number {
  const matches = valuesLines.flatMap((line, index) => (line.startsWith(prefix) ? [index + 1] : []));
  if (matches.length !== 1) throw new Error(`Expected exactly one line starting with ${JSON.stringify(prefix)}, found ${matches.length}`);
  return matches[0] as number;
}

/** values.yaml with the line starting with `prefix` replaced by one other line (line numbers stay put). */
function replaceLine(prefix: string, replacement: string): { text: string; line: number } {
  if (replacement.includes("\n")) throw new Error("A replacement must be a single line");
  const line = lineNumberOf(prefix);
  const lines = [...valuesLines];
  lines[line - 1] = replacement;
  return { text: lines.join("\n"), line };
}

function configurationError(text: string, source = "values.yaml"): ConfigurationError {
  try {
    parseConfig(text, source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error("Expected parseConfig to fail");
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Matches one problem line "source:line: keyPath: reason" of the error message. */
function problemLine(source: string, line: number, keyPath: string, reason: RegExp | string): RegExp {
  const reasonPattern = typeof reason === "string" ? escapeRegExp(reason) : reason.source;
  return new RegExp(`^  ${escapeRegExp(source)}:${line}: ${escapeRegExp(keyPath)}: ${reasonPattern}$`, "m");
}

describe("parseConfig on a values.yaml without some sections", () => {
  it("names each missing section as missing, with what to do, rather than the type it lacks", () => {
    const error = configurationError("timezone: Europe/Prague\nwindow_minutes: 15\n", "partial.yaml");
    expect(error.message).toMatch(
      /^  partial\.yaml: peak_detection: is missing: this key has no default; copy it from the values\.yaml that comes with the project$/m,
    );
    expect(error.message).toMatch(/^  partial\.yaml: database: is missing: /m);
    expect(error.message).not.toContain("received undefined");
  });

  it("keeps the type a present key lacks", () => {
    const error = configurationError("timezone: Europe/Prague\npeak_detection: 3\n", "partial.yaml");
    expect(error.message).toMatch(/^  partial\.yaml:2: peak_detection: Invalid input: expected object, received number$/m);
    expect(error.message).toMatch(/^  partial\.yaml: source: is missing: /m);
  });
});

describe("parseConfig on the repository's values.yaml", () => {
  it("parses without errors", () => {
    expect(() => parseConfig(valuesText, "values.yaml")).not.toThrow();
  });

  it("has the seed's peak_detection values exactly, and the measured defaults of the keys it did not have", () => {
    const config = parseConfig(valuesText, "values.yaml");
    expect(config.peak_detection).toEqual({
      min_ratio_multiplier: 3.0,
      max_ratio_multiplier: 5.0,
      dynamic_min_multiplier: 2.5,
      min_absolute_value: 100,
      same_day_window_count: 3,
      same_day_min_ratio: DEFAULT_SAME_DAY_MIN_RATIO,
      tail_probability: DEFAULT_TAIL_PROBABILITY,
    });
  });

  it("gives a peak_detection section written for the system this replaces the defaults of the keys it did not have", () => {
    const seedOnly = valuesText.replace(/^  same_day_min_ratio:.*\n/m, "").replace(/^  tail_probability:.*\n/m, "");
    expect(seedOnly).not.toContain("tail_probability");
    expect(parseConfig(seedOnly, "values.yaml").peak_detection).toMatchObject({ same_day_min_ratio: 1.2, tail_probability: 1e-6 });
  });

  it("has timezone Europe/Prague", () => {
    expect(parseConfig(valuesText, "values.yaml").timezone).toBe("Europe/Prague");
  });

  it("has window_minutes 15", () => {
    expect(parseConfig(valuesText, "values.yaml").window_minutes).toBe(15);
  });

  it("keeps the classification rules in file order", () => {
    const rules = parseConfig(valuesText, "values.yaml").classification.rules;
    expect(rules[0]?.type).toBe("out_of_memory");
    expect(rules[0]?.patterns).toContain("OutOfMemory");
    expect(rules.map((rule) => rule.type)).toContain("http_4xx");
  });

  it("keeps null retention as null (keep forever)", () => {
    const config = parseConfig(valuesText, "values.yaml");
    expect(config.retention_days.audit_log).toBeNull();
    expect(config.retention_days.peak_raw_data).toBe(30);
  });
});

describe("parseConfig freezes the result deeply", () => {
  const config = parseConfig(valuesText, "values.yaml");

  it("freezes the root object", () => {
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("freezes nested objects", () => {
    expect(Object.isFrozen(config.peak_detection)).toBe(true);
    expect(Object.isFrozen(config.source.fields)).toBe(true);
    expect(Object.isFrozen(config.notifications.retry)).toBe(true);
  });

  it("freezes arrays and the objects inside them", () => {
    expect(Object.isFrozen(config.classification.rules)).toBe(true);
    expect(Object.isFrozen(config.classification.rules[0])).toBe(true);
    expect(Object.isFrozen(config.classification.rules[0]?.patterns)).toBe(true);
    expect(Object.isFrozen(config.source.error_levels)).toBe(true);
  });

  it("throws on assignment to a nested key (ES modules are strict) and keeps the value", () => {
    const peakDetection = config.peak_detection as { min_ratio_multiplier: number };
    expect(() => {
      peakDetection.min_ratio_multiplier = 9;
    }).toThrow(TypeError);
    expect(config.peak_detection.min_ratio_multiplier).toBe(3.0);
  });

  it("throws on pushing to a nested array", () => {
    const levels = config.source.error_levels as string[];
    expect(() => levels.push("WARN")).toThrow(TypeError);
    expect(config.source.error_levels).toEqual(["ERROR"]);
  });
});

describe("parseConfig reports invalid values with file, line, key path and reason", () => {
  it("rejects a wrong value type", () => {
    const { text, line } = replaceLine("  min_ratio_multiplier:", "  min_ratio_multiplier: high");
    const error = configurationError(text);
    expect(error.code).toBe("configuration");
    expect(error.message).toMatch(problemLine("values.yaml", line, "peak_detection.min_ratio_multiplier", /.*expected number.*/));
  });

  it("names the given source in the message", () => {
    const { text, line } = replaceLine("  min_ratio_multiplier:", "  min_ratio_multiplier: high");
    const error = configurationError(text, "config/prod-values.yaml");
    expect(error.message).toMatch(problemLine("config/prod-values.yaml", line, "peak_detection.min_ratio_multiplier", /.*expected number.*/));
  });

  it("lists the problems in details", () => {
    const { text, line } = replaceLine("window_minutes:", "window_minutes: 7");
    const error = configurationError(text);
    expect(error.details).toEqual([`values.yaml:${line}: window_minutes: must divide 60 (e.g. 5, 10, 15, 30, 60)`]);
  });

  it("rejects an unknown (misspelt) nested key, naming it on its own line", () => {
    const { text, line } = replaceLine("  max_ratio_multiplier:", "  max_ratio_multiplyer: 5.0");
    const error = configurationError(text);
    expect(error.message).toMatch(problemLine("values.yaml", line, "peak_detection", /.*"max_ratio_multiplyer".*/));
  });

  it("rejects an unknown (misspelt) top-level key, naming it on its own line", () => {
    const { text, line } = replaceLine("timezone:", "timezon: Europe/Prague");
    const error = configurationError(text);
    expect(error.message).toMatch(problemLine("values.yaml", line, "(root)", /.*"timezon".*/));
  });

  it("rejects min_ratio_multiplier above max_ratio_multiplier on peak_detection.max_ratio_multiplier", () => {
    const { text } = replaceLine("  min_ratio_multiplier:", "  min_ratio_multiplier: 6.0");
    const error = configurationError(text);
    expect(error.message).toMatch(
      problemLine("values.yaml", lineNumberOf("  max_ratio_multiplier:"), "peak_detection.max_ratio_multiplier", "must be at least min_ratio_multiplier"),
    );
  });

  it("accepts min_ratio_multiplier equal to max_ratio_multiplier", () => {
    const { text } = replaceLine("  min_ratio_multiplier:", "  min_ratio_multiplier: 5.0");
    expect(parseConfig(text, "values.yaml").peak_detection.min_ratio_multiplier).toBe(5);
  });

  it("rejects an invalid timezone", () => {
    const { text, line } = replaceLine("timezone:", "timezone: Mars/Olympus_Mons");
    const error = configurationError(text);
    expect(error.message).toMatch(problemLine("values.yaml", line, "timezone", "is not an IANA timezone (e.g. Europe/Prague)"));
  });

  it("rejects window_minutes 7 (does not divide 60)", () => {
    const { text, line } = replaceLine("window_minutes:", "window_minutes: 7");
    const error = configurationError(text);
    expect(error.message).toMatch(problemLine("values.yaml", line, "window_minutes", "must divide 60 (e.g. 5, 10, 15, 30, 60)"));
  });

  it("accepts window_minutes 30", () => {
    const { text } = replaceLine("window_minutes:", "window_minutes: 30");
    expect(parseConfig(text, "values.yaml").window_minutes).toBe(30);
  });

  it("rejects an invalid regular expression in the first pattern of the first rule", () => {
    const { text, line } = replaceLine('      patterns: ["OutOfMemory"', '      patterns: ["(unclosed", "out of memory"]');
    const error = configurationError(text);
    expect(error.message).toMatch(problemLine("values.yaml", line, "classification.rules[0].patterns[0]", "is not a valid regular expression"));
  });

  it("names the index of a later invalid pattern", () => {
    const { text, line } = replaceLine('      patterns: ["OutOfMemory"', '      patterns: ["OutOfMemory", "[unclosed"]');
    const error = configurationError(text);
    expect(error.message).toMatch(problemLine("values.yaml", line, "classification.rules[0].patterns[1]", "is not a valid regular expression"));
  });
});

describe("parseConfig reports YAML problems", () => {
  it("reports a syntax error (bad indentation) with file and line", () => {
    const { text, line } = replaceLine("  max_ratio_multiplier:", "   max_ratio_multiplier: 5.0");
    const error = configurationError(text);
    expect(error.message).toMatch(new RegExp(`^  values\\.yaml:${line}: \\S`, "m"));
  });

  it("reports an unclosed quote with file and line", () => {
    const { text, line } = replaceLine("  max_ratio_multiplier:", '  max_ratio_multiplier: "5.0');
    const error = configurationError(text);
    expect(error.message).toMatch(new RegExp(`^  values\\.yaml:${line}: .*quote`, "m"));
  });

  it("reports a duplicated key on the line of the duplicate", () => {
    const { text, line } = replaceLine("  max_ratio_multiplier:", "  min_ratio_multiplier: 3.0");
    const error = configurationError(text);
    expect(error.message).toMatch(new RegExp(`^  values\\.yaml:${line}: .*unique`, "m"));
  });

  it("rejects a document that is a list", () => {
    const error = configurationError("- a\n- b\n");
    expect(error.message).toBe("Invalid configuration:\n  values.yaml: (root): must be a mapping of keys to values");
  });

  it("rejects a document that is a scalar", () => {
    expect(configurationError("just text\n").message).toContain("values.yaml: (root): must be a mapping");
  });

  it("rejects an empty document", () => {
    expect(configurationError("").message).toContain("values.yaml: (root): must be a mapping");
  });
});

describe("loadConfig", () => {
  const directory = mkdtempSync(path.join(os.tmpdir(), "peaks-config-test-"));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it("loads the repository's values.yaml like parseConfig", () => {
    expect(loadConfig(valuesPath)).toEqual(parseConfig(valuesText, "values.yaml"));
  });

  it("fails on a missing file with a ConfigurationError naming the file", () => {
    const missing = path.join(directory, "missing-values.yaml");
    expect(() => loadConfig(missing)).toThrow(ConfigurationError);
    expect(() => loadConfig(missing)).toThrow(`Cannot read the configuration ${missing}: ENOENT`);
  });

  it("names the file and line of an invalid value in a file", () => {
    const file = path.join(directory, "bad-values.yaml");
    const { text, line } = replaceLine("window_minutes:", "window_minutes: 7");
    writeFileSync(file, text);
    expect(() => loadConfig(file)).toThrow(new RegExp(`bad-values\\.yaml:${line}: window_minutes: must divide 60`));
  });
});

describe("links.logs_url_template", () => {
  const kibana =
    "https://kibana.example.com/app/discover#/?_g=(time:(from:'{from}',to:'{to}'))&_a=(query:(language:kuery,query:'ns:{namespace}%20and%20trace:{trace_id}'))";
  /** values.yaml with the commented-out links section switched on, holding `template` (YAML-quoted). */
  function withTemplate(template: string): { text: string; line: number } {
    const lines = [...valuesLines];
    const keyLine = lineNumberOf("#   logs_url_template:");
    lines[lineNumberOf("# links:") - 1] = "links:";
    lines[keyLine - 1] = `  logs_url_template: ${JSON.stringify(template)}`;
    return { text: lines.join("\n"), line: keyLine };
  }

  it("is absent from the repository's values.yaml (documented there commented out): no links", () => {
    expect(parseConfig(valuesText, "values.yaml").links).toEqual({});
  });

  it("accepts a values.yaml written before it existed, without a links section", () => {
    const before = valuesText.replace(/\n# Deep links from a peak's page[\s\S]*$/, "\n");
    expect(before).not.toContain("links");
    expect(parseConfig(before, "values.yaml").links.logs_url_template).toBeUndefined();
  });

  it("accepts the documented Kibana example, and http:// and https:// templates with any of the four placeholders", () => {
    const example = /^# {3}logs_url_template: "(.*)"$/m.exec(valuesText)?.[1];
    expect(example).toBeDefined();
    for (const template of [
      example!,
      kibana,
      "http://logs.internal:5601/search?q={namespace}",
      "https://logs.example.com/",
      "https://logs.example.com/s/{namespace}/{trace_id}",
    ]) {
      expect(parseConfig(withTemplate(template).text, "values.yaml").links.logs_url_template).toBe(template);
    }
  });

  it.each([
    ["javascript:alert({namespace})", "must be an http:// or https:// URL, not javascript:"],
    ["javascript://kibana.example.com/%0Aalert({namespace})", "must be an http:// or https:// URL, not javascript:"],
    ["ftp://logs.example.com/{namespace}", "must be an http:// or https:// URL, not ftp:"],
    ["data:text/html,{namespace}", "must be an http:// or https:// URL, not data:"],
    ["/app/discover?q={namespace}", "must be an absolute http:// or https:// URL"],
    ["kibana.example.com/app/discover?q={namespace}", "must be an absolute http:// or https:// URL"],
    ["{namespace}://kibana.example.com/", "must be an absolute http:// or https:// URL"],
    ["https://{namespace}.example.com/", "must spell out the scheme and host before the first placeholder: placeholders go in the path, query or fragment"],
    ["https://kibana.example.com/?q={namespace} and {trace_id}", "must not contain spaces or control characters (write a space as %20)"],
    ["https://kibana.example.com/?q=(a:{namespace}", null],
  ])("refuses a bad scheme or shape: %s", (template, reason) => {
    const { text, line } = withTemplate(template);
    if (reason === null) {
      expect(() => parseConfig(text, "values.yaml")).not.toThrow();
      return;
    }
    expect(configurationError(text).details).toEqual([`values.yaml:${line}: links.logs_url_template: ${reason}`]);
  });

  it("refuses an unknown placeholder, naming the key and the placeholder", () => {
    const { text, line } = withTemplate("https://kibana.example.com/app/discover#/?q={namespace}&app={foo}");
    expect(configurationError(text).details).toEqual([
      `values.yaml:${line}: links.logs_url_template: unknown placeholder {foo} (allowed: {namespace}, {from}, {to}, {trace_id})`,
    ]);
    expect(configurationError(withTemplate("https://kibana.example.com/?q={Namespace}").text).message).toContain("unknown placeholder {Namespace}");
    expect(configurationError(withTemplate("https://kibana.example.com/?q={}").text).message).toContain("unknown placeholder {}");
  });

  it("refuses a brace that is not part of a placeholder", () => {
    for (const template of [
      "https://kibana.example.com/?q={namespace",
      "https://kibana.example.com/?q=namespace}",
      "https://kibana.example.com/?q={{namespace}}",
    ]) {
      expect(configurationError(withTemplate(template).text).message).toContain("links.logs_url_template: has a { or } that is not part of a placeholder");
    }
  });

  it("refuses an unknown key beside it and a template that is not a string", () => {
    const unknownKey = withTemplate(kibana).text.replace("links:\n", "links:\n  logs_url: x\n");
    expect(configurationError(unknownKey).message).toMatch(/links: .*"logs_url"/);
    expect(configurationError(withTemplate(kibana).text.replace(/^ {2}logs_url_template: .*$/m, "  logs_url_template: 42")).message).toMatch(
      /links\.logs_url_template: .*expected string/,
    );
  });
});

describe("scheduler", () => {
  it("keeps vercel.json's schedules by default, so the built-in scheduler and an outside cron agree", () => {
    const vercel = JSON.parse(readFileSync(path.join(import.meta.dirname, "..", "..", "vercel.json"), "utf8")) as {
      crons: { path: string; schedule: string }[];
    };
    const byPath = Object.fromEntries(vercel.crons.map((cron) => [cron.path, cron.schedule]));
    const { scheduler } = parseConfig(valuesText, "values.yaml");
    expect(scheduler).toEqual({
      enabled: "auto",
      pipeline: byPath["/api/cron/pipeline"],
      enrichment: byPath["/api/cron/enrich"],
      maintenance: byPath["/api/cron/maintenance"],
      digest: byPath["/api/cron/digest"],
    });
    const withoutSection = valuesText.replace(/^scheduler:\n(?: {2}.*\n)+/m, "");
    expect(withoutSection).not.toMatch(/^scheduler:/m);
    expect(parseConfig(withoutSection, "values.yaml").scheduler).toEqual(scheduler);
  });

  it("accepts true and false", () => {
    expect(parseConfig(replaceLine("  enabled: auto", "  enabled: false").text, "values.yaml").scheduler.enabled).toBe(false);
    expect(parseConfig(replaceLine("  enabled: auto", "  enabled: true").text, "values.yaml").scheduler.enabled).toBe(true);
  });

  it("refuses another value of enabled, naming the choices", () => {
    const { text, line } = replaceLine("  enabled: auto", "  enabled: sometimes");
    expect(configurationError(text).message).toMatch(problemLine("values.yaml", line, "scheduler.enabled", "must be auto, true or false"));
  });

  it("refuses a schedule that is not a five-field cron expression, saying why", () => {
    const { text, line } = replaceLine("  pipeline: ", '  pipeline: "2,17,32,61 * * * *"');
    expect(configurationError(text).message).toMatch(
      problemLine("values.yaml", line, "scheduler.pipeline", "is not a cron expression: minute: 61 is outside 0-59"),
    );
  });
});

describe("first-seen patterns", () => {
  it("reads patterns.first_seen_min_count and notifications.teams.first_seen, off by default", () => {
    const config = parseConfig(valuesText, "values.yaml");
    expect(config.patterns.first_seen_min_count).toBe(DEFAULT_FIRST_SEEN_MIN_COUNT);
    expect(config.notifications.teams.first_seen).toBe(false);
    const on = replaceLine("    first_seen:", "    first_seen: true").text;
    expect(parseConfig(on, "values.yaml").notifications.teams.first_seen).toBe(true);
    expect(parseConfig(replaceLine("  first_seen_min_count:", "  first_seen_min_count: 1").text, "values.yaml").patterns.first_seen_min_count).toBe(1);
  });

  it("loads a values.yaml written before either setting existed, with their defaults", () => {
    const older = valuesText.replace(/^patterns:\n(?: {2}.*\n)+/m, "").replace(/^ {4}first_seen:.*\n/m, "");
    expect(older).not.toMatch(/^patterns:|^\s*first_seen(_min_count)?:/m);
    const config = parseConfig(older, "values.yaml");
    expect(config.patterns).toEqual({ first_seen_min_count: DEFAULT_FIRST_SEEN_MIN_COUNT });
    expect(config.notifications.teams.first_seen).toBe(false);
  });

  it("refuses a minimum under 1, or not a whole number, and a first_seen that is not a boolean", () => {
    const zero = replaceLine("  first_seen_min_count:", "  first_seen_min_count: 0");
    expect(configurationError(zero.text).message).toMatch(problemLine("values.yaml", zero.line, "patterns.first_seen_min_count", "must be at least 1"));
    const fraction = replaceLine("  first_seen_min_count:", "  first_seen_min_count: 2.5");
    expect(configurationError(fraction.text).message).toMatch(
      problemLine("values.yaml", fraction.line, "patterns.first_seen_min_count", "must be a whole number"),
    );
    const word = replaceLine("    first_seen:", "    first_seen: sometimes");
    expect(configurationError(word.text).message).toMatch(problemLine("values.yaml", word.line, "notifications.teams.first_seen", "must be true or false"));
  });
});

describe("problems", () => {
  it("reads the systemic namespaces and the trend's tolerance, the project's values.yaml holding the defaults", () => {
    expect(parseConfig(valuesText, "values.yaml").problems).toEqual(DEFAULT_PROBLEMS);
    expect(parseConfig(replaceLine("  systemic_namespaces:", "  systemic_namespaces: 2").text, "values.yaml").problems.systemic_namespaces).toBe(2);
    expect(parseConfig(replaceLine("  trend_factor:", "  trend_factor: 2").text, "values.yaml").problems.trend_factor).toBe(2);
    expect(parseConfig(replaceLine("  trend_min_errors:", "  trend_min_errors: 0").text, "values.yaml").problems.trend_min_errors).toBe(0);
  });

  it("loads a values.yaml written before the section existed, with the defaults", () => {
    const older = valuesText.replace(/^problems:\n(?: {2}.*\n)+/m, "");
    expect(older).not.toMatch(/^problems:|systemic_namespaces|trend_factor|trend_min_errors/m);
    expect(parseConfig(older, "values.yaml").problems).toEqual(DEFAULT_PROBLEMS);
  });

  it("refuses a systemic threshold under 2 namespaces, a factor of 1 or less, and a fractional minimum", () => {
    const one = replaceLine("  systemic_namespaces:", "  systemic_namespaces: 1");
    expect(configurationError(one.text).message).toMatch(problemLine("values.yaml", one.line, "problems.systemic_namespaces", "must be at least 2"));
    const flat = replaceLine("  trend_factor:", "  trend_factor: 1");
    expect(configurationError(flat.text).message).toMatch(problemLine("values.yaml", flat.line, "problems.trend_factor", "must be more than 1"));
    const fraction = replaceLine("  trend_min_errors:", "  trend_min_errors: 2.5");
    expect(configurationError(fraction.text).message).toMatch(problemLine("values.yaml", fraction.line, "problems.trend_min_errors", "must be a whole number"));
  });
});

describe("source.fields.version", () => {
  it("reads the version from service.version by default, and from another field when named", () => {
    expect(parseConfig(valuesText, "values.yaml").source.fields.version).toBe(DEFAULT_VERSION_FIELD);
    const labels = replaceLine("    version: service.version", "    version: kubernetes.labels.version").text;
    expect(parseConfig(labels, "values.yaml").source.fields.version).toBe("kubernetes.labels.version");
  });

  it("loads a values.yaml written before it existed, with service.version", () => {
    const older = valuesText.replace(/^ {4}version: .*\n/m, "");
    expect(older).not.toMatch(/^ {4}version:/m);
    expect(parseConfig(older, "values.yaml").source.fields.version).toBe("service.version");
  });

  it("refuses an empty field name", () => {
    const empty = replaceLine("    version: service.version", '    version: ""');
    expect(configurationError(empty.text).message).toMatch(problemLine("values.yaml", empty.line, "source.fields.version", /Too small: .*/));
  });
});

describe("parseConfig's digest section", () => {
  it("gives a values.yaml without a digest section the defaults", () => {
    const withoutDigest = valuesText.replace(/^digest:\n(?: {2}.*\n|\s*#.*\n)*/m, "");
    expect(withoutDigest).not.toMatch(/^digest:/m);
    expect(parseConfig(withoutDigest, "values.yaml").digest).toEqual({ ...DEFAULT_DIGEST, email_to: [] });
  });

  it("has the defaults in the repository's values.yaml", () => {
    expect(parseConfig(valuesText, "values.yaml").digest).toEqual({ ...DEFAULT_DIGEST, email_to: [] });
  });

  it.each([
    ['  local_time: "8:00"', "digest.local_time", "must be a time written HH:MM (00:00 to 23:59), such as 08:00"],
    ['  local_time: "24:00"', "digest.local_time", "must be a time written HH:MM (00:00 to 23:59), such as 08:00"],
    ["  local_time: 800", "digest.local_time", "must be a time written HH:MM, such as 08:00"],
    ['  local_time: "08:05"', "digest.local_time", "must fall on a window boundary: its minutes a multiple of window_minutes (15)"],
    ["  top: 0", "digest.top", "must be at least 1"],
    ["  top: 2.5", "digest.top", "must be a whole number"],
    ["  top: 101", "digest.top", "must be at most 100"],
    ["  email_to: [ops@example.com, not-an-address]", "digest.email_to[1]", "must be an e-mail address (name@example.com)"],
    ["  email_to: ops@example.com", "digest.email_to", "must be a list of e-mail addresses"],
    ["  email_from: Peaks <nobody>", "digest.email_from", "must be an e-mail address, optionally with a name: Peak Investigation <peaks@example.com>"],
  ])("refuses %s naming %s", (replacement, keyPath, reason) => {
    const prefix = replacement.slice(0, replacement.indexOf(":") + 1);
    const { text, line } = replaceLine(prefix, replacement);
    expect(configurationError(text).details).toEqual([`values.yaml:${line}: ${keyPath}: ${reason}`]);
  });

  it("refuses a digest.teams that is not a boolean", () => {
    const text = valuesText.replace("  teams: true\n", "  teams: yes please\n");
    const line = valuesLines.indexOf("  teams: true") + 1;
    expect(configurationError(text).details).toEqual([`values.yaml:${line}: digest.teams: must be true or false`]);
  });

  it("takes a local time on the grid of 30-minute windows, addresses and a named sender", () => {
    let text = replaceLine("window_minutes:", "window_minutes: 30").text;
    text = text.replace('  local_time: "08:00"', '  local_time: "06:30"').replace("  email_to: []", "  email_to: [ops@example.com, lead@example.org]");
    const digest = parseConfig(text, "values.yaml").digest;
    expect(digest).toMatchObject({
      local_time: "06:30",
      email_to: ["ops@example.com", "lead@example.org"],
      email_from: "Peak Investigation <peaks@localhost>",
    });
  });
});
