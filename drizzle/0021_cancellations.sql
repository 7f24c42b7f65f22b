CREATE TABLE "session_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"session_id" integer NOT NULL,
	"kind" text NOT NULL,
	"reason" text NOT NULL,
	"message" text NOT NULL,
	"decided_by" uuid NOT NULL,
	"decided_at" timestamp with time zone NOT NULL,
	"told" integer DEFAULT 0 NOT NULL,
	"closed" integer DEFAULT 0 NOT NULL,
	"refunded" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "session_changes_message" CHECK (char_length("session_changes"."message") between 1 and 2000)
);
--> statement-breakpoint
ALTER TABLE "applications" DROP CONSTRAINT "applications_confirmed_form";--> statement-breakpoint
DROP INDEX "applications_one_per_course";--> statement-breakpoint
ALTER TABLE "course_sessions" ADD COLUMN "cancelled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "course_sessions" ADD COLUMN "mode" text;--> statement-breakpoint
ALTER TABLE "session_changes" ADD CONSTRAINT "session_changes_session_id_course_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."course_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "session_changes_one_cancellation" ON "session_changes" USING btree ("session_id") WHERE kind = 'cancelled';--> statement-breakpoint
CREATE INDEX "session_changes_session_idx" ON "session_changes" USING btree ("session_id","decided_at");--> statement-breakpoint
CREATE UNIQUE INDEX "applications_one_per_course" ON "applications" USING btree ("learner_id","course_id") WHERE status not in ('cancelled', 'refused', 'lack_of_places', 'withdrawn', 'removed', 'excluded', 'session_cancelled') and status <> 'enrolled';--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_confirmed_form" CHECK ("applications"."status" in ('preselected', 'session_cancelled') or ("applications"."situation" is not null and "applications"."objective" is not null and "applications"."motivations" is not null and "applications"."rules_accepted_at" is not null and "applications"."confirmed_at" is not null));