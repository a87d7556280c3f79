-- CreateTable
CREATE TABLE "baseline_spreads" (
    "namespace" TEXT NOT NULL,
    "state" JSON NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "baseline_spreads_pkey" PRIMARY KEY ("namespace")
);


-- A stored spread holds only while its namespace's slots are as they were when it was written:
-- any statement that changes a slot's statistics (mean, samples, m2) drops the spreads of the
-- namespaces it touched, and the run that judged them writes theirs again after its slots, in the
-- same transaction. Retiring old windows (retired_* columns) leaves the statistics, and spreads,
-- as they are. Transition tables allow one event per trigger, hence a trigger per event.
CREATE FUNCTION "forget_baseline_spreads"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM "baseline_spreads";
  ELSIF TG_OP = 'INSERT' THEN
    DELETE FROM "baseline_spreads" WHERE "namespace" IN (SELECT "namespace" FROM "written_slots");
  ELSIF TG_OP = 'DELETE' THEN
    DELETE FROM "baseline_spreads" WHERE "namespace" IN (SELECT "namespace" FROM "removed_slots");
  ELSE
    DELETE FROM "baseline_spreads" WHERE "namespace" IN (
      SELECT n."namespace" FROM "written_slots" n
        LEFT JOIN "removed_slots" o
          ON o."namespace" = n."namespace" AND o."day_of_week" = n."day_of_week" AND o."hour_of_day" = n."hour_of_day" AND o."quarter_hour" = n."quarter_hour"
       WHERE o."namespace" IS NULL OR (o."mean", o."samples", o."m2") IS DISTINCT FROM (n."mean", n."samples", n."m2")
      UNION
      SELECT o."namespace" FROM "removed_slots" o
        LEFT JOIN "written_slots" n
          ON o."namespace" = n."namespace" AND o."day_of_week" = n."day_of_week" AND o."hour_of_day" = n."hour_of_day" AND o."quarter_hour" = n."quarter_hour"
       WHERE n."namespace" IS NULL);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "aggregation_data_inserted_spreads" AFTER INSERT ON "aggregation_data"
  REFERENCING NEW TABLE AS "written_slots" FOR EACH STATEMENT EXECUTE FUNCTION "forget_baseline_spreads"();
CREATE TRIGGER "aggregation_data_updated_spreads" AFTER UPDATE ON "aggregation_data"
  REFERENCING OLD TABLE AS "removed_slots" NEW TABLE AS "written_slots" FOR EACH STATEMENT EXECUTE FUNCTION "forget_baseline_spreads"();
CREATE TRIGGER "aggregation_data_deleted_spreads" AFTER DELETE ON "aggregation_data"
  REFERENCING OLD TABLE AS "removed_slots" FOR EACH STATEMENT EXECUTE FUNCTION "forget_baseline_spreads"();
CREATE TRIGGER "aggregation_data_truncated_spreads" AFTER TRUNCATE ON "aggregation_data"
  FOR EACH STATEMENT EXECUTE FUNCTION "forget_baseline_spreads"();
