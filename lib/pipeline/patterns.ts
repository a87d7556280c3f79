/**
 * Error patterns: one logical error is one pattern. Messages are cut to their headline,
 * tokenised on whitespace with the variable tokens (ids, numbers, addresses, times, quoted
 * values …) masked as `<*>`, and clustered online in the spirit of Drain: a tree keyed by token
 * count and first token leads to a few candidate templates, and a message joins the most similar
 * one when the tokens that differ look variable. A plain word that differs (refused / reset)
 * starts a template of its own; only when one position has shown several different words across
 * otherwise identical templates is it taken as a variable (user names, table names …) and
 * those templates merge. Each pattern keeps the id it was born with (a hash of its first
 * template), however its template is refined later.
 */
import { stableHash } from "./hash";

export const WILDCARD = "<*>";

export type PatternMinerOptions = {
  /** Share of a template's non-wildcard tokens a message must match to join it (Drain's st). */
  similarityThreshold: number;
  /** Different plain words one position must show before it counts as a variable. */
  distinctWordsForVariable: number;
  /** Example messages kept per pattern. */
  maxExamples: number;
  /**
   * Classic Drain: every differing token of a similar enough template becomes a wildcard at
   * once, words and codes included. Off by default: measured on the labelled fixtures, keeping
   * words and codes apart until proven variable groups better (docs/benchmarks.md).
   */
  joinAnyDifference: boolean;
};

export const defaultPatternMinerOptions: PatternMinerOptions = {
  similarityThreshold: 0.5,
  distinctWordsForVariable: 3,
  maxExamples: 3,
  joinAnyDifference: false,
};

const MAX_HEADLINE_LENGTH = 2000;
const MAX_QUOTED_LENGTH = 200;
const PYTHON_TRACEBACK = "Traceback (most recent call last):";

/** The line that says what went wrong: the first (stack frames follow), or the last of a Python traceback. */
export function headlineOf(message: string): string {
  const newline = message.indexOf("\n");
  let headline = message;
  if (newline !== -1) {
    const first = message.slice(0, newline);
    if (first.trim() === PYTHON_TRACEBACK) {
      const lines = message.split("\n").filter((line) => line.trim() !== "");
      headline = lines.at(-1) ?? first;
    } else {
      headline = first;
    }
  }
  return headline.length > MAX_HEADLINE_LENGTH ? headline.slice(0, MAX_HEADLINE_LENGTH) : headline;
}

const CODE_0 = 48;
const CODE_9 = 57;
const isDigit = (code: number) => code >= CODE_0 && code <= CODE_9;
const isLetter = (code: number) => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
const isHexLetter = (code: number) => (code >= 65 && code <= 70) || (code >= 97 && code <= 102);

// Punctuation that wraps a token without belonging to it: "(id", "123)," "[a1b2]", "value;".
const isLeadingPunctuation = (code: number) => code === 40 || code === 91 || code === 123 || code === 60; // ( [ { <
const isTrailingPunctuation = (code: number) => code === 41 || code === 93 || code === 125 || code === 44 || code === 59 || code === 46 || code === 58 || code === 62; // ) ] } , ; . : >

/** Words after which a three-digit number is an HTTP status, part of the error's identity. */
const STATUS_WORDS = new Set(["status", "code", "statuscode", "http", "status:", "code:", "statuscode:", "status=", "code=", "returned", "responded", "answered", "success:"]);

/** HTTP methods are request details, not part of an error's identity. */
const HTTP_METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);

/** Error codes whose number names the error (ORA-00001, ERR_…, SQLSTATE 23505, errno). */
const ERROR_CODE = /^(?:ORA|PLS|TNS|SQL|ERR|AADSTS|E|HTTP)-?\d{2,6}:?$/;

function isStatusCode(token: string, start: number): boolean {
  const first = token.charCodeAt(start);
  return first >= 49 && first <= 53; // 1xx … 5xx
}

/**
 * Whether a token that contains a digit is an identifier rather than a value: a word with a
 * short numeric part (OAuth2, S3Exception, log4j, utf8, Http2), not an id (x2k4j, user123, a1b2c3).
 */
function isIdentifierWithDigits(token: string, start: number, end: number, digits: number): boolean {
  const length = end - start;
  if (length < 4 || !isLetter(token.charCodeAt(start))) return false;
  if (digits * 4 > length) return false;
  for (let index = start; index < end; index += 1) {
    const code = token.charCodeAt(index);
    if (!isLetter(code) && !isDigit(code) && code !== 95) return false;
  }
  // Digits in one run only (Http2Exception), not interleaved (k8s8x).
  let runs = 0;
  for (let index = start; index < end; index += 1) {
    if (isDigit(token.charCodeAt(index)) && !isDigit(token.charCodeAt(index - 1))) runs += 1;
  }
  return runs === 1;
}

/**
 * Whether a token (without its wrapping punctuation) is a variable value: contains a digit (and
 * is not an identifier or a status code), or is a long hex string, an address, a URL, an e-mail.
 */
function isVariableToken(token: string, start: number, end: number, previous: string | undefined): boolean {
  let digits = 0;
  let hexLetters = 0;
  let hasAt = false;
  let hasSlash = false;
  let hasEquals = -1;
  for (let index = start; index < end; index += 1) {
    const code = token.charCodeAt(index);
    if (isDigit(code)) digits += 1;
    else if (isHexLetter(code)) hexLetters += 1;
    else if (code === 64) hasAt = true;
    else if (code === 47) hasSlash = true;
    else if (code === 61 && hasEquals === -1) hasEquals = index;
  }
  const length = end - start;
  const isUrl = token.indexOf("://", start) !== -1;
  if (isUrl) return true;
  if (hasEquals > start && hasEquals < end - 1 && isName(token, start, hasEquals)) {
    // key=value: the key stays, the value decides.
    return isVariableToken(token, hasEquals + 1, end, undefined);
  }
  // Paths (/api/orders/17/items) and user@host pairs are request details.
  if (token.charCodeAt(start) === 47 && token.indexOf("/", start + 1) !== -1) return true;
  if (hasAt && digits === 0 && isName(token, start, token.indexOf("@", start)) && isName(token, token.indexOf("@", start) + 1, end)) return true;
  if (digits === 0) {
    if (length >= 3 && length <= 7 && HTTP_METHODS.has(token.slice(start, end))) return true;
    if (hasAt && token.indexOf(".", token.indexOf("@")) !== -1) return true; // e-mail
    return length >= 12 && hexLetters === length; // e.g. deadbeefcafe… ids without digits
  }
  if (digits === length && length === 3 && previous !== undefined && isStatusCode(token, start)) {
    // A status after a status word, or after the quoted request of an access log line.
    if (STATUS_WORDS.has(previous.toLowerCase()) || previous === `"${WILDCARD}"`) return false;
  }
  if (ERROR_CODE.test(token.slice(start, end))) return false;
  if (!hasSlash && !hasAt && isIdentifierWithDigits(token, start, end, digits)) return false;
  return true;
}

/**
 * The mask of a variable token: the key of key=value and the class of an object id stay
 * (timeout=<*>, com.acme.Order@<*>); anything else becomes the wildcard.
 */
function maskedValue(token: string, start: number, end: number): string {
  if (token.indexOf("://", start) !== -1) return WILDCARD;
  const equals = token.indexOf("=", start);
  if (equals > start && equals < end - 1 && isName(token, start, equals)) return `${token.slice(start, equals + 1)}${WILDCARD}`;
  // A name before an id stays: com.acme.Order@1a2b, [com.acme.StockItem#8812], ClientConnectionId:5f…
  for (let index = start; index < end - 1; index += 1) {
    const code = token.charCodeAt(index);
    if (code === 64 || code === 35 || code === 58) {
      // After @ only an object id (with a digit) keeps the class; user@host is a value as a whole.
      const isObjectId = code !== 64 || /\d/.test(token.slice(index + 1, end));
      if (index > start + 1 && isObjectId && token.indexOf(".", index) === -1) return `${token.slice(start, index + 1)}${WILDCARD}`;
      break;
    }
    if (!isLetter(code) && code !== 46 && code !== 95 && code !== 36) break;
  }
  return WILDCARD;
}

/** A name such as orders_pkey, customer_id or exit-code: letters (at least one lower-case) with _ - . and no digit. */
function isIdentifier(text: string, start: number, end: number): boolean {
  if (end - start > 64) return false;
  let lowerCase = false;
  for (let index = start; index < end; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= 97 && code <= 122) lowerCase = true;
    else if (!isLetter(code) && code !== 95 && code !== 45 && code !== 46) return false;
  }
  return lowerCase;
}

/** A key or user name: letters, digits, _ - . only, and not empty. */
function isName(text: string, start: number, end: number): boolean {
  if (end <= start) return false;
  for (let index = start; index < end; index += 1) {
    const code = text.charCodeAt(index);
    if (!isLetter(code) && !isDigit(code) && code !== 95 && code !== 45 && code !== 46) return false;
  }
  return true;
}

/** Replaces quoted values ('…', "…", `…`) with the wildcard so that spaces inside them do not change the token count. */
function maskQuoted(text: string): string {
  if (text.indexOf("'") === -1 && text.indexOf('"') === -1 && text.indexOf("`") === -1) return text;
  const parts: string[] = [];
  let copied = 0;
  let index = 0;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (code !== 39 && code !== 34 && code !== 96) {
      index += 1;
      continue;
    }
    // An apostrophe inside a word (don't, user's) is not a quote.
    const before = index > 0 ? text.charCodeAt(index - 1) : 32;
    if (code === 39 && (isLetter(before) || isDigit(before))) {
      index += 1;
      continue;
    }
    const close = text.indexOf(text[index]!, index + 1);
    if (close !== -1 && close > index + 1 && close - index - 1 <= MAX_QUOTED_LENGTH) {
      // A quoted name (a constraint, a column, a result) is part of the error; other values are masked.
      if (!isIdentifier(text, index + 1, close)) {
        parts.push(text.slice(copied, index + 1), WILDCARD);
        copied = close;
      }
      index = close + 1;
      continue;
    }
    index += 1;
  }
  parts.push(text.slice(copied));
  return parts.join("");
}

/**
 * The tokens of a message's headline with variables masked. Consecutive wildcards collapse into
 * one, so that a list of ids of any length is one token.
 */
export function tokenize(message: string): string[] {
  const text = maskQuoted(headlineOf(message));
  const tokens: string[] = [];
  let previousIsWildcard = false;
  let previousLead = "";
  let start = 0;
  const length = text.length;
  while (start < length) {
    while (start < length && text.charCodeAt(start) <= 32) start += 1;
    if (start >= length) break;
    let end = start;
    while (end < length && text.charCodeAt(end) > 32) end += 1;
    const raw = text.slice(start, end);
    start = end;
    let from = 0;
    let to = raw.length;
    while (from < to && isLeadingPunctuation(raw.charCodeAt(from))) from += 1;
    while (to > from && isTrailingPunctuation(raw.charCodeAt(to - 1))) to -= 1;
    let token = raw;
    let isWildcard = raw.slice(from, to) === WILDCARD;
    if (from < to && !isWildcard && raw.indexOf(WILDCARD) === -1) {
      const previous = tokens.length > 0 ? tokens[tokens.length - 1] : undefined;
      if (isVariableToken(raw, from, to, previous)) {
        const masked = maskedValue(raw, from, to);
        isWildcard = masked === WILDCARD;
        token = `${raw.slice(0, from)}${masked}${raw.slice(to)}`;
      }
    }
    // A run of values (a list of ids, a multi-word value) is one token, whatever its length.
    if (isWildcard && previousIsWildcard) {
      tokens[tokens.length - 1] = `${previousLead}${WILDCARD}${raw.slice(to)}`;
      continue;
    }
    previousIsWildcard = isWildcard;
    previousLead = raw.slice(0, from);
    tokens.push(token);
  }
  // Optional trailing details (", referrer: \"…\"") do not make another pattern.
  let trimmed = false;
  while (tokens.length > 2 && tokens[tokens.length - 2]!.endsWith(":") && hasOnlyWildcard(tokens[tokens.length - 1]!)) {
    tokens.length -= 2;
    trimmed = true;
  }
  if (trimmed) tokens[tokens.length - 1] = tokens[tokens.length - 1]!.replace(/[,;]$/, "");
  return tokens.length > 0 ? tokens : ["<empty>"];
}

/** A token that is a masked value, with or without quotes and punctuation around it. */
function hasOnlyWildcard(token: string): boolean {
  const at = token.indexOf(WILDCARD);
  if (at === -1) return false;
  for (let index = 0; index < token.length; index += 1) {
    if (index >= at && index < at + WILDCARD.length) continue;
    const code = token.charCodeAt(index);
    if (isLetter(code) || isDigit(code)) return false;
  }
  return true;
}

type Cluster = {
  /** Index in the miner's cluster list; merged clusters point at their survivor through `mergedInto`. */
  index: number;
  id: string;
  tokens: string[];
  count: number;
  examples: string[];
  mergedInto: number | null;
  leafKey: string;
};

/** Templates that differ from each other at one position only, in plain words, and the words seen there. */
type SiblingGroup = { words: Set<string>; clusters: Set<number> };

export type MinedPattern = {
  id: string;
  template: string;
  count: number;
  examples: string[];
};

/** A stored pattern to continue from: its id stays, its template is the starting point. */
export type KnownPattern = { id: string; template: string };

export type PatternMiner = {
  /** Adds a message; returns its cluster's handle (resolve it with `patternOf` at the end, as clusters may merge). */
  add: (message: string) => number;
  /** The pattern a handle belongs to now. */
  patternOf: (handle: number) => MinedPattern;
  /** Every pattern, most frequent first. */
  patterns: () => MinedPattern[];
  /** Number of live patterns. */
  size: () => number;
};

/**
 * How a position where a message differs from a template may be resolved: a masked value joins
 * (the position becomes a wildcard); a kept token with a digit (a status, an error code) names
 * the error and never joins; a word joins once it has proven to be a variable.
 */
function differenceKind(left: string, right: string): "value" | "identity" | "word" {
  const leftMasked = left.includes(WILDCARD);
  const rightMasked = right.includes(WILDCARD);
  if (leftMasked && rightMasked) return skeleton(left) === skeleton(right) ? "value" : "word";
  if (leftMasked || rightMasked) return "value";
  const isCode = (token: string) => /^\W*(?:\d+|[A-Z]{1,6}-?\d{2,6})\W*$/.test(token);
  return isCode(left) || isCode(right) ? "identity" : "word";
}

/** The letters and digits of a token around its wildcard: StockItem#<*> and Order#<*> differ, "<*>" and <*> do not. */
function skeleton(token: string): string {
  return token.replace(/[^A-Za-z0-9<*>]/g, "");
}

/** The leaf of the tree: token count and first token (or the wildcard branch). */
function leafKeyOf(tokens: readonly string[]): string {
  return `${tokens.length} ${tokens[0]}`;
}

/**
 * An online pattern miner. Memory grows with the number of patterns (templates, counts and a
 * few examples each), never with the number of messages.
 */
export function createPatternMiner(options: Partial<PatternMinerOptions> = {}, known: readonly KnownPattern[] = []): PatternMiner {
  const settings = { ...defaultPatternMinerOptions, ...options };
  const clusters: Cluster[] = [];
  const leaves = new Map<string, number[]>();
  const siblings = new Map<string, SiblingGroup>();
  const usedIds = new Set<string>();

  const live = (index: number): Cluster => {
    let cluster = clusters[index]!;
    while (cluster.mergedInto !== null) cluster = clusters[cluster.mergedInto]!;
    return cluster;
  };

  const newCluster = (tokens: string[], id?: string): Cluster => {
    let clusterId = id ?? stableHash(tokens.join(" "));
    // Two templates with one first form (possible after merges and refinements) keep distinct ids.
    for (let salt = 1; usedIds.has(clusterId); salt += 1) clusterId = stableHash(`${tokens.join(" ")}#${salt}`);
    usedIds.add(clusterId);
    const leafKey = leafKeyOf(tokens);
    const cluster: Cluster = { index: clusters.length, id: clusterId, tokens, count: 0, examples: [], mergedInto: null, leafKey };
    clusters.push(cluster);
    const leaf = leaves.get(leafKey);
    if (leaf) leaf.push(cluster.index);
    else leaves.set(leafKey, [cluster.index]);
    return cluster;
  };

  for (const pattern of known) newCluster(pattern.template.split(" "), pattern.id);

  /** Share of a template's constant tokens a message matches (a template wildcard matches anything); 1 for an exact fit. */
  const similarity = (template: readonly string[], tokens: readonly string[]): number => {
    let same = 0;
    let constants = 0;
    for (let index = 0; index < tokens.length; index += 1) {
      const expected = template[index]!;
      if (expected === WILDCARD) continue;
      constants += 1;
      if (expected === tokens[index]) same += 1;
    }
    return constants === 0 ? 1 : same / constants;
  };

  const differingPositions = (template: readonly string[], tokens: readonly string[]): number[] => {
    const differing: number[] = [];
    for (let index = 0; index < tokens.length; index += 1) if (template[index] !== WILDCARD && template[index] !== tokens[index]) differing.push(index);
    return differing;
  };

  const record = (cluster: Cluster, message: string) => {
    cluster.count += 1;
    if (cluster.examples.length < settings.maxExamples) {
      const headline = headlineOf(message);
      if (!cluster.examples.includes(headline)) cluster.examples.push(headline);
    }
  };

  const merge = (group: SiblingGroup, position: number) => {
    const members = [...group.clusters].map(live).filter((cluster, index, all) => all.findIndex((other) => other.index === cluster.index) === index);
    members.sort((left, right) => left.index - right.index);
    const survivor = members[0]!;
    survivor.tokens = survivor.tokens.map((token, index) => (index === position ? WILDCARD : token));
    for (const other of members.slice(1)) {
      other.mergedInto = survivor.index;
      survivor.count += other.count;
      for (const example of other.examples) if (survivor.examples.length < settings.maxExamples && !survivor.examples.includes(example)) survivor.examples.push(example);
      const leaf = leaves.get(other.leafKey);
      if (leaf) leaf.splice(leaf.indexOf(other.index), 1);
    }
    group.clusters = new Set([survivor.index]);
  };

  const add = (message: string): number => {
    const tokens = tokenize(message);
    const leaf = leaves.get(leafKeyOf(tokens)) ?? [];
    let best: Cluster | null = null;
    let bestScore = -1;
    for (const index of leaf) {
      const cluster = clusters[index]!;
      const score = similarity(cluster.tokens, tokens);
      if (score > bestScore) {
        best = cluster;
        bestScore = score;
        if (score === 1) break;
      }
    }
    if (best && bestScore === 1) {
      record(best, message);
      return best.index;
    }
    if (best && bestScore >= settings.similarityThreshold) {
      const bestDiffering = differingPositions(best.tokens, tokens);
      // Differing words are kept apart (refused / reset) until they prove to be variables.
      const kinds = bestDiffering.map((index) => (settings.joinAnyDifference ? "value" : differenceKind(best.tokens[index]!, tokens[index]!)));
      const words = bestDiffering.filter((_, position) => kinds[position] === "word");
      if (kinds.includes("identity")) {
        const created = newCluster(tokens);
        record(created, message);
        return created.index;
      }
      if (words.length === 0) {
        best.tokens = best.tokens.map((token, index) => (bestDiffering.includes(index) ? WILDCARD : token));
        record(best, message);
        return best.index;
      }
      if (words.length === 1 && bestDiffering.length === 1) {
        const position = words[0]!;
        const key = `${position}|${best.tokens.map((token, index) => (index === position ? WILDCARD : token)).join(" ")}`;
        let group = siblings.get(key);
        if (!group) {
          group = { words: new Set([best.tokens[position]!]), clusters: new Set([best.index]) };
          siblings.set(key, group);
        }
        group.words.add(tokens[position]!);
        if (group.words.size >= settings.distinctWordsForVariable) {
          merge(group, position);
          const survivor = live(best.index);
          record(survivor, message);
          return survivor.index;
        }
        const created = newCluster(tokens);
        group.clusters.add(created.index);
        record(created, message);
        return created.index;
      }
    }
    const created = newCluster(tokens);
    record(created, message);
    return created.index;
  };

  const describe = (cluster: Cluster): MinedPattern => ({ id: cluster.id, template: cluster.tokens.join(" "), count: cluster.count, examples: [...cluster.examples] });

  return {
    add,
    patternOf: (handle) => describe(live(handle)),
    patterns: () =>
      clusters
        .filter((cluster) => cluster.mergedInto === null && cluster.count > 0)
        .sort((left, right) => right.count - left.count || left.index - right.index)
        .map(describe),
    size: () => clusters.filter((cluster) => cluster.mergedInto === null).length,
  };
}
