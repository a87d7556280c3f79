-- Initial schema: the six tables of the seed under their names, plus runs, users, threshold
-- history, notification deliveries, audit log and login failures.

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('viewer', 'analyst', 'admin');

-- CreateEnum
CREATE TYPE "PeakStatus" AS ENUM ('open', 'acknowledged', 'known_issue', 'false_positive', 'resolved');

-- CreateEnum
CREATE TYPE "PeakSeverity" AS ENUM ('low', 'medium', 'high', 'critical');

-- CreateEnum
CREATE TYPE "KnownIssueStatus" AS ENUM ('active', 'resolved');

-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('running', 'succeeded', 'failed');

-- CreateEnum
CREATE TYPE "RunTrigger" AS ENUM ('cli', 'api', 'cron');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('pending', 'sent', 'failed');

-- CreateTable
CREATE TABLE "peak_raw_data" (
    "id" BIGSERIAL NOT NULL,
    "timestamp" TIMESTAMPTZ(3) NOT NULL,
    "day_of_week" SMALLINT NOT NULL,
    "hour_of_day" SMALLINT NOT NULL,
    "quarter_hour" SMALLINT NOT NULL,
    "namespace" TEXT NOT NULL,
    "error_count" INTEGER NOT NULL,
    "is_peak" BOOLEAN NOT NULL DEFAULT false,
    "ingested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "peak_raw_data_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "aggregation_data" (
    "id" BIGSERIAL NOT NULL,
    "day_of_week" SMALLINT NOT NULL,
    "hour_of_day" SMALLINT NOT NULL,
    "quarter_hour" SMALLINT NOT NULL,
    "namespace" TEXT NOT NULL,
    "mean" DOUBLE PRECISION NOT NULL,
    "stddev" DOUBLE PRECISION NOT NULL,
    "samples" INTEGER NOT NULL,
    "m2" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "aggregation_data_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "peak_investigation" (
    "id" SERIAL NOT NULL,
    "timestamp" TIMESTAMPTZ(3) NOT NULL,
    "namespace" TEXT NOT NULL,
    "day_of_week" SMALLINT NOT NULL,
    "hour_of_day" SMALLINT NOT NULL,
    "quarter_hour" SMALLINT NOT NULL,
    "status" "PeakStatus" NOT NULL DEFAULT 'open',
    "severity" "PeakSeverity" NOT NULL,
    "error_count" INTEGER NOT NULL,
    "baseline_mean" DOUBLE PRECISION NOT NULL,
    "baseline_stddev" DOUBLE PRECISION NOT NULL,
    "baseline_samples" INTEGER NOT NULL,
    "ratio" DOUBLE PRECISION NOT NULL,
    "required_ratio" DOUBLE PRECISION NOT NULL,
    "average_24h" DOUBLE PRECISION NOT NULL,
    "reference_counts" INTEGER[],
    "thresholds_version" INTEGER,
    "continues_peak_id" INTEGER,
    "detected_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "trace_id" TEXT,
    "app_name" TEXT,
    "error_type" TEXT,
    "affected_services" TEXT[],
    "root_cause" TEXT,
    "top_patterns" JSONB,
    "enriched_at" TIMESTAMPTZ(3),
    "known_issue_id" INTEGER,
    "known_peak_id" INTEGER,
    "ai_summary" TEXT,
    "ai_analyzed_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "peak_investigation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "known_issues" (
    "id" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "pattern_ids" TEXT[],
    "regexes" TEXT[],
    "namespace" TEXT,
    "app_name" TEXT,
    "link" TEXT,
    "status" "KnownIssueStatus" NOT NULL DEFAULT 'active',
    "created_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),

    CONSTRAINT "known_issues_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "known_peaks" (
    "id" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "solution" TEXT NOT NULL,
    "pattern_ids" TEXT[],
    "regexes" TEXT[],
    "namespace" TEXT,
    "app_name" TEXT,
    "link" TEXT,
    "known_issue_id" INTEGER,
    "resolved_by_id" INTEGER,
    "resolved_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "known_peaks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "error_patterns" (
    "id" SERIAL NOT NULL,
    "pattern_hash" TEXT NOT NULL,
    "template" TEXT NOT NULL,
    "error_type" TEXT,
    "first_seen" TIMESTAMPTZ(3) NOT NULL,
    "last_seen" TIMESTAMPTZ(3) NOT NULL,
    "occurrences" BIGINT NOT NULL DEFAULT 0,
    "namespaces" TEXT[],
    "namespace_occurrences" JSONB NOT NULL DEFAULT '{}',
    "example_messages" TEXT[],

    CONSTRAINT "error_patterns_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "pipeline_runs" (
    "id" SERIAL NOT NULL,
    "trigger" "RunTrigger" NOT NULL,
    "range_from" TIMESTAMPTZ(3) NOT NULL,
    "range_to" TIMESTAMPTZ(3) NOT NULL,
    "is_dry_run" BOOLEAN NOT NULL DEFAULT false,
    "status" "RunStatus" NOT NULL DEFAULT 'running',
    "steps" JSONB NOT NULL DEFAULT '[]',
    "documents_seen" INTEGER NOT NULL DEFAULT 0,
    "peaks_found" INTEGER NOT NULL DEFAULT 0,
    "notifications_sent" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "started_by_id" INTEGER,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "pipeline_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "password_hash" TEXT,
    "role" "Role" NOT NULL DEFAULT 'viewer',
    "is_disabled" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_login_at" TIMESTAMPTZ(3),

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "threshold_settings" (
    "id" SERIAL NOT NULL,
    "values" JSONB NOT NULL,
    "comment" TEXT,
    "created_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "threshold_settings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_deliveries" (
    "id" SERIAL NOT NULL,
    "channel" TEXT NOT NULL,
    "dedupe_key" TEXT NOT NULL,
    "peak_id" INTEGER,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "notification_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "user_id" INTEGER,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "login_failures" (
    "id" BIGSERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "failed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "login_failures_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "peak_raw_data_namespace_timestamp_idx" ON "peak_raw_data"("namespace", "timestamp");

-- CreateIndex
CREATE INDEX "peak_raw_data_timestamp_idx" ON "peak_raw_data"("timestamp");

-- CreateIndex
CREATE UNIQUE INDEX "peak_raw_data_window_key" ON "peak_raw_data"("timestamp", "day_of_week", "hour_of_day", "quarter_hour", "namespace");

-- CreateIndex
CREATE INDEX "aggregation_data_namespace_idx" ON "aggregation_data"("namespace");

-- CreateIndex
CREATE UNIQUE INDEX "aggregation_data_slot_key" ON "aggregation_data"("day_of_week", "hour_of_day", "quarter_hour", "namespace");

-- CreateIndex
CREATE INDEX "peak_investigation_timestamp_idx" ON "peak_investigation"("timestamp" DESC);

-- CreateIndex
CREATE INDEX "peak_investigation_namespace_timestamp_idx" ON "peak_investigation"("namespace", "timestamp" DESC);

-- CreateIndex
CREATE INDEX "peak_investigation_status_timestamp_idx" ON "peak_investigation"("status", "timestamp" DESC);

-- CreateIndex
CREATE INDEX "peak_investigation_known_issue_id_idx" ON "peak_investigation"("known_issue_id");

-- CreateIndex
CREATE UNIQUE INDEX "peak_investigation_window_key" ON "peak_investigation"("timestamp", "namespace");

-- CreateIndex
CREATE INDEX "known_issues_status_idx" ON "known_issues"("status");

-- CreateIndex
CREATE UNIQUE INDEX "error_patterns_pattern_hash_key" ON "error_patterns"("pattern_hash");

-- CreateIndex
CREATE INDEX "error_patterns_last_seen_idx" ON "error_patterns"("last_seen" DESC);

-- CreateIndex
CREATE INDEX "pipeline_runs_started_at_idx" ON "pipeline_runs"("started_at" DESC);

-- CreateIndex
CREATE INDEX "pipeline_runs_status_started_at_idx" ON "pipeline_runs"("status", "started_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "threshold_settings_created_at_idx" ON "threshold_settings"("created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "notification_deliveries_dedupe_key_key" ON "notification_deliveries"("dedupe_key");

-- CreateIndex
CREATE INDEX "notification_deliveries_peak_id_idx" ON "notification_deliveries"("peak_id");

-- CreateIndex
CREATE INDEX "notification_deliveries_status_created_at_idx" ON "notification_deliveries"("status", "created_at");

-- CreateIndex
CREATE INDEX "audit_log_entity_type_entity_id_idx" ON "audit_log"("entity_type", "entity_id");

-- CreateIndex
CREATE INDEX "audit_log_created_at_idx" ON "audit_log"("created_at" DESC);

-- CreateIndex
CREATE INDEX "login_failures_key_failed_at_idx" ON "login_failures"("key", "failed_at");

-- AddForeignKey
ALTER TABLE "peak_investigation" ADD CONSTRAINT "peak_investigation_continues_peak_id_fkey" FOREIGN KEY ("continues_peak_id") REFERENCES "peak_investigation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "peak_investigation" ADD CONSTRAINT "peak_investigation_known_issue_id_fkey" FOREIGN KEY ("known_issue_id") REFERENCES "known_issues"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "peak_investigation" ADD CONSTRAINT "peak_investigation_known_peak_id_fkey" FOREIGN KEY ("known_peak_id") REFERENCES "known_peaks"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "known_issues" ADD CONSTRAINT "known_issues_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "known_peaks" ADD CONSTRAINT "known_peaks_known_issue_id_fkey" FOREIGN KEY ("known_issue_id") REFERENCES "known_issues"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "known_peaks" ADD CONSTRAINT "known_peaks_resolved_by_id_fkey" FOREIGN KEY ("resolved_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pipeline_runs" ADD CONSTRAINT "pipeline_runs_started_by_id_fkey" FOREIGN KEY ("started_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "threshold_settings" ADD CONSTRAINT "threshold_settings_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_peak_id_fkey" FOREIGN KEY ("peak_id") REFERENCES "peak_investigation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

