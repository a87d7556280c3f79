-- CreateTable
CREATE TABLE "data_versions" (
    "id" BIGSERIAL NOT NULL,
    "table_name" TEXT NOT NULL,
    "transaction_id" BIGINT NOT NULL,
    "written_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "data_versions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "data_versions_table_name_id_idx" ON "data_versions"("table_name", "id");

-- CreateIndex
CREATE INDEX "data_versions_written_at_idx" ON "data_versions"("written_at");

-- CreateIndex
CREATE UNIQUE INDEX "data_versions_table_name_transaction_id_key" ON "data_versions"("table_name", "transaction_id");


-- The writing transaction, once per table it writes (a run's bulk insert of a thousand windows,
-- or a hundred statements of one transaction, are one row), inside that transaction: a row of its
-- own, so no writer ever waits for another here.
CREATE FUNCTION "record_data_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "data_versions" ("table_name", "transaction_id") VALUES (TG_TABLE_NAME, pg_current_xact_id()::text::bigint)
  ON CONFLICT ("table_name", "transaction_id") DO NOTHING;
  RETURN NULL;
END
$$;

CREATE TRIGGER "peak_raw_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "peak_raw_data"
  FOR EACH STATEMENT EXECUTE FUNCTION "record_data_version"();
CREATE TRIGGER "aggregation_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "aggregation_data"
  FOR EACH STATEMENT EXECUTE FUNCTION "record_data_version"();
CREATE TRIGGER "incidents_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "incidents"
  FOR EACH STATEMENT EXECUTE FUNCTION "record_data_version"();
CREATE TRIGGER "peak_investigation_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "peak_investigation"
  FOR EACH STATEMENT EXECUTE FUNCTION "record_data_version"();
CREATE TRIGGER "threshold_settings_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "threshold_settings"
  FOR EACH STATEMENT EXECUTE FUNCTION "record_data_version"();
