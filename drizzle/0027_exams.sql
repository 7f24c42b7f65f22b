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
	CONSTRAINT "exam_requests_centre" CHECK ("exam_requests"."kind" <> 'another_centre' or ("exam_requests"."reason" is not null and "exam_requests"."wished_centre_id" is not null and "exam_requests"."file_id" is not null)),
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
CREATE UNIQUE INDEX "exam_registrations_learner" ON "exam_registrations" USING btree ("learner_id","course_id","academic_year","number");--> statement-breakpoint
CREATE INDEX "exam_registrations_session_idx" ON "exam_registrations" USING btree ("exam_session_id");--> statement-breakpoint
CREATE UNIQUE INDEX "exam_requests_one_open" ON "exam_requests" USING btree ("registration_id","kind") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "exam_requests_learner_idx" ON "exam_requests" USING btree ("learner_id");--> statement-breakpoint
CREATE UNIQUE INDEX "exam_sessions_unit_centre" ON "exam_sessions" USING btree ("course_id","academic_year","number","centre_id");