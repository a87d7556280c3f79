/**
 * Synthetic application error logs with ground truth: the data set of `peaks generate`, used for
 * demos, tests and to measure detection accuracy. Pure and deterministic: the same options (seed,
 * first day, number of days, timezone, window length…) give byte-identical documents and labels.
 * Every local day is generated on its own from a seed derived from (seed, date), window by
 * window, so a day can be produced without the days before it and the whole set is never held
 * in memory.
 *
 * What the data contains, and why:
 *
 * - Namespaces. Six by default, each with three apps listed from the edge (called by users or
 *   other namespaces) to the deepest dependency. Base rates are weekly means of ERROR documents
 *   per 15-minute window (scaled to other window lengths and by `rate`):
 *     payments 40 (Poisson), orders 60 (gamma–Poisson, shape 4: very noisy), checkout 25
 *     (Poisson), identity 8 (Poisson), search 35 (gamma–Poisson, shape 6), notifications 4
 *     (Poisson).
 *   More namespaces get names from a list (inventory, shipping, …, then service-N), generic
 *   templates, a log-uniform base rate of 3–60, and every third one is gamma–Poisson.
 *   The mean of a window is base × seasonality, computed from the window's local keys
 *   (createWindowGrid, so DST days have 92 or 100 quarter hours): a daily curve that is low at
 *   night (15–35 % of the daytime level), rises in the morning and falls in the evening at hours
 *   that differ per namespace, times a weekly factor (Friday slightly quieter, weekends at
 *   40–90 %). The curve is normalised to a weekly mean of 1, so the default set holds about
 *   172 × 2,688 ≈ 460,000 ordinary errors in 28 days.
 * - Noise. Counts are Poisson around the mean, or gamma–Poisson (negative binomial, variance
 *   μ + μ²/shape) in the overdispersed namespaces. Rare natural exceedances there are realistic
 *   and are not labelled.
 * - Messages. Each app has recurring error templates of its stack (Java exceptions with stack
 *   frames, Node, Python tracebacks, Go, PostgreSQL, Kafka, Redis, nginx, Elasticsearch, SMTP,
 *   HTTP 5xx, timeouts, connection refused, null pointers…); the `{placeholders}` are filled
 *   with ids, UUIDs, IPs, ports, durations, amounts, quoted values, so one logical error has
 *   many distinct strings. A placeholder used twice in a template gets the same value twice.
 *   `templatePattern` turns a template (a label's root_cause) into a regular expression.
 * - Traces. 88 % of ordinary errors carry a 32-hex trace id. The root error (the earliest
 *   document of its trace) is in some app; its callers in the same namespace log propagation
 *   errors ("503 calling ledger", "upstream prematurely closed"…) 1–350 ms later, and when the
 *   chain reaches the namespace's edge, the edge app of a calling namespace (checkout →
 *   payments, …) may log one too. Cross-namespace documents are taken out of the calling
 *   namespace's own count for the window, so every namespace's count follows its own model
 *   exactly. A trace never crosses a window boundary. Some untraced errors lack the app label.
 * - Incidents (labelled; should be flagged). Only after the 21 learning days (with fewer than
 *   28 days: in the last third). Each namespace gets 1 + Poisson(detection days / 10), at least
 *   12 hours apart. Each has a root-cause template of its own (used nowhere else) in one app,
 *   1–8 windows, some with a ramp-up of 1–2 windows and some with a decaying last window.
 *   Magnitude (the multiple of the namespace's usual mean at the full-height windows) is drawn
 *   log-uniformly from 4–50 (6–50 in the noisy namespaces) and raised where needed so that each
 *   full-height window expects at least 1.5 × max(min_absolute_value, dynamic_min_multiplier ×
 *   the mean of the day before): every incident is meant to be detectable. Times where that
 *   would need more than 50× are avoided when possible. Incident errors are traced (97 %), with
 *   propagation errors in the callers inside the namespace only. Label intervals [start, end)
 *   cover every window with injected errors, ramp included.
 * - Scheduled spikes (labelled; should NOT be flagged): a nightly settlement batch in the first
 *   namespace every day 01:30–02:00 local (4 × the base rate on top of the usual count, several
 *   times the night rate), and a catalogue import in the fifth namespace (or the last one) every
 *   weekday 06:00–06:15 local (3.5 × the base rate). Both from the first day on, so the baselines
 *   learn them. On a DST day without that local time there is none; where it occurs twice, only
 *   the first counts.
 * - Below-minimum spikes (labelled; should NOT be flagged): 1–2-window bursts of a client's
 *   retry storm, in namespaces whose peak rate is low enough (by default identity and
 *   notifications), at a daytime where the usual count × 4 still fits: 4–10 × the usual count,
 *   capped at 0.55 × min_absolute_value expected errors. About one per four days per such
 *   namespace, over the whole range, away from incidents and scheduled spikes.
 * - Test cases (option `cases`, `peaks generate --cases`; at least 42 days). Without the option
 *   none of this exists and the output is exactly what it was before. With it, deterministically
 *   from the seed, and each labelled with its `kind` (labels.json):
 *     · three more namespaces: `batch-jobs` (gamma–Poisson, shape 1.5, base 30) and `retries`
 *       (shape 2.5, base 50, plus unlabelled natural bursts: a lognormal factor, median 1.8, over
 *       1–3 windows, about one a day), whose natural exceedances are normal noise, each with 1–2
 *       incidents of 8–30× (kind `noisy`, like every incident of a gamma–Poisson namespace); and
 *       `onboarding` (Poisson, base 20), born on a day of the detection period: no document at
 *       all before, an incident of 8–20× on its third day (`newborn`);
 *     · 4–6 `moderate` incidents of 3.5–6× in the Poisson namespaces, only where the expected
 *       count at full height is ≥ 1.1 × min_absolute_value and ≥ 1.2 × dynamic_min × the 24-hour
 *       average;
 *     · an ordinary incident in the 4th week, repeated with the same shape, magnitude and local
 *       slot one and two weeks later (`repeat`);
 *     · a permanent level shift: from a window T at least 8 days before the end, + (3–6) × the
 *       base rate for good, with a root cause of its own (the release's new error). Labelled
 *       `level_shift` from T to T + 4 h (then it is the accepted new normal, `accepted_from` = T);
 *       no other incident of that namespace ends after T − 24 h or starts after T;
 *     · a `ramp`: extra errors growing linearly over 3–4 hours to 8–12 × the usual level;
 *     · an incident across local midnight (`midnight`, 2–4 windows on each side);
 *     · an incident covering the DST change, local 01:30–03:30 on that day (`dst`), when a DST
 *       day falls in the detection period;
 *     · a weekly batch (scheduled, not to be flagged) in `batch-jobs` every Sunday 03:00–03:30
 *       local from the first day, 4–6 × the base rate on top of the usual count.
 *   A case incident has no other incident of its namespace in the 24 hours before it (none
 *   raises the 24-hour average it is compared with) nor in the 12 hours after it (the repeats are
 *   a week apart anyway), and keeps 2 windows from scheduled spikes; ordinary incidents are
 *   planned after the cases and keep those distances from them. A case that finds no place (few or quiet namespaces, low
 *   `rate`) is left out. Every incident gets `reaches_thresholds`: whether its expected count at
 *   one of its full-height windows (the highest by design) reaches max(min_absolute_value,
 *   min_ratio × usual, dynamic_min × the expected 24-hour average before it, every event
 *   included).
 * - Outbreak (option `outbreak`, at least 2 namespaces): one root cause, a shared dependency
 *   failing (a template used nowhere else, in the deepest app of each), in two ordinary
 *   namespaces at the same 2–4 full-height windows of the detection period, each part sized as an
 *   ordinary incident (magnitude raised so that every window expects 1.5 × the thresholds) and
 *   labelled as one (`outbreak-1-<namespace>`), 12 hours from the namespace's other incidents and
 *   2 windows from scheduled spikes; labels.json `outbreaks`. Planned after every other incident
 *   and drawn from its own random sources: the other incidents and documents are the same with
 *   and without it.
 * - Releases (option `releases`): versions released a quarter and 65 % into the detection
 *   period; an error the second version of the first namespace brings, and one of the second
 *   namespace that its second version stops and its third brings back, each logged at 12 % of
 *   the usual rate while its versions run and bursting into an incident (`<error id>-incident`,
 *   sized and kept apart as the outbreak's) within 2 hours of the release that brings it (back),
 *   the regressing one also once in its first version (`<error id>-first-incident`);
 *   labels.json `releases` and `release_errors`. Planned after the outbreak, from their own random
 *   sources: the other incidents are the same with and without them.
 * - Other levels. About 9 % of the documents are WARN or INFO (retries, slow queries, circuit
 *   breakers, "Recovered from error…"): ingestion must count only ERROR, even when an INFO
 *   message mentions an error.
 * - Document forms. ~5 % of the lines are Elasticsearch hits
 *   `{"_index":"logs-YYYY.MM.DD","_id":…,"_source":{…}}` (index date in UTC), and ~5 % of the
 *   timestamps are local wall-clock time without an offset ("2026-01-15 11:00:03.123"), except
 *   within two hours of a DST change where local time can be ambiguous. The others are ISO UTC
 *   with milliseconds. Fields follow the default mapping of values.yaml (@timestamp, level,
 *   message, kubernetes.namespace, kubernetes.labels.app, trace.id) plus kubernetes.pod.name;
 *   a document without a trace has no `trace` field.
 */
import type { IncidentKind, Labels, NamespaceKind } from "./labels";
import { createRandom, seedOf, type Random } from "./random";
import { createWindowGrid, type SlotKeys, type WindowGrid } from "@/lib/pipeline/time";

export const DEFAULT_NAMESPACE_COUNT = 6;
/** Days at the start reserved for learning baselines: no incident falls in them (with 28 days or more). */
export const LEARNING_DAYS = 21;
const FULL_DATA_SET_DAYS = 28;
const REFERENCE_WINDOW_MINUTES = 15;
const HOUR_MS = 3_600_000;
/** Room left at the end of a window for the rest of a trace, so that a trace never crosses windows. */
const TRACE_ROOM_MS = 2_000;
const MAX_HOP_MS = 350;

export type GenerateOptions = {
  seed: number;
  /** First local day, YYYY-MM-DD. */
  from: string;
  days: number;
  timeZone: string;
  windowMinutes: number;
  /** Number of namespaces (default 6). */
  namespaces?: number;
  /** Multiplier of every namespace's error rate (default 1). */
  rate?: number;
  /** peak_detection.min_absolute_value: incidents are sized above it, below-minimum spikes under it (default 100). */
  minAbsoluteValue?: number;
  /** peak_detection.dynamic_min_multiplier: incidents are sized above this × the 24-hour average (default 2.5). */
  dynamicMinMultiplier?: number;
  /** peak_detection.min_ratio_multiplier: only for the labels' reaches_thresholds (default 3). */
  minRatioMultiplier?: number;
  /** Adds the detection test cases (see above); needs at least CASES_MIN_DAYS days (default false). */
  cases?: boolean;
  /**
   * Adds application versions and releases (default false): every ordinary namespace but the
   * last logs service.version, three versions each, released at planned times; one error comes
   * with the second version of the first namespace, and one error of the second namespace stops
   * in its second version and comes back in its third. Without it the output is unchanged.
   */
  releases?: boolean;
  /**
   * Adds an outbreak (default false; at least 2 namespaces): one root cause, a shared dependency
   * failing, in two ordinary namespaces at the same 2–4 windows of the detection period. Without
   * it the output is unchanged.
   */
  outbreak?: boolean;
};

/** Fewest days `cases` accepts: the repeats fall one and two weeks after an incident in the 4th week. */
export const CASES_MIN_DAYS = 42;

export type DocumentLevel = "ERROR" | "WARN" | "INFO";
/** Why a document exists: ordinary errors, one of the labelled events, or a WARN/INFO line. */
export type DocumentOrigin = "baseline" | "incident" | "scheduled" | "below_minimum" | "release" | "log";

export type GeneratedDocument = {
  /** UTC epoch milliseconds. */
  timestamp: number;
  /** The @timestamp text as written: ISO UTC, or local time without an offset. */
  timestampText: string;
  namespace: string;
  app: string | null;
  pod: string;
  level: DocumentLevel;
  message: string;
  traceId: string | null;
  /** Written as an Elasticsearch hit when set. */
  hit: { index: string; id: string } | null;
  origin: DocumentOrigin;
  /** Incident id for origin "incident" (a level shift's errors keep its id after the label's end), the release error's id for origin "release". */
  eventId: string | null;
  /** The application version that logged it (option `releases`); null without one. */
  version: string | null;
};

// ---------------------------------------------------------------------------------------------
// Message templates

const FIRST_NAMES = ["jana", "petr", "lucie", "tomas", "eva", "martin", "anna", "jakub", "tereza", "david", "lena", "max", "sofia", "lukas", "marie", "jan"];
const LAST_NAMES = ["novak", "svoboda", "dvorak", "cerna", "mueller", "schmidt", "kowalski", "horvath", "fischer", "weber", "novotna", "prochazka"];
const MAIL_DOMAINS = ["example.com", "example.cz", "mail.example.de", "example.org"];
const MARKETS = ["CZ", "SK", "DE", "AT", "PL", "HU"];
const BAD_CURRENCIES = ["XTS", "CZKK", "EURO", "usd", "ZZZ", "Kč"];
const SEARCH_TERMS = [
  "laptop AND (",
  'title:"usb-c',
  "price:[10 TO",
  "brand:(sony OR",
  "*phone?",
  "name:dell xps~~",
  "category:/shoes",
  "AND OR NOT",
  "\\\\",
  "size:[42",
];
const CLIENTS = ["mobile-ios/5.12.0", "mobile-android/5.11.2", "partner-feed-17", "web-shop/2026.1", "crm-sync", "legacy-pos/3.4", "warehouse-scanner/1.8"];
const MAIL_TEMPLATES = ["order-confirmation", "password-reset", "shipping-update", "invoice-ready", "welcome", "cart-reminder"];
const LOCALES = ["cs-CZ", "en-GB", "de-DE", "sk-SK", "pl-PL"];
const WAREHOUSES = ["PRG-1", "PRG-2", "BRQ-1", "OSR-1", "VIE-1"];
const QUOTED_VALUES = ["N/A", "-1", "null", "2026-13-45", "abc", "", "DROP", "∞", "1,299.00", "0x00", "undefined", "ÿ"];
const SEARCH_WORDS = ["laptop", "monitor", "sneakers", "coffee", "iphone", "lego", "tent", "headphones", "drill", "sofa"];
const ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const POD_CHARS = "bcdfghjklmnpqrstvwxz2456789";

type FillContext = { app: string; callee: string; timestamp: number };

const digits = (random: Random, length: number) => {
  let text = String(random.integer(1, 9));
  while (text.length < length) text += String(random.integer(0, 9));
  return text;
};
const uuid = (random: Random) => `${random.hex(8)}-${random.hex(4)}-4${random.hex(3)}-${random.pick(["8", "9", "a", "b"])}${random.hex(3)}-${random.hex(12)}`;

const fillers = {
  uuid: (random: Random) => uuid(random),
  hex8: (random: Random) => random.hex(8),
  hex16: (random: Random) => random.hex(16),
  token: (random: Random) => random.hex(64),
  addr: (random: Random) => `0x${random.hex(2)}`,
  pc: (random: Random) => `0x${random.integer(0x400000, 0xafffff).toString(16)}`,
  id: (random: Random) => digits(random, random.integer(5, 9)),
  n: (random: Random) => String(random.integer(2, 64)),
  n2: (random: Random) => String(random.integer(65, 5_000)),
  ms: (random: Random) => String(Math.round(random.logUniform(80, 30_000))),
  sec: (random: Random) => String(random.integer(5, 120)),
  ip: (random: Random) => `10.${random.integer(0, 63)}.${random.integer(0, 255)}.${random.integer(2, 254)}`,
  port: (random: Random) => String(random.integer(30_000, 32_767)),
  order: (random: Random) => `ORD-${digits(random, 8)}`,
  sku: (random: Random) => `SKU-${random.hex(6).toUpperCase()}`,
  amount: (random: Random) => random.logUniform(1, 5_000).toFixed(2),
  amount2: (random: Random) => random.logUniform(1, 5_000).toFixed(2),
  email: (random: Random) =>
    `${random.pick(FIRST_NAMES)}.${random.pick(LAST_NAMES)}${random.chance(0.5) ? random.integer(1, 99) : ""}@${random.pick(MAIL_DOMAINS)}`,
  pid: (random: Random) => String(random.integer(7, 64)),
  conn: (random: Random) => String(random.integer(1, 9_999_999)),
  txid: (random: Random) => digits(random, 8),
  partition: (random: Random) => String(random.integer(0, 23)),
  offset: (random: Random) => digits(random, random.integer(7, 10)),
  shard: (random: Random) => String(random.integer(0, 9)),
  bytes: (random: Random) => String(random.integer(50_000_000, 900_000_000)),
  bytes2: (random: Random) => String(random.integer(900_000_000, 2_000_000_000)),
  mb: (random: Random) => String(random.integer(128, 4_096)),
  pct: (random: Random) => String(random.integer(51, 99)),
  term: (random: Random) => random.pick(SEARCH_TERMS),
  market: (random: Random) => random.pick(MARKETS),
  currency: (random: Random) => random.pick(BAD_CURRENCIES),
  client: (random: Random) => random.pick(CLIENTS),
  tmpl: (random: Random) => random.pick(MAIL_TEMPLATES),
  locale: (random: Random) => random.pick(LOCALES),
  wh: (random: Random) => random.pick(WAREHOUSES),
  feed: (random: Random) => `feed-${random.pick(MARKETS).toLowerCase()}-${random.integer(1, 40)}`,
  quoted: (random: Random) => random.pick(QUOTED_VALUES),
  path: (random: Random) => {
    switch (random.integer(0, 7)) {
      case 0:
        return `/api/v1/orders/${digits(random, 8)}`;
      case 1:
        return `/api/v2/payments/${uuid(random)}/capture`;
      case 2:
        return `/internal/ledger/entries/${digits(random, 7)}`;
      case 3:
        return `/api/v1/sessions/${random.hex(16)}`;
      case 4:
        return `/api/search?q=${random.pick(SEARCH_WORDS)}&page=${random.integer(1, 20)}`;
      case 5:
        return `/api/v1/cart/${uuid(random)}/items`;
      case 6:
        return `/v1/users/${digits(random, 6)}/profile`;
      default:
        return `/api/v1/notifications/${uuid(random)}/send`;
    }
  },
  isotime: (_random: Random, context: FillContext) => new Date(context.timestamp).toISOString(),
  app: (_random: Random, context: FillContext) => context.app,
  callee: (_random: Random, context: FillContext) => context.callee,
} satisfies Record<string, (random: Random, context: FillContext) => string>;

type FillerName = keyof typeof fillers;

function isFillerName(name: string): name is FillerName {
  return Object.hasOwn(fillers, name);
}

/** A message template split into literal parts and placeholders. */
export type CompiledTemplate = {
  readonly text: string;
  readonly parts: readonly string[];
  readonly names: readonly FillerName[];
  /** For each placeholder, the index of its first occurrence (repeats reuse that value). */
  readonly firstIndex: readonly number[];
};

const PLACEHOLDER = /\{([a-z][a-z0-9]*)\}/g;

/** Compiles a template; throws on an unknown placeholder. */
export function compileTemplate(text: string): CompiledTemplate {
  const parts: string[] = [];
  const names: FillerName[] = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? "";
    if (!isFillerName(name)) throw new RangeError(`unknown placeholder {${name}} in template "${text}"`);
    parts.push(text.slice(last, match.index));
    names.push(name);
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  const firstIndex = names.map((name) => names.indexOf(name));
  return { text, parts, names, firstIndex };
}

function fillTemplate(template: CompiledTemplate, random: Random, context: FillContext): string {
  const { parts, names, firstIndex } = template;
  if (names.length === 0) return parts[0] ?? "";
  const values: string[] = [];
  let message = parts[0] ?? "";
  for (let index = 0; index < names.length; index += 1) {
    const first = firstIndex[index] ?? index;
    const value = first === index ? fillers[names[index]!](random, context) : (values[first] ?? "");
    values.push(value);
    message += value + (parts[index + 1] ?? "");
  }
  return message;
}

/** A regular expression matching every message a template can produce (placeholders match any text). */
export function templatePattern(template: string): RegExp {
  const escaped = template
    .split(PLACEHOLDER)
    .map((piece, index) => (index % 2 === 1 ? "[\\s\\S]*?" : piece.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${escaped}$`);
}

type Stack = "java" | "node" | "python" | "go" | "nginx";
type TemplateSpec = { app: string; text: string; weight?: number };

/** Errors a caller logs when the app it called failed. */
const PROPAGATION: Record<Stack, readonly string[]> = {
  java: [
    'org.springframework.web.client.HttpServerErrorException$ServiceUnavailable: 503 Service Unavailable on POST request for "http://{callee}:8080{path}": [no body]',
    "feign.RetryableException: Read timed out after {ms} ms executing GET http://{callee}:8080{path}",
    "java.util.concurrent.CompletionException: com.acme.common.RemoteServiceException: {callee} returned 500 Internal Server Error (request {uuid})",
  ],
  node: [
    "AxiosError: Request failed with status code 502 (POST http://{callee}:3000{path})\n    at settle (/app/node_modules/axios/lib/core/settle.js:19:12)\n    at IncomingMessage.handleStreamEnd (/app/node_modules/axios/lib/adapters/http.js:599:11)",
    "Error: upstream {callee} responded 500 for request {uuid}",
  ],
  python: [
    "requests.exceptions.HTTPError: 500 Server Error: Internal Server Error for url: http://{callee}:8000{path}",
    "httpx.ReadTimeout: timed out calling {callee} after {ms} ms (request {uuid})",
  ],
  go: [
    'Post "http://{callee}:8080{path}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
    "rpc error: code = Internal desc = {callee}: upstream returned error for request {uuid}",
  ],
  nginx: [
    '[error] {pid}#{pid}: *{conn} upstream prematurely closed connection while reading response header from upstream, client: {ip}, server: shop.example.com, request: "POST {path} HTTP/1.1", upstream: "http://{callee}:{port}{path}"',
    '[error] {pid}#{pid}: *{conn} connect() failed (111: Connection refused) while connecting to upstream, client: {ip}, server: shop.example.com, request: "GET {path} HTTP/1.1", upstream: "http://{callee}:{port}{path}"',
  ],
};

const WARN_TEMPLATES = [
  "Retrying request to {callee} (attempt {n}/5) after {ms} ms",
  "Slow query took {ms} ms: SELECT * FROM {app}_items WHERE id = $1",
  "HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta={ms}ms).",
  "Deprecated API v1 called by client {client}; this endpoint will be removed",
  "Circuit breaker for {callee} is OPEN after an error rate of {pct}% (retry in {sec}s)",
].map(compileTemplate);

const INFO_TEMPLATES = [
  "Request completed: POST {path} 200 in {ms} ms",
  "Consumer group {app}-consumers rebalanced; assigned {n} partitions",
  "Recovered from error: connection to {callee} re-established after {ms} ms (ECONNREFUSED before)",
  "Health check OK ({n} checks, {ms} ms)",
].map(compileTemplate);

type NamespaceSpec = {
  name: string;
  apps: readonly { name: string; stack: Stack }[];
  baseRate: number;
  /** Gamma–Poisson shape; null: Poisson. */
  shape: number | null;
  rise: number;
  fall: number;
  night: number;
  weekend: number;
  errors: readonly TemplateSpec[];
  /** Root causes reserved for incidents, used in order. */
  incidents: readonly TemplateSpec[];
  /** Template of below-minimum bursts. */
  burst: TemplateSpec;
  /** Namespaces whose edge app calls this namespace's edge app. */
  callers: readonly string[];
};

const DEFAULT_NAMESPACES: readonly NamespaceSpec[] = [
  {
    name: "payments",
    apps: [
      { name: "payment-api", stack: "java" },
      { name: "payment-worker", stack: "java" },
      { name: "ledger", stack: "go" },
    ],
    baseRate: 40,
    shape: null,
    rise: 7.5,
    fall: 19,
    night: 0.25,
    weekend: 0.65,
    errors: [
      {
        app: "payment-api",
        weight: 5,
        text: "com.acme.payments.PaymentDeclinedException: payment {uuid} declined by PSP: insufficient_funds (amount {amount} EUR, merchant {id})",
      },
      {
        app: "payment-api",
        weight: 3,
        text: "java.net.SocketTimeoutException: Read timed out after {ms} ms calling PSP capture {hex16}\n\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)\n\tat com.acme.payments.psp.PspClient.capture(PspClient.java:142)",
      },
      {
        app: "payment-worker",
        weight: 3,
        text: "org.springframework.dao.CannotAcquireLockException: could not execute statement; nested exception is org.hibernate.exception.LockAcquisitionException: ERROR: deadlock detected\n  Detail: Process {n2} waits for ShareLock on transaction {txid}; blocked by process {conn}.",
      },
      { app: "payment-worker", weight: 2, text: "Refund {uuid} failed after {n} retries: PSP returned HTTP 502 Bad Gateway" },
      { app: "ledger", weight: 3, text: 'pq: duplicate key value violates unique constraint "ledger_entries_idempotency_key" (key {uuid})' },
      { app: "ledger", weight: 1, text: "ledger: balance check failed for account {id}: expected {amount}, got {amount2}" },
    ],
    incidents: [
      { app: "ledger", text: "pq: sorry, too many clients already (pool ledger-rw, {n2} waiting, waited {ms} ms)" },
      {
        app: "payment-api",
        text: "javax.net.ssl.SSLHandshakeException: PKIX path validation failed: java.security.cert.CertPathValidatorException: validity check failed connecting to api.psp.example:443 (attempt {n})",
      },
      {
        app: "payment-worker",
        text: "java.lang.OutOfMemoryError: Java heap space (settlement batch {id})\n\tat java.base/java.util.Arrays.copyOf(Arrays.java:3541)\n\tat com.acme.payments.settlement.BatchLoader.load(BatchLoader.java:212)",
      },
    ],
    burst: { app: "payment-api", text: "com.acme.payments.RateLimitedException: 429 Too Many Requests from PSP for merchant {id} (client {client})" },
    callers: ["checkout", "orders"],
  },
  {
    name: "orders",
    apps: [
      { name: "order-api", stack: "node" },
      { name: "order-processor", stack: "java" },
      { name: "inventory-sync", stack: "python" },
    ],
    baseRate: 60,
    shape: 4,
    rise: 7,
    fall: 21,
    night: 0.2,
    weekend: 0.75,
    errors: [
      { app: "order-api", weight: 4, text: 'ValidationError: "items[{n}].quantity" must be greater than or equal to 1 (order {order})' },
      {
        app: "order-api",
        weight: 2,
        text: "TypeError: Cannot read properties of null (reading 'customerId') (request {uuid})\n    at OrderController.create (/app/dist/orders/controller.js:87:31)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
      },
      {
        app: "order-processor",
        weight: 3,
        text: "org.apache.kafka.clients.consumer.CommitFailedException: Offset commit cannot be completed since the consumer is not part of an active group (partition orders-events-{partition}, offset {offset})",
      },
      {
        app: "order-processor",
        weight: 3,
        text: "Failed to process message {uuid} from topic orders-events: org.postgresql.util.PSQLException: ERROR: could not serialize access due to concurrent update",
      },
      { app: "inventory-sync", weight: 3, text: "inventory.errors.StockConflict: SKU {sku} reserved quantity {n} exceeds available stock in warehouse {wh}" },
      {
        app: "inventory-sync",
        weight: 1,
        text: 'Traceback (most recent call last):\n  File "/app/inventory/sync.py", line 211, in push_batch\n    cursor.execute(UPSERT_STOCK, rows)\npsycopg2.OperationalError: server closed the connection unexpectedly (sync batch {id})',
      },
    ],
    incidents: [
      {
        app: "order-processor",
        text: "org.apache.kafka.common.errors.TimeoutException: Expiring {n} record(s) for orders-events-{partition}:{ms} ms has passed since batch creation",
      },
      {
        app: "inventory-sync",
        text: "sqlalchemy.exc.OperationalError: (psycopg2.errors.QueryCanceled) canceling statement due to statement timeout [SQL: UPDATE stock SET reserved = reserved + %(qty)s WHERE sku = %(sku)s] [parameters: {'qty': {n}, 'sku': '{sku}'}]",
      },
      {
        app: "order-api",
        text: "Error: connect ECONNREFUSED {ip}:5672 while publishing order {order}\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)",
      },
    ],
    burst: { app: "order-api", text: "Error: Request rejected: client {client} exceeded {n2} requests per minute on {path}" },
    callers: ["checkout"],
  },
  {
    name: "checkout",
    apps: [
      { name: "checkout-web", stack: "nginx" },
      { name: "cart-service", stack: "node" },
      { name: "pricing", stack: "go" },
    ],
    baseRate: 25,
    shape: null,
    rise: 8.5,
    fall: 22,
    night: 0.15,
    weekend: 0.9,
    errors: [
      {
        app: "checkout-web",
        weight: 3,
        text: '[error] {pid}#{pid}: *{conn} upstream timed out (110: Connection timed out) while reading response header from upstream, client: {ip}, server: shop.example.com, request: "POST /api/checkout/{uuid}/confirm HTTP/1.1", upstream: "http://cart-service:3000/api/checkout/{uuid}/confirm"',
      },
      {
        app: "checkout-web",
        weight: 1,
        text: '[error] {pid}#{pid}: *{conn} client intended to send too large body: {bytes} bytes, client: {ip}, server: shop.example.com, request: "POST /api/cart/{uuid}/items HTTP/1.1"',
      },
      { app: "cart-service", weight: 3, text: "Error: Cart {uuid} is locked by another request (lock age {ms} ms)" },
      { app: "cart-service", weight: 2, text: "Error: connect ECONNREFUSED {ip}:6379\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)" },
      { app: "pricing", weight: 3, text: "pricing: no price for SKU {sku} in market {market}: price list {id} not found" },
      { app: "pricing", weight: 1, text: 'pricing: invalid currency "{currency}" for market {market}' },
    ],
    incidents: [
      {
        app: "cart-service",
        text: "TypeError: Cannot read properties of undefined (reading 'shippingAddress') for cart {uuid}\n    at CartService.computeTotals (/app/dist/cart/service.js:214:37)\n    at async CheckoutController.confirm (/app/dist/checkout/controller.js:58:19)",
      },
      { app: "pricing", text: "rpc error: code = DeadlineExceeded desc = context deadline exceeded calling tax-service GetRates (market {market}, {ms}ms)" },
      {
        app: "checkout-web",
        text: '[error] {pid}#{pid}: *{conn} SSL_do_handshake() failed (SSL: error:0A000086:SSL routines::certificate verify failed) while SSL handshaking to upstream, client: {ip}, server: shop.example.com, request: "GET /api/checkout/{uuid} HTTP/1.1"',
      },
    ],
    burst: {
      app: "checkout-web",
      text: '[error] {pid}#{pid}: *{conn} limiting requests, excess: {n}.{n2} by zone "checkout", client: {ip}, server: shop.example.com, request: "POST /api/checkout HTTP/1.1"',
    },
    callers: [],
  },
  {
    name: "identity",
    apps: [
      { name: "auth-api", stack: "java" },
      { name: "session-store", stack: "go" },
      { name: "user-directory", stack: "python" },
    ],
    baseRate: 8,
    shape: null,
    rise: 6.5,
    fall: 19,
    night: 0.3,
    weekend: 0.5,
    errors: [
      { app: "auth-api", weight: 5, text: 'com.acme.identity.InvalidTokenException: invalid token for user "{email}": JWT expired {n} minutes ago' },
      { app: "auth-api", weight: 2, text: 'org.springframework.security.authentication.BadCredentialsException: Bad credentials for user "{email}" from {ip}' },
      { app: "session-store", weight: 2, text: "redis: connection pool timeout after {ms}ms (session {hex16})" },
      {
        app: "user-directory",
        weight: 2,
        text: "ldap3.core.exceptions.LDAPInvalidCredentialsResult: LDAPInvalidCredentialsResult - 49 - invalidCredentials - 80090308: LdapErr: DSID-0C09044E, data 52e (uid={email})",
      },
    ],
    incidents: [
      { app: "session-store", text: "dial tcp {ip}:6379: connect: connection refused (redis-sessions, attempt {n})" },
      {
        app: "auth-api",
        text: "org.springframework.security.oauth2.jwt.JwtDecoderInitializationException: Failed to lazily resolve the supplied JwtDecoder instance: 503 Service Unavailable from GET https://login.example.com/.well-known/jwks.json after {ms} ms",
      },
    ],
    burst: { app: "auth-api", text: 'com.acme.identity.ApiKeyException: 401 Unauthorized: unknown API key "{hex8}…" presented by client {client}' },
    callers: ["checkout", "payments", "orders"],
  },
  {
    name: "search",
    apps: [
      { name: "search-api", stack: "java" },
      { name: "query-suggest", stack: "python" },
      { name: "indexer", stack: "java" },
    ],
    baseRate: 35,
    shape: 6,
    rise: 8,
    fall: 22.5,
    night: 0.2,
    weekend: 0.85,
    errors: [
      {
        app: "search-api",
        weight: 4,
        text: "org.elasticsearch.client.ResponseException: method [POST], host [http://{ip}:9200], URI [/products/_search?typed_keys=true], status line [HTTP/1.1 429 Too Many Requests]",
      },
      {
        app: "search-api",
        weight: 3,
        text: "org.apache.lucene.queryparser.classic.ParseException: Cannot parse '{term}': Encountered \"<EOF>\" at line 1, column {n}.",
      },
      {
        app: "query-suggest",
        weight: 3,
        text: "Traceback (most recent call last):\n  File \"/app/suggest/ranker.py\", line 118, in score\n    weight = self.weights[token]\nKeyError: '{term}'",
      },
      { app: "indexer", weight: 3, text: "Bulk request failed for {n} of {n2} documents in index products-v{n}: version_conflict_engine_exception" },
      { app: "indexer", weight: 1, text: "java.lang.IllegalStateException: document {id} has no field [price] in mapping products-v{n}" },
    ],
    incidents: [
      {
        app: "search-api",
        text: "org.elasticsearch.ElasticsearchStatusException: Elasticsearch exception [type=es_rejected_execution_exception, reason=rejected execution of coordinating operation [shard_detail=[products][{shard}][P], coordinating_and_primary_bytes={bytes}, max_coordinating_and_primary_bytes={bytes2}]]",
      },
      {
        app: "indexer",
        text: "org.elasticsearch.common.breaker.CircuitBreakingException: [parent] Data too large, data for [<http_request>] would be [{bytes2}/{mb}mb], which is larger than the limit of [{bytes}/{mb}mb]",
      },
      {
        app: "query-suggest",
        text: "numpy.core._exceptions._ArrayMemoryError: Unable to allocate {mb}. MiB for an array with shape ({id},) and data type float64",
      },
    ],
    burst: { app: "search-api", text: "com.acme.search.TooManyClausesException: query of client {client} expands to {n2} clauses (max 1024)" },
    callers: ["checkout"],
  },
  {
    name: "notifications",
    apps: [
      { name: "notification-api", stack: "node" },
      { name: "email-sender", stack: "python" },
      { name: "push-gateway", stack: "go" },
    ],
    baseRate: 4,
    shape: null,
    rise: 8,
    fall: 20,
    night: 0.35,
    weekend: 0.5,
    errors: [
      { app: "notification-api", weight: 3, text: "Error: Template \"{tmpl}\" rendering failed: missing variable 'firstName' (locale {locale})" },
      {
        app: "email-sender",
        weight: 3,
        text: "smtplib.SMTPRecipientsRefused: {'{email}': (550, b'5.1.1 <{email}>: Recipient address rejected: User unknown')}",
      },
      { app: "email-sender", weight: 1, text: "smtplib.SMTPServerDisconnected: Connection unexpectedly closed (message {uuid})" },
      { app: "push-gateway", weight: 3, text: "apns: 410 Unregistered for device token {token}" },
    ],
    incidents: [
      { app: "email-sender", text: "smtplib.SMTPDataError: (421, b'4.7.0 Try again later, closing connection. {hex8} - gsmtp')" },
      { app: "push-gateway", text: "fcm: messaging/quota-exceeded: sending limit exceeded for project notifications-prod (device {token})" },
    ],
    burst: { app: "push-gateway", text: "apns: 429 TooManyProviderTokenUpdates for topic com.example.shop (device {token})" },
    callers: ["orders"],
  },
];

const EXTRA_NAMESPACE_NAMES = [
  "inventory",
  "shipping",
  "catalog",
  "billing",
  "reporting",
  "analytics",
  "gateway",
  "profile",
  "recommendations",
  "reviews",
  "loyalty",
  "media",
  "audit",
  "scheduler",
];

/** Templates of generated namespaces; `{app}` is the app's name. Index 0/1/2 of `app` picks the app. */
const GENERIC_ERRORS: readonly { appIndex: number; text: string; weight: number }[] = [
  { appIndex: 0, weight: 4, text: "java.lang.IllegalArgumentException: invalid value \"{quoted}\" for parameter 'status' (request {uuid})" },
  { appIndex: 0, weight: 2, text: "HTTP 500 Internal Server Error from GET {path} in {ms} ms" },
  {
    appIndex: 1,
    weight: 3,
    text: 'psycopg2.errors.UniqueViolation: duplicate key value violates unique constraint "{app}_pkey"\nDETAIL:  Key (id)=({id}) already exists.',
  },
  { appIndex: 1, weight: 2, text: "kafka: failed to produce message to topic {app}-events partition {partition}: Broker: Not enough in-sync replicas" },
  { appIndex: 2, weight: 3, text: "panic: runtime error: index out of range [{n2}] with length {n}\n\ngoroutine {id} [running]:" },
  { appIndex: 2, weight: 2, text: "Error: ETIMEDOUT connecting to {ip}:{port} after {ms} ms" },
];

const GENERIC_INCIDENTS: readonly { appIndex: number; text: string }[] = [
  {
    appIndex: 2,
    text: "panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr={addr} pc={pc}]",
  },
  { appIndex: 1, text: "dial tcp {ip}:5432: connect: connection refused (pool {app}-db, attempt {n})" },
  {
    appIndex: 0,
    text: "com.zaxxer.hikari.pool.HikariPool$PoolInitializationException: HikariPool-1 - Connection is not available, request timed out after {ms}ms.",
  },
  { appIndex: 0, text: "OOMKilled: container {app} exceeded its memory limit of {mb}Mi and was restarted ({n} restarts)" },
  {
    appIndex: 1,
    text: 'x509: certificate signed by unknown authority (possibly because of "crypto/rsa: verification error" while trying to verify candidate authority certificate "internal-ca-{n}")',
  },
];

const GENERIC_BURST = "RateLimitExceeded: client {client} exceeded {n2} requests per minute on {path}";

const SCHEDULES = [
  {
    /** Index into the namespaces; the last one when there are fewer (the second schedule needs a namespace of its own). */
    namespaceIndex: 0,
    appIndex: 1,
    hour: 1,
    minute: 30,
    durationMinutes: 30,
    weekdaysOnly: false,
    levelFactor: 4,
    text: "Reconciliation mismatch in settlement batch {id}: ledger entry {uuid} is {amount} EUR, PSP reports {amount2} EUR",
    description: "nightly settlement batch, every day 01:30–02:00 local",
  },
  {
    namespaceIndex: 4,
    appIndex: 2,
    hour: 6,
    minute: 0,
    durationMinutes: 15,
    weekdaysOnly: true,
    levelFactor: 3.5,
    text: 'Catalogue import {feed}: row {n2} rejected: invalid price "{quoted}" for SKU {sku}',
    description: "catalogue import, every weekday 06:00–06:15 local",
  },
] as const;

// ---------------------------------------------------------------------------------------------
// Test cases (option `cases`)

const NOISY_CASE_NAMESPACE = "batch-jobs";
const BURSTY_CASE_NAMESPACE = "retries";
const NEWBORN_CASE_NAMESPACE = "onboarding";

/** The namespaces `cases` appends after the others: two noisy ones and a newborn one. */
const CASE_NAMESPACES: readonly NamespaceSpec[] = [
  {
    name: NOISY_CASE_NAMESPACE,
    apps: [
      { name: "job-scheduler", stack: "java" },
      { name: "etl-runner", stack: "python" },
      { name: "export-worker", stack: "go" },
    ],
    baseRate: 30,
    shape: 1.5,
    rise: 6,
    fall: 23,
    night: 0.45,
    weekend: 0.8,
    errors: [
      {
        app: "job-scheduler",
        weight: 3,
        text: "org.quartz.JobExecutionException: job {app}.batch-{n} failed: java.sql.SQLTransientConnectionException: HikariPool-2 - Connection is not available, request timed out after {ms}ms.",
      },
      { app: "job-scheduler", weight: 2, text: "Job {uuid} exceeded its deadline of {sec}s and was cancelled (attempt {n})" },
      {
        app: "etl-runner",
        weight: 3,
        text: 'Traceback (most recent call last):\n  File "/app/etl/load.py", line 87, in load_chunk\n    frame = pd.read_parquet(path)\npyarrow.lib.ArrowInvalid: Parquet magic bytes not found in footer (chunk {hex8})',
      },
      { app: "etl-runner", weight: 2, text: "etl.errors.SchemaMismatch: column 'amount' expected decimal(12,2), got \"{quoted}\" in batch {id}" },
      { app: "export-worker", weight: 2, text: "export: upload of {hex16}.csv.gz to sftp://partner-{shard}.example.com failed: ssh: handshake failed: EOF" },
    ],
    incidents: [
      { app: "etl-runner", text: "MemoryError: Unable to allocate {mb} MiB for chunk {id} in etl.transform.pivot_orders" },
      { app: "export-worker", text: "export: write /exports/{hex16}.csv.gz: no space left on device ({mb} MiB requested)" },
    ],
    burst: { app: "job-scheduler", text: "Job queue throttled: client {client} submitted {n2} jobs in one minute" },
    callers: [],
  },
  {
    name: BURSTY_CASE_NAMESPACE,
    apps: [
      { name: "retry-gateway", stack: "node" },
      { name: "webhook-dispatcher", stack: "go" },
      { name: "dead-letter-worker", stack: "java" },
    ],
    baseRate: 50,
    shape: 2.5,
    rise: 7,
    fall: 22,
    night: 0.3,
    weekend: 0.7,
    errors: [
      { app: "retry-gateway", weight: 4, text: "Error: Retry budget exhausted for POST {path} after {n} attempts (last status 503)" },
      {
        app: "retry-gateway",
        weight: 2,
        text: "Error: socket hang up while retrying request {uuid} to {callee}\n    at connResetException (node:internal/errors:720:14)",
      },
      {
        app: "webhook-dispatcher",
        weight: 3,
        text: "webhook: POST https://hooks.partner-{shard}.example.com/events returned 500 for delivery {uuid} (retry {partition})",
      },
      { app: "webhook-dispatcher", weight: 2, text: "webhook: context deadline exceeded delivering {uuid} to partner-{shard} after {ms} ms" },
      {
        app: "dead-letter-worker",
        weight: 3,
        text: 'com.acme.retries.DeadLetterException: message {uuid} moved to the DLQ after {n} redeliveries: "{quoted}"',
      },
    ],
    incidents: [
      { app: "webhook-dispatcher", text: "webhook: dial tcp {ip}:443: connect: no route to host (partner-{shard}, delivery {uuid})" },
      {
        app: "dead-letter-worker",
        text: "org.springframework.amqp.AmqpIOException: java.io.IOException: channel closed by broker: PRECONDITION_FAILED - inequivalent arg 'x-dead-letter-exchange' for queue 'retries.dlq' (message {uuid})",
      },
    ],
    burst: { app: "retry-gateway", text: "Error: 429 Too Many Requests from upstream for client {client} (retry after {sec}s)" },
    callers: [],
  },
  {
    name: NEWBORN_CASE_NAMESPACE,
    apps: [
      { name: "signup-web", stack: "node" },
      { name: "onboarding-api", stack: "java" },
      { name: "kyc-check", stack: "python" },
    ],
    baseRate: 20,
    shape: null,
    rise: 8,
    fall: 21,
    night: 0.2,
    weekend: 0.6,
    errors: [
      { app: "signup-web", weight: 4, text: 'Error: Validation failed for the signup form: email "{email}" is already registered (request {uuid})' },
      { app: "onboarding-api", weight: 3, text: "com.acme.onboarding.InvitationExpiredException: invitation {hex16} expired {n} days ago" },
      { app: "kyc-check", weight: 3, text: "kyc.errors.DocumentRejected: document {uuid} rejected: image too blurry (score 0.{n})" },
      {
        app: "kyc-check",
        weight: 2,
        text: "requests.exceptions.ConnectTimeout: HTTPSConnectionPool(host='api.kyc-provider.example', port=443): Max retries exceeded with url: /v2/checks/{uuid}",
      },
    ],
    incidents: [{ app: "kyc-check", text: "kyc.errors.ProviderUnavailable: 503 from api.kyc-provider.example for check {uuid} after {ms} ms" }],
    burst: { app: "signup-web", text: "Error: captcha verification failed for client {client} ({n2} attempts in one minute)" },
    callers: [],
  },
];

/**
 * Root causes of the case incidents in the Poisson namespaces, handed out in order (a repeat keeps
 * its original's): unlike every other template, so each incident's documents stay identifiable.
 * `appIndex` picks the app (clamped to the namespace's apps); `{app}` / `{callee}` fill in names.
 */
const CASE_ROOT_CAUSES: readonly { appIndex: number; text: string }[] = [
  { appIndex: 0, text: "java.lang.NoSuchMethodError: 'com.acme.common.Money com.acme.common.Money.of(java.math.BigDecimal)' in {app} after release {hex8}" },
  { appIndex: 1, text: "grpc: received message larger than max ({bytes} vs. 4194304) from {callee} (request {uuid})" },
  { appIndex: 1, text: "redis: OOM command not allowed when used memory > 'maxmemory' (key {app}:cache:{hex16})" },
  { appIndex: 0, text: "javax.persistence.QueryTimeoutException: canceling statement due to lock timeout on table {app}_outbox (tx {txid})" },
  { appIndex: 2, text: "DNS lookup failed for {callee}.internal: read udp {ip}:{port}->10.0.0.10:53: i/o timeout" },
  { appIndex: 1, text: "kafka: producer {app}-producer-{n} fenced by a newer instance with the same transactional.id (epoch {n2})" },
  { appIndex: 0, text: "TLS handshake with {callee}:{port} failed: x509: certificate has expired or is not yet valid (request {uuid})" },
  { appIndex: 2, text: "disk quota exceeded writing /var/lib/{app}/spool/{hex16}.tmp ({mb} MiB free)" },
  { appIndex: 0, text: "ThreadPoolExecutor rejected task {uuid}: queue full ({n2} pending) in {app}-executor" },
  { appIndex: 2, text: 'pq: could not extend file "base/{n2}/{id}": No space left on device (table {app}_events)' },
  { appIndex: 0, text: "Error: Cannot find module './locales/{locale}.json' (release {hex8}, request {uuid})" },
  { appIndex: 1, text: "circuit {callee} OPEN after {n2} consecutive failures: failing fast for request {uuid}" },
  { appIndex: 2, text: "s3: PutObject {app}-exports/{hex16}.json failed: SlowDown: Please reduce your request rate (request {uuid})" },
  { appIndex: 2, text: "json: cannot unmarshal string into Go struct field Event.amount of type float64 (event {uuid}, release {hex8})" },
];

/** The weekly batch of `cases`, in the noisy `batch-jobs` namespace (which has no other scheduled spike). */
const WEEKLY_BATCH = {
  appIndex: 0,
  dayOfWeek: 6,
  hour: 3,
  minute: 0,
  durationMinutes: 30,
  /** Extra errors per window = this × the base rate; drawn from the seed. */
  levelFactor: { min: 4, max: 6 },
  text: "Weekly reindex job {id}: partition {partition} skipped: lock held by run {uuid}",
  description: "weekly reindex batch, every Sunday 03:00–03:30 local",
} as const;

// ---------------------------------------------------------------------------------------------
// The plan: namespaces, their rates and every labelled event

type AppProfile = { name: string; stack: Stack; pods: readonly string[]; propagation: readonly CompiledTemplate[] };
type WeightedTemplate = { appIndex: number; template: CompiledTemplate; weight: number };

export type NamespaceProfile = {
  readonly name: string;
  readonly index: number;
  readonly apps: readonly AppProfile[];
  /** Weekly mean of errors per window, rate multiplier included. */
  readonly baseRate: number;
  readonly shape: number | null;
  /** Seasonality per (day of week × window of day), weekly mean 1. */
  readonly factors: Float64Array;
  readonly errors: readonly WeightedTemplate[];
  readonly errorWeight: number;
  readonly incidentTemplates: readonly { appIndex: number; template: CompiledTemplate }[];
  readonly burst: { appIndex: number; template: CompiledTemplate };
  /** Indices of the namespaces that call this one. */
  readonly callers: readonly number[];
};

type EventKind = "incident" | "scheduled" | "below_minimum";

/** Extra errors of one labelled event in one window. */
type WindowEvent = { kind: EventKind; namespaceIndex: number; appIndex: number; template: CompiledTemplate; extraMean: number; id: string | null };

export type PlannedIncident = {
  id: string;
  namespace: string;
  app: string;
  start: number;
  end: number;
  magnitude: number;
  rootCause: string;
  /** Extra expected errors per window of the label (a level shift goes on after them). */
  windows: readonly { start: number; extraMean: number; fullHeight: boolean }[];
  /** "incident" for every incident without `cases`. */
  kind: IncidentKind;
  /**
   * Whether the expected count at one of its full-height windows reaches max(min_absolute_value,
   * min_ratio × usual, dynamic_min × the expected 24-hour average before it).
   */
  reachesThresholds: boolean;
  /** Level shift: from when the raised rate is the new normal (its start); null otherwise. */
  acceptedFrom: number | null;
};

/** Changes of a namespace's ordinary level that `cases` adds (none without it). */
export type NamespaceLevel = {
  /** No document before this instant (-Infinity: there from the start). */
  readonly bornAtMs: number;
  /** Unlabelled natural bursts: the factor of the mean per window start (1 when absent). */
  readonly burstFactors: ReadonlyMap<number, number>;
};

export type PlannedSpike = { namespace: string; start: number; end: number; description: string };

/** A release of a namespace: from `at` (UTC ms) on its documents carry `version`. */
export type PlannedRelease = { namespace: string; version: string; at: number };

/**
 * An error tied to versions (option `releases`): logged only while one of `versions` runs, at
 * `share` of the namespace's usual rate. "introduced": from a release on; "regression": in a
 * version, not in the next, back in the one after.
 */
export type ReleaseError = {
  id: string;
  kind: "introduced" | "regression";
  namespace: string;
  app: string;
  rootCause: string;
  versions: readonly string[];
  share: number;
};

/**
 * One root cause breaking out in several namespaces at the same windows (option `outbreak`): a
 * shared dependency failing. Each namespace's part is a labelled incident of `incidentIds`.
 */
export type PlannedOutbreak = {
  id: string;
  /** UTC ms, start inclusive, end exclusive; the same windows in every namespace. */
  start: number;
  end: number;
  namespaces: readonly string[];
  rootCause: string;
  /** One per namespace, in the order of `namespaces`. */
  incidentIds: readonly string[];
};

export type ReleasePlan = {
  /** Per namespace, oldest first; the first one runs from before the data set's start. */
  releases: readonly PlannedRelease[];
  errors: readonly ReleaseError[];
};

export type DataSetPlan = {
  readonly seed: number;
  readonly timeZone: string;
  readonly windowMinutes: number;
  readonly grid: WindowGrid;
  readonly days: readonly string[];
  readonly fromMs: number;
  readonly toMs: number;
  readonly minAbsoluteValue: number;
  /** First instant where incidents may start. */
  readonly detectionFromMs: number;
  readonly namespaces: readonly NamespaceProfile[];
  readonly incidents: readonly PlannedIncident[];
  readonly scheduled: readonly PlannedSpike[];
  readonly belowMinimum: readonly PlannedSpike[];
  readonly eventsByWindow: ReadonlyMap<number, readonly WindowEvent[]>;
  /** Whether the test cases are in (option `cases`). */
  readonly cases: boolean;
  /** steady (Poisson), noisy (gamma–Poisson) or newborn, per namespace name. */
  readonly namespaceKinds: Readonly<Record<string, NamespaceKind>>;
  /** Per namespace index with `cases`; null without (every namespace at its seasonal level from the start). */
  readonly namespaceLevels: readonly NamespaceLevel[] | null;
  /** Versions, releases and the errors tied to them (option `releases`); null without. */
  readonly releases: ReleasePlan | null;
  /**
   * Extra errors of the incidents planned after the ordinary ones, the outbreak's and the
   * releases' (options `outbreak`, `releases`; empty without), per window start, drawn apart
   * from eventsByWindow's.
   */
  readonly extraEventsByWindow: ReadonlyMap<number, readonly WindowEvent[]>;
  /** The outbreak (option `outbreak`); null without, or when no free windows were found. */
  readonly outbreak: PlannedOutbreak | null;
};

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether a text is a real calendar date written as YYYY-MM-DD. */
export function isIsoDate(text: string): boolean {
  const match = DATE_PATTERN.exec(text);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === text;
}

/** The calendar date `days` after (or before, when negative) a YYYY-MM-DD date. */
export function addDays(isoDate: string, days: number): string {
  const match = DATE_PATTERN.exec(isoDate);
  if (!match || !isIsoDate(isoDate)) throw new RangeError(`expected a date as YYYY-MM-DD, got "${isoDate}"`);
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + days)).toISOString().slice(0, 10);
}

function podName(random: Random, app: string): string {
  let suffix = "";
  for (let index = 0; index < 5; index += 1) suffix += random.pick([...POD_CHARS]);
  return `${app}-${random.hex(random.integer(9, 10))}-${suffix}`;
}

function appProfiles(random: Random, apps: readonly { name: string; stack: Stack }[]): AppProfile[] {
  return apps.map((app) => ({
    name: app.name,
    stack: app.stack,
    pods: Array.from({ length: random.integer(2, 3) }, () => podName(random, app.name)),
    propagation: PROPAGATION[app.stack].map(compileTemplate),
  }));
}

function seasonality(windowMinutes: number, shape: { rise: number; fall: number; night: number; weekend: number }): Float64Array {
  const perDay = (24 * 60) / windowMinutes;
  const weekly = [1, 1.02, 1, 0.98, 0.9, shape.weekend, shape.weekend * 0.92];
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  const factors = new Float64Array(7 * perDay);
  let sum = 0;
  for (let day = 0; day < 7; day += 1) {
    for (let slot = 0; slot < perDay; slot += 1) {
      const hour = ((slot + 0.5) * windowMinutes) / 60;
      const daily = shape.night + (1 - shape.night) * sigmoid((hour - shape.rise) / 0.8) * sigmoid((shape.fall - hour) / 1.2);
      const value = daily * (weekly[day] ?? 1);
      factors[day * perDay + slot] = value;
      sum += value;
    }
  }
  const mean = sum / factors.length;
  for (let index = 0; index < factors.length; index += 1) factors[index] = (factors[index] ?? 0) / mean;
  return factors;
}

/** The profiles of `count` namespaces (the defaults, then generated ones), then those of `appended`. */
function buildNamespaces(seed: number, count: number, windowMinutes: number, rate: number, appended: readonly NamespaceSpec[] = []): NamespaceProfile[] {
  const specs: NamespaceSpec[] = [];
  for (let index = 0; index < count; index += 1) {
    const known = DEFAULT_NAMESPACES[index];
    if (known) {
      specs.push(known);
      continue;
    }
    const random = createRandom(seedOf(seed, "namespace", index));
    const extraIndex = index - DEFAULT_NAMESPACES.length;
    const name = EXTRA_NAMESPACE_NAMES[extraIndex] ?? `service-${index + 1}`;
    const stacks: Stack[] = ["java", "python", "go"];
    const apps = [`${name}-api`, `${name}-worker`, `${name}-store`].map((app, appIndex) => ({ name: app, stack: stacks[appIndex] ?? "go" }));
    const callers = index > 0 && random.chance(0.5) ? [specs[random.integer(0, index - 1)]?.name ?? ""] : [];
    specs.push({
      name,
      apps,
      baseRate: Math.round(random.logUniform(3, 60) * 10) / 10,
      shape: extraIndex % 3 === 1 ? Math.round(random.uniform(2.5, 5) * 10) / 10 : null,
      rise: random.uniform(6.5, 9),
      fall: random.uniform(17, 22.5),
      night: random.uniform(0.15, 0.4),
      weekend: random.uniform(0.4, 0.9),
      errors: GENERIC_ERRORS.map((error) => ({ app: apps[error.appIndex]?.name ?? name, text: error.text, weight: error.weight })),
      incidents: [],
      burst: { app: apps[0]?.name ?? name, text: GENERIC_BURST },
      callers,
    });
  }
  specs.push(...appended);
  const names = specs.map((spec) => spec.name);
  const windowScale = windowMinutes / REFERENCE_WINDOW_MINUTES;
  return specs.map((spec, index) => {
    const random = createRandom(seedOf(seed, "apps", spec.name));
    const apps = appProfiles(random, spec.apps);
    const appIndexOf = (app: string) => {
      const found = spec.apps.findIndex((candidate) => candidate.name === app);
      if (found < 0) throw new RangeError(`template app ${app} is not an app of ${spec.name}`);
      return found;
    };
    const errors = spec.errors.map((error) => ({ appIndex: appIndexOf(error.app), template: compileTemplate(error.text), weight: error.weight ?? 1 }));
    // Own incident templates first, then the generic ones (rotated per namespace so that
    // generated namespaces differ).
    const incidentTemplates = [
      ...spec.incidents.map((incident) => ({ appIndex: appIndexOf(incident.app), template: compileTemplate(incident.text) })),
      ...GENERIC_INCIDENTS.map((_, offset) => GENERIC_INCIDENTS[(offset + index) % GENERIC_INCIDENTS.length]!).map((incident) => ({
        appIndex: Math.min(incident.appIndex, apps.length - 1),
        template: compileTemplate(incident.text),
      })),
    ];
    return {
      name: spec.name,
      index,
      apps,
      baseRate: spec.baseRate * rate * windowScale,
      shape: spec.shape,
      factors: seasonality(windowMinutes, spec),
      errors,
      errorWeight: errors.reduce((sum, error) => sum + error.weight, 0),
      incidentTemplates,
      burst: { appIndex: appIndexOf(spec.burst.app), template: compileTemplate(spec.burst.text) },
      callers: spec.callers.map((caller) => names.indexOf(caller)).filter((caller) => caller >= 0 && caller !== index),
    };
  });
}

function slotIndex(keys: SlotKeys, windowMinutes: number): number {
  const perHour = 60 / windowMinutes;
  return keys.dayOfWeek * 24 * perHour + keys.hourOfDay * perHour + keys.quarterHour;
}

function usualOf(namespace: NamespaceProfile, keys: SlotKeys, windowMinutes: number): number {
  return namespace.baseRate * (namespace.factors[slotIndex(keys, windowMinutes)] ?? 1);
}

/**
 * Expected ERROR count of a namespace in a window without any labelled event (the "usual" rate):
 * 0 before a newborn namespace's birth; natural bursts and a level shift (a labelled event) not included.
 */
export function usualRate(plan: DataSetPlan, namespace: string, windowStart: number): number {
  const profile = plan.namespaces.find((candidate) => candidate.name === namespace);
  if (!profile) throw new RangeError(`unknown namespace ${namespace}`);
  if (windowStart < (plan.namespaceLevels?.[profile.index]?.bornAtMs ?? -Infinity)) return 0;
  return usualOf(profile, plan.grid.slotOf(windowStart), plan.windowMinutes);
}

type Interval = { namespaceIndex: number; start: number; end: number };

function overlaps(intervals: readonly Interval[], candidate: Interval, marginMs: number): boolean {
  return intervals.some(
    (other) => other.namespaceIndex === candidate.namespaceIndex && candidate.start < other.end + marginMs && other.start < candidate.end + marginMs,
  );
}

/** A labelled incident before numbering; reachesThresholds is computed once every event is known. */
type DraftIncident = Omit<PlannedIncident, "id" | "reachesThresholds">;

const INCIDENT_LENGTHS = [
  { length: 1, weight: 3 },
  { length: 2, weight: 3 },
  { length: 3, weight: 3 },
  { length: 4, weight: 2 },
  { length: 5, weight: 1 },
  { length: 6, weight: 1 },
  { length: 8, weight: 1 },
];

/**
 * Heights of an ordinary incident's windows (1 = full height): 1–8 windows, half of those with 3
 * or more rising over 1–2 windows, some with a decaying last window.
 */
function drawIncidentShape(random: Random, maxLength: number): number[] {
  const length = Math.min(random.weightedPick(INCIDENT_LENGTHS, (choice) => choice.weight).length, maxLength);
  const rampLength = length >= 3 && random.chance(0.5) ? Math.min(length - 1, random.integer(1, 2)) : 0;
  const decays = length - rampLength >= 3 && random.chance(0.3);
  return Array.from({ length }, (_, index) => {
    if (index < rampLength) return (index + 1) / (rampLength + 1) - 0.1;
    if (decays && index === length - 1) return 0.45;
    return 1;
  });
}

/** Plans a data set: namespaces, rates and every labelled event. Throws RangeError on invalid options. */
export function planDataSet(options: GenerateOptions): DataSetPlan {
  const { seed, from, days, timeZone, windowMinutes } = options;
  const namespaceCount = options.namespaces ?? DEFAULT_NAMESPACE_COUNT;
  const rate = options.rate ?? 1;
  const minAbsoluteValue = options.minAbsoluteValue ?? 100;
  const dynamicMinMultiplier = options.dynamicMinMultiplier ?? 2.5;
  const minRatioMultiplier = options.minRatioMultiplier ?? 3;
  const cases = options.cases ?? false;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  if (!isIsoDate(from)) throw new RangeError(`from must be a date as YYYY-MM-DD, got "${from}"`);
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`days must be a whole number of at least 1, got ${days}`);
  if (!Number.isInteger(namespaceCount) || namespaceCount < 1) throw new RangeError(`namespaces must be a whole number of at least 1, got ${namespaceCount}`);
  if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`rate must be a positive number, got ${rate}`);
  if (!(minAbsoluteValue >= 0)) throw new RangeError(`minAbsoluteValue must be 0 or more, got ${minAbsoluteValue}`);
  if (!(dynamicMinMultiplier >= 0)) throw new RangeError(`dynamicMinMultiplier must be 0 or more, got ${dynamicMinMultiplier}`);
  if (!(minRatioMultiplier >= 0)) throw new RangeError(`minRatioMultiplier must be 0 or more, got ${minRatioMultiplier}`);
  if (cases && days < CASES_MIN_DAYS) {
    throw new RangeError(`cases need at least ${CASES_MIN_DAYS} days (an incident in the 4th week repeats one and two weeks later), got ${days}`);
  }
  if (options.outbreak && namespaceCount < OUTBREAK_NAMESPACES) {
    throw new RangeError(`an outbreak needs at least ${OUTBREAK_NAMESPACES} namespaces, got ${namespaceCount}`);
  }

  const grid = createWindowGrid(timeZone, windowMinutes);
  const dayList = Array.from({ length: days }, (_, index) => addDays(from, index));
  const fromMs = grid.localDayRange(dayList[0]!).startMs;
  const toMs = grid.localDayRange(dayList[days - 1]!).endMs;
  // The case namespaces come after the `namespaceCount` ordinary ones, which alone carry the
  // scheduled spikes, the ordinary incidents and the below-minimum spikes.
  const namespaces = buildNamespaces(seed, namespaceCount, windowMinutes, rate, cases ? CASE_NAMESPACES : []);
  const ordinaryNamespaces = namespaces.slice(0, namespaceCount);
  const windowMs = grid.windowMs;

  const detectionFirstDay = days >= FULL_DATA_SET_DAYS ? LEARNING_DAYS : days - Math.ceil(days / 3);
  const detectionFromMs = grid.localDayRange(dayList[detectionFirstDay]!).startMs;
  const detectionDays = days - detectionFirstDay;

  const events = new Map<number, WindowEvent[]>();
  const addEvent = (start: number, event: WindowEvent) => {
    const list = events.get(start);
    if (list) list.push(event);
    else events.set(start, [event]);
  };
  const taken: Interval[] = [];

  // Scheduled spikes, every (week)day from the first one.
  const scheduled: PlannedSpike[] = [];
  const addScheduled = (
    namespace: NamespaceProfile,
    schedule: { appIndex: number; hour: number; minute: number; durationMinutes: number; text: string; description: string },
    takesPlace: (keys: SlotKeys) => boolean,
    extraMean: number,
  ) => {
    const template = compileTemplate(schedule.text);
    const appIndex = Math.min(schedule.appIndex, namespace.apps.length - 1);
    const windowCount = Math.max(1, Math.ceil(schedule.durationMinutes / windowMinutes));
    const firstQuarter = Math.floor(schedule.minute / windowMinutes);
    for (const day of dayList) {
      const { startMs, endMs } = grid.localDayRange(day);
      const windows = grid.windowsBetween(startMs, endMs);
      const first = windows.findIndex((start) => {
        const keys = grid.slotOf(start);
        return keys.hourOfDay === schedule.hour && keys.quarterHour === firstQuarter;
      });
      if (first < 0) continue;
      if (!takesPlace(grid.slotOf(windows[first]!))) continue;
      const starts = windows.slice(first, first + windowCount);
      for (const start of starts) addEvent(start, { kind: "scheduled", namespaceIndex: namespace.index, appIndex, template, extraMean, id: null });
      const spike = { namespaceIndex: namespace.index, start: starts[0]!, end: starts[starts.length - 1]! + windowMs };
      taken.push(spike);
      scheduled.push({
        namespace: namespace.name,
        start: spike.start,
        end: spike.end,
        description: `${schedule.description} (${namespace.apps[appIndex]?.name})`,
      });
    }
  };
  SCHEDULES.forEach((schedule, scheduleIndex) => {
    if (scheduleIndex > 0 && namespaceCount < 2) return;
    const namespaceIndex = Math.min(schedule.namespaceIndex, namespaceCount - 1);
    if (scheduleIndex > 0 && namespaceIndex === Math.min(SCHEDULES[0].namespaceIndex, namespaceCount - 1)) return;
    const namespace = namespaces[namespaceIndex]!;
    // Both schedules fall on default namespaces (indices below 6), whose names fit the texts.
    addScheduled(namespace, schedule, (keys) => !schedule.weekdaysOnly || keys.dayOfWeek < 5, schedule.levelFactor * namespace.baseRate);
  });
  if (cases) {
    const namespace = namespaces.find((candidate) => candidate.name === NOISY_CASE_NAMESPACE)!;
    const levelFactor = createRandom(seedOf(seed, "cases", "weekly")).uniform(WEEKLY_BATCH.levelFactor.min, WEEKLY_BATCH.levelFactor.max);
    addScheduled(namespace, WEEKLY_BATCH, (keys) => keys.dayOfWeek === WEEKLY_BATCH.dayOfWeek, levelFactor * namespace.baseRate);
  }

  // Incidents, after the learning period.
  const perDay = (24 * 60) / windowMinutes;
  /** Mean usual count of the day before a window (DST ignored): what the 24-hour-average check compares with. */
  const dayAverageBefore = (namespace: NamespaceProfile, keys: SlotKeys) => {
    const week = namespace.factors.length;
    const slot = slotIndex(keys, windowMinutes);
    let sum = 0;
    for (let back = 1; back <= perDay; back += 1) sum += namespace.factors[(slot - back + week) % week] ?? 0;
    return (namespace.baseRate * sum) / perDay;
  };
  const detectionWindows = grid.windowsBetween(detectionFromMs, toMs);
  const incidents: DraftIncident[] = [];
  /**
   * Where incidents are, per namespace; other incidents keep 12 hours from them. A case
   * incident's interval starts 12 hours before it (24 hours clear before it), a level shift's runs to the end.
   */
  const incidentIntervals: Interval[] = [];
  const bornAtMs = cases
    ? planCaseIncidents({
        seed,
        grid,
        days: dayList,
        detectionFirstDay,
        toMs,
        namespaces,
        minAbsoluteValue,
        dynamicMinMultiplier,
        minRatioMultiplier,
        dayAverageBefore,
        scheduled: taken.slice(),
        incidentIntervals,
        incidents,
        addEvent,
      })
    : -Infinity;
  for (const namespace of ordinaryNamespaces) {
    const random = createRandom(seedOf(seed, "incidents", namespace.name));
    const count = 1 + random.poisson(detectionDays / 10);
    for (let number = 0; number < count; number += 1) {
      const shapes = drawIncidentShape(random, detectionWindows.length);
      const length = shapes.length;
      const target = random.logUniform(namespace.shape === null ? 4 : 6, 50);
      const { appIndex, template } = namespace.incidentTemplates[number % namespace.incidentTemplates.length]!;
      let chosen: { first: number; magnitude: number } | null = null;
      for (let attempt = 0; attempt < 400 && chosen === null; attempt += 1) {
        const first = random.integer(0, detectionWindows.length - length);
        const interval = { namespaceIndex: namespace.index, start: detectionWindows[first]!, end: detectionWindows[first + length - 1]! + windowMs };
        if (overlaps(incidentIntervals, interval, 12 * HOUR_MS) || overlaps(taken, interval, 2 * windowMs)) continue;
        // Every full-height window must clear min_absolute_value and the 24-hour-average check with room to spare.
        let magnitude = target;
        for (let index = 0; index < length; index += 1) {
          if (shapes[index] !== 1) continue;
          const keys = grid.slotOf(detectionWindows[first + index]!);
          const floor = 1.5 * Math.max(minAbsoluteValue, dynamicMinMultiplier * dayAverageBefore(namespace, keys));
          magnitude = Math.max(magnitude, floor / Math.max(usualOf(namespace, keys, windowMinutes), 1e-9));
        }
        // Above 50× the namespace is too quiet then: try another time (accept anything at the end).
        if (magnitude > 50 && attempt < 399) continue;
        chosen = { first, magnitude };
      }
      if (chosen === null) continue;
      const { first, magnitude } = chosen;
      const windows = shapes.map((shape, index) => {
        const start = detectionWindows[first + index]!;
        const usual = usualOf(namespace, grid.slotOf(start), windowMinutes);
        return { start, extraMean: (magnitude - 1) * usual * shape, fullHeight: shape === 1 };
      });
      const interval = { namespaceIndex: namespace.index, start: windows[0]!.start, end: windows[windows.length - 1]!.start + windowMs };
      incidentIntervals.push(interval);
      incidents.push({
        namespace: namespace.name,
        app: namespace.apps[appIndex]!.name,
        start: interval.start,
        end: interval.end,
        magnitude: Math.round(magnitude * 10) / 10,
        rootCause: template.text,
        windows,
        kind: cases && namespace.shape !== null ? "noisy" : "incident",
        acceptedFrom: null,
      });
      for (const window of windows)
        addEvent(window.start, { kind: "incident", namespaceIndex: namespace.index, appIndex, template, extraMean: window.extraMean, id: null });
    }
  }
  incidents.sort((left, right) => left.start - right.start || left.namespace.localeCompare(right.namespace));
  const numbered = incidents.map((incident, index) => ({ ...incident, id: `inc-${String(index + 1).padStart(3, "0")}` }));
  // Events carry the id for the documents.
  for (const incident of numbered) {
    for (const window of incident.windows) {
      for (const event of events.get(window.start) ?? []) {
        if (event.kind === "incident" && event.id === null && namespaces[event.namespaceIndex]?.name === incident.namespace) event.id = incident.id;
      }
    }
    // A level shift's errors go on after its label; no other incident of its namespace follows it.
    if (incident.kind !== "level_shift") continue;
    for (const [start, list] of events) {
      if (start < incident.end) continue;
      for (const event of list) {
        if (event.kind === "incident" && event.id === null && namespaces[event.namespaceIndex]?.name === incident.namespace) event.id = incident.id;
      }
    }
  }
  // The outbreak comes after every other incident and keeps away from them, so that they are the
  // same with and without it; its errors are drawn apart from the others' (generateDayWindows).
  const extraEvents = new Map<number, WindowEvent[]>();
  const addExtraEvent = (start: number, event: WindowEvent) => {
    const list = extraEvents.get(start);
    if (list) list.push(event);
    else extraEvents.set(start, [event]);
  };
  // What every late planner (outbreak, releases) places its incidents around.
  const placement = {
    seed,
    grid,
    detectionWindows,
    namespaces: ordinaryNamespaces,
    minAbsoluteValue,
    dynamicMinMultiplier,
    dayAverageBefore,
    scheduled: taken,
    incidentIntervals,
    cases,
    addEvent: addExtraEvent,
  };
  const addIncidents = (incidents: typeof numbered) => {
    numbered.push(...incidents);
    numbered.sort((left, right) => left.start - right.start || left.namespace.localeCompare(right.namespace));
  };
  const outbreak = options.outbreak ? planOutbreak(placement) : null;
  if (outbreak) addIncidents(outbreak.incidents);
  // The releases' incidents come last, kept away from all the others, so that those are the same with and without them.
  const plannedReleases = options.releases ? planReleases(seed, grid, dayList, detectionFirstDay, ordinaryNamespaces) : null;
  let releases: ReleasePlan | null = null;
  if (plannedReleases) {
    const placed = planReleaseIncidents({ ...placement, days: dayList, releases: plannedReleases });
    releases = { releases: placed.releases, errors: plannedReleases.errors };
    addIncidents(placed.incidents);
  }
  taken.push(...incidentIntervals);

  // Below-minimum bursts in quiet namespaces, anywhere in the range.
  const burstCap = 0.55 * minAbsoluteValue;
  const allWindows = grid.windowsBetween(fromMs, toMs);
  const belowMinimum: PlannedSpike[] = [];
  for (const namespace of ordinaryNamespaces) {
    const peakUsual = namespace.baseRate * Math.max(...namespace.factors);
    if (peakUsual * 2 > burstCap) continue;
    const random = createRandom(seedOf(seed, "bursts", namespace.name));
    const count = Math.max(1, Math.round(days / 4));
    for (let number = 0; number < count; number += 1) {
      const length = random.integer(1, 2);
      for (let attempt = 0; attempt < 200; attempt += 1) {
        const first = random.integer(0, allWindows.length - length);
        const starts = allWindows.slice(first, first + length);
        const interval = { namespaceIndex: namespace.index, start: starts[0]!, end: starts[starts.length - 1]! + windowMs };
        const usuals = starts.map((start) => usualOf(namespace, grid.slotOf(start), windowMinutes));
        // Not at night, where a burst would multiply almost nothing, and only where it can be 4× or more under the cap.
        if (Math.min(...usuals) < 0.5 * peakUsual || Math.max(...usuals) * 4 > burstCap) continue;
        if (overlaps(taken, interval, 4 * windowMs)) continue;
        const multiplier = random.uniform(4, 10);
        for (const [index, start] of starts.entries()) {
          const usual = usuals[index] ?? 0;
          const level = Math.min(multiplier * usual, burstCap);
          addEvent(start, {
            kind: "below_minimum",
            namespaceIndex: namespace.index,
            appIndex: namespace.burst.appIndex,
            template: namespace.burst.template,
            extraMean: level - usual,
            id: null,
          });
        }
        taken.push(interval);
        belowMinimum.push({ namespace: namespace.name, start: interval.start, end: interval.end, description: "client retry storm" });
        break;
      }
    }
  }
  belowMinimum.sort((left, right) => left.start - right.start || left.namespace.localeCompare(right.namespace));

  const namespaceLevels: NamespaceLevel[] | null = cases
    ? namespaces.map((namespace) => ({
        bornAtMs: namespace.name === NEWBORN_CASE_NAMESPACE ? bornAtMs : -Infinity,
        burstFactors: namespace.name === BURSTY_CASE_NAMESPACE ? naturalBursts(seed, namespace, allWindows, taken, windowMs) : new Map<number, number>(),
      }))
    : null;
  const namespaceKinds: Record<string, NamespaceKind> = {};
  for (const namespace of namespaces) {
    namespaceKinds[namespace.name] = cases && namespace.name === NEWBORN_CASE_NAMESPACE ? "newborn" : namespace.shape === null ? "steady" : "noisy";
  }

  // Whether each incident reaches the thresholds, from the expected counts of its namespace.
  const levelAt = (namespace: NamespaceProfile, start: number) =>
    start < (namespaceLevels?.[namespace.index]?.bornAtMs ?? -Infinity) ? 0 : usualOf(namespace, grid.slotOf(start), windowMinutes);
  const expectedAt = (namespace: NamespaceProfile, start: number) => {
    let expected = levelAt(namespace, start);
    for (const event of [...(events.get(start) ?? []), ...(extraEvents.get(start) ?? [])]) {
      if (event.namespaceIndex === namespace.index) expected += event.extraMean;
    }
    return expected;
  };
  /**
   * At one of its full-height windows (its highest by design: the top of a ramp, any window of a
   * level shift, whose constant extra makes every window about as high), the expected count
   * reaches max(min_absolute_value, min_ratio × the usual count, dynamic_min × the expected
   * count averaged over the 24 hours before, every planned event included).
   */
  const reachesThresholds = (incident: DraftIncident): boolean => {
    const namespace = namespaces.find((candidate) => candidate.name === incident.namespace)!;
    return incident.windows.some((window) => {
      if (!window.fullHeight) return false;
      const before = grid.windowsBetween(Math.max(fromMs, window.start - 24 * HOUR_MS), window.start);
      const average24h = before.length === 0 ? 0 : before.reduce((sum, start) => sum + expectedAt(namespace, start), 0) / before.length;
      const threshold = Math.max(minAbsoluteValue, minRatioMultiplier * levelAt(namespace, window.start), dynamicMinMultiplier * average24h);
      return expectedAt(namespace, window.start) >= threshold;
    });
  };

  return {
    seed,
    timeZone,
    windowMinutes,
    grid,
    days: dayList,
    fromMs,
    toMs,
    minAbsoluteValue,
    detectionFromMs,
    namespaces,
    incidents: numbered.map((incident) => ({ ...incident, reachesThresholds: reachesThresholds(incident) })),
    scheduled,
    belowMinimum,
    eventsByWindow: events,
    cases,
    namespaceKinds,
    namespaceLevels,
    releases,
    outbreak: outbreak?.outbreak ?? null,
    extraEventsByWindow: extraEvents,
  };
}

/** Namespaces an outbreak breaks out in. */
const OUTBREAK_NAMESPACES = 2;
const OUTBREAK_ID = "outbreak-1";
/** The shared dependency's failure: used nowhere else, logged by the deepest app of each namespace. */
const OUTBREAK_ROOT_CAUSE =
  "io.lettuce.core.RedisConnectionException: Unable to connect to shared-cache.platform.svc.cluster.local/{ip}:6379 after {ms} ms (cluster shared-cache, node {hex8})";
/** Placement attempts: the first half only where no namespace needs more than 50×, then any free windows. */
const OUTBREAK_ATTEMPTS = 1_000;

type OutbreakPlanning = {
  seed: number;
  grid: WindowGrid;
  detectionWindows: readonly number[];
  /** The ordinary namespaces (not those of `cases`). */
  namespaces: readonly NamespaceProfile[];
  minAbsoluteValue: number;
  dynamicMinMultiplier: number;
  dayAverageBefore: (namespace: NamespaceProfile, keys: SlotKeys) => number;
  /** The scheduled spikes: kept 2 windows away. */
  scheduled: readonly Interval[];
  /** Every incident placed so far: kept 12 hours away (as ordinary incidents keep from each other); the outbreak's are added. */
  incidentIntervals: Interval[];
  cases: boolean;
  addEvent: (start: number, event: WindowEvent) => void;
};

/**
 * An incident's magnitude over the usual level: `target`, raised so that every window of
 * `starts` expects 1.5 × min_absolute_value and 1.5 × dynamic_min × the 24-hour average.
 */
function incidentMagnitude(planning: OutbreakPlanning, namespace: NamespaceProfile, starts: readonly number[], target: number): number {
  return starts.reduce((magnitude, start) => {
    const keys = planning.grid.slotOf(start);
    const floor = 1.5 * Math.max(planning.minAbsoluteValue, planning.dynamicMinMultiplier * planning.dayAverageBefore(namespace, keys));
    return Math.max(magnitude, floor / Math.max(usualOf(namespace, keys, planning.grid.windowMinutes), 1e-9));
  }, target);
}

/**
 * The outbreak of option `outbreak`, from its own random source: OUTBREAK_NAMESPACES ordinary
 * namespaces hit at the same 2–4 full-height windows of the detection period by one root cause,
 * each sized as an ordinary incident (4–50 × its usual level, 6–50 in a noisy one, raised so that
 * every window expects 1.5 × its thresholds), 12 hours from their other incidents. Null when no
 * windows are free in two namespaces at once.
 */
function planOutbreak(planning: OutbreakPlanning): { outbreak: PlannedOutbreak; incidents: (DraftIncident & { id: string })[] } | null {
  const { grid, detectionWindows, namespaces, incidentIntervals } = planning;
  const random = createRandom(seedOf(planning.seed, "outbreak"));
  const windowMs = grid.windowMs;
  const length = Math.min(random.integer(2, 4), detectionWindows.length);
  const template = compileTemplate(OUTBREAK_ROOT_CAUSE);
  const magnitudeAt = (namespace: NamespaceProfile, starts: readonly number[], target: number) => incidentMagnitude(planning, namespace, starts, target);
  for (let attempt = 0; attempt < OUTBREAK_ATTEMPTS; attempt += 1) {
    const hit = shuffled(random, namespaces)
      .slice(0, OUTBREAK_NAMESPACES)
      .sort((left, right) => left.index - right.index);
    const first = random.integer(0, detectionWindows.length - length);
    const starts = detectionWindows.slice(first, first + length);
    const start = starts[0]!;
    const end = starts[starts.length - 1]! + windowMs;
    const isFree = hit.every((namespace) => {
      const interval = { namespaceIndex: namespace.index, start, end };
      return !overlaps(incidentIntervals, interval, 12 * HOUR_MS) && !overlaps(planning.scheduled, interval, 2 * windowMs);
    });
    if (!isFree) continue;
    const magnitudes = hit.map((namespace) => magnitudeAt(namespace, starts, random.logUniform(namespace.shape === null ? 4 : 6, 50)));
    if (magnitudes.some((magnitude) => magnitude > 50) && attempt < OUTBREAK_ATTEMPTS / 2) continue;
    const incidents = hit.map((namespace, index) => {
      const magnitude = magnitudes[index]!;
      const appIndex = namespace.apps.length - 1;
      const id = `${OUTBREAK_ID}-${namespace.name}`;
      const windows = starts.map((windowStart) => ({
        start: windowStart,
        extraMean: (magnitude - 1) * usualOf(namespace, grid.slotOf(windowStart), grid.windowMinutes),
        fullHeight: true,
      }));
      incidentIntervals.push({ namespaceIndex: namespace.index, start, end });
      for (const window of windows) {
        planning.addEvent(window.start, { kind: "incident", namespaceIndex: namespace.index, appIndex, template, extraMean: window.extraMean, id });
      }
      const kind: IncidentKind = planning.cases && namespace.shape !== null ? "noisy" : "incident";
      return {
        id,
        namespace: namespace.name,
        app: namespace.apps[appIndex]!.name,
        start,
        end,
        magnitude: Math.round(magnitude * 10) / 10,
        rootCause: template.text,
        windows,
        kind,
        acceptedFrom: null,
      };
    });
    return {
      outbreak: {
        id: OUTBREAK_ID,
        start,
        end,
        namespaces: hit.map((namespace) => namespace.name),
        rootCause: template.text,
        incidentIds: incidents.map((incident) => incident.id),
      },
      incidents,
    };
  }
  return null;
}

/** Share of the namespace's usual rate at which an error tied to versions is logged: well under any peak. */
const RELEASE_ERROR_SHARE = 0.12;
const INTRODUCED_ERROR = {
  appIndex: 0,
  text: 'java.lang.NullPointerException: Cannot invoke "Address.getCountry()" because "customer.billingAddress" is null\n\tat com.acme.risk.RiskScorer.score(RiskScorer.java:{n})',
};
const REGRESSION_ERROR = { appIndex: 0, text: "Stale price list {id} served from cache: expected revision {n}, found {n2}" };

/**
 * The releases of option `releases`: every ordinary namespace but the last (whose documents keep
 * no version) runs three versions, the first from before the data set, the second from a
 * planned time a quarter into the detection period, the third 65 % into it (local working
 * hours, a few minutes apart per namespace): their errors' incidents are judged, not learnt. The first namespace's second version brings an error that stays; the second
 * namespace's first version has an error its second fixes and its third brings back. Its own
 * random source: the documents of the plan without releases do not change.
 */
function planReleases(
  seed: number,
  grid: WindowGrid,
  days: readonly string[],
  detectionFirstDay: number,
  namespaces: readonly NamespaceProfile[],
): ReleasePlan {
  const versioned = namespaces.length > 1 ? namespaces.slice(0, -1) : namespaces;
  const detectionDays = days.length - detectionFirstDay;
  const releaseDays = [0.25, 0.65].map((share) => detectionFirstDay + Math.floor(detectionDays * share));
  const releases: PlannedRelease[] = [];
  const versionsOf = new Map<string, string[]>();
  for (const namespace of versioned) {
    const random = createRandom(seedOf(seed, "releases", namespace.name));
    const major = 1 + (namespace.index % 3);
    const minor = 4 + namespace.index;
    const versions = [0, 1, 2].map((step) => `${major}.${minor + step}.0`);
    versionsOf.set(namespace.name, versions);
    releases.push({ namespace: namespace.name, version: versions[0]!, at: grid.localDayRange(days[0]!).startMs - 7 * 24 * HOUR_MS });
    releaseDays.forEach((dayIndex, step) => {
      // A second release on the same (only) day goes in the afternoon.
      const hour = (step === 1 && releaseDays[0] === releaseDays[1] ? 14 : 9) + random.integer(0, 3);
      const at = grid.localDayRange(days[dayIndex]!).startMs + hour * HOUR_MS + random.integer(0, 59) * 60_000;
      releases.push({ namespace: namespace.name, version: versions[step + 1]!, at });
    });
  }
  const errors: ReleaseError[] = [];
  const first = versioned[0]!;
  const second = versioned[1] ?? first;
  const appOf = (namespace: NamespaceProfile, index: number) => namespace.apps[Math.min(index, namespace.apps.length - 1)]!.name;
  errors.push({
    id: `release-introduced-${first.name}`,
    kind: "introduced",
    namespace: first.name,
    app: appOf(first, INTRODUCED_ERROR.appIndex),
    rootCause: INTRODUCED_ERROR.text,
    versions: versionsOf.get(first.name)!.slice(1),
    share: RELEASE_ERROR_SHARE,
  });
  const secondVersions = versionsOf.get(second.name)!;
  errors.push({
    id: `release-regression-${second.name}`,
    kind: "regression",
    namespace: second.name,
    app: appOf(second, REGRESSION_ERROR.appIndex),
    rootCause: REGRESSION_ERROR.text,
    versions: [secondVersions[0]!, secondVersions[2]!],
    share: RELEASE_ERROR_SHARE,
  });
  return { releases, errors };
}

/** How soon after its release an error's incident starts at the latest (ms): within the lookback that calls a version new. */
const RELEASE_INCIDENT_WITHIN_MS = 2 * HOUR_MS;
/** The id of the incident of an error tied to versions. */
export const releaseIncidentId = (error: Pick<ReleaseError, "id">) => `${error.id}-incident`;

/** The id of the earlier incident of a regressing error, in the version before the one that stops it. */
export const firstReleaseIncidentId = (error: Pick<ReleaseError, "id">) => `${error.id}-first-incident`;

/**
 * The incidents of the errors tied to versions (option `releases`), from their own random
 * source: the introduced error bursts shortly after the release that brings it, the regressing
 * one shortly after the release that brings it back (its third version), 2–4 full-height
 * windows starting within RELEASE_INCIDENT_WITHIN_MS of the release, and once more in its first
 * version within the detection period (so that its problem has errors in both versions), each
 * sized as an ordinary incident and 12 hours from the namespace's other incidents. Where the
 * planned release leaves no such windows free, the release moves to another working hour
 * (9:00–16:59) of its day or of a later one, before the namespace's next release (12 hours) or
 * the data set's end. An incident without free windows is left out. Returns the releases as they
 * end up.
 */
function planReleaseIncidents(planning: OutbreakPlanning & { days: readonly string[]; releases: ReleasePlan }): {
  releases: PlannedRelease[];
  incidents: (DraftIncident & { id: string })[];
} {
  const { grid, detectionWindows, incidentIntervals } = planning;
  const windowMs = grid.windowMs;
  const releases = planning.releases.releases.map((release) => ({ ...release }));
  const incidents: (DraftIncident & { id: string })[] = [];
  for (const error of planning.releases.errors) {
    const random = createRandom(seedOf(planning.seed, "release-incidents", error.id));
    const namespace = planning.namespaces.find((candidate) => candidate.name === error.namespace)!;
    const appIndex = namespace.apps.findIndex((app) => app.name === error.app);
    const template = compileTemplate(error.rootCause);
    const length = random.integer(2, 4);
    /** The first free `length` windows among those starting at `firsts` (indexes of detectionWindows), in random order, as a labelled incident. */
    const place = (id: string, firsts: readonly number[]): (DraftIncident & { id: string }) | null => {
      for (const first of shuffled(random, firsts)) {
        const starts = detectionWindows.slice(first, first + length);
        const interval = { namespaceIndex: namespace.index, start: starts[0]!, end: starts[starts.length - 1]! + windowMs };
        if (overlaps(incidentIntervals, interval, 12 * HOUR_MS) || overlaps(planning.scheduled, interval, 2 * windowMs)) continue;
        const magnitude = incidentMagnitude(planning, namespace, starts, random.logUniform(namespace.shape === null ? 4 : 6, 50));
        const windows = starts.map((start) => ({
          start,
          extraMean: (magnitude - 1) * usualOf(namespace, grid.slotOf(start), grid.windowMinutes),
          fullHeight: true,
        }));
        incidentIntervals.push(interval);
        for (const window of windows)
          planning.addEvent(window.start, { kind: "incident", namespaceIndex: namespace.index, appIndex, template, extraMean: window.extraMean, id });
        return {
          id,
          namespace: namespace.name,
          app: error.app,
          start: interval.start,
          end: interval.end,
          magnitude: Math.round(magnitude * 10) / 10,
          rootCause: error.rootCause,
          windows,
          kind: planning.cases && namespace.shape !== null ? "noisy" : "incident",
          acceptedFrom: null,
        };
      }
      return null;
    };
    const firstsWhere = (isFirst: (start: number) => boolean) =>
      detectionWindows.flatMap((start, index) => (isFirst(start) && index + length <= detectionWindows.length ? [index] : []));
    // The release it follows: the first of its versions released within the data set for an introduced error, the one it comes back with for a regression.
    const version = error.kind === "introduced" ? error.versions[0]! : error.versions[error.versions.length - 1]!;
    const own = releases.filter((candidate) => candidate.namespace === error.namespace);
    const release = own.find((candidate) => candidate.version === version)!;
    const next = own[own.indexOf(release) + 1];
    const latestMs = next ? next.at - 12 * HOUR_MS : Infinity;
    const minuteMs = (release.at - grid.windowStartOf(release.at)) % HOUR_MS;
    const firstDay = planning.days.indexOf(grid.localDateOf(release.at));
    const times = [release.at];
    for (let day = firstDay; day >= 0 && day < planning.days.length; day += 1) {
      const dayStart = grid.localDayRange(planning.days[day]!).startMs;
      for (let hour = 9; hour < 17; hour += 1) {
        const at = dayStart + hour * HOUR_MS + minuteMs;
        if (at >= release.at && at < latestMs) times.push(at);
      }
    }
    for (const at of times) {
      const placed = place(
        releaseIncidentId(error),
        firstsWhere((start) => start > at && start - at <= RELEASE_INCIDENT_WITHIN_MS),
      );
      if (!placed) continue;
      release.at = at;
      incidents.push(placed);
      break;
    }
    if (error.kind !== "regression") continue;
    // Its first version runs until the namespace's next release: the earlier incident ends before it.
    const stopping = own[own.findIndex((candidate) => candidate.version === error.versions[0]) + 1]!;
    const earlier = place(
      firstReleaseIncidentId(error),
      firstsWhere((start) => start + length * windowMs <= stopping.at),
    );
    if (earlier) incidents.push(earlier);
  }
  return { releases, incidents };
}

/** The version a namespace runs at an instant (UTC ms); null for a namespace without versions or without a plan. */
export function versionAt(plan: Pick<DataSetPlan, "releases">, namespace: string, timestamp: number): string | null {
  let version: string | null = null;
  for (const release of plan.releases?.releases ?? []) {
    if (release.namespace === namespace && release.at <= timestamp) version = release.version;
  }
  return version;
}

/** Chance that a natural burst starts in a window of the bursty namespace (about one a day with 15-minute windows). */
const NATURAL_BURST_CHANCE = 1 / 96;

/**
 * Unlabelled natural bursts of an overdispersed namespace: a lognormal factor of the mean
 * (median 1.8) over 1–3 windows, away from its labelled events by a window. Factor per window start.
 */
function naturalBursts(
  seed: number,
  namespace: NamespaceProfile,
  windows: readonly number[],
  labelled: readonly Interval[],
  windowMs: number,
): Map<number, number> {
  const random = createRandom(seedOf(seed, "natural-bursts", namespace.name));
  const factors = new Map<number, number>();
  for (let index = 0; index < windows.length; index += 1) {
    if (!random.chance(NATURAL_BURST_CHANCE)) continue;
    const length = random.integer(1, 3);
    const factor = Math.exp(random.normal(Math.log(1.8), 0.35));
    const starts = windows.slice(index, index + length);
    if (overlaps(labelled, { namespaceIndex: namespace.index, start: starts[0]!, end: starts[starts.length - 1]! + windowMs }, windowMs)) continue;
    for (const start of starts) factors.set(start, factor);
    // Bursts do not overlap: go on after this one.
    index += length;
  }
  return factors;
}

type CasePlanning = {
  seed: number;
  grid: WindowGrid;
  days: readonly string[];
  detectionFirstDay: number;
  toMs: number;
  namespaces: readonly NamespaceProfile[];
  minAbsoluteValue: number;
  dynamicMinMultiplier: number;
  minRatioMultiplier: number;
  dayAverageBefore: (namespace: NamespaceProfile, keys: SlotKeys) => number;
  /** The scheduled spikes (incidents keep 2 windows from them). */
  scheduled: readonly Interval[];
  /** Filled: every placed incident, and a level shift's namespace from its start to the end. */
  incidentIntervals: Interval[];
  incidents: DraftIncident[];
  addEvent: (start: number, event: WindowEvent) => void;
};

/** Placement attempts per case: half of them demanding (reaching the thresholds with room), then any free place. */
const CASE_ATTEMPTS = 1_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Places the test-case incidents of `cases` (see the top of this file), most constrained first:
 * repeats, level shift, newborn, DST, midnight, ramp, moderate, noisy. Each case draws from its
 * own random stream. Returns the birth instant of the newborn namespace.
 */
function planCaseIncidents(planning: CasePlanning): number {
  const { seed, grid, days, detectionFirstDay, toMs, namespaces, minAbsoluteValue, dynamicMinMultiplier, minRatioMultiplier, dayAverageBefore } = planning;
  const { incidentIntervals, incidents, addEvent } = planning;
  const windowMs = grid.windowMs;
  const windowMinutes = grid.windowMinutes;
  const dayStart = (index: number) => grid.localDayRange(days[index]!).startMs;
  const detectionFromMs = dayStart(detectionFirstDay);
  const detectionWindows = grid.windowsBetween(detectionFromMs, toMs);
  const newborn = namespaces.find((namespace) => namespace.name === NEWBORN_CASE_NAMESPACE)!;
  const noisy = namespaces.filter((namespace) => namespace.name === NOISY_CASE_NAMESPACE || namespace.name === BURSTY_CASE_NAMESPACE);
  const steady = namespaces.filter((namespace) => namespace.shape === null && namespace !== newborn);

  const usualAt = (namespace: NamespaceProfile, start: number) => usualOf(namespace, grid.slotOf(start), windowMinutes);
  const averageBefore = (namespace: NamespaceProfile, start: number) => dayAverageBefore(namespace, grid.slotOf(start));
  /** What a full-height window of a detectable incident expects at least, as for ordinary incidents. */
  const detectableFloor = (namespace: NamespaceProfile, start: number) =>
    1.5 * Math.max(minAbsoluteValue, dynamicMinMultiplier * averageBefore(namespace, start));
  /** Magnitude at which every full-height window reaches its floor. */
  const requiredMagnitude = (namespace: NamespaceProfile, starts: readonly number[], heights: readonly number[]) =>
    starts.reduce(
      (required, start, index) =>
        heights[index] === 1 ? Math.max(required, detectableFloor(namespace, start) / Math.max(usualAt(namespace, start), 1e-9)) : required,
      0,
    );
  // A case incident keeps the 24 hours before it free of other incidents of its namespace, whose
  // errors would raise the 24-hour average it is compared with, and 12 hours after it. Its
  // interval is stored from 12 hours before its start, so the 12-hour margin of later
  // placements (ordinary incidents too) keeps them that far.
  const clearOfIncidents = (namespace: NamespaceProfile, start: number, end: number) =>
    !overlaps(incidentIntervals, { namespaceIndex: namespace.index, start: start - 12 * HOUR_MS, end }, 12 * HOUR_MS);
  const clearOfScheduled = (namespace: NamespaceProfile, start: number, end: number) =>
    !overlaps(planning.scheduled, { namespaceIndex: namespace.index, start, end }, 2 * windowMs);
  const isFree = (namespace: NamespaceProfile, starts: readonly number[]) => {
    const end = starts[starts.length - 1]! + windowMs;
    return clearOfIncidents(namespace, starts[0]!, end) && clearOfScheduled(namespace, starts[0]!, end);
  };

  let rootCauses = 0;
  const nextRootCause = (namespace: NamespaceProfile) => {
    const cause = CASE_ROOT_CAUSES[rootCauses % CASE_ROOT_CAUSES.length]!;
    rootCauses += 1;
    return { appIndex: Math.min(cause.appIndex, namespace.apps.length - 1), template: compileTemplate(cause.text) };
  };
  type Root = { appIndex: number; template: CompiledTemplate };
  /** Labels an incident and adds its extra errors; `extraMeans` per window of `starts`. */
  const add = (
    kind: IncidentKind,
    namespace: NamespaceProfile,
    root: Root,
    starts: readonly number[],
    extraMeans: readonly number[],
    fullHeight: readonly boolean[],
    magnitude: number,
    acceptedFrom: number | null = null,
  ) => {
    const windows = starts.map((start, index) => ({ start, extraMean: extraMeans[index]!, fullHeight: fullHeight[index]! }));
    const start = starts[0]!;
    const end = starts[starts.length - 1]! + windowMs;
    incidentIntervals.push({ namespaceIndex: namespace.index, start: start - 12 * HOUR_MS, end });
    incidents.push({
      namespace: namespace.name,
      app: namespace.apps[root.appIndex]!.name,
      start,
      end,
      magnitude: Math.round(magnitude * 10) / 10,
      rootCause: root.template.text,
      windows,
      kind,
      acceptedFrom,
    });
    for (const window of windows) {
      addEvent(window.start, {
        kind: "incident",
        namespaceIndex: namespace.index,
        appIndex: root.appIndex,
        template: root.template,
        extraMean: window.extraMean,
        id: null,
      });
    }
  };
  /** An incident whose windows have `heights` × (magnitude − 1) × the usual count on top of it. */
  const addShaped = (kind: IncidentKind, namespace: NamespaceProfile, root: Root, starts: readonly number[], heights: readonly number[], magnitude: number) =>
    add(
      kind,
      namespace,
      root,
      starts,
      starts.map((start, index) => (magnitude - 1) * usualAt(namespace, start) * heights[index]!),
      heights.map((height) => height === 1),
      magnitude,
    );
  const fullHeights = (length: number) => Array.from({ length }, () => 1);
  const sameSlot = (left: SlotKeys, right: SlotKeys) =>
    left.dayOfWeek === right.dayOfWeek && left.hourOfDay === right.hourOfDay && left.quarterHour === right.quarterHour;
  /** The windows with the same local slots `weeks` weeks later, or null (outside the set, or a DST change in between shifts them). */
  const sameSlotsWeeksLater = (starts: readonly number[], weeks: number): number[] | null => {
    const date = addDays(grid.localDateOf(starts[0]!), 7 * weeks);
    if (!days.includes(date)) return null;
    const firstKeys = grid.slotOf(starts[0]!);
    const { startMs, endMs } = grid.localDayRange(date);
    const first = grid.windowsBetween(startMs, endMs).find((start) => sameSlot(grid.slotOf(start), firstKeys));
    if (first === undefined) return null;
    const copy = starts.map((_, index) => first + index * windowMs);
    if (copy[copy.length - 1]! + windowMs > toMs) return null;
    return copy.every((start, index) => sameSlot(grid.slotOf(start), grid.slotOf(starts[index]!))) ? copy : null;
  };

  // Repeats: an ordinary incident in the 4th week, again one and two weeks later.
  if (steady.length > 0) {
    const random = createRandom(seedOf(seed, "cases", "repeat"));
    const fourthWeek = grid.windowsBetween(dayStart(detectionFirstDay), dayStart(detectionFirstDay + 7));
    const heights = drawIncidentShape(random, fourthWeek.length);
    const target = random.logUniform(4, 50);
    for (let attempt = 0; attempt < CASE_ATTEMPTS; attempt += 1) {
      const namespace = random.pick(steady);
      const first = random.integer(0, fourthWeek.length - heights.length);
      const original = fourthWeek.slice(first, first + heights.length);
      const weekLater = sameSlotsWeeksLater(original, 1);
      const twoWeeksLater = sameSlotsWeeksLater(original, 2);
      if (weekLater === null || twoWeeksLater === null) continue;
      if (![original, weekLater, twoWeeksLater].every((starts) => isFree(namespace, starts))) continue;
      const magnitude = Math.max(target, requiredMagnitude(namespace, original, heights));
      if (magnitude > 50) continue;
      const root = nextRootCause(namespace);
      addShaped("incident", namespace, root, original, heights, magnitude);
      addShaped("repeat", namespace, root, weekLater, heights, magnitude);
      addShaped("repeat", namespace, root, twoWeeksLater, heights, magnitude);
      break;
    }
  }

  // Level shift: from T on, + factor × the base rate for good; labelled for its first 4 hours.
  if (steady.length > 0) {
    const random = createRandom(seedOf(seed, "cases", "level_shift"));
    const factor = random.uniform(3, 6);
    const candidates = grid.windowsBetween(Math.max(detectionFromMs, toMs - 14 * DAY_MS), toMs - 8 * DAY_MS + 1);
    for (let attempt = 0; attempt < CASE_ATTEMPTS && candidates.length > 0; attempt += 1) {
      const namespace = random.pick(steady);
      const shiftStart = random.pick(candidates);
      const labelStarts = grid.windowsBetween(shiftStart, shiftStart + LEVEL_SHIFT_LABEL_MS);
      if (!clearOfIncidents(namespace, shiftStart, toMs) || !clearOfScheduled(namespace, shiftStart, shiftStart + LEVEL_SHIFT_LABEL_MS)) continue;
      const extra = factor * namespace.baseRate;
      const usual = usualAt(namespace, shiftStart);
      const threshold = Math.max(minAbsoluteValue, minRatioMultiplier * usual, dynamicMinMultiplier * averageBefore(namespace, shiftStart));
      if (usual + extra < 1.2 * threshold && attempt < CASE_ATTEMPTS / 2) continue;
      const root = nextRootCause(namespace);
      add(
        "level_shift",
        namespace,
        root,
        labelStarts,
        labelStarts.map(() => extra),
        labelStarts.map(() => true),
        (usual + extra) / Math.max(usual, 1e-9),
        shiftStart,
      );
      for (const start of grid.windowsBetween(shiftStart + LEVEL_SHIFT_LABEL_MS, toMs)) {
        addEvent(start, { kind: "incident", namespaceIndex: namespace.index, appIndex: root.appIndex, template: root.template, extraMean: extra, id: null });
      }
      // Nothing else is labelled in this namespace after the shift.
      incidentIntervals.push({ namespaceIndex: namespace.index, start: shiftStart - 12 * HOUR_MS, end: toMs });
      break;
    }
  }

  // Newborn: no history before its birth day (with at least 4 days after it), an incident on its third day.
  const newbornRandom = createRandom(seedOf(seed, "cases", "newborn"));
  const birthDay = newbornRandom.integer(detectionFirstDay, days.length - 5);
  {
    const thirdDay = grid.windowsBetween(dayStart(birthDay + 2), dayStart(birthDay + 3));
    const length = newbornRandom.integer(1, 4);
    const target = newbornRandom.uniform(8, 20);
    const root = newborn.incidentTemplates[0]!;
    for (let attempt = 0; attempt < CASE_ATTEMPTS; attempt += 1) {
      const first = newbornRandom.integer(0, thirdDay.length - length);
      const starts = thirdDay.slice(first, first + length);
      const magnitude = Math.max(target, requiredMagnitude(newborn, starts, fullHeights(length)));
      if (magnitude > 20 || !isFree(newborn, starts)) continue;
      addShaped("newborn", newborn, root, starts, fullHeights(length), magnitude);
      break;
    }
  }

  // DST: local 01:30–03:30 in Europe (in general: half an hour either side of the skipped hour, or
  // of both passes of the repeated one).
  const change = dstChangeIn(grid, days.slice(detectionFirstDay));
  if (change !== null && steady.length > 0) {
    const random = createRandom(seedOf(seed, "cases", "dst"));
    const halfHourMs = 30 * 60_000;
    const fromInstant = change.shiftMs > 0 ? change.atMs - halfHourMs : change.atMs + change.shiftMs - halfHourMs;
    const toInstant = change.shiftMs > 0 ? change.atMs + halfHourMs : change.atMs - change.shiftMs + halfHourMs;
    const starts = grid.windowsBetween(grid.windowStartOf(fromInstant), toInstant);
    const target = random.logUniform(4, 50);
    const inSet = starts[0]! >= detectionFromMs && starts[starts.length - 1]! + windowMs <= toMs;
    const candidates = shuffled(random, steady)
      .filter((namespace) => inSet && isFree(namespace, starts))
      .map((namespace) => ({ namespace, magnitude: Math.max(target, requiredMagnitude(namespace, starts, fullHeights(starts.length))) }));
    // The first that needs no more than 50×, else the one that needs least.
    const chosen = candidates.find((candidate) => candidate.magnitude <= 50) ?? candidates.sort((left, right) => left.magnitude - right.magnitude)[0];
    if (chosen) addShaped("dst", chosen.namespace, nextRootCause(chosen.namespace), starts, fullHeights(starts.length), chosen.magnitude);
  }

  // Across local midnight: 2–4 windows on either side.
  if (steady.length > 0) {
    const random = createRandom(seedOf(seed, "cases", "midnight"));
    for (let attempt = 0; attempt < CASE_ATTEMPTS; attempt += 1) {
      const namespace = random.pick(steady);
      const midnight = dayStart(random.integer(detectionFirstDay + 1, days.length - 1));
      const before = random.integer(2, 4);
      const after = random.integer(2, 4);
      const target = random.logUniform(4, 50);
      const starts = grid.windowsBetween(midnight - before * windowMs, midnight + after * windowMs);
      if (grid.localDateOf(starts[0]!) === grid.localDateOf(midnight) || !isFree(namespace, starts)) continue;
      const magnitude = Math.max(target, requiredMagnitude(namespace, starts, fullHeights(starts.length)));
      if (magnitude > 50) continue;
      addShaped("midnight", namespace, nextRootCause(namespace), starts, fullHeights(starts.length), magnitude);
      break;
    }
  }

  // Slow ramp: extra errors growing linearly over 3–4 hours to 8–12 × the usual level, then gone.
  if (steady.length > 0) {
    const random = createRandom(seedOf(seed, "cases", "ramp"));
    const magnitude = random.uniform(8, 12);
    const length = Math.max(3, Math.round((random.uniform(3, 4) * 60) / windowMinutes));
    for (let attempt = 0; attempt < CASE_ATTEMPTS; attempt += 1) {
      const namespace = random.pick(steady);
      const last = random.integer(length - 1, detectionWindows.length - 1);
      const starts = detectionWindows.slice(last - length + 1, last + 1);
      const top = usualAt(namespace, starts[length - 1]!);
      // Where the usual level is about flat, so that the extra errors, not the daily curve, make the ramp.
      const usuals = starts.map((start) => usualAt(namespace, start));
      if (Math.min(...usuals) < 0.75 * top || Math.max(...usuals) > 1.25 * top) continue;
      if (magnitude * top < detectableFloor(namespace, starts[length - 1]!) || !isFree(namespace, starts)) continue;
      add(
        "ramp",
        namespace,
        nextRootCause(namespace),
        starts,
        starts.map((_, index) => ((index + 1) / length) * (magnitude - 1) * top),
        starts.map((_, index) => index === length - 1),
        magnitude,
      );
      break;
    }
  }

  // Moderate: 3.5–6 × the usual level, just above min_absolute_value and the 24-hour-average check.
  const canBeModerate = steady.filter((namespace) => 6 * namespace.baseRate * Math.max(...namespace.factors) >= 1.1 * minAbsoluteValue);
  if (canBeModerate.length > 0) {
    const random = createRandom(seedOf(seed, "cases", "moderate"));
    const count = random.integer(4, 6);
    for (let number = 0; number < count; number += 1) {
      for (let attempt = 0; attempt < CASE_ATTEMPTS; attempt += 1) {
        const namespace = random.pick(canBeModerate);
        const length = random.integer(1, 3);
        const magnitude = random.uniform(3.5, 6);
        const first = random.integer(0, detectionWindows.length - length);
        const starts = detectionWindows.slice(first, first + length);
        const nearThresholds = starts.every((start) => {
          const expected = magnitude * usualAt(namespace, start);
          return expected >= 1.1 * minAbsoluteValue && expected >= 1.2 * dynamicMinMultiplier * averageBefore(namespace, start);
        });
        if (!nearThresholds || !isFree(namespace, starts)) continue;
        addShaped("moderate", namespace, nextRootCause(namespace), starts, fullHeights(length), magnitude);
        break;
      }
    }
  }

  // Real incidents of 8–30× in the noisy namespaces.
  for (const namespace of noisy) {
    const random = createRandom(seedOf(seed, "cases", "noisy", namespace.name));
    const count = random.integer(1, 2);
    for (let number = 0; number < count; number += 1) {
      const heights = drawIncidentShape(random, detectionWindows.length);
      const target = random.logUniform(8, 30);
      const root = namespace.incidentTemplates[number % namespace.incidentTemplates.length]!;
      for (let attempt = 0; attempt < CASE_ATTEMPTS; attempt += 1) {
        const first = random.integer(0, detectionWindows.length - heights.length);
        const starts = detectionWindows.slice(first, first + heights.length);
        const magnitude = Math.max(target, requiredMagnitude(namespace, starts, heights));
        if (magnitude > 30 || !isFree(namespace, starts)) continue;
        addShaped("noisy", namespace, root, starts, heights, magnitude);
        break;
      }
    }
  }

  return dayStart(birthDay);
}

/** How long a level shift is labelled (flagged) before it counts as the new normal. */
const LEVEL_SHIFT_LABEL_MS = 4 * HOUR_MS;

/** The first DST change on one of `days`: its instant and the change of the UTC offset (+1 h in spring), or null. */
function dstChangeIn(grid: WindowGrid, days: readonly string[]): { atMs: number; shiftMs: number } | null {
  const quarterMs = 15 * 60_000;
  for (const day of days) {
    const { startMs, endMs } = grid.localDayRange(day);
    if (endMs - startMs === DAY_MS) continue;
    // Offsets change on whole quarter hours.
    for (let instant = startMs; instant < endMs; instant += quarterMs) {
      const shiftMs = grid.offsetAt(instant) - grid.offsetAt(instant - quarterMs);
      if (shiftMs !== 0) return { atMs: instant, shiftMs };
    }
  }
  return null;
}

/** A shuffled copy (Fisher–Yates). */
function shuffled<T>(random: Random, items: readonly T[]): T[] {
  const copy = items.slice();
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = random.integer(0, index);
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}

/**
 * The ground truth of a plan, in the shape of labels.json (labelsSchema); the case fields only
 * with `cases`, the releases only with `releases`, the outbreaks only with `outbreak`.
 */
export function labelsOf(plan: DataSetPlan): Labels {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    timezone: plan.timeZone,
    window_minutes: plan.windowMinutes,
    from: iso(plan.fromMs),
    to: iso(plan.toMs),
    seed: plan.seed,
    namespaces: plan.namespaces.map((namespace) => namespace.name),
    ...(plan.cases ? { namespace_kinds: { ...plan.namespaceKinds } } : {}),
    incidents: plan.incidents.map((incident) => ({
      id: incident.id,
      namespace: incident.namespace,
      start: iso(incident.start),
      end: iso(incident.end),
      magnitude: incident.magnitude,
      root_cause: incident.rootCause,
      app: incident.app,
      ...(plan.cases
        ? {
            kind: incident.kind,
            reaches_thresholds: incident.reachesThresholds,
            ...(incident.acceptedFrom === null ? {} : { accepted_from: iso(incident.acceptedFrom) }),
          }
        : {}),
    })),
    scheduled: plan.scheduled.map((spike) => ({ namespace: spike.namespace, start: iso(spike.start), end: iso(spike.end), description: spike.description })),
    below_minimum: plan.belowMinimum.map((spike) => ({ namespace: spike.namespace, start: iso(spike.start), end: iso(spike.end) })),
    ...(plan.releases
      ? {
          releases: plan.releases.releases.map((release) => ({ namespace: release.namespace, version: release.version, at: iso(release.at) })),
          release_errors: plan.releases.errors.map((error) => ({
            id: error.id,
            kind: error.kind,
            namespace: error.namespace,
            app: error.app,
            root_cause: error.rootCause,
            versions: [...error.versions],
            incidents: plan.incidents
              .filter((incident) => incident.id === releaseIncidentId(error) || incident.id === firstReleaseIncidentId(error))
              .map((incident) => incident.id),
          })),
        }
      : {}),
    ...(plan.outbreak
      ? {
          outbreaks: [
            {
              id: plan.outbreak.id,
              start: iso(plan.outbreak.start),
              end: iso(plan.outbreak.end),
              namespaces: [...plan.outbreak.namespaces],
              root_cause: plan.outbreak.rootCause,
              incidents: [...plan.outbreak.incidentIds],
            },
          ],
        }
      : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Documents

const TRACED_SHARE: Record<Exclude<DocumentOrigin, "log">, number> = { baseline: 0.88, incident: 0.97, scheduled: 0.3, below_minimum: 0.9, release: 0.9 };
/** Chance that the next caller up the chain logs an error too. */
const PROPAGATION_CHANCE: Record<Exclude<DocumentOrigin, "log">, number> = { baseline: 0.55, incident: 0.8, scheduled: 0.2, below_minimum: 0, release: 0 };
const CROSS_NAMESPACE_CHANCE = 0.3;
/** Share of a calling namespace's count set aside for propagation errors of the namespaces it calls. */
const CROSS_RESERVE_SHARE = 0.12;
const NON_ERROR_SHARE = 0.1;
const HIT_SHARE = 0.05;
const LOCAL_TIME_SHARE = 0.05;

/**
 * Generates one local day of the plan window by window: each yielded batch holds the documents of
 * one window sorted by timestamp (ties in generation order), and the batches come in time order,
 * so that the concatenation is the day sorted by time (no trace crosses a window). Memory stays
 * bounded by one window whatever the rate.
 */
export function* generateDayWindows(plan: DataSetPlan, date: string): Generator<GeneratedDocument[]> {
  if (!plan.days.includes(date)) throw new RangeError(`${date} is not a day of this data set (${plan.days[0]} … ${plan.days[plan.days.length - 1]})`);
  const { grid, namespaces } = plan;
  const random = createRandom(seedOf(plan.seed, "day", date));
  const dayRandom = random;
  const { startMs, endMs } = grid.localDayRange(date);
  const windowMs = grid.windowMs;
  let documents: GeneratedDocument[] = [];
  const pickError = (namespace: NamespaceProfile): WeightedTemplate => {
    let target = random.next() * namespace.errorWeight;
    for (const error of namespace.errors) {
      if (target < error.weight) return error;
      target -= error.weight;
    }
    return namespace.errors[namespace.errors.length - 1]!;
  };
  const isCaller = namespaces.map((namespace) => namespaces.some((other) => other.callers.includes(namespace.index)));
  // Each namespace's releases, oldest first (option `releases`; none without).
  const releasesOf = new Map<string, PlannedRelease[]>();
  for (const release of plan.releases?.releases ?? []) {
    const list = releasesOf.get(release.namespace);
    if (list) list.push(release);
    else releasesOf.set(release.namespace, [release]);
  }
  const versionOf = (namespace: string, timestamp: number): string | null => {
    let version: string | null = null;
    for (const release of releasesOf.get(namespace) ?? []) if (release.at <= timestamp) version = release.version;
    return version;
  };

  const makeDocument = (
    namespace: NamespaceProfile,
    appIndex: number,
    template: CompiledTemplate,
    level: DocumentLevel,
    timestamp: number,
    traceId: string | null,
    origin: DocumentOrigin,
    eventId: string | null,
    callee: string,
    withAppLabel = true,
    // The errors tied to versions draw from their own source, so that the others stay as they were.
    random: Random = dayRandom,
  ): GeneratedDocument => {
    const app = namespace.apps[appIndex]!;
    const message = fillTemplate(template, random, { app: app.name, callee, timestamp });
    const isLocal =
      random.chance(LOCAL_TIME_SHARE) &&
      grid.offsetAt(timestamp - 2 * HOUR_MS) === grid.offsetAt(timestamp) &&
      grid.offsetAt(timestamp + 2 * HOUR_MS) === grid.offsetAt(timestamp);
    const utc = new Date(timestamp).toISOString();
    let timestampText = utc;
    if (isLocal) {
      const local = new Date(timestamp + grid.offsetAt(timestamp)).toISOString();
      timestampText = `${local.slice(0, 10)} ${local.slice(11, 23)}`;
    }
    let hit: GeneratedDocument["hit"] = null;
    if (random.chance(HIT_SHARE)) {
      let id = "";
      for (let index = 0; index < 20; index += 1) id += ID_CHARS[Math.floor(random.next() * ID_CHARS.length)];
      hit = { index: `logs-${utc.slice(0, 4)}.${utc.slice(5, 7)}.${utc.slice(8, 10)}`, id };
    }
    return {
      timestamp,
      timestampText,
      namespace: namespace.name,
      app: withAppLabel ? app.name : null,
      pod: random.pick(app.pods),
      level,
      message,
      traceId,
      hit,
      origin,
      eventId,
      version: versionOf(namespace.name, timestamp),
    };
  };

  /** Emits `count` ERROR documents rooted in `namespace` as traces; returns nothing, consumes `reserve` of callers. */
  const emitErrors = (
    namespace: NamespaceProfile,
    count: number,
    windowStart: number,
    origin: Exclude<DocumentOrigin, "log">,
    root: () => { appIndex: number; template: CompiledTemplate },
    eventId: string | null,
    reserve: number[] | null,
    // The outbreak draws from its own source, so that the other documents stay as they were.
    random: Random = dayRandom,
  ) => {
    let remaining = count;
    while (remaining > 0) {
      const { appIndex, template } = root();
      let time = windowStart + random.integer(0, windowMs - TRACE_ROOM_MS - 1);
      const traced = random.chance(TRACED_SHARE[origin]);
      const traceId = traced ? random.hex(32) : null;
      // A few untraced ordinary errors come from pods without the app label.
      const withAppLabel = traced || origin !== "baseline" || !random.chance(0.05);
      documents.push(
        makeDocument(namespace, appIndex, template, "ERROR", time, traceId, origin, eventId, namespace.apps[appIndex + 1]?.name ?? "db", withAppLabel, random),
      );
      remaining -= 1;
      if (!traced) continue;
      // Callers inside the namespace, from the failing app up to the edge.
      let caller = appIndex - 1;
      let callee = appIndex;
      while (caller >= 0 && remaining > 0 && random.chance(PROPAGATION_CHANCE[origin])) {
        time += random.integer(1, MAX_HOP_MS);
        const app = namespace.apps[caller]!;
        documents.push(
          makeDocument(namespace, caller, random.pick(app.propagation), "ERROR", time, traceId, origin, eventId, namespace.apps[callee]!.name, true, random),
        );
        remaining -= 1;
        callee = caller;
        caller -= 1;
      }
      // A calling namespace, out of its reserve, when the failure reached the edge.
      if (reserve && callee === 0 && namespace.callers.length > 0 && random.chance(CROSS_NAMESPACE_CHANCE)) {
        const callerIndex = random.pick(namespace.callers);
        if ((reserve[callerIndex] ?? 0) > 0) {
          reserve[callerIndex] = (reserve[callerIndex] ?? 0) - 1;
          const callerNamespace = namespaces[callerIndex]!;
          time += random.integer(1, MAX_HOP_MS);
          const edge = callerNamespace.apps[0]!;
          documents.push(
            makeDocument(callerNamespace, 0, random.pick(edge.propagation), "ERROR", time, traceId, "baseline", null, namespace.apps[0]!.name, true, random),
          );
        }
      }
    }
  };

  // The errors tied to versions (option `releases`) and their own random source.
  const releaseRandom = createRandom(seedOf(plan.seed, "release-errors", date));
  const releaseErrors = (plan.releases?.errors ?? []).map((error) => {
    const namespace = namespaces.find((candidate) => candidate.name === error.namespace)!;
    return { ...error, profile: namespace, appIndex: namespace.apps.findIndex((app) => app.name === error.app), template: compileTemplate(error.rootCause) };
  });

  // The outbreak's errors (option `outbreak`) and their own random source.
  const outbreakRandom = createRandom(seedOf(plan.seed, "outbreak-errors", date));

  const levels = plan.namespaceLevels;
  /** Whether a namespace has documents yet (only a newborn one has none before its birth). */
  const isBorn = (namespace: NamespaceProfile, windowStart: number) => levels === null || windowStart >= (levels[namespace.index]?.bornAtMs ?? -Infinity);
  for (const windowStart of grid.windowsBetween(startMs, endMs)) {
    const keys = grid.slotOf(windowStart);
    const counts = namespaces.map((namespace) => {
      let mean = usualOf(namespace, keys, plan.windowMinutes);
      if (levels !== null) {
        if (!isBorn(namespace, windowStart)) return 0;
        mean *= levels[namespace.index]?.burstFactors.get(windowStart) ?? 1;
      }
      return namespace.shape === null ? random.poisson(mean) : random.negativeBinomial(mean, namespace.shape);
    });
    const reserve = counts.map((count, index) => (isCaller[index] ? Math.round(count * CROSS_RESERVE_SHARE) : 0));
    const errorsPerNamespace = counts.slice();
    for (const namespace of namespaces) {
      const own = (counts[namespace.index] ?? 0) - (reserve[namespace.index] ?? 0);
      emitErrors(namespace, own, windowStart, "baseline", () => pickError(namespace), null, reserve);
    }
    // What is left of the reserves: ordinary errors of the calling namespaces.
    for (const namespace of namespaces) {
      const left = reserve[namespace.index] ?? 0;
      if (left <= 0) continue;
      reserve[namespace.index] = 0;
      emitErrors(namespace, left, windowStart, "baseline", () => pickError(namespace), null, null);
    }
    for (const event of plan.eventsByWindow.get(windowStart) ?? []) {
      const namespace = namespaces[event.namespaceIndex]!;
      const count = random.poisson(event.extraMean);
      errorsPerNamespace[event.namespaceIndex] = (errorsPerNamespace[event.namespaceIndex] ?? 0) + count;
      const root = { appIndex: event.appIndex, template: event.template };
      emitErrors(namespace, count, windowStart, event.kind, () => root, event.id, null);
    }
    // WARN and INFO lines, about NON_ERROR_SHARE of the errors.
    for (const namespace of namespaces) {
      if (!isBorn(namespace, windowStart)) continue;
      const count = random.poisson((errorsPerNamespace[namespace.index] ?? 0) * NON_ERROR_SHARE + 0.2);
      for (let index = 0; index < count; index += 1) {
        const isWarn = random.chance(0.65);
        const appIndex = random.integer(0, namespace.apps.length - 1);
        const callee =
          namespace.apps[appIndex + 1]?.name ?? namespaces[random.pick(namespace.callers.length > 0 ? namespace.callers : [namespace.index])]!.apps[0]!.name;
        const template = random.pick(isWarn ? WARN_TEMPLATES : INFO_TEMPLATES);
        const traceId = random.chance(0.4) ? random.hex(32) : null;
        const time = windowStart + random.integer(0, windowMs - 1);
        documents.push(makeDocument(namespace, appIndex, template, isWarn ? "WARN" : "INFO", time, traceId, "log", null, callee));
      }
    }
    // Errors tied to versions: logged only while one of their versions runs.
    for (const error of releaseErrors) {
      const count = releaseRandom.poisson(usualOf(error.profile, keys, plan.windowMinutes) * error.share);
      for (let index = 0; index < count; index += 1) {
        const time = windowStart + releaseRandom.integer(0, windowMs - TRACE_ROOM_MS - 1);
        const version = versionOf(error.namespace, time);
        if (version === null || !error.versions.includes(version)) continue;
        const traceId = releaseRandom.chance(TRACED_SHARE.release) ? releaseRandom.hex(32) : null;
        const callee = error.profile.apps[error.appIndex + 1]?.name ?? "db";
        documents.push(makeDocument(error.profile, error.appIndex, error.template, "ERROR", time, traceId, "release", error.id, callee, true, releaseRandom));
      }
    }
    for (const event of plan.extraEventsByWindow.get(windowStart) ?? []) {
      const root = { appIndex: event.appIndex, template: event.template };
      emitErrors(
        namespaces[event.namespaceIndex]!,
        outbreakRandom.poisson(event.extraMean),
        windowStart,
        event.kind,
        () => root,
        event.id,
        null,
        outbreakRandom,
      );
    }
    // Array.prototype.sort is stable: equal timestamps keep their generation order.
    documents.sort((left, right) => left.timestamp - right.timestamp);
    yield documents;
    documents = [];
  }
}

/** The documents of one local day of the plan, sorted by timestamp (see generateDayWindows). */
export function generateDay(plan: DataSetPlan, date: string): GeneratedDocument[] {
  const documents: GeneratedDocument[] = [];
  for (const batch of generateDayWindows(plan, date)) {
    for (const document of batch) documents.push(document);
  }
  return documents;
}

/** Every day of the plan with its documents, one day at a time. */
export function* generateDays(plan: DataSetPlan): Generator<{ date: string; documents: GeneratedDocument[] }> {
  for (const date of plan.days) yield { date, documents: generateDay(plan, date) };
}

/** One NDJSON line (without the newline): the document, or an Elasticsearch hit wrapping it. */
export function serializeDocument(document: GeneratedDocument): string {
  // Built by hand for speed. Only the message can hold characters that need escaping; the other
  // values are made of letters, digits, '-', '_', '.', ':' and ' ' by construction.
  const labels = document.app === null ? "{}" : `{"app":"${document.app}"}`;
  const trace = document.traceId === null ? "" : `,"trace":{"id":"${document.traceId}"}`;
  const service = document.version === null ? "" : `,"service":{"version":"${document.version}"}`;
  const source =
    `{"@timestamp":"${document.timestampText}","level":"${document.level}","message":${JSON.stringify(document.message)},` +
    `"kubernetes":{"namespace":"${document.namespace}","labels":${labels},"pod":{"name":"${document.pod}"}}${trace}${service}}`;
  return document.hit ? `{"_index":"${document.hit.index}","_id":"${document.hit.id}","_source":${source}}` : source;
}

/** File name of a day's documents. */
export function dayFileName(date: string): string {
  return `errors-${date}.ndjson.gz`;
}
