CREATE TABLE "evaluations" (
	"application_id" uuid PRIMARY KEY NOT NULL,
	"mark" numeric(4, 1) NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "evaluations_mark" CHECK ("evaluations"."mark" between 0 and 20)
);
--> statement-breakpoint
CREATE TABLE "selection_draws" (
	"session_id" integer PRIMARY KEY NOT NULL,
	"seed" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" uuid
);
--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "waiting_rank" integer;--> statement-breakpoint
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "selection_draws" ADD CONSTRAINT "selection_draws_session_id_course_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."course_sessions"("id") ON DELETE cascade ON UPDATE no action;