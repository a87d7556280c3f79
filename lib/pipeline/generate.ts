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
import type { Labels } from "./labels";
import { createRandom, seedOf, type Random } from "./random";
import { createWindowGrid, type SlotKeys, type WindowGrid } from "./time";

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
};

export type DocumentLevel = "ERROR" | "WARN" | "INFO";
/** Why a document exists: ordinary errors, one of the labelled events, or a WARN/INFO line. */
export type DocumentOrigin = "baseline" | "incident" | "scheduled" | "below_minimum" | "log";

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
  /** Incident id for origin "incident". */
  eventId: string | null;
};

// ---------------------------------------------------------------------------------------------
// Message templates

const FIRST_NAMES = ["jana", "petr", "lucie", "tomas", "eva", "martin", "anna", "jakub", "tereza", "david", "lena", "max", "sofia", "lukas", "marie", "jan"];
const LAST_NAMES = ["novak", "svoboda", "dvorak", "cerna", "mueller", "schmidt", "kowalski", "horvath", "fischer", "weber", "novotna", "prochazka"];
const MAIL_DOMAINS = ["example.com", "example.cz", "mail.example.de", "example.org"];
const MARKETS = ["CZ", "SK", "DE", "AT", "PL", "HU"];
const BAD_CURRENCIES = ["XTS", "CZKK", "EURO", "usd", "ZZZ", "Kč"];
const SEARCH_TERMS = ["laptop AND (", 'title:"usb-c', "price:[10 TO", "brand:(sony OR", "*phone?", "name:dell xps~~", "category:/shoes", "AND OR NOT", "\\\\", "size:[42"];
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
const uuid = (random: Random) =>
  `${random.hex(8)}-${random.hex(4)}-4${random.hex(3)}-${random.pick(["8", "9", "a", "b"])}${random.hex(3)}-${random.hex(12)}`;

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
  amount: (random: Random) => (random.logUniform(1, 5_000)).toFixed(2),
  amount2: (random: Random) => (random.logUniform(1, 5_000)).toFixed(2),
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
      { app: "payment-api", weight: 5, text: "com.acme.payments.PaymentDeclinedException: payment {uuid} declined by PSP: insufficient_funds (amount {amount} EUR, merchant {id})" },
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
      { app: "ledger", text: 'pq: sorry, too many clients already (pool ledger-rw, {n2} waiting, waited {ms} ms)' },
      { app: "payment-api", text: "javax.net.ssl.SSLHandshakeException: PKIX path validation failed: java.security.cert.CertPathValidatorException: validity check failed connecting to api.psp.example:443 (attempt {n})" },
      { app: "payment-worker", text: "java.lang.OutOfMemoryError: Java heap space (settlement batch {id})\n\tat java.base/java.util.Arrays.copyOf(Arrays.java:3541)\n\tat com.acme.payments.settlement.BatchLoader.load(BatchLoader.java:212)" },
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
      { app: "order-processor", weight: 3, text: "Failed to process message {uuid} from topic orders-events: org.postgresql.util.PSQLException: ERROR: could not serialize access due to concurrent update" },
      { app: "inventory-sync", weight: 3, text: "inventory.errors.StockConflict: SKU {sku} reserved quantity {n} exceeds available stock in warehouse {wh}" },
      {
        app: "inventory-sync",
        weight: 1,
        text: 'Traceback (most recent call last):\n  File "/app/inventory/sync.py", line 211, in push_batch\n    cursor.execute(UPSERT_STOCK, rows)\npsycopg2.OperationalError: server closed the connection unexpectedly (sync batch {id})',
      },
    ],
    incidents: [
      { app: "order-processor", text: "org.apache.kafka.common.errors.TimeoutException: Expiring {n} record(s) for orders-events-{partition}:{ms} ms has passed since batch creation" },
      {
        app: "inventory-sync",
        text: "sqlalchemy.exc.OperationalError: (psycopg2.errors.QueryCanceled) canceling statement due to statement timeout [SQL: UPDATE stock SET reserved = reserved + %(qty)s WHERE sku = %(sku)s] [parameters: {'qty': {n}, 'sku': '{sku}'}]",
      },
      { app: "order-api", text: "Error: connect ECONNREFUSED {ip}:5672 while publishing order {order}\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)" },
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
    burst: { app: "checkout-web", text: '[error] {pid}#{pid}: *{conn} limiting requests, excess: {n}.{n2} by zone "checkout", client: {ip}, server: shop.example.com, request: "POST /api/checkout HTTP/1.1"' },
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
      { app: "search-api", weight: 3, text: "org.apache.lucene.queryparser.classic.ParseException: Cannot parse '{term}': Encountered \"<EOF>\" at line 1, column {n}." },
      {
        app: "query-suggest",
        weight: 3,
        text: 'Traceback (most recent call last):\n  File "/app/suggest/ranker.py", line 118, in score\n    weight = self.weights[token]\nKeyError: \'{term}\'',
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
      { app: "query-suggest", text: "numpy.core._exceptions._ArrayMemoryError: Unable to allocate {mb}. MiB for an array with shape ({id},) and data type float64" },
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
      { app: "email-sender", weight: 3, text: "smtplib.SMTPRecipientsRefused: {'{email}': (550, b'5.1.1 <{email}>: Recipient address rejected: User unknown')}" },
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
  "inventory", "shipping", "catalog", "billing", "reporting", "analytics", "gateway", "profile", "recommendations", "reviews", "loyalty", "media", "audit", "scheduler",
];

/** Templates of generated namespaces; `{app}` is the app's name. Index 0/1/2 of `app` picks the app. */
const GENERIC_ERRORS: readonly { appIndex: number; text: string; weight: number }[] = [
  { appIndex: 0, weight: 4, text: "java.lang.IllegalArgumentException: invalid value \"{quoted}\" for parameter 'status' (request {uuid})" },
  { appIndex: 0, weight: 2, text: "HTTP 500 Internal Server Error from GET {path} in {ms} ms" },
  { appIndex: 1, weight: 3, text: 'psycopg2.errors.UniqueViolation: duplicate key value violates unique constraint "{app}_pkey"\nDETAIL:  Key (id)=({id}) already exists.' },
  { appIndex: 1, weight: 2, text: "kafka: failed to produce message to topic {app}-events partition {partition}: Broker: Not enough in-sync replicas" },
  { appIndex: 2, weight: 3, text: "panic: runtime error: index out of range [{n2}] with length {n}\n\ngoroutine {id} [running]:" },
  { appIndex: 2, weight: 2, text: "Error: ETIMEDOUT connecting to {ip}:{port} after {ms} ms" },
];

const GENERIC_INCIDENTS: readonly { appIndex: number; text: string }[] = [
  { appIndex: 2, text: "panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr={addr} pc={pc}]" },
  { appIndex: 1, text: "dial tcp {ip}:5432: connect: connection refused (pool {app}-db, attempt {n})" },
  { appIndex: 0, text: "com.zaxxer.hikari.pool.HikariPool$PoolInitializationException: HikariPool-1 - Connection is not available, request timed out after {ms}ms." },
  { appIndex: 0, text: "OOMKilled: container {app} exceeded its memory limit of {mb}Mi and was restarted ({n} restarts)" },
  { appIndex: 1, text: 'x509: certificate signed by unknown authority (possibly because of "crypto/rsa: verification error" while trying to verify candidate authority certificate "internal-ca-{n}")' },
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
  /** Extra expected errors per window. */
  windows: readonly { start: number; extraMean: number; fullHeight: boolean }[];
};

export type PlannedSpike = { namespace: string; start: number; end: number; description: string };

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

function buildNamespaces(seed: number, count: number, windowMinutes: number, rate: number): NamespaceProfile[] {
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

/** Expected ERROR count of a namespace in a window without any labelled event (the "usual" rate). */
export function usualRate(plan: DataSetPlan, namespace: string, windowStart: number): number {
  const profile = plan.namespaces.find((candidate) => candidate.name === namespace);
  if (!profile) throw new RangeError(`unknown namespace ${namespace}`);
  return usualOf(profile, plan.grid.slotOf(windowStart), plan.windowMinutes);
}

type Interval = { namespaceIndex: number; start: number; end: number };

function overlaps(intervals: readonly Interval[], candidate: Interval, marginMs: number): boolean {
  return intervals.some(
    (other) => other.namespaceIndex === candidate.namespaceIndex && candidate.start < other.end + marginMs && other.start < candidate.end + marginMs,
  );
}

/** Plans a data set: namespaces, rates and every labelled event. Throws RangeError on invalid options. */
export function planDataSet(options: GenerateOptions): DataSetPlan {
  const { seed, from, days, timeZone, windowMinutes } = options;
  const namespaceCount = options.namespaces ?? DEFAULT_NAMESPACE_COUNT;
  const rate = options.rate ?? 1;
  const minAbsoluteValue = options.minAbsoluteValue ?? 100;
  const dynamicMinMultiplier = options.dynamicMinMultiplier ?? 2.5;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  if (!isIsoDate(from)) throw new RangeError(`from must be a date as YYYY-MM-DD, got "${from}"`);
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`days must be a whole number of at least 1, got ${days}`);
  if (!Number.isInteger(namespaceCount) || namespaceCount < 1) throw new RangeError(`namespaces must be a whole number of at least 1, got ${namespaceCount}`);
  if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`rate must be a positive number, got ${rate}`);
  if (!(minAbsoluteValue >= 0)) throw new RangeError(`minAbsoluteValue must be 0 or more, got ${minAbsoluteValue}`);
  if (!(dynamicMinMultiplier >= 0)) throw new RangeError(`dynamicMinMultiplier must be 0 or more, got ${dynamicMinMultiplier}`);

  const grid = createWindowGrid(timeZone, windowMinutes);
  const dayList = Array.from({ length: days }, (_, index) => addDays(from, index));
  const fromMs = grid.localDayRange(dayList[0]!).startMs;
  const toMs = grid.localDayRange(dayList[days - 1]!).endMs;
  const namespaces = buildNamespaces(seed, namespaceCount, windowMinutes, rate);
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
  SCHEDULES.forEach((schedule, scheduleIndex) => {
    if (scheduleIndex > 0 && namespaces.length < 2) return;
    const namespaceIndex = Math.min(schedule.namespaceIndex, namespaces.length - 1);
    if (scheduleIndex > 0 && namespaceIndex === Math.min(SCHEDULES[0].namespaceIndex, namespaces.length - 1)) return;
    const namespace = namespaces[namespaceIndex]!;
    // Both schedules fall on default namespaces (indices below 6), whose names fit the texts.
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
      if (schedule.weekdaysOnly && grid.slotOf(windows[first]!).dayOfWeek >= 5) continue;
      const starts = windows.slice(first, first + windowCount);
      for (const start of starts) {
        addEvent(start, { kind: "scheduled", namespaceIndex, appIndex, template, extraMean: schedule.levelFactor * namespace.baseRate, id: null });
      }
      const spike = { namespaceIndex, start: starts[0]!, end: starts[starts.length - 1]! + windowMs };
      taken.push(spike);
      scheduled.push({ namespace: namespace.name, start: spike.start, end: spike.end, description: `${schedule.description} (${namespace.apps[appIndex]?.name})` });
    }
  });

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
  const lengthChoices = [
    { length: 1, weight: 3 },
    { length: 2, weight: 3 },
    { length: 3, weight: 3 },
    { length: 4, weight: 2 },
    { length: 5, weight: 1 },
    { length: 6, weight: 1 },
    { length: 8, weight: 1 },
  ];
  const detectionWindows = grid.windowsBetween(detectionFromMs, toMs);
  const incidents: Omit<PlannedIncident, "id">[] = [];
  const incidentIntervals: Interval[] = [];
  for (const namespace of namespaces) {
    const random = createRandom(seedOf(seed, "incidents", namespace.name));
    const count = 1 + random.poisson(detectionDays / 10);
    for (let number = 0; number < count; number += 1) {
      const length = Math.min(random.weightedPick(lengthChoices, (choice) => choice.weight).length, detectionWindows.length);
      const rampLength = length >= 3 && random.chance(0.5) ? Math.min(length - 1, random.integer(1, 2)) : 0;
      const decays = length - rampLength >= 3 && random.chance(0.3);
      const shapes = Array.from({ length }, (_, index) => {
        if (index < rampLength) return (index + 1) / (rampLength + 1) - 0.1;
        if (decays && index === length - 1) return 0.45;
        return 1;
      });
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
      });
      for (const window of windows) addEvent(window.start, { kind: "incident", namespaceIndex: namespace.index, appIndex, template, extraMean: window.extraMean, id: null });
    }
  }
  incidents.sort((left, right) => left.start - right.start || left.namespace.localeCompare(right.namespace));
  const numbered: PlannedIncident[] = incidents.map((incident, index) => ({ ...incident, id: `inc-${String(index + 1).padStart(3, "0")}` }));
  // Events carry the id for the documents.
  for (const incident of numbered) {
    for (const window of incident.windows) {
      for (const event of events.get(window.start) ?? []) {
        if (event.kind === "incident" && event.id === null && namespaces[event.namespaceIndex]?.name === incident.namespace) event.id = incident.id;
      }
    }
  }
  taken.push(...incidentIntervals);

  // Below-minimum bursts in quiet namespaces, anywhere in the range.
  const burstCap = 0.55 * minAbsoluteValue;
  const allWindows = grid.windowsBetween(fromMs, toMs);
  const belowMinimum: PlannedSpike[] = [];
  for (const namespace of namespaces) {
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
          addEvent(start, { kind: "below_minimum", namespaceIndex: namespace.index, appIndex: namespace.burst.appIndex, template: namespace.burst.template, extraMean: level - usual, id: null });
        }
        taken.push(interval);
        belowMinimum.push({ namespace: namespace.name, start: interval.start, end: interval.end, description: "client retry storm" });
        break;
      }
    }
  }
  belowMinimum.sort((left, right) => left.start - right.start || left.namespace.localeCompare(right.namespace));

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
    incidents: numbered,
    scheduled,
    belowMinimum,
    eventsByWindow: events,
  };
}

/** The ground truth of a plan, in the shape of labels.json (labelsSchema). */
export function labelsOf(plan: DataSetPlan): Labels {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    timezone: plan.timeZone,
    window_minutes: plan.windowMinutes,
    from: iso(plan.fromMs),
    to: iso(plan.toMs),
    seed: plan.seed,
    namespaces: plan.namespaces.map((namespace) => namespace.name),
    incidents: plan.incidents.map((incident) => ({
      id: incident.id,
      namespace: incident.namespace,
      start: iso(incident.start),
      end: iso(incident.end),
      magnitude: incident.magnitude,
      root_cause: incident.rootCause,
      app: incident.app,
    })),
    scheduled: plan.scheduled.map((spike) => ({ namespace: spike.namespace, start: iso(spike.start), end: iso(spike.end), description: spike.description })),
    below_minimum: plan.belowMinimum.map((spike) => ({ namespace: spike.namespace, start: iso(spike.start), end: iso(spike.end) })),
  };
}

// ---------------------------------------------------------------------------------------------
// Documents

const TRACED_SHARE: Record<Exclude<DocumentOrigin, "log">, number> = { baseline: 0.88, incident: 0.97, scheduled: 0.3, below_minimum: 0.9 };
/** Chance that the next caller up the chain logs an error too. */
const PROPAGATION_CHANCE: Record<Exclude<DocumentOrigin, "log">, number> = { baseline: 0.55, incident: 0.8, scheduled: 0.2, below_minimum: 0 };
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
  ) => {
    let remaining = count;
    while (remaining > 0) {
      const { appIndex, template } = root();
      let time = windowStart + random.integer(0, windowMs - TRACE_ROOM_MS - 1);
      const traced = random.chance(TRACED_SHARE[origin]);
      const traceId = traced ? random.hex(32) : null;
      // A few untraced ordinary errors come from pods without the app label.
      const withAppLabel = traced || origin !== "baseline" || !random.chance(0.05);
      documents.push(makeDocument(namespace, appIndex, template, "ERROR", time, traceId, origin, eventId, namespace.apps[appIndex + 1]?.name ?? "db", withAppLabel));
      remaining -= 1;
      if (!traced) continue;
      // Callers inside the namespace, from the failing app up to the edge.
      let caller = appIndex - 1;
      let callee = appIndex;
      while (caller >= 0 && remaining > 0 && random.chance(PROPAGATION_CHANCE[origin])) {
        time += random.integer(1, MAX_HOP_MS);
        const app = namespace.apps[caller]!;
        documents.push(makeDocument(namespace, caller, random.pick(app.propagation), "ERROR", time, traceId, origin, eventId, namespace.apps[callee]!.name));
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
          documents.push(makeDocument(callerNamespace, 0, random.pick(edge.propagation), "ERROR", time, traceId, "baseline", null, namespace.apps[0]!.name));
        }
      }
    }
  };

  for (const windowStart of grid.windowsBetween(startMs, endMs)) {
    const keys = grid.slotOf(windowStart);
    const counts = namespaces.map((namespace) => {
      const mean = usualOf(namespace, keys, plan.windowMinutes);
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
      const count = random.poisson((errorsPerNamespace[namespace.index] ?? 0) * NON_ERROR_SHARE + 0.2);
      for (let index = 0; index < count; index += 1) {
        const isWarn = random.chance(0.65);
        const appIndex = random.integer(0, namespace.apps.length - 1);
        const callee = namespace.apps[appIndex + 1]?.name ?? namespaces[random.pick(namespace.callers.length > 0 ? namespace.callers : [namespace.index])]!.apps[0]!.name;
        const template = random.pick(isWarn ? WARN_TEMPLATES : INFO_TEMPLATES);
        const traceId = random.chance(0.4) ? random.hex(32) : null;
        const time = windowStart + random.integer(0, windowMs - 1);
        documents.push(makeDocument(namespace, appIndex, template, isWarn ? "WARN" : "INFO", time, traceId, "log", null, callee));
      }
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
  const source =
    `{"@timestamp":"${document.timestampText}","level":"${document.level}","message":${JSON.stringify(document.message)},` +
    `"kubernetes":{"namespace":"${document.namespace}","labels":${labels},"pod":{"name":"${document.pod}"}}${trace}}`;
  return document.hit ? `{"_index":"${document.hit.index}","_id":"${document.hit.id}","_source":${source}}` : source;
}

/** File name of a day's documents. */
export function dayFileName(date: string): string {
  return `errors-${date}.ndjson.gz`;
}

