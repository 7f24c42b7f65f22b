CREATE TABLE "connection_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"imported_by" uuid,
	"imported_at" timestamp with time zone NOT NULL,
	"file_name" text NOT NULL,
	"sha256" text NOT NULL,
	"replace" boolean DEFAULT false NOT NULL,
	"lines" integer NOT NULL,
	"added" integer NOT NULL,
	"unchanged" integer NOT NULL,
	"superseded" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "connections" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"import_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"session_id" integer NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"minutes" integer NOT NULL,
	"superseded_by" uuid,
	CONSTRAINT "connections_period" CHECK ("connections"."ends_at" > "connections"."starts_at" and "connections"."minutes" between 0 and 1440)
);
--> statement-breakpoint
CREATE TABLE "catalogue_versions" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"version" bigint DEFAULT 1 NOT NULL,
	CONSTRAINT "catalogue_versions_one" CHECK ("catalogue_versions"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "session_search" (
	"session_id" integer PRIMARY KEY NOT NULL,
	"session_code" text NOT NULL,
	"course_code" text NOT NULL,
	"title" text NOT NULL,
	"title_folded" text NOT NULL,
	"objectives" text NOT NULL,
	"domain_slug" text NOT NULL,
	"domain_name" text NOT NULL,
	"school_code" text NOT NULL,
	"school_name" text NOT NULL,
	"arrondissement" smallint,
	"area" text,
	"address" text NOT NULL,
	"postal_code" text NOT NULL,
	"city" text NOT NULL,
	"capacity" integer NOT NULL,
	"period_code" text NOT NULL,
	"period_name" text NOT NULL,
	"applications_open_at" timestamp with time zone NOT NULL,
	"applications_close_at" timestamp with time zone NOT NULL,
	"rhythm" text NOT NULL,
	"mode" text NOT NULL,
	"own_mode" text,
	"course_mode" text NOT NULL,
	"first_meeting" date NOT NULL,
	"last_meeting" date NOT NULL,
	"runs_in_school_holidays" boolean NOT NULL,
	"cancelled_at" timestamp with time zone,
	"slots" jsonb NOT NULL,
	"slot_keys" smallint[] NOT NULL,
	"level" text,
	"hourly_volume" integer NOT NULL,
	"full_rate_cents" integer NOT NULL,
	"half_rate_cents" integer NOT NULL,
	"prepares_diploma" boolean NOT NULL,
	"has_evaluation" boolean NOT NULL,
	"admission_test" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "exam_registrations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"exam_session_id" uuid NOT NULL,
	"learner_id" uuid NOT NULL,
	"course_id" integer NOT NULL,
	"academic_year" smallint NOT NULL,
	"number" smallint NOT NULL,
	"application_id" uuid,
	"centre_id" integer NOT NULL,
	"mark_tenths" smallint,
	"absent" boolean DEFAULT false NOT NULL,
	"marked_by" uuid,
	"marked_at" timestamp with time zone,
	"credits_held" boolean DEFAULT false NOT NULL,
	"registered_at" timestamp with time zone NOT NULL,
	CONSTRAINT "exam_registrations_mark" CHECK ("exam_registrations"."mark_tenths" is null or "exam_registrations"."mark_tenths" between 0 and 200),
	CONSTRAINT "exam_registrations_absent" CHECK (not ("exam_registrations"."absent" and "exam_registrations"."mark_tenths" is not null))
);
--> statement-breakpoint
CREATE TABLE "exam_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"registration_id" uuid NOT NULL,
	"learner_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"reason" text,
	"wished_centre_id" integer,
	"details" text,
	"file_id" uuid,
	"status" text DEFAULT 'pending' NOT NULL,
	"decision_reason" text,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "exam_requests_centre" CHECK ("exam_requests"."kind" <> 'another_centre' or ("exam_requests"."reason" is not null and "exam_requests"."wished_centre_id" is not null and ("exam_requests"."file_id" is not null or "exam_requests"."status" <> 'pending'))),
	CONSTRAINT "exam_requests_accommodations" CHECK ("exam_requests"."kind" <> 'accommodations' or char_length("exam_requests"."details") between 1 and 2000),
	CONSTRAINT "exam_requests_refusal" CHECK ("exam_requests"."status" <> 'refused' or char_length("exam_requests"."decision_reason") between 1 and 500)
);
--> statement-breakpoint
CREATE TABLE "exam_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"course_id" integer NOT NULL,
	"academic_year" smallint NOT NULL,
	"number" smallint NOT NULL,
	"held_on" date NOT NULL,
	"centre_id" integer NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"published_at" timestamp with time zone,
	"published_by" uuid,
	CONSTRAINT "exam_sessions_number" CHECK ("exam_sessions"."number" in (1, 2))
);
--> statement-breakpoint
CREATE TABLE "learner_centres" (
	"learner_id" uuid PRIMARY KEY NOT NULL,
	"centre_id" integer NOT NULL,
	"set_by" text NOT NULL,
	"set_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "enrolment_fundings" (
	"application_id" uuid PRIMARY KEY NOT NULL,
	"learner_id" uuid NOT NULL,
	"session_id" integer NOT NULL,
	"source" text NOT NULL,
	"basis" text NOT NULL,
	"unit_price_cents" integer NOT NULL,
	"credits" integer NOT NULL,
	"fee_cents" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "enrolment_fundings_fee" CHECK ("enrolment_fundings"."fee_cents" between 0 and 10000000)
);
--> statement-breakpoint
CREATE TABLE "funding_prices" (
	"source" text PRIMARY KEY NOT NULL,
	"basis" text NOT NULL,
	"amount_cents" integer NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "funding_prices_amount" CHECK ("funding_prices"."amount_cents" between 0 and 500000)
);
--> statement-breakpoint
CREATE TABLE "diploma_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"learner_id" uuid NOT NULL,
	"programme_id" integer NOT NULL,
	"kind" text NOT NULL,
	"original_id" uuid,
	"reason" text,
	"proof_file_id" uuid,
	"credits_earned" smallint NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_reason" text,
	"document_id" uuid,
	CONSTRAINT "diploma_requests_kind" CHECK (("diploma_requests"."kind" = 'original' and "diploma_requests"."original_id" is null and "diploma_requests"."reason" is null) or ("diploma_requests"."kind" = 'duplicate' and "diploma_requests"."original_id" is not null and "diploma_requests"."reason" is not null)),
	CONSTRAINT "diploma_requests_decision" CHECK ("diploma_requests"."decision_reason" is null or char_length("diploma_requests"."decision_reason") between 1 and 500)
);
--> statement-breakpoint
ALTER TABLE "applications" DROP CONSTRAINT "applications_confirmed_form";--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "direct" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "connection_imports" ADD CONSTRAINT "connection_imports_imported_by_users_id_fk" FOREIGN KEY ("imported_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connections" ADD CONSTRAINT "connections_import_id_connection_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."connection_imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connections" ADD CONSTRAINT "connections_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connections" ADD CONSTRAINT "connections_session_id_course_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."course_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connections" ADD CONSTRAINT "connections_superseded_by_connection_imports_id_fk" FOREIGN KEY ("superseded_by") REFERENCES "public"."connection_imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_search" ADD CONSTRAINT "session_search_session_id_course_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."course_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_registrations" ADD CONSTRAINT "exam_registrations_exam_session_id_exam_sessions_id_fk" FOREIGN KEY ("exam_session_id") REFERENCES "public"."exam_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_registrations" ADD CONSTRAINT "exam_registrations_learner_id_users_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_registrations" ADD CONSTRAINT "exam_registrations_centre_id_schools_id_fk" FOREIGN KEY ("centre_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_requests" ADD CONSTRAINT "exam_requests_registration_id_exam_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."exam_registrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_requests" ADD CONSTRAINT "exam_requests_learner_id_users_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_requests" ADD CONSTRAINT "exam_requests_wished_centre_id_schools_id_fk" FOREIGN KEY ("wished_centre_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_requests" ADD CONSTRAINT "exam_requests_file_id_stored_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."stored_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_sessions" ADD CONSTRAINT "exam_sessions_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_sessions" ADD CONSTRAINT "exam_sessions_centre_id_schools_id_fk" FOREIGN KEY ("centre_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_sessions" ADD CONSTRAINT "exam_sessions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_sessions" ADD CONSTRAINT "exam_sessions_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learner_centres" ADD CONSTRAINT "learner_centres_learner_id_users_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learner_centres" ADD CONSTRAINT "learner_centres_centre_id_schools_id_fk" FOREIGN KEY ("centre_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrolment_fundings" ADD CONSTRAINT "enrolment_fundings_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrolment_fundings" ADD CONSTRAINT "enrolment_fundings_session_id_course_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."course_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "diploma_requests" ADD CONSTRAINT "diploma_requests_learner_id_users_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "diploma_requests" ADD CONSTRAINT "diploma_requests_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "diploma_requests" ADD CONSTRAINT "diploma_requests_original_id_diploma_requests_id_fk" FOREIGN KEY ("original_id") REFERENCES "public"."diploma_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "diploma_requests" ADD CONSTRAINT "diploma_requests_proof_file_id_stored_files_id_fk" FOREIGN KEY ("proof_file_id") REFERENCES "public"."stored_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "connection_imports_at_idx" ON "connection_imports" USING btree ("imported_at");--> statement-breakpoint
CREATE UNIQUE INDEX "connections_current_start" ON "connections" USING btree ("application_id","starts_at") WHERE superseded_by is null;--> statement-breakpoint
CREATE INDEX "connections_session_idx" ON "connections" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "session_search_order_idx" ON "session_search" USING btree ("title" collate "fr-x-icu","school_name" collate "fr-x-icu","session_code");--> statement-breakpoint
CREATE INDEX "session_search_slot_keys_idx" ON "session_search" USING gin ("slot_keys");--> statement-breakpoint
CREATE INDEX "session_search_arrondissement_idx" ON "session_search" USING btree ("arrondissement");--> statement-breakpoint
CREATE INDEX "session_search_domain_idx" ON "session_search" USING btree ("domain_slug");--> statement-breakpoint
CREATE INDEX "session_search_period_idx" ON "session_search" USING btree ("period_code");--> statement-breakpoint
CREATE INDEX "session_search_course_idx" ON "session_search" USING btree ("course_code");--> statement-breakpoint
CREATE UNIQUE INDEX "session_search_session_code_idx" ON "session_search" USING btree ("session_code");--> statement-breakpoint
CREATE UNIQUE INDEX "exam_registrations_learner" ON "exam_registrations" USING btree ("learner_id","course_id","academic_year","number");--> statement-breakpoint
CREATE INDEX "exam_registrations_session_idx" ON "exam_registrations" USING btree ("exam_session_id");--> statement-breakpoint
CREATE UNIQUE INDEX "exam_requests_one_open" ON "exam_requests" USING btree ("registration_id","kind") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "exam_requests_learner_idx" ON "exam_requests" USING btree ("learner_id");--> statement-breakpoint
CREATE UNIQUE INDEX "exam_sessions_unit_centre" ON "exam_sessions" USING btree ("course_id","academic_year","number","centre_id");--> statement-breakpoint
CREATE INDEX "enrolment_fundings_session_idx" ON "enrolment_fundings" USING btree ("session_id");--> statement-breakpoint
CREATE UNIQUE INDEX "diploma_requests_one_original" ON "diploma_requests" USING btree ("learner_id","programme_id") WHERE kind = 'original' and status in ('pending', 'granted');--> statement-breakpoint
CREATE UNIQUE INDEX "diploma_requests_one_duplicate" ON "diploma_requests" USING btree ("learner_id","programme_id") WHERE kind = 'duplicate' and status = 'pending';--> statement-breakpoint
CREATE INDEX "diploma_requests_pending_idx" ON "diploma_requests" USING btree ("requested_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "diploma_requests_learner_idx" ON "diploma_requests" USING btree ("learner_id","programme_id");--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_confirmed_form" CHECK ("applications"."status" = 'preselected' or ("applications"."rules_accepted_at" is not null and "applications"."confirmed_at" is not null and ("applications"."direct" or ("applications"."situation" is not null and "applications"."objective" is not null and "applications"."motivations" is not null))));