-- CreateEnum
CREATE TYPE "IncidentResolution" AS ENUM ('solution', 'quiet');

-- AlterTable
ALTER TABLE "peak_investigation" ADD COLUMN     "incident_id" INTEGER;

-- CreateTable
CREATE TABLE "incidents" (
    "id" SERIAL NOT NULL,
    "namespace" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "last_window_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3),
    "status" "PeakStatus" NOT NULL DEFAULT 'open',
    "owner_id" INTEGER,
    "snoozed_until" TIMESTAMPTZ(3),
    "snooze_growth" DOUBLE PRECISION,
    "snooze_excess" DOUBLE PRECISION,
    "resolution" "IncidentResolution",
    "resolved_at" TIMESTAMPTZ(3),
    "reopened_at" TIMESTAMPTZ(3),
    "reopen_count" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "incidents_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "incidents_started_at_idx" ON "incidents"("started_at" DESC);

-- CreateIndex
CREATE INDEX "incidents_namespace_last_window_at_idx" ON "incidents"("namespace", "last_window_at" DESC);

-- CreateIndex
CREATE INDEX "incidents_status_started_at_idx" ON "incidents"("status", "started_at" DESC);

-- CreateIndex
CREATE INDEX "incidents_ended_at_idx" ON "incidents"("ended_at");

-- CreateIndex
CREATE INDEX "peak_investigation_incident_id_timestamp_idx" ON "peak_investigation"("incident_id", "timestamp");

-- AddForeignKey
ALTER TABLE "peak_investigation" ADD CONSTRAINT "peak_investigation_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Incidents of the peaks stored so far: per namespace, windows whose start is at most 45 minutes
-- after the previous one's (the 15-minute window and the default 30-minute incident gap) belong
-- together. An incident is open while one of its windows is, else acknowledged while one is, else
-- it has its first window's status. One followed by 4 or more stored windows (the default
-- auto_resolve_quiet_windows) has ended; it is not resolved for that: the first runs settle only
-- what is still ongoing.
CREATE TEMPORARY TABLE "incident_groups" ON COMMIT DROP AS
SELECT "id", "namespace", "timestamp", "status",
       SUM("starts") OVER (PARTITION BY "namespace" ORDER BY "timestamp", "id") AS "group_number"
FROM (
  SELECT "id", "namespace", "timestamp", "status",
         CASE WHEN LAG("timestamp") OVER (PARTITION BY "namespace" ORDER BY "timestamp", "id") >= "timestamp" - INTERVAL '45 minutes'
              THEN 0 ELSE 1 END AS "starts"
  FROM "peak_investigation"
) AS "windows";

CREATE TEMPORARY TABLE "incident_rows" ON COMMIT DROP AS
SELECT "namespace", "group_number",
       MIN("timestamp") AS "started_at",
       MAX("timestamp") AS "last_window_at",
       CASE WHEN BOOL_OR("status" = 'open') THEN 'open'::"PeakStatus"
            WHEN BOOL_OR("status" = 'acknowledged') THEN 'acknowledged'::"PeakStatus"
            ELSE (ARRAY_AGG("status" ORDER BY "timestamp", "id"))[1] END AS "status",
       nextval(pg_get_serial_sequence('"incidents"', 'id'))::INTEGER AS "id"
FROM "incident_groups"
GROUP BY "namespace", "group_number";

INSERT INTO "incidents" ("id", "namespace", "started_at", "last_window_at", "ended_at", "status", "resolution", "resolved_at")
SELECT r."id", r."namespace", r."started_at", r."last_window_at",
       CASE WHEN (SELECT COUNT(*) FROM "peak_raw_data" w
                  WHERE w."namespace" = r."namespace" AND w."timestamp" > r."last_window_at") >= 4
            THEN r."last_window_at" + INTERVAL '15 minutes' END,
       r."status",
       CASE WHEN r."status" = 'resolved' THEN 'solution'::"IncidentResolution" END,
       CASE WHEN r."status" = 'resolved' THEN r."last_window_at" + INTERVAL '15 minutes' END
FROM "incident_rows" r;

UPDATE "peak_investigation" p
SET "incident_id" = r."id"
FROM "incident_groups" g
JOIN "incident_rows" r ON r."namespace" = g."namespace" AND r."group_number" = g."group_number"
WHERE p."id" = g."id";
