// The data set of `npm run bench:web`: a dashboard's worth of history, written straight into a
// freshly migrated database with a few set-based statements, so that it takes seconds.
//
// Deterministic for a seed and a `now`: the error counts come from md5 of (seed, namespace,
// window) inside the database, everything else from the project's seeded random source. Shapes:
// per namespace a base rate, a day curve (low at night, a broad daytime hump), quieter weekends,
// over-dispersed noise for some, a nightly batch spike for a few; peaks are windows raised
// above their slot's baseline with the decision inputs detection would have stored; their
// investigation has the shape enrichment writes (StoredInvestigation in lib/jobs/enrich.ts).
import { randomBytes } from "node:crypto";
import pg from "pg";
import { cliActor } from "@/lib/roles";
import { connectionConfig, type Database } from "@/lib/db/client";
import { createUser } from "@/lib/users/accounts";
import { stableHash } from "@/lib/pipeline/hash";
import { problemIdOf } from "@/lib/pipeline/problems";
import { createRandom, type Random } from "@/lib/synthetic/random";
import { createWindowGrid } from "@/lib/pipeline/time";
import { loadDispersionTrackers, saveDispersionTrackers } from "@/lib/detection/store";
import { placeNewWindows } from "@/lib/pipeline/incidents";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** How much a data set holds; the rest follows from these. */
export type SeedSizes = {
  namespaces: number;
  /** Days of windows, ending with the last completed window. */
  days: number;
  peaks: number;
  knownIssues: number;
  resolvedKnownIssues: number;
  patterns: number;
  pipelineRuns: number;
  thresholdVersions: number;
  /** Incidents still going on at the end of the data: what is on fire now. */
  ongoingIncidents: number;
  /**
   * Weeks of history behind every baseline slot, most of it older than the windows kept
   * (retention retired it: the retired_* columns), or null for baselines of the stored windows alone.
   */
  baselineWeeks: number | null;
  /** Range of the namespaces' errors per window at the top of their day curve (drawn log-uniformly). */
  errorsPerWindow: { min: number; max: number };
};

/** bench:web's data set, the sizes its issue names. */
export const SEED_SIZES: SeedSizes = {
  namespaces: 50,
  days: 90,
  peaks: 5_000,
  knownIssues: 60,
  resolvedKnownIssues: 15,
  patterns: 3_000,
  pipelineRuns: 200,
  thresholdVersions: 3,
  ongoingIncidents: 6,
  baselineWeeks: null,
  errorsPerWindow: { min: 4, max: 400 },
};

/**
 * `npm run bench:web -- --year`: a year of windows and incidents at the same rate of peaks per
 * day (5,000 in 90 days), for the routes that read a long history (problems over 90 days, the
 * problems page).
 */
export const YEAR_SEED_SIZES: SeedSizes = { ...SEED_SIZES, days: 365, peaks: 20_000, pipelineRuns: 800 };

export type SeedOptions = {
  /** values.yaml's timezone and window length: the slot keys are local, as ingestion writes them. */
  timeZone: string;
  windowMinutes: number;
  /** The data ends with the last window completed before this instant. */
  now: Date;
  seed: number;
  /** values.yaml's notifications.teams.incident_gap_minutes and incidents.auto_resolve_quiet_windows: how peaks form incidents and when one has ended. */
  incidentGapMinutes: number;
  quietWindows: number;
  /** Default: SEED_SIZES. */
  sizes?: SeedSizes;
  /**
   * As the runs leave a database: every peak investigated, every incident announced under the
   * product's dedupe keys (and its resolution, once resolved). Default false: some recent peaks
   * not investigated yet, a share of the messages under an older key format.
   */
  isSettled?: boolean;
};

/** What the load needs to vary its requests, and what was written. */
export type SeededData = {
  admin: { email: string; password: string };
  namespaces: string[];
  peakIds: number[];
  incidentIds: number[];
  knownIssueIds: number[];
  patternHashes: string[];
  /** Problems with windows in the last 6 days (lib/pipeline/problems.ts ids), for requests over 7. */
  recentProblemIds: string[];
  /** First and last window start (UTC). */
  firstWindow: Date;
  lastWindow: Date;
  /** Rows per table after seeding. */
  rows: Record<string, number>;
  /** Milliseconds per phase. */
  timings: Record<string, number>;
};

// ---------------------------------------------------------------------------------------------
// Vocabulary

const NAMESPACE_NAMES = [
  "payments",
  "orders",
  "checkout",
  "search",
  "catalog",
  "inventory",
  "shipping",
  "billing",
  "accounts",
  "auth",
  "notifications",
  "pricing",
  "recommendations",
  "reviews",
  "cart",
  "fulfilment",
  "returns",
  "invoicing",
  "ledger",
  "fraud",
  "identity",
  "gateway",
  "media",
  "analytics",
  "reporting",
  "scheduler",
  "messaging",
  "loyalty",
  "promotions",
  "tax",
  "customer-care",
  "warehouse",
  "logistics",
  "partner-api",
  "mobile-bff",
  "web-bff",
  "admin",
  "audit",
  "documents",
  "exports",
  "imports",
  "geo",
  "currency",
  "subscriptions",
  "kyc",
  "risk",
  "crm",
  "content",
  "feeds",
  "webhooks",
] as const;

const APP_SUFFIXES = ["api", "worker", "consumer", "scheduler", "gateway", "sync"] as const;
const ENTITIES = [
  "order",
  "payment",
  "invoice",
  "customer",
  "account",
  "cart",
  "product",
  "shipment",
  "refund",
  "subscription",
  "session",
  "token",
  "report",
  "document",
  "coupon",
  "review",
  "address",
  "stock",
  "price",
  "voucher",
  "transfer",
  "ticket",
  "contract",
  "parcel",
  "batch",
  "export",
  "import",
  "webhook",
  "profile",
  "consent",
] as const;
const OPERATIONS = [
  "create",
  "update",
  "delete",
  "fetch",
  "sync",
  "validate",
  "process",
  "publish",
  "reserve",
  "cancel",
  "refresh",
  "resolve",
  "notify",
  "import",
  "export",
] as const;

/** Error types as values.yaml's classification names them, with how common each is. */
const ERROR_TYPES: readonly { type: string; weight: number; templates: readonly string[] }[] = [
  {
    type: "timeout",
    weight: 14,
    templates: [
      "Request to {S} timed out after <*>",
      "{Op} {E} timed out after <*> ms",
      "java.net.SocketTimeoutException: Read timed out calling {S} <*>",
      "context deadline exceeded while calling {S}.{op}{E}",
      "Gateway timeout from {S} for {e} <*>",
    ],
  },
  {
    type: "connection",
    weight: 14,
    templates: [
      "Connection refused: {S}/<*>",
      "Connection reset by peer while sending {e} to {S}",
      "connect ECONNREFUSED <*> ({S})",
      "Failed to connect to {S} at <*>: no route to host",
      "Pool exhausted: no connection for {op} {e} within <*>",
    ],
  },
  {
    type: "database",
    weight: 12,
    templates: [
      'ERROR: duplicate key value violates unique constraint "{e}s_pkey"',
      "deadlock detected while updating {e} <*>",
      'could not serialize access due to concurrent update on "{e}s"',
      'relation "{e}_history" does not exist',
      "SQLSTATE 40001 in {op}{E} <*>",
    ],
  },
  {
    type: "out_of_memory",
    weight: 3,
    templates: [
      "java.lang.OutOfMemoryError: Java heap space in {S}",
      "OOMKilled: container {S} exceeded its memory limit <*>",
      "Cannot allocate <*> for the {e} buffer",
    ],
  },
  {
    type: "tls",
    weight: 3,
    templates: [
      "SSL handshake with {S} failed: certificate expired",
      "x509: certificate signed by unknown authority (host <*>) calling {S}",
      "TLS alert bad_certificate from {S} during {op} {e}",
    ],
  },
  {
    type: "overload",
    weight: 6,
    templates: [
      "Too many requests to {S}: rate limit <*> exceeded",
      "Circuit breaker {S} is OPEN, rejecting {op} {e}",
      "Queue {e}-events is full, dropping <*> messages",
    ],
  },
  { type: "auth", weight: 6, templates: ["Invalid token for user <*> on {op} {e}", "Access denied: role <*> may not {op} {e}", "JWT expired at <*> for {S}"] },
  {
    type: "null_pointer",
    weight: 9,
    templates: [
      "java.lang.NullPointerException at com.acme.{e}.{E}Service.{op}{E}(<*>)",
      "TypeError: Cannot read properties of undefined (reading '{e}Id') in {S}",
      "AttributeError: 'NoneType' object has no attribute '{e}' in {op}_{e}",
    ],
  },
  {
    type: "http_5xx",
    weight: 10,
    templates: [
      "Upstream {S} responded with status 503 for {op} {e}",
      "HTTP 500 Internal Server Error from {S} on /api/{e}s/<*>",
      "Bad gateway 502 from {S} on {op} {e}",
    ],
  },
  {
    type: "http_4xx",
    weight: 7,
    templates: ["HTTP 404 Not Found: {e} <*> does not exist", "Status 409 Conflict updating {e} <*>", "HTTP 400 Bad Request from {S}: missing field '{e}Id'"],
  },
  {
    type: "validation",
    weight: 8,
    templates: [
      "Validation failed for {E}: field '{e}Id' must not be empty",
      "Invalid {e} state transition from <*> to <*>",
      "Schema validation error in the {E} payload: <*>",
    ],
  },
  {
    type: "unknown",
    weight: 8,
    templates: ["Unexpected error in the {op} {e} handler: <*>", "Job {e}-{op} failed after <*> attempts", "Unhandled rejection in {S}: <*>"],
  },
];

const PEAK_STATUSES = ["open", "acknowledged", "known_issue", "false_positive", "resolved"] as const;

const capitalise = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

function fillTemplate(template: string, random: Random): string {
  return template.replace(/<\*>/g, () => {
    switch (random.integer(0, 4)) {
      case 0:
        return String(random.integer(1, 99_999));
      case 1:
        return `${random.hex(8)}-${random.hex(4)}-${random.hex(4)}-${random.hex(4)}-${random.hex(12)}`;
      case 2:
        return `10.${random.integer(0, 255)}.${random.integer(0, 255)}.${random.integer(1, 254)}:${random.integer(1024, 65_535)}`;
      case 3:
        return `${random.integer(100, 60_000)}ms`;
      default:
        return random.pick(["PENDING", "ACTIVE", "CLOSED", "FAILED", "retry", "v2"]);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Writing rows

type Column = { name: string; type: string };

/**
 * Inserts rows through jsonb_to_recordset, a few megabytes per statement: one round trip per
 * batch whatever the row count, and arrays, JSON and enums converted by the database.
 */
async function insertRows(client: pg.Client, table: string, columns: readonly Column[], rows: readonly Record<string, unknown>[]): Promise<void> {
  const names = columns.map((column) => `"${column.name}"`).join(", ");
  const definition = columns.map((column) => `"${column.name}" ${column.type}`).join(", ");
  const sql = `INSERT INTO "${table}" (${names}) SELECT ${names} FROM jsonb_to_recordset($1::jsonb) AS r(${definition})`;
  let batch: string[] = [];
  let bytes = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await client.query(sql, [`[${batch.join(",")}]`]);
    batch = [];
    bytes = 0;
  };
  for (const row of rows) {
    const text = JSON.stringify(row);
    batch.push(text);
    bytes += text.length;
    if (bytes > 4_000_000) await flush();
  }
  await flush();
}

/** Moves a table's id sequence past the explicit ids written. */
async function continueSequence(client: pg.Client, table: string): Promise<void> {
  await client.query(`SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), GREATEST((SELECT max(id) FROM "${table}"), 1))`);
}

const iso = (ms: number) => new Date(ms).toISOString();

// ---------------------------------------------------------------------------------------------
// Generated entities

type NamespaceProfile = {
  name: string;
  /** Errors per window at the top of the day curve. */
  base: number;
  /** Share of the daytime rate at night. */
  night: number;
  /** Weekend factor. */
  weekend: number;
  /** Negative-binomial shape: small is noisy. */
  dispersion: number;
  /** Local hour of a nightly batch spike, or -1. */
  batchHour: number;
  apps: string[];
  /** Peaks are drawn in proportion to it: noisy namespaces have more. */
  peakWeight: number;
};

type PatternRecord = {
  hash: string;
  template: string;
  errorType: string;
  firstSeen: number;
  lastSeen: number;
  namespaces: string[];
  examples: string[];
};

type PeakRecord = {
  id: number;
  start: number;
  namespace: string;
  continuesPeakId: number | null;
  /** Index of the incident's first peak in the peaks list. */
  incident: number;
};

/** The fixed names first, then generated ones (`team-042-orders`) for larger sets. */
export function namespaceNames(count: number): string[] {
  return Array.from({ length: count }, (_, index) =>
    index < NAMESPACE_NAMES.length ? NAMESPACE_NAMES[index]! : `team-${String(index).padStart(3, "0")}-${NAMESPACE_NAMES[index % NAMESPACE_NAMES.length]!}`,
  );
}

function namespaceProfiles(random: Random, count: number, errorsPerWindow: { min: number; max: number }): NamespaceProfile[] {
  return namespaceNames(count).map((name, index) => {
    const own = random.fork(`namespace ${name}`);
    const isNoisy = index % 5 === 1;
    const apps = own.integer(2, 5);
    const base = own.logUniform(errorsPerWindow.min, errorsPerWindow.max);
    return {
      name,
      base,
      night: own.uniform(0.15, 0.6),
      weekend: own.uniform(0.3, 0.95),
      dispersion: isNoisy ? own.uniform(1.5, 4) : own.uniform(20, 80),
      batchHour: index % 7 === 3 ? own.integer(1, 4) : -1,
      apps: APP_SUFFIXES.slice(0, apps).map((suffix) => `${name}-${suffix}`),
      // Quiet namespaces seldom reach the absolute minimum of errors; noisy ones cross it often.
      peakWeight: (isNoisy ? 3 : own.uniform(0.5, 1.5)) * Math.min(1, base / 40) + 0.05,
    };
  });
}

function generatePatterns(random: Random, profiles: readonly NamespaceProfile[], firstMs: number, endMs: number, count: number): PatternRecord[] {
  const patterns: PatternRecord[] = [];
  const seen = new Set<string>();
  const hashes = new Set<string>();
  const spanMs = endMs - firstMs;
  const services = profiles.flatMap((profile) => profile.apps);
  while (patterns.length < count) {
    const kind = random.weightedPick(ERROR_TYPES, (type) => type.weight);
    const entity = random.pick(ENTITIES);
    const operation = random.pick(OPERATIONS);
    const template = random
      .pick(kind.templates)
      .replaceAll("{S}", random.pick(services))
      .replaceAll("{E}", capitalise(entity))
      .replaceAll("{e}", entity)
      .replaceAll("{Op}", capitalise(operation))
      .replaceAll("{op}", operation);
    if (seen.has(template)) continue;
    seen.add(template);
    // The product's ids are hashes of a pattern's first template, 14 hex digits.
    let hash = stableHash(template);
    for (let salt = 1; hashes.has(hash); salt += 1) hash = stableHash(`${template}#${salt}`);
    hashes.add(hash);
    // Half the patterns are still being seen (last seen in the last day); the rest stopped.
    const firstSeen = firstMs + Math.floor(Math.pow(random.next(), 1.5) * spanMs * 0.95);
    const lastSeen = random.chance(0.5) ? endMs - random.integer(1, 24 * 60) * MINUTE_MS : firstSeen + Math.floor(random.next() * (endMs - firstSeen));
    const home = profiles[patterns.length % profiles.length]!.name;
    const others = Array.from({ length: random.weightedPick([0, 1, 2, 3], (count) => [5, 3, 1.5, 0.5][count] ?? 0) }, () => random.pick(profiles).name);
    const examples = Array.from({ length: random.integer(1, 5) }, () => fillTemplate(template, random));
    patterns.push({
      hash,
      template,
      errorType: kind.type,
      firstSeen,
      lastSeen: Math.max(firstSeen, lastSeen),
      namespaces: [...new Set([home, ...others])].sort(),
      examples: [...new Set(examples)],
    });
  }
  return patterns;
}

/**
 * SQL of a namespace's expected errors per window at a local time: its base rate on a day curve
 * (low at night, a broad daytime hump), quieter weekends, a nightly batch spike for a few.
 */
function meanExpression(profile: string, local: string, windowMinutes: string): string {
  return `${profile}.base
                      * (${profile}.night + (1 - ${profile}.night) * power(greatest(0, sin(pi() * (extract(hour FROM ${local}) + extract(minute FROM ${local}) / 60.0 - 6) / 16)), 1.5))
                      * CASE WHEN extract(isodow FROM ${local}) >= 6 THEN ${profile}.weekend ELSE 1 END
                      * CASE WHEN extract(hour FROM ${local}) = ${profile}.batch_hour AND extract(minute FROM ${local}) < ${windowMinutes} THEN 4 ELSE 1 END`;
}

/**
 * Every namespace × every slot of the week, with `weeks` samples each: the windows still stored
 * combined (Welford) with the older ones retention retired, which are drawn from the namespace's
 * shape (mean per window, negative-binomial variance) and kept in the retired_* columns as
 * maintenance keeps them.
 */
async function insertYearBaselines(
  client: pg.Client,
  profiles: readonly NamespaceProfile[],
  windowMinutes: number,
  weeks: number,
  endMs: number,
): Promise<void> {
  await client.query(
    `WITH profiles AS (
       SELECT * FROM unnest($1::text[], $2::float8[], $3::float8[], $4::float8[], $5::float8[], $6::int[]) AS p(namespace, base, night, weekend, dispersion, batch_hour)
     ), week AS (
       -- One local week, Monday to Sunday: the slot keys are local times.
       SELECT local FROM generate_series('2024-01-01 00:00'::timestamp, '2024-01-08 00:00'::timestamp - make_interval(mins => $7), make_interval(mins => $7)) AS local
     ), expected AS (
       SELECT p.namespace, (extract(isodow FROM w.local) - 1)::smallint AS day_of_week, extract(hour FROM w.local)::smallint AS hour_of_day,
              (extract(minute FROM w.local)::int / $7)::smallint AS quarter_hour, ${meanExpression("p", "w.local", "$7")} AS mean, p.dispersion
         FROM profiles p CROSS JOIN week w
     ), stored AS (
       SELECT namespace, day_of_week, hour_of_day, quarter_hour, count(*) AS n, avg(baseline_value) AS mean, var_pop(baseline_value) * count(*) AS m2
         FROM peak_raw_data GROUP BY 1, 2, 3, 4
     ), parts AS (
       SELECT e.*, greatest($8 - coalesce(s.n, 0), 0) AS rn, e.mean AS rmean, e.mean * (1 + e.mean / e.dispersion) * greatest($8 - coalesce(s.n, 0), 0) AS rm2,
              coalesce(s.n, 0) AS sn, coalesce(s.mean, 0) AS smean, coalesce(s.m2, 0) AS sm2
         FROM expected e LEFT JOIN stored s USING (namespace, day_of_week, hour_of_day, quarter_hour)
     ), combined AS (
       SELECT *, rn + sn AS n, rmean + (smean - rmean) * sn / greatest(rn + sn, 1) AS cmean,
              rm2 + sm2 + (smean - rmean) ^ 2 * rn * sn / greatest(rn + sn, 1) AS cm2
         FROM parts
     )
     INSERT INTO aggregation_data (day_of_week, hour_of_day, quarter_hour, namespace, mean, stddev, samples, m2, retired_samples, retired_mean, retired_m2, updated_at)
     SELECT day_of_week, hour_of_day, quarter_hour, namespace, cmean, sqrt(cm2 / greatest(n, 1)), n, cm2, rn, rmean, rm2, $9::timestamptz
       FROM combined`,
    [
      profiles.map((profile) => profile.name),
      profiles.map((profile) => profile.base),
      profiles.map((profile) => profile.night),
      profiles.map((profile) => profile.weekend),
      profiles.map((profile) => profile.dispersion),
      profiles.map((profile) => profile.batchHour),
      windowMinutes,
      weeks,
      iso(endMs),
    ],
  );
}

// ---------------------------------------------------------------------------------------------
// The seeding

/**
 * Writes the data set into a migrated, empty database (see the header comment) and analyses
 * the tables. Creates the bench admin with createUser, so that it can sign in.
 */
export async function seedDashboardData(database: Database, options: SeedOptions): Promise<SeededData> {
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      timings[name] = performance.now() - started;
    }
  };
  const sizes = options.sizes ?? SEED_SIZES;
  const random = createRandom(options.seed);
  const grid = createWindowGrid(options.timeZone, options.windowMinutes);
  const windowMs = options.windowMinutes * MINUTE_MS;
  const windowsPerDay = DAY_MS / windowMs;
  const lastWindow = grid.windowStartOf(options.now.getTime()) - windowMs;
  const firstWindow = lastWindow - (sizes.days * windowsPerDay - 1) * windowMs;
  const endMs = lastWindow + windowMs;
  const profiles = namespaceProfiles(random.fork("namespaces"), sizes.namespaces, sizes.errorsPerWindow);

  const password = randomBytes(18).toString("base64url");
  const admin = { email: "bench-admin@bench.test", password };
  const [adminUser, analystUser] = await timed("users", async () => [
    (await createUser(database, cliActor, { email: admin.email, name: "Bench Admin", role: "admin", password })).user,
    (await createUser(database, cliActor, { email: "bench-analyst@bench.test", name: "Bench Analyst", role: "analyst", password })).user,
  ]);
  const people = [
    { id: adminUser.id, email: adminUser.email },
    { id: analystUser.id, email: analystUser.email },
  ];

  const client = new pg.Client(await connectionConfig(database.target));
  client.on("error", () => {});
  await client.connect();
  try {
    // 1. Windows: every namespace, every window of the 90 days, computed in the database.
    await timed("windows", async () => {
      for (let offset = 0; offset < profiles.length; offset += 10) {
        const batch = profiles.slice(offset, offset + 10);
        await client.query(
          `WITH profiles AS (
             SELECT * FROM unnest($1::text[], $2::float8[], $3::float8[], $4::float8[], $5::float8[], $6::int[]) AS p(namespace, base, night, weekend, dispersion, batch_hour)
           ), grid AS (
             SELECT ts, ts AT TIME ZONE $7 AS local FROM generate_series($8::timestamptz, $9::timestamptz, make_interval(mins => $10)) AS ts
           ), shaped AS (
             SELECT g.ts, g.local, p.namespace, p.dispersion,
                    ${meanExpression("p", "g.local", "$10")} AS mean,
                    md5($11 || '|' || p.namespace || '|' || extract(epoch FROM g.ts)::bigint::text) AS h
               FROM profiles p CROSS JOIN grid g
           ), noisy AS (
             SELECT ts, local, namespace, mean, dispersion,
                    (('x' || substr(h, 1, 8))::bit(32)::bigint + 0.5) / 4294967296.0 AS u1,
                    (('x' || substr(h, 9, 8))::bit(32)::bigint + 0.5) / 4294967296.0 AS u2
               FROM shaped
           )
           INSERT INTO peak_raw_data (timestamp, day_of_week, hour_of_day, quarter_hour, namespace, error_count, is_peak, baseline_value, ingested_at)
           SELECT ts, (extract(isodow FROM local) - 1)::smallint, extract(hour FROM local)::smallint, (extract(minute FROM local)::int / $10)::smallint, namespace,
                  c.count, false, c.count, ts + make_interval(mins => $10 + 2)
             FROM noisy
            CROSS JOIN LATERAL (
              -- Normal approximation of a negative binomial: variance mean + mean² / dispersion.
              SELECT greatest(0, round(mean + sqrt(-2 * ln(u1)) * cos(2 * pi() * u2) * sqrt(mean * (1 + mean / dispersion))))::int AS count
            ) c`,
          [
            batch.map((profile) => profile.name),
            batch.map((profile) => profile.base),
            batch.map((profile) => profile.night),
            batch.map((profile) => profile.weekend),
            batch.map((profile) => profile.dispersion),
            batch.map((profile) => profile.batchHour),
            options.timeZone,
            iso(firstWindow),
            iso(lastWindow),
            options.windowMinutes,
            String(options.seed),
          ],
        );
      }
    });

    // 2. Baselines of the counts as they were before peaks were raised (what detection judged by).
    const baseline = await timed("baselines", async () => {
      const { rows } = await client.query<{
        namespace: string;
        day_of_week: number;
        hour_of_day: number;
        quarter_hour: number;
        mean: number;
        stddev: number;
        samples: number;
      }>(
        `SELECT namespace, day_of_week, hour_of_day, quarter_hour, avg(baseline_value) AS mean, sqrt(var_pop(baseline_value)) AS stddev, count(*)::int AS samples
           FROM peak_raw_data GROUP BY 1, 2, 3, 4`,
      );
      return new Map(rows.map((row) => [`${row.namespace}|${row.day_of_week}|${row.hour_of_day}|${row.quarter_hour}`, row]));
    });

    // 3. Patterns (error_patterns; occurrences follow from the daily counts below).
    const patterns = generatePatterns(random.fork("patterns"), profiles, firstWindow, endMs, sizes.patterns);
    const patternOf = new Map(patterns.map((pattern) => [pattern.hash, pattern]));
    const patternsByNamespace = new Map<string, PatternRecord[]>();
    for (const pattern of patterns) {
      for (const namespace of pattern.namespaces) {
        let list = patternsByNamespace.get(namespace);
        if (!list) patternsByNamespace.set(namespace, (list = []));
        list.push(pattern);
      }
    }
    await timed("patterns", async () => {
      await insertRows(
        client,
        "error_patterns",
        [
          { name: "id", type: "int" },
          { name: "pattern_hash", type: "text" },
          { name: "template", type: "text" },
          { name: "error_type", type: "text" },
          { name: "first_seen", type: "timestamptz" },
          { name: "last_seen", type: "timestamptz" },
          { name: "namespaces", type: "text[]" },
          { name: "example_messages", type: "text[]" },
        ],
        patterns.map((pattern, index) => ({
          id: index + 1,
          pattern_hash: pattern.hash,
          template: pattern.template,
          error_type: pattern.errorType,
          first_seen: iso(pattern.firstSeen),
          last_seen: iso(pattern.lastSeen),
          namespaces: pattern.namespaces,
          example_messages: pattern.examples,
        })),
      );
      await continueSequence(client, "error_patterns");
      const hasDailyCounts =
        (await client.query<{ exists: boolean }>(`SELECT to_regclass('pattern_daily_counts') IS NOT NULL AS exists`)).rows[0]?.exists === true;
      if (hasDailyCounts) {
        // A pattern occurs on a share of the days between its first and last sighting (always on
        // those two), in each of its namespaces, with a size of its own; all from md5 of the seed.
        await client.query(
          `WITH params AS (
             SELECT e.pattern_hash, e.first_seen, e.last_seen, ns.namespace,
                    0.2 + 0.8 * (('x' || substr(md5($1 || e.pattern_hash || 'p'), 1, 8))::bit(32)::bigint / 4294967296.0) AS daily_share,
                    exp(ln(3000) * (('x' || substr(md5($1 || e.pattern_hash || 'm'), 1, 8))::bit(32)::bigint / 4294967296.0)) AS size
               FROM error_patterns e CROSS JOIN LATERAL unnest(e.namespaces) AS ns(namespace)
           ), days AS (
             SELECT p.*, d::date AS day, md5($1 || p.pattern_hash || p.namespace || d::date::text) AS h
               FROM params p CROSS JOIN LATERAL generate_series(p.first_seen::date, p.last_seen::date, interval '1 day') AS d
           )
           INSERT INTO pattern_daily_counts (pattern_hash, day, namespace, occurrences)
           SELECT pattern_hash, day, namespace,
                  greatest(1, round(size * (0.25 + 1.5 * (('x' || substr(h, 9, 8))::bit(32)::bigint / 4294967296.0))))::int
             FROM days
            WHERE day = first_seen::date OR day = last_seen::date OR (('x' || substr(h, 1, 8))::bit(32)::bigint / 4294967296.0) < daily_share`,
          [String(options.seed)],
        );
        await client.query(
          `UPDATE error_patterns e SET occurrences = s.total, namespace_occurrences = s.by_namespace
             FROM (
               SELECT pattern_hash, sum(occurrences)::bigint AS total, jsonb_object_agg(namespace, occurrences) AS by_namespace
                 FROM (SELECT pattern_hash, namespace, sum(occurrences)::bigint AS occurrences FROM pattern_daily_counts GROUP BY 1, 2) n
                GROUP BY pattern_hash
             ) s
            WHERE s.pattern_hash = e.pattern_hash`,
        );
      } else {
        await client.query(
          `UPDATE error_patterns SET occurrences = 1 + (('x' || substr(md5($1 || pattern_hash), 1, 6))::bit(24)::int), namespace_occurrences = '{}'::jsonb`,
          [String(options.seed)],
        );
      }
    });

    // 4. Thresholds versions: 60, 30 and 10 days before the end.
    const thresholdVersions = [
      {
        id: 1,
        at: endMs - 60 * DAY_MS,
        values: { min_ratio_multiplier: 3, max_ratio_multiplier: 5, dynamic_min_multiplier: 2.5, min_absolute_value: 120, same_day_window_count: 3 },
        comment: "Fewer alarms on quiet namespaces",
      },
      {
        id: 2,
        at: endMs - 30 * DAY_MS,
        values: { min_ratio_multiplier: 3.5, max_ratio_multiplier: 5, dynamic_min_multiplier: 2.5, min_absolute_value: 120, same_day_window_count: 3 },
        comment: "Steady slots were too sensitive",
      },
      {
        id: 3,
        at: endMs - 10 * DAY_MS,
        values: { min_ratio_multiplier: 3.2, max_ratio_multiplier: 5.5, dynamic_min_multiplier: 2.5, min_absolute_value: 100, same_day_window_count: 3 },
        comment: "Back to 100 errors; noisier slots need more",
      },
    ].slice(0, sizes.thresholdVersions);
    const versionAt = (ms: number) => [...thresholdVersions].reverse().find((version) => version.at <= ms) ?? null;

    // 5. Known issues, 15 of them resolved into known peaks.
    const issueRandom = random.fork("known issues");
    const knownIssues = Array.from({ length: sizes.knownIssues }, (_, index) => {
      const isScoped = issueRandom.chance(0.75);
      const profile = issueRandom.pick(profiles);
      const pool = isScoped ? (patternsByNamespace.get(profile.name) ?? patterns) : patterns;
      const patternIds = [...new Set(Array.from({ length: issueRandom.integer(1, 3) }, () => issueRandom.pick(pool).hash))];
      const first = patternOf.get(patternIds[0]!)!;
      const createdAt = firstWindow + Math.floor(issueRandom.next() * (endMs - firstWindow - DAY_MS));
      const isResolved = index < sizes.resolvedKnownIssues;
      const resolvedAt = isResolved ? createdAt + Math.floor(issueRandom.next() * (endMs - createdAt)) : null;
      return {
        id: index + 1,
        title: `${capitalise(first.errorType.replace("_", " "))} in ${isScoped ? profile.name : "several namespaces"}: ${first.template.slice(0, 60)}`,
        description: issueRandom.chance(0.7) ? `Seen since ${new Date(createdAt).toISOString().slice(0, 10)}. ${first.examples[0] ?? ""}`.slice(0, 400) : null,
        patternIds,
        regexes: issueRandom.chance(0.3)
          ? [
              `${first.template
                .split(" ")
                .slice(0, 3)
                .join(" ")
                .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`,
            ]
          : [],
        namespace: isScoped ? profile.name : null,
        appName: isScoped && issueRandom.chance(0.2) ? issueRandom.pick(profile.apps) : null,
        link: issueRandom.chance(0.5) ? `https://issues.example.com/browse/OPS-${1000 + index}` : null,
        status: isResolved ? "resolved" : "active",
        createdBy: issueRandom.pick(people),
        createdAt,
        resolvedAt,
      };
    });
    const knownPeaks = knownIssues
      .filter((issue) => issue.resolvedAt !== null)
      .map((issue, index) => ({
        id: index + 1,
        issue,
        solution: `Fixed in release ${issueRandom.integer(20, 90)}.${issueRandom.integer(0, 20)}: ${issueRandom.pick(["raised the pool size", "added a retry with backoff", "renewed the certificate", "fixed the null check", "added the missing index", "rate-limited the batch job"])}.`,
        resolvedAt: issue.resolvedAt!,
      }));

    // 6. Peaks: incidents of one to four windows, until there are 5,000 peak windows.
    const peakRandom = random.fork("peaks");
    const taken = new Set<string>();
    const planned: { start: number; namespace: string; plateauIndex: number; incidentStart: number }[] = [];
    // A few incidents still going on at the end of the data, in as many namespaces, one to six windows long.
    const burning = new Set<string>();
    while (burning.size < sizes.ongoingIncidents) {
      const profile = peakRandom.weightedPick(profiles, (candidate) => candidate.peakWeight);
      if (burning.has(profile.name)) continue;
      burning.add(profile.name);
      const length = peakRandom.integer(1, 6);
      const start = lastWindow - (length - 1) * windowMs;
      for (let offset = 0; offset < length; offset += 1) {
        taken.add(`${profile.name}|${start + offset * windowMs}`);
        planned.push({ start: start + offset * windowMs, namespace: profile.name, plateauIndex: offset, incidentStart: start });
      }
    }
    while (planned.length < sizes.peaks) {
      const profile = peakRandom.weightedPick(profiles, (candidate) => candidate.peakWeight);
      const length = Math.min(
        sizes.peaks - planned.length,
        peakRandom.weightedPick([1, 2, 3, 4], (windows) => [70, 18, 8, 4][windows - 1] ?? 0),
      );
      const start = firstWindow + 7 * DAY_MS + peakRandom.integer(0, Math.floor((lastWindow - firstWindow - 7 * DAY_MS) / windowMs) - length) * windowMs;
      const windows = Array.from({ length }, (_, offset) => start + offset * windowMs);
      if (windows.some((window) => taken.has(`${profile.name}|${window}`))) continue;
      for (const [offset, window] of windows.entries()) {
        taken.add(`${profile.name}|${window}`);
        planned.push({ start: window, namespace: profile.name, plateauIndex: offset, incidentStart: start });
      }
    }
    // Ids follow time, as they do when peaks are detected as windows arrive.
    planned.sort((left, right) => left.start - right.start || left.namespace.localeCompare(right.namespace));
    const idOf = new Map(planned.map((peak, index) => [`${peak.namespace}|${peak.start}`, index + 1]));
    const profileOf = new Map(profiles.map((profile) => [profile.name, profile]));
    // Incidents as the pipeline forms them (lib/pipeline/incidents.ts): peak windows of a namespace
    // no more than incident_gap_minutes apart are one incident, whatever the plateaus planned above.
    const incidentRules = { windowMs, gapMs: options.incidentGapMinutes * MINUTE_MS, reopenMs: 0 };
    const incidentOf = new Map<number, number>();
    const plannedByNamespace = new Map<string, { id: number; start: number }[]>();
    for (const [index, peak] of planned.entries()) {
      let list = plannedByNamespace.get(peak.namespace);
      if (!list) plannedByNamespace.set(peak.namespace, (list = []));
      list.push({ id: index + 1, start: peak.start });
    }
    for (const windows of plannedByNamespace.values()) {
      for (const placement of placeNewWindows([], windows, incidentRules)) {
        // Index (in the peaks list) of the incident's first window.
        const first = Math.min(...placement.peakIds) - 1;
        for (const peakId of placement.peakIds) incidentOf.set(peakId, first);
      }
    }
    const peaks: PeakRecord[] = planned.map((peak, index) => ({
      id: index + 1,
      start: peak.start,
      namespace: peak.namespace,
      continuesPeakId: peak.plateauIndex === 0 ? null : (idOf.get(`${peak.namespace}|${peak.incidentStart}`) ?? null),
      incident: incidentOf.get(index + 1) ?? index,
    }));

    // Incident ids follow their first window, as they do when incidents are formed as windows arrive.
    const incidentIdOf = new Map(
      [...new Set(peaks.map((peak) => peak.incident))].sort((left, right) => left - right).map((first, index) => [first, index + 1]),
    );
    const peakRows: Record<string, unknown>[] = [];
    // Problems (root-cause pattern and error type) of the last 6 days: the problem page is asked for 7,
    // so that the time between seeding and the load never leaves one without a window in its period.
    const recentProblemIds = new Set<string>();
    const rawUpdates = { ts: [] as string[], namespace: [] as string[], count: [] as number[], value: [] as number[] };
    const notes: Record<string, unknown>[] = [];
    const audit: Record<string, unknown>[] = [];
    const deliveries: Record<string, unknown>[] = [];
    const statusOfIncident = new Map<number, { status: string; knownIssueId: number | null; knownPeakId: number | null }>();
    for (const peak of peaks) {
      const own = peakRandom.fork(`peak ${peak.id}`);
      const profile = profileOf.get(peak.namespace)!;
      const keys = grid.slotOf(peak.start);
      const slot = baseline.get(`${peak.namespace}|${keys.dayOfWeek}|${keys.hourOfDay}|${keys.quarterHour}`);
      const mean = slot ? Number(slot.mean) : profile.base / 2;
      const stddev = slot ? Number(slot.stddev) : Math.sqrt(mean);
      const cv = mean > 0 ? Math.min(1, stddev / mean) : 1;
      const version = versionAt(peak.start);
      const settings = version?.values ?? {
        min_ratio_multiplier: 3,
        max_ratio_multiplier: 5,
        min_absolute_value: 100,
        dynamic_min_multiplier: 2.5,
        same_day_window_count: 3,
      };
      const requiredRatio = settings.min_ratio_multiplier + (settings.max_ratio_multiplier - settings.min_ratio_multiplier) * cv;
      // Severity bands of the ratio (≥ 20 critical, ≥ 10 high, ≥ 5 medium), most peaks low or medium.
      const bands = [
        { from: requiredRatio, to: Math.max(requiredRatio + 0.5, 5), weight: 45 },
        { from: 5, to: 10, weight: 30 },
        { from: 10, to: 20, weight: 15 },
        { from: 20, to: 60, weight: 10 },
      ];
      const band = own.weightedPick(bands, (candidate) => candidate.weight);
      const count = Math.max(settings.min_absolute_value + own.integer(0, 60), Math.round(mean * own.uniform(band.from, band.to)));
      const ratio = mean > 0 ? count / mean : 999;
      const severity = ratio >= 20 ? "critical" : ratio >= 10 ? "high" : ratio >= 5 ? "medium" : "low";
      const ageMs = endMs - peak.start;

      // The incident decides status and labels; its later windows share them.
      let label = statusOfIncident.get(peak.incident);
      if (!label) {
        const isRecent = ageMs < 7 * DAY_MS;
        const weights = isRecent
          ? { open: 60, acknowledged: 18, known_issue: 15, false_positive: 4, resolved: 3 }
          : { open: 10, acknowledged: 25, known_issue: 18, false_positive: 10, resolved: 37 };
        let status: string = own.weightedPick(PEAK_STATUSES, (candidate) => weights[candidate]);
        let knownIssueId: number | null = null;
        let knownPeakId: number | null = null;
        const issues = knownIssues.filter(
          (issue) =>
            (issue.namespace === null || issue.namespace === peak.namespace) && issue.createdAt <= peak.start && (issue.resolvedAt ?? Infinity) > peak.start,
        );
        if ((status === "known_issue" || own.chance(0.08)) && issues.length > 0) knownIssueId = own.pick(issues).id;
        else if (status === "known_issue") status = "acknowledged";
        const resolved = knownPeaks.filter(
          (known) => known.resolvedAt <= peak.start && (known.issue.namespace === null || known.issue.namespace === peak.namespace),
        );
        if (knownIssueId === null && resolved.length > 0 && own.chance(0.1)) knownPeakId = own.pick(resolved).id;
        label = { status, knownIssueId, knownPeakId };
        statusOfIncident.set(peak.incident, label);
      }

      // Investigation (most peaks; the newest may not be enriched yet).
      const isEnriched = options.isSettled === true || (ageMs > 2 * HOUR_MS ? own.chance(0.96) : own.chance(0.4));
      let enrichment: Record<string, unknown> = {
        trace_id: null,
        app_name: null,
        error_type: null,
        affected_services: [],
        root_cause: null,
        root_cause_pattern_id: null,
        top_patterns: null,
        enriched_at: null,
      };
      if (isEnriched) {
        const pool = patternsByNamespace.get(peak.namespace) ?? patterns;
        const current = pool.filter((pattern) => pattern.firstSeen <= peak.start + windowMs && pattern.lastSeen >= peak.start);
        const candidates = current.length >= 3 ? current : pool;
        const chosen = [...new Set(Array.from({ length: own.integer(3, 10) }, () => own.pick(candidates)))];
        // A labelled peak's root cause is one of its issue's patterns, as matching requires.
        const issuePatternId =
          label.knownIssueId !== null
            ? own.pick(knownIssues[label.knownIssueId - 1]!.patternIds)
            : label.knownPeakId !== null
              ? own.pick(knownPeaks[label.knownPeakId - 1]!.issue.patternIds)
              : null;
        const issuePattern = issuePatternId ? patternOf.get(issuePatternId) : undefined;
        if (issuePattern) chosen.unshift(issuePattern);
        const unique = [...new Map(chosen.map((pattern) => [pattern.hash, pattern])).values()].slice(0, 10);
        const documents = Math.min(count, 5000);
        let left = documents;
        const windowPatterns = unique.map((pattern, index) => {
          const share = index === unique.length - 1 ? left : Math.max(1, Math.floor(left * own.uniform(0.3, 0.6)));
          left = Math.max(0, left - share);
          const firstSeen = peak.start + own.integer(0, 60_000);
          return {
            patternId: pattern.hash,
            template: pattern.template,
            count: share,
            errorType: pattern.errorType,
            example: pattern.examples[0] ?? pattern.template,
            examples: pattern.examples.slice(0, 3),
            firstSeen,
            lastSeen: firstSeen + own.integer(60_000, windowMs - 61_000),
          };
        });
        const traces = Math.max(1, Math.floor(documents / own.integer(3, 8)));
        const rootCauses = windowPatterns
          .slice(0, own.integer(1, 3))
          .map((pattern, index) => ({ ...pattern, traces: Math.max(1, Math.floor(traces / (index + 2))), share: Number((1 / (index + 2)).toFixed(3)) }));
        const top = rootCauses[0]!;
        const apps = profile.apps.slice(0, own.integer(1, profile.apps.length));
        const traceId = own.hex(32);
        const representativeTrace = {
          traceId,
          errors: Array.from({ length: own.integer(2, 12) }, (_, index) => {
            const pattern = index === 0 ? top : own.pick(windowPatterns);
            return { timestamp: top.firstSeen + index * own.integer(5, 900), app: own.pick(apps), patternId: pattern.patternId, message: pattern.example };
          }),
        };
        const usualPeriod = {
          fromMs: peak.start - 24 * HOUR_MS,
          toMs: peak.start,
          windows: (24 * HOUR_MS) / windowMs,
          sampled: own.integer(500, 4800),
          total: Math.round(mean * ((24 * HOUR_MS) / windowMs)),
        };
        const changed = windowPatterns.slice(0, own.integer(1, 5)).map((pattern) => {
          const isNew = own.chance(0.4);
          const usualPerWindow = isNew ? 0 : Number(own.uniform(0.5, 20).toFixed(2));
          return {
            patternId: pattern.patternId,
            template: pattern.template,
            usualPerWindow,
            during: pattern.count,
            growth: isNew ? null : Number((pattern.count / Math.max(usualPerWindow, 0.01)).toFixed(2)),
            isNew,
          };
        });
        const usual = windowPatterns.slice(changed.length, changed.length + own.integer(0, 4)).map((pattern) => ({
          patternId: pattern.patternId,
          template: pattern.template,
          usualPerWindow: Number(own.uniform(1, 30).toFixed(2)),
          during: pattern.count,
          growth: 1,
          isNew: false,
        }));
        const stored = {
          version: 1,
          documents,
          total: count,
          untraced: own.integer(0, Math.floor(documents / 10)),
          traces,
          patterns: windowPatterns,
          rootCauses,
          representativeTrace,
          changed,
          usual,
          usualPeriod,
        };
        // A false positive is in no problem (an analyst found none in it).
        if (ageMs < 6 * DAY_MS && label.status !== "false_positive") recentProblemIds.add(problemIdOf({ patternId: top.patternId, errorType: top.errorType }));
        enrichment = {
          trace_id: traceId,
          app_name: representativeTrace.errors[0]!.app,
          error_type: top.errorType,
          affected_services: apps,
          root_cause: top.example,
          root_cause_pattern_id: top.patternId,
          top_patterns: stored,
          enriched_at: iso(peak.start + windowMs + own.integer(2, 20) * MINUTE_MS),
        };
      }
      const hasAi = isEnriched && own.chance(0.3);
      const updatedAt = peak.start + windowMs + own.integer(5, 60 * 24) * MINUTE_MS;
      peakRows.push({
        id: peak.id,
        timestamp: iso(peak.start),
        namespace: peak.namespace,
        day_of_week: keys.dayOfWeek,
        hour_of_day: keys.hourOfDay,
        quarter_hour: keys.quarterHour,
        status: label.status,
        severity,
        error_count: count,
        baseline_mean: mean,
        baseline_stddev: stddev,
        baseline_samples: slot?.samples ?? 0,
        ratio,
        required_ratio: requiredRatio,
        average_24h: mean * own.uniform(0.6, 1.4),
        reference_counts: Array.from({ length: 3 }, () => Math.max(0, Math.round(mean * own.uniform(0.6, 1.4)))),
        thresholds_version: version?.id ?? null,
        continues_peak_id: peak.continuesPeakId,
        incident_id: incidentIdOf.get(peak.incident),
        detected_at: iso(peak.start + windowMs + 2 * MINUTE_MS),
        ...enrichment,
        known_issue_id: label.knownIssueId,
        known_peak_id: label.knownPeakId,
        ai_summary: hasAi
          ? `The error rate of ${peak.namespace} rose ${ratio.toFixed(1)}× above its baseline, mostly ${String(enrichment.error_type)} errors starting in ${String(enrichment.app_name)}.`
          : null,
        ai_next_steps: hasAi
          ? ["Check the recent deployments of the affected services.", "Compare with the known issue, if any.", "Watch the next windows."]
          : [],
        ai_model: hasAi ? "bench-model" : null,
        ai_analyzed_at: hasAi ? iso(peak.start + windowMs + 25 * MINUTE_MS) : null,
        updated_at: iso(updatedAt),
      });
      rawUpdates.ts.push(iso(peak.start));
      rawUpdates.namespace.push(peak.namespace);
      rawUpdates.count.push(count);
      // A peak adds its threshold to the baseline, not its count.
      rawUpdates.value.push(Math.max(settings.min_absolute_value, mean * requiredRatio));

      // Triage trail: who moved it off open, notes on some, a Teams message per incident.
      const person = own.pick(people);
      if (label.status !== "open") {
        const action =
          { acknowledged: "peak.acknowledge", known_issue: "peak.mark_known_issue", false_positive: "peak.false_positive", resolved: "peak.resolve" }[
            label.status
          ] ?? "peak.acknowledge";
        audit.push({
          user_id: person.id,
          actor: person.email,
          action,
          entity_type: "peak",
          entity_id: String(peak.id),
          details: { from: "open", to: label.status, ...(label.knownIssueId ? { knownIssueId: label.knownIssueId } : {}) },
          created_at: iso(updatedAt),
        });
      }
      if (own.chance(0.08)) {
        for (let note = 0; note < own.integer(1, 3); note += 1) {
          const text = own.pick([
            "Looks like the deployment at the top of the hour; watching.",
            "Same pattern as last week's incident, linked the issue.",
            "Upstream provider confirmed an outage in their status page.",
            "Rolled back the release; errors dropped within two windows.",
            "Not actionable: a load test from the QA team.",
          ]);
          const at = iso(updatedAt + note * 7 * MINUTE_MS);
          notes.push({ peak_id: peak.id, author_id: person.id, actor: person.email, text, created_at: at });
          audit.push({
            user_id: person.id,
            actor: person.email,
            action: "peak.note",
            entity_type: "peak",
            entity_id: String(peak.id),
            details: { text },
            created_at: at,
          });
        }
      }
      const isAnnounced = options.isSettled === true ? peak.id - 1 === peak.incident : peak.continuesPeakId === null && own.chance(0.8);
      if (isAnnounced) {
        const status =
          options.isSettled === true
            ? "sent"
            : own.weightedPick(["sent", "failed", "pending"] as const, (candidate) => ({ sent: 92, failed: 5, pending: 3 })[candidate]);
        deliveries.push({
          channel: "teams",
          dedupe_key: options.isSettled === true ? `teams:incident:${incidentIdOf.get(peak.incident)}` : `teams:${peak.namespace}:${iso(peak.start)}`,
          peak_id: peak.id,
          status,
          attempts: status === "sent" ? own.integer(1, 2) : 5,
          last_error: status === "failed" ? "HTTP 503: Service Unavailable" : null,
          payload: {
            type: "message",
            attachments: [
              {
                contentType: "application/vnd.microsoft.card.adaptive",
                content: {
                  type: "AdaptiveCard",
                  version: "1.4",
                  body: [
                    { type: "TextBlock", text: `${severity.toUpperCase()}: ${peak.namespace} error peak`, weight: "Bolder", size: "Medium" },
                    {
                      type: "FactSet",
                      facts: [
                        { title: "Errors", value: `${count} (baseline ${mean.toFixed(1)}, ${ratio.toFixed(1)}×)` },
                        { title: "Window", value: iso(peak.start) },
                      ],
                    },
                  ],
                  actions: [{ type: "Action.OpenUrl", title: "Open the peak", url: `http://localhost:3000/peaks/${peak.id}` }],
                },
              },
            ],
          },
          created_at: iso(peak.start + windowMs + 3 * MINUTE_MS),
          sent_at: status === "sent" ? iso(peak.start + windowMs + 3 * MINUTE_MS + 800) : null,
        });
      }
    }

    // 7. Incidents: each takes its windows' status; one whose last window has fewer than
    // incidents.auto_resolve_quiet_windows windows after it is still going on.
    const incidentRandom = random.fork("incidents");
    const incidentRows: Record<string, unknown>[] = [];
    let snoozedOne = false;
    const peaksOfIncident = new Map<number, PeakRecord[]>();
    for (const peak of peaks) {
      let list = peaksOfIncident.get(peak.incident);
      if (!list) peaksOfIncident.set(peak.incident, (list = []));
      list.push(peak);
    }
    for (const [first, id] of incidentIdOf) {
      const windows = peaksOfIncident.get(first)!;
      const startedAt = Math.min(...windows.map((peak) => peak.start));
      const lastWindowAt = Math.max(...windows.map((peak) => peak.start));
      const isOngoing = lastWindowAt + options.quietWindows * windowMs > lastWindow;
      const label = statusOfIncident.get(first)!;
      const own = incidentRandom.fork(`incident ${id}`);
      const hasOwner = label.status === "acknowledged" || (label.status !== "open" && own.chance(0.6));
      const resolvedAt = label.status === "resolved" ? lastWindowAt + windowMs + own.integer(1, 48) * 15 * MINUTE_MS : null;
      const isSnoozed: boolean = isOngoing && label.status === "open" && !snoozedOne;
      snoozedOne ||= isSnoozed;
      incidentRows.push({
        id,
        namespace: windows[0]!.namespace,
        started_at: iso(startedAt),
        last_window_at: iso(lastWindowAt),
        ended_at: isOngoing ? null : iso(lastWindowAt + windowMs),
        status: label.status,
        owner_id: hasOwner ? own.pick(people).id : null,
        snoozed_until: isSnoozed ? iso(endMs + 2 * HOUR_MS) : null,
        // Most resolved incidents resolved themselves once back to normal; the rest with a solution.
        resolution: label.status === "resolved" ? (own.chance(0.7) ? "quiet" : "solution") : null,
        resolved_at: resolvedAt === null ? null : iso(Math.min(resolvedAt, endMs)),
      });
      if (options.isSettled === true && resolvedAt !== null) {
        const at = iso(Math.min(resolvedAt, endMs));
        deliveries.push({
          channel: "teams",
          dedupe_key: `teams:incident:${id}:resolved:0`,
          peak_id: windows[0]!.id,
          status: "sent",
          attempts: 1,
          last_error: null,
          payload: { type: "message", text: `${windows[0]!.namespace}: resolved` },
          created_at: at,
          sent_at: at,
        });
      }
    }

    await timed("known issues", async () => {
      await insertRows(
        client,
        "known_issues",
        [
          { name: "id", type: "int" },
          { name: "title", type: "text" },
          { name: "description", type: "text" },
          { name: "pattern_ids", type: "text[]" },
          { name: "regexes", type: "text[]" },
          { name: "namespace", type: "text" },
          { name: "app_name", type: "text" },
          { name: "link", type: "text" },
          { name: "status", type: '"KnownIssueStatus"' },
          { name: "created_by_id", type: "int" },
          { name: "created_at", type: "timestamptz" },
          { name: "updated_at", type: "timestamptz" },
          { name: "resolved_at", type: "timestamptz" },
        ],
        knownIssues.map((issue) => ({
          id: issue.id,
          title: issue.title,
          description: issue.description,
          pattern_ids: issue.patternIds,
          regexes: issue.regexes,
          namespace: issue.namespace,
          app_name: issue.appName,
          link: issue.link,
          status: issue.status,
          created_by_id: issue.createdBy.id,
          created_at: iso(issue.createdAt),
          updated_at: iso(issue.resolvedAt ?? issue.createdAt),
          resolved_at: issue.resolvedAt === null ? null : iso(issue.resolvedAt),
        })),
      );
      await continueSequence(client, "known_issues");
      await insertRows(
        client,
        "known_peaks",
        [
          { name: "id", type: "int" },
          { name: "title", type: "text" },
          { name: "description", type: "text" },
          { name: "solution", type: "text" },
          { name: "pattern_ids", type: "text[]" },
          { name: "regexes", type: "text[]" },
          { name: "namespace", type: "text" },
          { name: "app_name", type: "text" },
          { name: "link", type: "text" },
          { name: "known_issue_id", type: "int" },
          { name: "resolved_by_id", type: "int" },
          { name: "resolved_at", type: "timestamptz" },
        ],
        knownPeaks.map((known) => ({
          id: known.id,
          title: known.issue.title,
          description: known.issue.description,
          solution: known.solution,
          pattern_ids: known.issue.patternIds,
          regexes: known.issue.regexes,
          namespace: known.issue.namespace,
          app_name: known.issue.appName,
          link: known.issue.link,
          known_issue_id: known.issue.id,
          resolved_by_id: known.issue.createdBy.id,
          resolved_at: iso(known.resolvedAt),
        })),
      );
      await continueSequence(client, "known_peaks");
      for (const issue of knownIssues) {
        audit.push({
          user_id: issue.createdBy.id,
          actor: issue.createdBy.email,
          action: "known_issue.create",
          entity_type: "known_issue",
          entity_id: String(issue.id),
          details: { title: issue.title, patternIds: issue.patternIds },
          created_at: iso(issue.createdAt),
        });
      }
      for (const known of knownPeaks) {
        audit.push({
          user_id: known.issue.createdBy.id,
          actor: known.issue.createdBy.email,
          action: "known_issue.resolve",
          entity_type: "known_issue",
          entity_id: String(known.issue.id),
          details: { knownPeakId: known.id, solution: known.solution },
          created_at: iso(known.resolvedAt),
        });
      }
    });

    await timed("thresholds", async () => {
      await insertRows(
        client,
        "threshold_settings",
        [
          { name: "id", type: "int" },
          { name: "values", type: "jsonb" },
          { name: "comment", type: "text" },
          { name: "created_by_id", type: "int" },
          { name: "created_at", type: "timestamptz" },
        ],
        thresholdVersions.map((version) => ({
          id: version.id,
          values: version.values,
          comment: version.comment,
          created_by_id: adminUser.id,
          created_at: iso(version.at),
        })),
      );
      await continueSequence(client, "threshold_settings");
      let previous: number | null = null;
      for (const version of thresholdVersions) {
        audit.push({
          user_id: adminUser.id,
          actor: adminUser.email,
          action: "thresholds.save",
          entity_type: "thresholds",
          entity_id: String(version.id),
          details: { comment: version.comment, previousVersion: previous, after: version.values },
          created_at: iso(version.at),
        });
        previous = version.id;
      }
    });

    await timed("peaks", async () => {
      await insertRows(
        client,
        "incidents",
        [
          { name: "id", type: "int" },
          { name: "namespace", type: "text" },
          { name: "started_at", type: "timestamptz" },
          { name: "last_window_at", type: "timestamptz" },
          { name: "ended_at", type: "timestamptz" },
          { name: "status", type: '"PeakStatus"' },
          { name: "owner_id", type: "int" },
          { name: "snoozed_until", type: "timestamptz" },
          { name: "resolution", type: '"IncidentResolution"' },
          { name: "resolved_at", type: "timestamptz" },
        ],
        incidentRows,
      );
      await continueSequence(client, "incidents");
      // Plateau links point at earlier ids, so each batch of rows (in id order) is complete.
      await insertRows(
        client,
        "peak_investigation",
        [
          { name: "id", type: "int" },
          { name: "timestamp", type: "timestamptz" },
          { name: "namespace", type: "text" },
          { name: "day_of_week", type: "smallint" },
          { name: "hour_of_day", type: "smallint" },
          { name: "quarter_hour", type: "smallint" },
          { name: "status", type: '"PeakStatus"' },
          { name: "severity", type: '"PeakSeverity"' },
          { name: "error_count", type: "int" },
          { name: "baseline_mean", type: "float8" },
          { name: "baseline_stddev", type: "float8" },
          { name: "baseline_samples", type: "int" },
          { name: "ratio", type: "float8" },
          { name: "required_ratio", type: "float8" },
          { name: "average_24h", type: "float8" },
          { name: "reference_counts", type: "int[]" },
          { name: "thresholds_version", type: "int" },
          { name: "continues_peak_id", type: "int" },
          { name: "incident_id", type: "int" },
          { name: "detected_at", type: "timestamptz" },
          { name: "trace_id", type: "text" },
          { name: "app_name", type: "text" },
          { name: "error_type", type: "text" },
          { name: "affected_services", type: "text[]" },
          { name: "root_cause", type: "text" },
          { name: "root_cause_pattern_id", type: "text" },
          { name: "top_patterns", type: "jsonb" },
          { name: "enriched_at", type: "timestamptz" },
          { name: "known_issue_id", type: "int" },
          { name: "known_peak_id", type: "int" },
          { name: "ai_summary", type: "text" },
          { name: "ai_next_steps", type: "text[]" },
          { name: "ai_model", type: "text" },
          { name: "ai_analyzed_at", type: "timestamptz" },
          { name: "updated_at", type: "timestamptz" },
        ],
        peakRows,
      );
      await continueSequence(client, "peak_investigation");
      await client.query(
        `UPDATE peak_raw_data w SET error_count = u.count, is_peak = true, baseline_value = u.value
           FROM unnest($1::timestamptz[], $2::text[], $3::int[], $4::float8[]) AS u(ts, namespace, count, value)
          WHERE w.timestamp = u.ts AND w.namespace = u.namespace`,
        [rawUpdates.ts, rawUpdates.namespace, rawUpdates.count, rawUpdates.value],
      );
      if (sizes.baselineWeeks === null) {
        // The baselines as ingestion keeps them: Welford's mean and m2 over every window's baseline value.
        await client.query(
          `INSERT INTO aggregation_data (day_of_week, hour_of_day, quarter_hour, namespace, mean, stddev, samples, m2, updated_at)
           SELECT day_of_week, hour_of_day, quarter_hour, namespace, avg(baseline_value), sqrt(var_pop(baseline_value)), count(*), var_pop(baseline_value) * count(*), max(ingested_at)
             FROM peak_raw_data GROUP BY 1, 2, 3, 4`,
        );
      }
    });

    if (sizes.baselineWeeks !== null) {
      await timed("baselines of the year", () => insertYearBaselines(client, profiles, options.windowMinutes, sizes.baselineWeeks!, endMs));
    }

    await timed("trail", async () => {
      await insertRows(
        client,
        "peak_notes",
        [
          { name: "peak_id", type: "int" },
          { name: "author_id", type: "int" },
          { name: "actor", type: "text" },
          { name: "text", type: "text" },
          { name: "created_at", type: "timestamptz" },
        ],
        notes,
      );
      await insertRows(
        client,
        "notification_deliveries",
        [
          { name: "channel", type: "text" },
          { name: "dedupe_key", type: "text" },
          { name: "peak_id", type: "int" },
          { name: "status", type: '"DeliveryStatus"' },
          { name: "attempts", type: "int" },
          { name: "last_error", type: "text" },
          { name: "payload", type: "jsonb" },
          { name: "created_at", type: "timestamptz" },
          { name: "sent_at", type: "timestamptz" },
        ],
        deliveries,
      );
      audit.sort((left, right) => String(left.created_at).localeCompare(String(right.created_at)));
      await insertRows(
        client,
        "audit_log",
        [
          { name: "user_id", type: "int" },
          { name: "actor", type: "text" },
          { name: "action", type: "text" },
          { name: "entity_type", type: "text" },
          { name: "entity_id", type: "text" },
          { name: "details", type: "jsonb" },
          { name: "created_at", type: "timestamptz" },
        ],
        audit,
      );
    });

    // 7. Pipeline runs: the scheduled runs of the last ~50 hours (one per window), a few by hand.
    await timed("runs", async () => {
      const runRandom = random.fork("runs");
      const runs = Array.from({ length: sizes.pipelineRuns }, (_, index) => {
        const back = sizes.pipelineRuns - 1 - index;
        const rangeTo = endMs - back * windowMs;
        const rangeFrom = rangeTo - windowMs;
        const trigger = runRandom.weightedPick(["cron", "api", "cli"] as const, (candidate) => ({ cron: 90, api: 7, cli: 3 })[candidate]);
        const failedAt = back > 0 && runRandom.chance(0.04) ? runRandom.integer(0, 3) : -1;
        const startedAt = rangeTo + 2 * MINUTE_MS + runRandom.integer(0, 20_000);
        let clock = startedAt;
        const steps = [
          ["collect", "Collect error counts"],
          ["classify", "Classify errors"],
          ["trace_analysis", "Trace analysis"],
          ["ingest_detect", "Ingest and detect peaks"],
          ["known_issues", "Investigate peaks and match known issues"],
          ["record_stats", "Record statistics"],
          ["ai_analysis", "AI analysis"],
          ["notify", "Notify Teams"],
          ["maintenance", "Maintenance"],
        ].map(([name, title], stepIndex) => {
          const isFailed = stepIndex === failedAt;
          const isAfterFailure = failedAt >= 0 && stepIndex > failedAt;
          const durationMs = isAfterFailure ? null : runRandom.integer(20, name === "classify" || name === "known_issues" ? 9_000 : 1_500);
          const step = {
            name,
            title,
            status: isFailed ? "failed" : isAfterFailure ? "skipped" : name === "ai_analysis" ? "skipped" : "succeeded",
            startedAt: isAfterFailure ? null : iso(clock),
            durationMs,
            counts: isAfterFailure ? {} : { documents: runRandom.integer(500, 40_000), windows: sizes.namespaces },
            note: name === "ai_analysis" ? "AI analysis is off (ai.enabled is false)" : isAfterFailure ? "Skipped after a failed step" : null,
            error: isFailed ? "Elasticsearch answered 503 Service Unavailable after 5 attempts" : null,
          };
          clock += durationMs ?? 0;
          return step;
        });
        return {
          id: index + 1,
          trigger,
          range_from: iso(rangeFrom),
          range_to: iso(rangeTo),
          source: "Elasticsearch logs-* at https://es.example.com:9200",
          advances_watermark: true,
          status: failedAt >= 0 ? "failed" : "succeeded",
          steps,
          documents_seen: runRandom.integer(2_000, 60_000),
          peaks_found: runRandom.weightedPick([0, 1, 2, 3], (peaksFound) => [80, 12, 5, 3][peaksFound] ?? 0),
          notifications_sent: runRandom.integer(0, 2),
          error: failedAt >= 0 ? "Elasticsearch answered 503 Service Unavailable after 5 attempts" : null,
          started_by_id: trigger === "cron" ? null : runRandom.pick(people).id,
          started_at: iso(startedAt),
          finished_at: iso(clock),
        };
      });
      await insertRows(
        client,
        "pipeline_runs",
        [
          { name: "id", type: "int" },
          { name: "trigger", type: '"RunTrigger"' },
          { name: "range_from", type: "timestamptz" },
          { name: "range_to", type: "timestamptz" },
          { name: "source", type: "text" },
          { name: "advances_watermark", type: "boolean" },
          { name: "status", type: '"RunStatus"' },
          { name: "steps", type: "jsonb" },
          { name: "documents_seen", type: "int" },
          { name: "peaks_found", type: "int" },
          { name: "notifications_sent", type: "int" },
          { name: "error", type: "text" },
          { name: "started_by_id", type: "int" },
          { name: "started_at", type: "timestamptz" },
          { name: "finished_at", type: "timestamptz" },
        ],
        runs,
      );
      await continueSequence(client, "pipeline_runs");
    });

    // A database in use has counted the patterns of every stored window with errors, a few minutes
    // after it ended (pattern_windows lives as long as the windows do).
    await timed("pattern windows", async () => {
      await client.query(
        `INSERT INTO pattern_windows (window_start, namespace, documents, tracked_at)
           SELECT timestamp, namespace, error_count, timestamp + make_interval(mins => $1 + 5)
             FROM peak_raw_data WHERE error_count > 0
         ON CONFLICT DO NOTHING`,
        [options.windowMinutes],
      );
    });

    // A database in use holds each namespace's spread, written by the run that last judged its windows.
    await timed("spreads", async () => {
      const { dispersion } = await loadDispersionTrackers(
        database.prisma,
        profiles.map((profile) => profile.name),
        60 / options.windowMinutes,
      );
      await saveDispersionTrackers(database.prisma, dispersion);
    });

    // A production database has planner statistics; a freshly loaded one has none until autovacuum runs.
    await timed("analyze", async () => {
      await client.query("VACUUM ANALYZE");
    });

    const rows = await timed("count", async () => {
      const tables = [
        "peak_raw_data",
        "aggregation_data",
        "peak_investigation",
        "incidents",
        "known_issues",
        "known_peaks",
        "error_patterns",
        "pattern_daily_counts",
        "pattern_windows",
        "peak_notes",
        "audit_log",
        "notification_deliveries",
        "pipeline_runs",
        "threshold_settings",
        "users",
      ];
      const counted: Record<string, number> = {};
      for (const table of tables) {
        const exists = (await client.query<{ exists: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS exists`, [table])).rows[0]?.exists === true;
        if (exists) counted[table] = Number((await client.query<{ count: string }>(`SELECT count(*) AS count FROM "${table}"`)).rows[0]?.count ?? 0);
      }
      return counted;
    });

    return {
      admin,
      namespaces: profiles.map((profile) => profile.name),
      peakIds: peaks.map((peak) => peak.id),
      incidentIds: [...incidentIdOf.values()],
      knownIssueIds: knownIssues.map((issue) => issue.id),
      patternHashes: patterns.map((pattern) => pattern.hash),
      recentProblemIds: [...recentProblemIds].sort(),
      firstWindow: new Date(firstWindow),
      lastWindow: new Date(lastWindow),
      rows,
      timings,
    };
  } finally {
    await client.end();
  }
}
