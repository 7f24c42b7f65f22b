ALTER TABLE "courses" ADD COLUMN "title_folded" text GENERATED ALWAYS AS (cursus_fold(title)) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "courses_title_folded_trgm_idx" ON "courses" USING gin ("title_folded" gin_trgm_ops);--> statement-breakpoint
-- The expression index of 0002 is replaced by the index on the stored column above.
DROP INDEX IF EXISTS "courses_title_trgm_idx";
