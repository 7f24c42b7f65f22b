CREATE TABLE "application_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"application_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_id" uuid,
	"from_status" text,
	"to_status" text NOT NULL,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"learner_id" uuid NOT NULL,
	"session_id" integer NOT NULL,
	"course_id" integer NOT NULL,
	"status" text DEFAULT 'preselected' NOT NULL,
	"situation" text,
	"objective" text,
	"motivations" text,
	"rules_accepted_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"confirmed_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	CONSTRAINT "applications_confirmed_form" CHECK ("applications"."status" = 'preselected' or ("applications"."situation" is not null and "applications"."objective" is not null and "applications"."motivations" is not null and "applications"."rules_accepted_at" is not null and "applications"."confirmed_at" is not null)),
	CONSTRAINT "applications_motivations_length" CHECK (char_length("applications"."motivations") <= 5000)
);
--> statement-breakpoint
ALTER TABLE "application_events" ADD CONSTRAINT "application_events_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_learner_id_users_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_session_id_course_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."course_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "application_events_application_idx" ON "application_events" USING btree ("application_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "applications_one_per_course" ON "applications" USING btree ("learner_id","course_id") WHERE status not in ('cancelled', 'refused', 'lack_of_places', 'withdrawn', 'removed');--> statement-breakpoint
CREATE INDEX "applications_learner_idx" ON "applications" USING btree ("learner_id","status");--> statement-breakpoint
CREATE INDEX "applications_session_idx" ON "applications" USING btree ("session_id","status");