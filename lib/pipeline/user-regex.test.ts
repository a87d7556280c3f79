import { describe, expect, it } from "vitest";
import {
  boundSubject,
  compileUserRegex,
  MAX_USER_REGEX_LENGTH,
  MAX_USER_REGEX_PROGRAM_SIZE,
  USER_REGEX_SUBJECT_LIMIT,
  userRegexProblem,
  type UserRegex,
} from "./user-regex";

function compiled(source: string): UserRegex {
  const compilation = compileUserRegex(source);
  if (!compilation.ok) throw new Error(`expected ${source} to compile: ${compilation.problem}`);
  return compilation.regex;
}

const matches = (source: string, subject: string) => compiled(source).test(subject);

describe("matching", () => {
  it('is case-insensitive, like the former "i" flag', () => {
    expect(matches("deadlock.*ledger", "DEADLOCK detected on table Ledger")).toBe(true);
    expect(matches("TIMEOUT", "request timed out: timeout after 30s")).toBe(true);
    expect(matches("[a-c]x", "BX")).toBe(true);
    expect(matches("timeout", "timed out")).toBe(false);
  });

  it("finds a match anywhere unless anchored", () => {
    expect(matches("refused", "connection refused to db")).toBe(true);
    expect(matches("^refused", "connection refused to db")).toBe(false);
    expect(matches("^connection", "connection refused to db")).toBe(true);
    expect(matches("db$", "connection refused to db")).toBe(true);
    expect(matches("refused$", "connection refused to db")).toBe(false);
    expect(matches("^Connection refused to db <\\*>$", "Connection refused to db <*>")).toBe(true);
  });

  it("anchors at the ends of the whole subject, not of its lines", () => {
    expect(matches("^second", "first\nsecond")).toBe(false);
    expect(matches("first$", "first\nsecond")).toBe(false);
    expect(matches("(?m)^second", "first\nsecond")).toBe(true);
  });

  it("knows character classes, Perl classes, repetition and alternation", () => {
    expect(matches("order \\d{2,3}\\b", "failed for order 117.")).toBe(true);
    expect(matches("order \\d{2,3}\\b", "failed for order 1175")).toBe(false);
    expect(matches("\\s\\w+=\\S+", "key value=42")).toBe(true);
    expect(matches("[^a-z ]", "only letters and spaces")).toBe(false);
    expect(matches("[[:digit:]]+ ms", "took 250 ms")).toBe(true);
    expect(matches("(?:ECONNRESET|broken pipe)", "write EPIPE: Broken pipe")).toBe(true);
    expect(matches("a.c", "a\nc")).toBe(false);
    expect(matches("(?<host>[\\w.]+):(?P<port>\\d+)", "dial db.internal:5432")).toBe(true);
  });

  it("matches Unicode by code point, folding case beyond ASCII", () => {
    expect(matches("café", "CAFÉ CLOSED")).toBe(true);
    expect(matches("ΣΦΑΛΜΑ", "σφαλμα σύνδεσης")).toBe(true);
    expect(matches("^.$", "😀")).toBe(true);
    expect(matches("\\x{1F600}", "mood: 😀")).toBe(true);
    expect(matches("\\p{Greek}+", "error: σφάλμα")).toBe(true);
    expect(matches("\\p{Han}", "plain ascii")).toBe(false);
  });

  it("matches only the first USER_REGEX_SUBJECT_LIMIT characters of a subject", () => {
    const filler = "x".repeat(USER_REGEX_SUBJECT_LIMIT - 6);
    expect(matches("needle", `${filler}needle`)).toBe(true);
    expect(matches("needle", `${filler}needl e needle`)).toBe(false);
    expect(matches("needle$", `${filler}needle and more`)).toBe(true);
  });

  it("cuts a long subject before, not inside, a surrogate pair", () => {
    const subject = `${"x".repeat(USER_REGEX_SUBJECT_LIMIT - 1)}😀 tail`;
    expect(boundSubject(subject)).toBe("x".repeat(USER_REGEX_SUBJECT_LIMIT - 1));
    expect(boundSubject("short")).toBe("short");
    expect(boundSubject("y".repeat(USER_REGEX_SUBJECT_LIMIT + 5))).toHaveLength(USER_REGEX_SUBJECT_LIMIT);
  });

  it("compiles a pattern once and hands out the same compiled regex after", () => {
    expect(compileUserRegex("cached (once)")).toBe(compileUserRegex("cached (once)"));
  });
});

describe("patterns that could freeze a backtracking engine", () => {
  // Each took seconds to forever on JavaScript's RegExp over such subjects; vitest's timeout is the guard.
  const adversarial = [
    { source: "^(.|.){1,20}\\x01", subject: "a".repeat(5_000) },
    { source: "(a+)+$", subject: `${"a".repeat(5_000)}!` },
    { source: "(a|aa)*c", subject: "a".repeat(5_000) },
    { source: "^(\\w+\\s?)*$", subject: `${"word ".repeat(1_000)}!` },
    { source: "^(a|a?)+$", subject: `${"a".repeat(5_000)}b` },
  ];

  it.each(adversarial)("$source over a long subject finishes with no match", ({ source, subject }) => {
    expect(compiled(source).test(subject)).toBe(false);
  });

  it("still finds the match when there is one", () => {
    expect(matches("(a+)+$", "a".repeat(5_000))).toBe(true);
    expect(matches("(a|aa)*c", `${"a".repeat(5_000)}c`)).toBe(true);
    expect(matches("^(.|.){1,20}\\x01", `${"a".repeat(20)}\x01`)).toBe(true);
  });

  it("runs an adversarial subject far longer than the bound in bounded time", () => {
    expect(matches("(a|aa)*c", "a".repeat(1_000_000))).toBe(false);
  });
});

describe("refusals", () => {
  const cases = [
    { source: "(a)\\1", problem: '"(a)\\\\1" is not supported: backreferences cannot run in linear time' },
    { source: "(?<word>\\w+) \\k<word>", problem: '"(?<word>\\\\w+) \\\\k<word>" is not supported: backreferences cannot run in linear time' },
    { source: "(?P<word>\\w+) (?P=word)", problem: '"(?P<word>\\\\w+) (?P=word)" is not supported: backreferences cannot run in linear time' },
    { source: "timeout(?= after)", problem: '"timeout(?= after)" is not supported: lookahead cannot run in linear time' },
    { source: "timeout(?!s)", problem: '"timeout(?!s)" is not supported: lookahead cannot run in linear time' },
    { source: "(?<=db )refused", problem: '"(?<=db )refused" is not supported: lookbehind is not supported by the linear-time engine' },
    { source: "(?<!db )refused", problem: '"(?<!db )refused" is not supported: lookbehind is not supported by the linear-time engine' },
    { source: "a++b", problem: '"a++b" is not supported: possessive quantifiers are not supported by the linear-time engine' },
    { source: "x{2}+", problem: '"x{2}+" is not supported: possessive quantifiers are not supported by the linear-time engine' },
    { source: "(?>ab|a)c", problem: '"(?>ab|a)c" is not supported: atomic groups are not supported by the linear-time engine' },
    { source: "caf\\u00e9", problem: '"caf\\\\u00e9" is not supported: \\u escapes are not supported; write the code point as \\x{…}, e.g. \\x{e9} for é' },
    { source: "a{1001}", problem: '"a{1001}" is not supported: repetition count {1001} is too large: at most 1000, nested counts multiplied' },
    {
      source: "(?:a{1,100}){1,100}",
      problem: '"(?:a{1,100}){1,100}" is not supported: repetition count {1,100} is too large: at most 1000, nested counts multiplied',
    },
    { source: "(unclosed", problem: '"(unclosed" is not a valid regular expression: missing closing )' },
    { source: "[z-a]", problem: '"[z-a]" is not a valid regular expression: invalid character class range: `z-a`' },
    { source: "end\\Z", problem: '"end\\\\Z" is not a valid regular expression: invalid escape sequence: `\\Z`' },
  ];

  it.each(cases)("refuses $source, naming it and why", ({ source, problem }) => {
    expect(userRegexProblem(source)).toBe(problem);
    expect(compileUserRegex(source)).toEqual({ ok: false, problem });
  });

  it("refuses a pattern whose program is too large, naming its size", () => {
    expect(userRegexProblem("(.|.){1,1000}\\x01")).toMatch(
      new RegExp(
        `^"\\(\\.\\|\\.\\)\\{1,1000\\}\\\\\\\\x01" is not supported: it compiles to \\d+ instructions, more than the ${MAX_USER_REGEX_PROGRAM_SIZE} allowed; use smaller repetition counts$`,
      ),
    );
    expect(userRegexProblem("((((((((((a)))))))))){1,1000}")).toMatch(/ is not supported: it compiles to \d+ instructions, more than the 1000 allowed/);
    expect(userRegexProblem("(.|.){1,200}\\x01")).toBeNull();
  });

  it("refuses a pattern over MAX_USER_REGEX_LENGTH characters, quoting its start only", () => {
    const source = "x".repeat(MAX_USER_REGEX_LENGTH + 1);
    expect(userRegexProblem(source)).toBe(`"${"x".repeat(40)}…" is too long: ${MAX_USER_REGEX_LENGTH + 1} characters, at most ${MAX_USER_REGEX_LENGTH}`);
    expect(userRegexProblem("x".repeat(MAX_USER_REGEX_LENGTH))).toBeNull();
  });

  it("accepts what people write to match log lines", () => {
    for (const source of [
      "deadlock.*ledger",
      "connection refused .* orders-db",
      "^Error: .{0,200} at line \\d+",
      "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
      "\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}",
      "(?i)already insensitive",
      "never seen in the sample \\d+",
      "\\/api\\/v1\\/orders",
      "a{2,}",
    ]) {
      expect(userRegexProblem(source), source).toBeNull();
    }
  });
});
