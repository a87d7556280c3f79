import { z } from "zod";
import { logsUrlTemplateProblem } from "@/lib/logs-link";
import { cronProblem } from "@/lib/pipeline/cron";

const positive = z.number().positive();
const retention = z.number().int().positive().nullable();

function isTimezone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

function isRegex(value: string): boolean {
  try {
    new RegExp(value, "i");
    return true;
  } catch {
    return false;
  }
}

/** Defaults of the peak_detection keys the system this replaces did not have (chosen by measurement: README, "Decision rule"). */
export const DEFAULT_SAME_DAY_MIN_RATIO = 1.2;
export const DEFAULT_TAIL_PROBABILITY = 1e-6;
/** Problems: namespaces held at once from which a problem is systemic, and the trend's tolerance (README, "Problems"). */
export const DEFAULT_PROBLEMS = { systemic_namespaces: 3, trend_factor: 1.5, trend_min_errors: 100 } as const;
/** Failed sign-ins from one client address, over all accounts, within the window. */
export const DEFAULT_MAX_FAILED_LOGINS_PER_ADDRESS = 20;
/** Errors of a new pattern in one window before it is flagged as first seen in its namespace. */
export const DEFAULT_FIRST_SEEN_MIN_COUNT = 5;
/** The daily digest's defaults (README, "Daily digest"). */
export const DEFAULT_DIGEST = {
  enabled: true,
  local_time: "08:00",
  top: 10,
  teams: true,
  email_to: [] as string[],
  email_from: "Peak Investigation <peaks@localhost>",
  email_subject: "Error peaks: daily digest of {date}",
};
/** Most problems a digest lists, and most e-mail recipients. */
export const MAX_DIGEST_TOP = 100;
export const MAX_DIGEST_RECIPIENTS = 50;

const EMAIL_ADDRESS = /^[^\s@<>,;"]+@[^\s@<>,;"]+$/;

/** "name@host" or "Display Name <name@host>": what an e-mail's From may be. */
function isMailbox(value: string): boolean {
  const named = /^([^<>]*)<([^<>]+)>$/.exec(value.trim());
  return named ? !/[\r\n]/.test(named[1]!) && EMAIL_ADDRESS.test(named[2]!.trim()) : EMAIL_ADDRESS.test(value.trim());
}

export const digestSchema = z
  .object({
    enabled: z.boolean({ error: "must be true or false" }).default(DEFAULT_DIGEST.enabled),
    // Wall-clock time in the configured timezone; the digest of a date covers the 24 h before it.
    local_time: z
      .string({ error: "must be a time written HH:MM, such as 08:00" })
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time written HH:MM (00:00 to 23:59), such as 08:00")
      .default(DEFAULT_DIGEST.local_time),
    top: z
      .number({ error: "must be a whole number" })
      .int("must be a whole number")
      .min(1, "must be at least 1")
      .max(MAX_DIGEST_TOP, `must be at most ${MAX_DIGEST_TOP}`)
      .default(DEFAULT_DIGEST.top),
    // Post the digest's card to TEAMS_WEBHOOK_URL (when set).
    teams: z.boolean({ error: "must be true or false" }).default(DEFAULT_DIGEST.teams),
    email_to: z
      .array(z.string({ error: "must be an e-mail address" }).trim().regex(EMAIL_ADDRESS, "must be an e-mail address (name@example.com)"), {
        error: "must be a list of e-mail addresses",
      })
      .max(MAX_DIGEST_RECIPIENTS, `must list at most ${MAX_DIGEST_RECIPIENTS} addresses`)
      .default([]),
    email_from: z
      .string({ error: "must be an e-mail address" })
      .refine(isMailbox, { message: "must be an e-mail address, optionally with a name: Peak Investigation <peaks@example.com>" })
      .default(DEFAULT_DIGEST.email_from),
    // "{date}" is replaced by the digest's date (YYYY-MM-DD).
    email_subject: z
      .string({ error: "must be a text" })
      .min(1, "must not be empty")
      .max(200, "must be at most 200 characters")
      .refine((subject) => !/[\r\n]/.test(subject), { message: "must be one line" })
      .default(DEFAULT_DIGEST.email_subject),
  })
  .strict();

export const peakDetectionSchema = z
  .object({
    min_ratio_multiplier: positive,
    max_ratio_multiplier: positive,
    dynamic_min_multiplier: z.number().min(0),
    min_absolute_value: z.number().int().min(0),
    same_day_window_count: z.number().int().min(0).max(96),
    same_day_min_ratio: z.number().min(0).default(DEFAULT_SAME_DAY_MIN_RATIO),
    tail_probability: z.number().gt(0).max(0.01).default(DEFAULT_TAIL_PROBABILITY),
  })
  .strict()
  .refine((value) => value.min_ratio_multiplier <= value.max_ratio_multiplier, {
    message: "must be at least min_ratio_multiplier",
    path: ["max_ratio_multiplier"],
  });

const fieldPath = z.string().min(1);

/** Where the application version is read by default (ECS); kubernetes.labels.version, app.version, labels.version are common too. */
export const DEFAULT_VERSION_FIELD = "service.version";

/** The schedules of vercel.json's crons, which the built-in scheduler keeps by default. */
export const DEFAULT_SCHEDULES = { pipeline: "2,17,32,47 * * * *", enrichment: "9 * * * *", maintenance: "23 3 * * *", digest: "5 * * * *" } as const;

const cronExpression = z.string().superRefine((expression, context) => {
  const problem = cronProblem(expression);
  if (problem) context.addIssue({ code: "custom", message: `is not a cron expression: ${problem}` });
});

export const schedulerSchema = z
  .object({
    // auto: on unless CRON_SECRET is set, i.e. unless an outside cron may call the /api/cron/* routes.
    enabled: z.union([z.literal("auto"), z.boolean()], { error: "must be auto, true or false" }).default("auto"),
    pipeline: cronExpression.default(DEFAULT_SCHEDULES.pipeline),
    enrichment: cronExpression.default(DEFAULT_SCHEDULES.enrichment),
    maintenance: cronExpression.default(DEFAULT_SCHEDULES.maintenance),
    // Each call sends the newest due digest if it was not sent: hourly, a missed hour sends it at the next.
    digest: cronExpression.default(DEFAULT_SCHEDULES.digest),
  })
  .strict();

export const configSchema = z
  .object({
    timezone: z.string().refine(isTimezone, { message: "is not an IANA timezone (e.g. Europe/Prague)" }),
    window_minutes: z
      .number()
      .int()
      .refine((value) => value > 0 && 60 % value === 0, { message: "must divide 60 (e.g. 5, 10, 15, 30, 60)" }),
    peak_detection: peakDetectionSchema,
    source: z
      .object({
        index_pattern: z.string().min(1),
        error_levels: z.array(z.string().min(1)).min(1),
        fields: z
          .object({
            timestamp: fieldPath,
            namespace: fieldPath,
            app: fieldPath,
            level: fieldPath,
            message: fieldPath,
            trace_id: fieldPath,
            // Optional: older values.yaml files have no version field; documents without it have no version.
            version: fieldPath.default(DEFAULT_VERSION_FIELD),
          })
          .strict(),
        max_documents_per_window: z.number().int().positive(),
        max_silence_minutes: z
          .number()
          .int()
          .min(1)
          .max(7 * 24 * 60)
          .default(120),
        elasticsearch: z
          .object({
            page_size: z.number().int().min(1).max(10_000),
            aggregation_page_size: z.number().int().min(1).max(65_536),
            point_in_time_keep_alive: z.string().regex(/^\d+(ms|s|m|h|d)$/, "must be a duration such as 90s, 2m or 1h"),
            retry: z
              .object({
                attempts: z.number().int().min(1).max(20),
                initial_backoff_ms: z.number().int().min(0),
                max_backoff_ms: z.number().int().min(0),
              })
              .strict()
              .refine((value) => value.initial_backoff_ms <= value.max_backoff_ms, {
                message: "must be at least initial_backoff_ms",
                path: ["max_backoff_ms"],
              }),
          })
          .strict(),
      })
      .strict(),
    classification: z
      .object({
        rules: z.array(
          z
            .object({
              type: z.string().regex(/^[a-z0-9_]+$/, "must be lower_snake_case"),
              patterns: z.array(z.string().refine(isRegex, { message: "is not a valid regular expression" })).min(1),
            })
            .strict(),
        ),
      })
      .strict(),
    investigation: z
      .object({
        usual_hours: z
          .number()
          .int()
          .min(1)
          .max(24 * 28),
        usual_sample_per_window: z.number().int().min(1).max(10_000),
        min_growth: z.number().min(1),
        top_patterns: z.number().int().min(1).max(100),
        max_examples: z.number().int().min(1).max(50),
      })
      .strict(),
    // Optional: older values.yaml files have no patterns section.
    patterns: z
      .object({
        /** A pattern first seen in a namespace is flagged only with at least this many errors in its window. */
        first_seen_min_count: z.number().int("must be a whole number").min(1, "must be at least 1").max(1_000_000).default(DEFAULT_FIRST_SEEN_MIN_COUNT),
      })
      .strict()
      .default({ first_seen_min_count: DEFAULT_FIRST_SEEN_MIN_COUNT }),
    pipeline: z
      .object({
        first_run_windows: z
          .number()
          .int()
          .min(1)
          .max(96 * 7),
        settle_seconds: z.number().int().min(0).max(3600),
        max_catch_up_days: z.number().int().min(1).max(90),
        lock_lease_seconds: z.number().int().min(10).max(3600),
        maintenance_batch_size: z.number().int().min(100).max(100_000),
        recount_hours: z.number().min(0).max(48).default(2),
        stale_after_minutes: z
          .number()
          .int()
          .min(1)
          .max(7 * 24 * 60)
          .default(45),
        silent_namespace_windows: z
          .number()
          .int()
          .min(1)
          .max(96 * 7)
          .default(4),
      })
      .strict(),
    // Optional: a values.yaml without it keeps auto and vercel.json's schedules.
    scheduler: schedulerSchema.default({ enabled: "auto", ...DEFAULT_SCHEDULES }),
    retention_days: z
      .object({
        peak_raw_data: retention,
        error_patterns: retention,
        aggregation_data: retention,
        peak_investigation: retention,
        known_peaks: retention,
        pipeline_runs: retention,
        notification_deliveries: retention,
        audit_log: retention,
      })
      .strict(),
    // Optional: older values.yaml files have no incidents section.
    incidents: z
      .object({
        auto_resolve_quiet_windows: z
          .number()
          .int()
          .min(1)
          .max(96 * 7)
          .default(4),
        reopen_hours: z
          .number()
          .min(0)
          .max(24 * 90)
          .default(24),
      })
      .strict()
      .default({ auto_resolve_quiet_windows: 4, reopen_hours: 24 }),
    // Optional: older values.yaml files have no problems section.
    problems: z
      .object({
        systemic_namespaces: z.number().int("must be a whole number").min(2, "must be at least 2").max(10_000).default(DEFAULT_PROBLEMS.systemic_namespaces),
        trend_factor: z.number().gt(1, "must be more than 1").max(100).default(DEFAULT_PROBLEMS.trend_factor),
        trend_min_errors: z.number().int("must be a whole number").min(0).max(1_000_000_000).default(DEFAULT_PROBLEMS.trend_min_errors),
      })
      .strict()
      .default({ ...DEFAULT_PROBLEMS }),
    // Optional: older values.yaml files have no digest section.
    digest: digestSchema.default({ ...DEFAULT_DIGEST, email_to: [] }),
    notifications: z
      .object({
        teams: z
          .object({
            enabled: z.boolean(),
            notify_known_issues: z.boolean(),
            incident_gap_minutes: z.number().int().positive(),
            // Optional: older values.yaml files predate it; off, nothing is announced.
            first_seen: z.boolean({ error: "must be true or false" }).default(false),
          })
          .strict(),
        dashboard_url: z.url({ protocol: /^https?$/ }),
        retry: z
          .object({
            attempts: z.number().int().min(1).max(20),
            initial_backoff_ms: z.number().int().min(0),
          })
          .strict(),
      })
      .strict(),
    ai: z
      .object({
        enabled: z.boolean(),
        timeout_ms: z.number().int().positive(),
        max_output_tokens: z.number().int().positive(),
      })
      .strict(),
    auth: z
      .object({
        max_failed_logins: z.number().int().positive(),
        failed_login_window_minutes: z.number().int().positive(),
        max_failed_logins_per_address: z.number().int().positive().default(DEFAULT_MAX_FAILED_LOGINS_PER_ADDRESS),
        trusted_proxy_hops: z.number().int().min(0).max(10).default(0),
        oidc_default_role: z.enum(["viewer", "analyst", "admin"]),
      })
      .strict(),
    database: z
      .object({
        embedded_idle_shutdown_minutes: z.number().min(0),
      })
      .strict(),
    // Optional: a values.yaml without it has no links.
    links: z
      .object({
        logs_url_template: z
          .string()
          .superRefine((template, context) => {
            const problem = logsUrlTemplateProblem(template);
            if (problem) context.addIssue({ code: "custom", message: problem });
          })
          .optional(),
      })
      .strict()
      .default({}),
  })
  .strict()
  .superRefine((config, context) => {
    // The digest's period ends at local_time: on a window boundary, so that it holds whole windows.
    const minutes = Number(config.digest.local_time.slice(3));
    if (minutes % config.window_minutes !== 0) {
      context.addIssue({
        code: "custom",
        path: ["digest", "local_time"],
        message: `must fall on a window boundary: its minutes a multiple of window_minutes (${config.window_minutes})`,
      });
    }
  });

/**
 * Whether the built-in scheduler runs: `auto` runs it unless CRON_SECRET is set, since the cron
 * routes answer 401 without it, so no outside cron can be running their jobs.
 */
export function isSchedulerOn(enabled: SchedulerConfig["enabled"], environment: { isCronSecretSet: boolean }): boolean {
  return enabled === "auto" ? !environment.isCronSecretSet : enabled;
}

export type Config = z.infer<typeof configSchema>;
export type PeakDetectionConfig = z.infer<typeof peakDetectionSchema>;
export type SchedulerConfig = z.infer<typeof schedulerSchema>;
export type DigestConfig = z.infer<typeof digestSchema>;
