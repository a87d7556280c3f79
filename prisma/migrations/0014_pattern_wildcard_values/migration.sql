-- CreateTable
CREATE TABLE "pattern_wildcard_values" (
    "pattern_hash" TEXT NOT NULL,
    "template" TEXT NOT NULL,
    "total" DOUBLE PRECISION NOT NULL,
    "positions" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pattern_wildcard_values_pkey" PRIMARY KEY ("pattern_hash")
);

-- AddForeignKey
ALTER TABLE "pattern_wildcard_values" ADD CONSTRAINT "pattern_wildcard_values_pattern_hash_fkey" FOREIGN KEY ("pattern_hash") REFERENCES "error_patterns"("pattern_hash") ON DELETE CASCADE ON UPDATE CASCADE;

