-- A namespace's counted windows before a peak: without it, a namespace with no earlier window
-- was a scan of the month's pattern_windows per investigated peak.
-- CreateIndex
CREATE INDEX "pattern_windows_namespace_window_start_idx" ON "pattern_windows"("namespace", "window_start");

