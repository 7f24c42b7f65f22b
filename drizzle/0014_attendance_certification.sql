CREATE TABLE "sms_outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"reference" uuid DEFAULT gen_random_uuid() NOT NULL,
	"to_number" text NOT NULL,
	"body" text NOT NULL,
	"purpose" text NOT NULL,
	"encoding" text NOT NULL,
	"segments" integer NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"provider" text,
	"provider_id" text,
	"sent_at" timestamp with time zone,
	"reported_at" timestamp with time zone,
	"failed_at" timestamp with time zone,
	"last_error" text,
	CONSTRAINT "sms_outbox_reference_unique" UNIQUE("reference")
);
--> statement-breakpoint
CREATE TABLE "attendance_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"meeting_id" integer NOT NULL,
	"application_id" uuid NOT NULL,
	"mark" text NOT NULL,
	"minutes_missed" integer DEFAULT 0 NOT NULL,
	"minutes_attended" integer NOT NULL,
	"entered_by" uuid NOT NULL,
	"entered_at" timestamp with time zone NOT NULL,
	"submission_id" uuid,
	CONSTRAINT "attendance_entries_minutes" CHECK ("attendance_entries"."minutes_missed" >= 0 and "attendance_entries"."minutes_attended" >= 0)
);
--> statement-breakpoint
CREATE TABLE "attendance_incidents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"session_id" integer NOT NULL,
	"kind" text NOT NULL,
	"streak_start_meeting_id" integer NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"raised_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "calendar_feeds" (
	"learner_id" uuid PRIMARY KEY NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "calendar_feeds_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "incident_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"incident_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_id" uuid,
	"event" text NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meetings" (
	"id" serial PRIMARY KEY NOT NULL,
	"session_id" integer NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"planned_minutes" integer NOT NULL,
	"cancelled_at" timestamp with time zone,
	"cancelled_by" uuid,
	"cancel_reason" text,
	CONSTRAINT "meetings_minutes" CHECK ("meetings"."planned_minutes" between 1 and 1440),
	CONSTRAINT "meetings_cancel_reason" CHECK ("meetings"."cancel_reason" is null or char_length("meetings"."cancel_reason") between 1 and 500)
);
--> statement-breakpoint
CREATE TABLE "register_submissions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"meeting_id" integer NOT NULL,
	"submitted_by" uuid NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "course_outcomes" (
	"application_id" uuid PRIMARY KEY NOT NULL,
	"session_id" integer NOT NULL,
	"course_id" integer NOT NULL,
	"learner_id" uuid NOT NULL,
	"attended_minutes" integer NOT NULL,
	"planned_minutes" integer NOT NULL,
	"attendance_certified" boolean NOT NULL,
	"attendance_document_id" uuid,
	"outcome" text,
	"certificate_due_on" date,
	"certificate_document_id" uuid,
	"certificate_issued_at" timestamp with time zone,
	"computed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluation_results" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"application_id" uuid NOT NULL,
	"outcome" text NOT NULL,
	"score" integer,
	"max_score" integer DEFAULT 20 NOT NULL,
	"entered_by" uuid NOT NULL,
	"entered_at" timestamp with time zone NOT NULL,
	CONSTRAINT "evaluation_results_score" CHECK (("evaluation_results"."outcome" = 'absent' and "evaluation_results"."score" is null) or ("evaluation_results"."score" between 0 and "evaluation_results"."max_score")),
	CONSTRAINT "evaluation_results_max" CHECK ("evaluation_results"."max_score" between 1 and 1000)
);
--> statement-breakpoint
CREATE TABLE "exemptions" (
	"application_id" uuid PRIMARY KEY NOT NULL,
	"diploma" text NOT NULL,
	"declared_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"reason" text,
	CONSTRAINT "exemptions_diploma" CHECK (char_length("exemptions"."diploma") between 1 and 200)
);
--> statement-breakpoint
CREATE TABLE "marks_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"message" text NOT NULL,
	"asked_at" timestamp with time zone NOT NULL,
	"answer" text,
	"answered_by" uuid,
	"answered_at" timestamp with time zone,
	CONSTRAINT "marks_requests_message" CHECK (char_length("marks_requests"."message") between 0 and 2000)
);
--> statement-breakpoint
CREATE TABLE "session_tests" (
	"session_id" integer PRIMARY KEY NOT NULL,
	"test_at" timestamp with time zone NOT NULL,
	"fixed_by" uuid,
	"fixed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
DROP INDEX "applications_one_per_course";--> statement-breakpoint
ALTER TABLE "attendance_entries" ADD CONSTRAINT "attendance_entries_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_entries" ADD CONSTRAINT "attendance_entries_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_entries" ADD CONSTRAINT "attendance_entries_entered_by_users_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_entries" ADD CONSTRAINT "attendance_entries_submission_id_register_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."register_submissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_incidents" ADD CONSTRAINT "attendance_incidents_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_incidents" ADD CONSTRAINT "attendance_incidents_session_id_course_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."course_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_incidents" ADD CONSTRAINT "attendance_incidents_streak_start_meeting_id_meetings_id_fk" FOREIGN KEY ("streak_start_meeting_id") REFERENCES "public"."meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_feeds" ADD CONSTRAINT "calendar_feeds_learner_id_users_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_events" ADD CONSTRAINT "incident_events_incident_id_attendance_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."attendance_incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_session_id_course_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."course_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "register_submissions" ADD CONSTRAINT "register_submissions_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "register_submissions" ADD CONSTRAINT "register_submissions_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_outcomes" ADD CONSTRAINT "course_outcomes_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_outcomes" ADD CONSTRAINT "course_outcomes_session_id_course_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."course_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_results" ADD CONSTRAINT "evaluation_results_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_results" ADD CONSTRAINT "evaluation_results_entered_by_users_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exemptions" ADD CONSTRAINT "exemptions_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "marks_requests" ADD CONSTRAINT "marks_requests_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_tests" ADD CONSTRAINT "session_tests_session_id_course_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."course_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_tests" ADD CONSTRAINT "session_tests_fixed_by_users_id_fk" FOREIGN KEY ("fixed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sms_outbox_pending_idx" ON "sms_outbox" USING btree ("next_attempt_at") WHERE state in ('pending', 'sending');--> statement-breakpoint
CREATE INDEX "sms_outbox_provider_id_idx" ON "sms_outbox" USING btree ("provider","provider_id");--> statement-breakpoint
CREATE INDEX "attendance_entries_meeting_idx" ON "attendance_entries" USING btree ("meeting_id","application_id","id");--> statement-breakpoint
CREATE INDEX "attendance_entries_application_idx" ON "attendance_entries" USING btree ("application_id","meeting_id");--> statement-breakpoint
CREATE UNIQUE INDEX "attendance_incidents_once_per_streak" ON "attendance_incidents" USING btree ("application_id","kind","streak_start_meeting_id");--> statement-breakpoint
CREATE INDEX "attendance_incidents_open_idx" ON "attendance_incidents" USING btree ("session_id") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "incident_events_incident_idx" ON "incident_events" USING btree ("incident_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "meetings_session_start" ON "meetings" USING btree ("session_id","starts_at");--> statement-breakpoint
CREATE INDEX "register_submissions_meeting_idx" ON "register_submissions" USING btree ("meeting_id");--> statement-breakpoint
CREATE INDEX "course_outcomes_learner_idx" ON "course_outcomes" USING btree ("learner_id","course_id");--> statement-breakpoint
CREATE INDEX "course_outcomes_due_idx" ON "course_outcomes" USING btree ("certificate_due_on") WHERE certificate_due_on is not null and certificate_issued_at is null;--> statement-breakpoint
CREATE INDEX "course_outcomes_session_idx" ON "course_outcomes" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "evaluation_results_application_idx" ON "evaluation_results" USING btree ("application_id","id");--> statement-breakpoint
CREATE INDEX "marks_requests_application_idx" ON "marks_requests" USING btree ("application_id");--> statement-breakpoint
CREATE INDEX "marks_requests_open_idx" ON "marks_requests" USING btree ("asked_at") WHERE answered_at is null;--> statement-breakpoint
CREATE UNIQUE INDEX "applications_one_per_course" ON "applications" USING btree ("learner_id","course_id") WHERE status not in ('cancelled', 'refused', 'lack_of_places', 'withdrawn', 'removed', 'excluded');