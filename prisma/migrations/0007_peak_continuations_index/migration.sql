-- CreateIndex
CREATE INDEX "peak_investigation_continues_peak_id_idx" ON "peak_investigation"("continues_peak_id");

