-- CreateTable
CREATE TABLE "pattern_windows" (
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "namespace" TEXT NOT NULL,
    "documents" INTEGER NOT NULL,
    "tracked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pattern_windows_pkey" PRIMARY KEY ("window_start","namespace")
);

