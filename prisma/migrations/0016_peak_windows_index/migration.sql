-- CreateIndex
CREATE INDEX "peak_raw_data_is_peak_timestamp_idx" ON "peak_raw_data"("is_peak", "timestamp");

