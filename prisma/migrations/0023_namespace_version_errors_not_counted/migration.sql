-- A version's errors are null until a counted window adds to them: a version that only an
-- ingestion saw (first and last seen) was not counted, which 0 said as "no errors". Before this,
-- 0 meant exactly that: counted windows add at least one error to a version they saw.
-- AlterTable
ALTER TABLE "namespace_versions" ALTER COLUMN "errors" DROP NOT NULL,
ALTER COLUMN "errors" DROP DEFAULT;

UPDATE "namespace_versions" SET "errors" = NULL WHERE "errors" = 0;
