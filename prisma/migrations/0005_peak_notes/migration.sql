-- CreateTable
CREATE TABLE "peak_notes" (
    "id" SERIAL NOT NULL,
    "peak_id" INTEGER NOT NULL,
    "author_id" INTEGER,
    "actor" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "peak_notes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "peak_notes_peak_id_created_at_idx" ON "peak_notes"("peak_id", "created_at");

-- AddForeignKey
ALTER TABLE "peak_notes" ADD CONSTRAINT "peak_notes_peak_id_fkey" FOREIGN KEY ("peak_id") REFERENCES "peak_investigation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "peak_notes" ADD CONSTRAINT "peak_notes_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Prisma cannot express it; the domain module checks the same bounds with a readable message.
ALTER TABLE "peak_notes" ADD CONSTRAINT "peak_notes_text_length_check" CHECK (char_length("text") BETWEEN 1 AND 4000);
