/**
 * Regular expressions written by users (the `regexes` of known issues and known peaks, and the
 * live preview), compiled and run on RE2 (the `re2js` port) instead of JavaScript's backtracking
 * engine: RE2 matches in time linear in the subject, so no pattern can freeze the server's only
 * thread (ReDoS). Validation and matching both go through here, so that what the API accepts is
 * exactly what later runs.
 *
 * Syntax is RE2's (https://github.com/google/re2/wiki/Syntax), case-insensitive as the "i" flag
 * made it before. What RE2 cannot run in linear time (backreferences, lookaround, possessive
 * quantifiers, atomic groups) is refused with a message naming the construct.
 */
import { RE2JS, RE2JSSyntaxException } from "re2js";

export const MAX_USER_REGEX_LENGTH = 500;

/**
 * Bound on the compiled program (RE2's "program size", about one instruction per literal
 * character). Matching is linear in the subject but also proportional to the program: a
 * `(.|.){1,1000}` compiles to 4,000 instructions and took close to a second over one 10,000
 * character subject. Under 1,000 the worst case measured (`a[ab]{990}c` over random "ab" text,
 * which defeats the DFA) was 0.25 to 0.45 s per 10,000 characters, while a 500-character literal
 * alternation (500 instructions) still fits.
 */
export const MAX_USER_REGEX_PROGRAM_SIZE = 1_000;

/**
 * Only the first this many characters of a subject are matched. Subjects are root-cause
 * headlines and templates, far shorter in practice; the bound keeps the cost of one test fixed
 * whatever a log line holds. A pattern anchored with `$` therefore sees the end of that prefix,
 * not of a longer subject.
 */
export const USER_REGEX_SUBJECT_LIMIT = 10_000;

/**
 * Compiled patterns kept, least recently used dropped first. Enrichment tests every known issue
 * and known peak on every peak, so their patterns stay compiled; each compiled pattern may hold
 * a lazily built DFA of up to a few megabytes, hence a modest bound rather than one per keystroke
 * of the live preview forever.
 */
const CACHE_SIZE = 128;

export type UserRegex = {
  readonly source: string;
  /** Whether the pattern matches anywhere in the first USER_REGEX_SUBJECT_LIMIT characters of `subject`. */
  test(subject: string): boolean;
};

/** A compiled pattern, or why it is refused (a sentence naming the pattern). */
export type UserRegexCompilation = { ok: true; regex: UserRegex } | { ok: false; problem: string };

const cache = new Map<string, UserRegexCompilation>();

/** Compiles `source` case-insensitively for RE2, from the cache when it was compiled before. */
export function compileUserRegex(source: string): UserRegexCompilation {
  const cached = cache.get(source);
  if (cached) {
    // Re-inserted so that Map order is least recently used first.
    cache.delete(source);
    cache.set(source, cached);
    return cached;
  }
  const compilation = compile(source);
  cache.set(source, compilation);
  if (cache.size > CACHE_SIZE) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  return compilation;
}

/** Why `source` is refused, or null when it compiles. */
export function userRegexProblem(source: string): string | null {
  const compilation = compileUserRegex(source);
  return compilation.ok ? null : compilation.problem;
}

/** The first `USER_REGEX_SUBJECT_LIMIT` characters, without splitting a surrogate pair. */
export function boundSubject(subject: string): string {
  if (subject.length <= USER_REGEX_SUBJECT_LIMIT) return subject;
  const lastKept = subject.charCodeAt(USER_REGEX_SUBJECT_LIMIT - 1);
  const endsInHighSurrogate = lastKept >= 0xd800 && lastKept <= 0xdbff;
  return subject.slice(0, endsInHighSurrogate ? USER_REGEX_SUBJECT_LIMIT - 1 : USER_REGEX_SUBJECT_LIMIT);
}

function compile(source: string): UserRegexCompilation {
  if (source.length > MAX_USER_REGEX_LENGTH) {
    return { ok: false, problem: `${quote(abbreviate(source))} is too long: ${source.length} characters, at most ${MAX_USER_REGEX_LENGTH}` };
  }
  let pattern: RE2JS;
  try {
    pattern = RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
  } catch (error) {
    return { ok: false, problem: describeCompileError(source, error) };
  }
  const programSize = pattern.programSize();
  if (programSize > MAX_USER_REGEX_PROGRAM_SIZE) {
    return {
      ok: false,
      problem: unsupported(
        source,
        `it compiles to ${programSize} instructions, more than the ${MAX_USER_REGEX_PROGRAM_SIZE} allowed; use smaller repetition counts`,
      ),
    };
  }
  return { ok: true, regex: { source, test: (subject) => pattern.test(boundSubject(subject)) } };
}

const quote = (source: string) => JSON.stringify(source);
const abbreviate = (source: string) => `${source.slice(0, 40)}…`;
const unsupported = (source: string, reason: string) => `${quote(source)} is not supported: ${reason}`;

// RE2's error descriptions (re2js's Parser keeps them as constants but does not export them).
const INVALID_ESCAPE = "invalid escape sequence";
const INVALID_PERL_OP = "invalid or unsupported Perl syntax";
const INVALID_NAMED_CAPTURE = "invalid named capture";
const INVALID_REPEAT_OP = "invalid nested repetition operator";
const INVALID_REPEAT_SIZE = "invalid repeat count";
const TOO_LARGE = "expression too large";
const NESTS_TOO_DEEPLY = "expression nests too deeply";

const LINEAR_TIME_REFUSALS = {
  backreference: "backreferences cannot run in linear time",
  lookahead: "lookahead cannot run in linear time",
  lookbehind: "lookbehind is not supported by the linear-time engine",
  possessive: "possessive quantifiers are not supported by the linear-time engine",
  atomic: "atomic groups are not supported by the linear-time engine",
} as const;

/**
 * RE2 reports what it stopped at (`fragment`, e.g. "\1" or "(?="); constructs that are valid in
 * JavaScript but cannot run in linear time get a reason of their own, other errors RE2's words.
 */
function describeCompileError(source: string, error: unknown): string {
  if (!(error instanceof RE2JSSyntaxException)) {
    return `${quote(source)} is not a valid regular expression: ${error instanceof Error ? error.message : String(error)}`;
  }
  const description = error.getDescription();
  const fragment = error.getPattern() ?? "";
  switch (description) {
    case INVALID_ESCAPE:
      if (/^\\[1-9]/.test(fragment) || fragment === "\\k") return unsupported(source, LINEAR_TIME_REFUSALS.backreference);
      if (fragment === "\\u") return unsupported(source, "\\u escapes are not supported; write the code point as \\x{…}, e.g. \\x{e9} for é");
      if (fragment === "\\c") return unsupported(source, "\\c control escapes are not supported; write the code point as \\x{…}, e.g. \\x{01}");
      break;
    case INVALID_PERL_OP:
      if (fragment === "(?=" || fragment === "(?!") return unsupported(source, LINEAR_TIME_REFUSALS.lookahead);
      if (fragment === "(?>") return unsupported(source, LINEAR_TIME_REFUSALS.atomic);
      if (fragment === "(?P" && source.includes("(?P=")) return unsupported(source, LINEAR_TIME_REFUSALS.backreference);
      break;
    case INVALID_NAMED_CAPTURE:
      if (fragment.startsWith("(?<=") || fragment.startsWith("(?<!")) return unsupported(source, LINEAR_TIME_REFUSALS.lookbehind);
      break;
    case INVALID_REPEAT_OP:
      // "a++", "a*+", "a{2}+": a quantifier followed by "+" is possessive in PCRE and Java.
      if (fragment.length >= 2 && fragment.endsWith("+")) return unsupported(source, LINEAR_TIME_REFUSALS.possessive);
      break;
    case INVALID_REPEAT_SIZE:
      return unsupported(source, `repetition count ${fragment} is too large: at most 1000, nested counts multiplied`);
    case TOO_LARGE:
      return unsupported(source, "it is too large for the linear-time engine; use smaller repetition counts");
    case NESTS_TOO_DEEPLY:
      return unsupported(source, "it nests too deeply");
  }
  // Case-insensitivity is compiled in as a "(?i)" prefix, which RE2 may quote back.
  const shown = fragment.replace(/^\(\?i\)/, "");
  const where = shown === "" || shown === source ? "" : `: \`${shown}\``;
  return `${quote(source)} is not a valid regular expression: ${description}${where}`;
}
