ALTER TABLE "selection_draws" ADD COLUMN "commitment" text;--> statement-breakpoint
ALTER TABLE "selection_draws" ADD COLUMN "committed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "selection_draws" ADD COLUMN "late" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "selection_draws" ADD COLUMN "revealed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "selection_draws" ADD COLUMN "drawn_references" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "selection_draws" ADD COLUMN "last_rank_admitted" integer;--> statement-breakpoint
-- SEL-2 (hand-written backfill): the seeds made before this change were made at the first ranking, after the window opened: committed then, late.
UPDATE "selection_draws" AS d SET "commitment" = encode(sha256(convert_to(d."seed", 'UTF8')), 'hex'), "committed_at" = d."created_at",
  "late" = d."created_at" > coalesce(p."priority_opens_at", p."applications_open_at")
  FROM "course_sessions" AS s JOIN "registration_periods" AS p ON p."id" = s."period_id" WHERE s."id" = d."session_id";--> statement-breakpoint
-- A session already decided has its seed revealed at its first decision.
UPDATE "selection_draws" AS d SET "revealed_at" = (SELECT min(e."at") FROM "application_events" AS e JOIN "applications" AS a ON a."id" = e."application_id"
  WHERE a."session_id" = d."session_id" AND e."to_status" IN ('accepted', 'waiting_list', 'refused'));--> statement-breakpoint
ALTER TABLE "selection_draws" ALTER COLUMN "commitment" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "selection_draws" ALTER COLUMN "committed_at" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "selection_draws" ADD CONSTRAINT "selection_draws_commitment" CHECK ("selection_draws"."commitment" ~ '^[0-9a-f]{64}$');
