-- CreateTable
CREATE TABLE "data_versions" (
    "table_name" TEXT NOT NULL,
    "generation" UUID NOT NULL DEFAULT gen_random_uuid(),
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "data_versions_pkey" PRIMARY KEY ("table_name")
);


-- One more write of the table that fired it, counted once per statement (a run's bulk insert of
-- a thousand windows is one write) in the writer's own transaction.
CREATE FUNCTION "bump_data_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "data_versions" ("table_name", "version") VALUES (TG_TABLE_NAME, 1)
  ON CONFLICT ("table_name") DO UPDATE SET "version" = "data_versions"."version" + 1;
  RETURN NULL;
END
$$;

CREATE TRIGGER "peak_raw_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "peak_raw_data"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"();
CREATE TRIGGER "aggregation_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "aggregation_data"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"();
CREATE TRIGGER "incidents_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "incidents"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"();
CREATE TRIGGER "peak_investigation_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "peak_investigation"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"();
CREATE TRIGGER "threshold_settings_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "threshold_settings"
  FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"();
