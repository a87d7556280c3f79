-- The error patterns' tables join the recorded ones (migration 0017): the pattern list is reused
-- while no pattern, daily count, counted window or peak was written.
CREATE TRIGGER "error_patterns_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "error_patterns"
  FOR EACH STATEMENT EXECUTE FUNCTION "record_data_version"();
CREATE TRIGGER "pattern_daily_counts_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "pattern_daily_counts"
  FOR EACH STATEMENT EXECUTE FUNCTION "record_data_version"();
CREATE TRIGGER "pattern_windows_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "pattern_windows"
  FOR EACH STATEMENT EXECUTE FUNCTION "record_data_version"();
