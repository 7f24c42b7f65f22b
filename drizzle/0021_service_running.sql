CREATE SEQUENCE "public"."contact_reference_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "takeover_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"code_hash" text NOT NULL,
	"sent_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"failures" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
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
CREATE TABLE "contact_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"message_id" uuid NOT NULL,
	"author_id" uuid NOT NULL,
	"from_staff" boolean NOT NULL,
	"body" text NOT NULL,
	"file_id" uuid,
	"form_token" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"seq" bigserial NOT NULL,
	CONSTRAINT "contact_entries_form_token" UNIQUE("message_id","form_token"),
	CONSTRAINT "contact_entries_body" CHECK (char_length("contact_entries"."body") between 1 and 5000)
);
--> statement-breakpoint
CREATE TABLE "contact_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reference" text NOT NULL,
	"learner_id" uuid NOT NULL,
	"subject" text NOT NULL,
	"application_id" uuid,
	"session_id" integer,
	"school_id" integer,
	"route" text NOT NULL,
	"status" text DEFAULT 'sent' NOT NULL,
	"form_token" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "contact_messages_reference_unique" UNIQUE("reference"),
	CONSTRAINT "contact_messages_form_token" UNIQUE("learner_id","form_token"),
	CONSTRAINT "contact_messages_subject" CHECK ("contact_messages"."subject" in ('refund', 'marks', 'name_change', 'payment', 'other')),
	CONSTRAINT "contact_messages_route" CHECK ("contact_messages"."route" in ('school', 'central')),
	CONSTRAINT "contact_messages_status" CHECK ("contact_messages"."status" in ('sent', 'answered', 'closed')),
	CONSTRAINT "contact_messages_reference" CHECK ("contact_messages"."reference" ~ '^C-[0-9]{4}-[0-9]{5,}$')
);
--> statement-breakpoint
CREATE TABLE "assisted_learners" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"desk_id" integer NOT NULL,
	"counsellor_id" uuid NOT NULL,
	"registered_at" timestamp with time zone NOT NULL,
	"taken_over_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "desk_counsellors" (
	"desk_id" integer NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "desk_counsellors_desk_id_user_id_pk" PRIMARY KEY("desk_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "help_desks" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"hours" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "applications" DROP CONSTRAINT "applications_confirmed_form";--> statement-breakpoint
DROP INDEX "applications_one_per_course";--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "attachments" jsonb;--> statement-breakpoint
ALTER TABLE "application_events" ADD COLUMN "details" jsonb;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "assisted_by" uuid;--> statement-breakpoint
ALTER TABLE "course_sessions" ADD COLUMN "cancelled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "course_sessions" ADD COLUMN "mode" text;--> statement-breakpoint
ALTER TABLE "registration_periods" ADD COLUMN "assisted_places_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "convocations" ADD COLUMN "minutes" integer DEFAULT 60 NOT NULL;--> statement-breakpoint
ALTER TABLE "convocations" ADD COLUMN "sequence" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "takeover_codes" ADD CONSTRAINT "takeover_codes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_changes" ADD CONSTRAINT "session_changes_session_id_course_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."course_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_entries" ADD CONSTRAINT "contact_entries_message_id_contact_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."contact_messages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_entries" ADD CONSTRAINT "contact_entries_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_entries" ADD CONSTRAINT "contact_entries_file_id_stored_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."stored_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_messages" ADD CONSTRAINT "contact_messages_learner_id_users_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_messages" ADD CONSTRAINT "contact_messages_session_id_course_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."course_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_messages" ADD CONSTRAINT "contact_messages_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assisted_learners" ADD CONSTRAINT "assisted_learners_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assisted_learners" ADD CONSTRAINT "assisted_learners_desk_id_help_desks_id_fk" FOREIGN KEY ("desk_id") REFERENCES "public"."help_desks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "desk_counsellors" ADD CONSTRAINT "desk_counsellors_desk_id_help_desks_id_fk" FOREIGN KEY ("desk_id") REFERENCES "public"."help_desks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "desk_counsellors" ADD CONSTRAINT "desk_counsellors_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "takeover_codes_user_idx" ON "takeover_codes" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "session_changes_one_cancellation" ON "session_changes" USING btree ("session_id") WHERE kind = 'cancelled';--> statement-breakpoint
CREATE INDEX "session_changes_session_idx" ON "session_changes" USING btree ("session_id","decided_at");--> statement-breakpoint
CREATE INDEX "contact_entries_message_idx" ON "contact_entries" USING btree ("message_id","created_at");--> statement-breakpoint
CREATE INDEX "contact_messages_learner_idx" ON "contact_messages" USING btree ("learner_id","created_at");--> statement-breakpoint
CREATE INDEX "contact_messages_queue_idx" ON "contact_messages" USING btree ("route","status","updated_at");--> statement-breakpoint
CREATE INDEX "assisted_learners_desk_idx" ON "assisted_learners" USING btree ("desk_id","registered_at");--> statement-breakpoint
CREATE INDEX "desk_counsellors_user_idx" ON "desk_counsellors" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "help_desks_code_key" ON "help_desks" USING btree ("code");--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_assisted_by_users_id_fk" FOREIGN KEY ("assisted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "applications_one_per_course" ON "applications" USING btree ("learner_id","course_id") WHERE status not in ('cancelled', 'refused', 'lack_of_places', 'withdrawn', 'removed', 'excluded', 'session_cancelled') and status <> 'enrolled';--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_confirmed_form" CHECK ("applications"."status" in ('preselected', 'session_cancelled') or ("applications"."situation" is not null and "applications"."objective" is not null and "applications"."motivations" is not null and "applications"."rules_accepted_at" is not null and "applications"."confirmed_at" is not null));--> statement-breakpoint
ALTER TABLE "convocations" ADD CONSTRAINT "convocations_minutes" CHECK ("convocations"."minutes" between 5 and 600);