CREATE TABLE "selection_decisions" (
	"application_id" uuid PRIMARY KEY NOT NULL,
	"session_id" integer NOT NULL,
	"outcome" text NOT NULL,
	"rank" integer,
	"waiting_rank" integer,
	"ranked" integer NOT NULL,
	"places" integer NOT NULL,
	"held_for_assisted" integer DEFAULT 0 NOT NULL,
	"tied" boolean DEFAULT false NOT NULL,
	"facts" jsonb NOT NULL,
	"points" jsonb NOT NULL,
	"decided_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ranking_adjustments" ADD COLUMN "public_reason" text;--> statement-breakpoint
ALTER TABLE "selection_decisions" ADD CONSTRAINT "selection_decisions_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "selection_decisions" ADD CONSTRAINT "selection_decisions_session_id_course_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."course_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "selection_decisions_session_idx" ON "selection_decisions" USING btree ("session_id");