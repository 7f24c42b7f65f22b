CREATE TABLE "course_sessions" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"course_id" integer NOT NULL,
	"school_id" integer NOT NULL,
	"period_id" integer NOT NULL,
	"trainer_name" text,
	"capacity" integer NOT NULL,
	"first_meeting" date NOT NULL,
	"last_meeting" date NOT NULL,
	"runs_in_school_holidays" boolean DEFAULT false NOT NULL,
	CONSTRAINT "course_sessions_code_unique" UNIQUE("code"),
	CONSTRAINT "course_sessions_capacity" CHECK ("course_sessions"."capacity" > 0),
	CONSTRAINT "course_sessions_dates" CHECK ("course_sessions"."last_meeting" >= "course_sessions"."first_meeting")
);
--> statement-breakpoint
CREATE TABLE "courses" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"title" text NOT NULL,
	"domain_id" integer NOT NULL,
	"objectives" text NOT NULL,
	"audience" text NOT NULL,
	"prerequisites" text NOT NULL,
	"programme" text NOT NULL,
	"level" text,
	"previous_course_id" integer,
	"rhythm" text NOT NULL,
	"mode" text NOT NULL,
	"hourly_volume" integer NOT NULL,
	"full_rate_cents" integer NOT NULL,
	"half_rate_cents" integer NOT NULL,
	"prepares_diploma" boolean DEFAULT false NOT NULL,
	"has_evaluation" boolean DEFAULT false NOT NULL,
	"admission_test" text DEFAULT 'none' NOT NULL,
	CONSTRAINT "courses_code_unique" UNIQUE("code"),
	CONSTRAINT "courses_hours" CHECK ("courses"."hourly_volume" > 0),
	CONSTRAINT "courses_rates" CHECK ("courses"."full_rate_cents" >= 0 and "courses"."half_rate_cents" >= 0 and "courses"."half_rate_cents" <= "courses"."full_rate_cents")
);
--> statement-breakpoint
CREATE TABLE "domains" (
	"id" serial PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "domains_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "holidays" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"zone" text,
	"name" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	CONSTRAINT "holidays_dates" CHECK ("holidays"."ends_on" >= "holidays"."starts_on")
);
--> statement-breakpoint
CREATE TABLE "registration_periods" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"applications_open_at" timestamp with time zone NOT NULL,
	"applications_close_at" timestamp with time zone NOT NULL,
	"answers_from" date NOT NULL,
	"answers_until" date NOT NULL,
	CONSTRAINT "registration_periods_code_unique" UNIQUE("code"),
	CONSTRAINT "registration_periods_window" CHECK ("registration_periods"."applications_close_at" > "registration_periods"."applications_open_at"),
	CONSTRAINT "registration_periods_answers" CHECK ("registration_periods"."answers_until" >= "registration_periods"."answers_from")
);
--> statement-breakpoint
CREATE TABLE "schools" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"arrondissement" smallint,
	"area" text,
	"address" text NOT NULL,
	"postal_code" text NOT NULL,
	"city" text NOT NULL,
	CONSTRAINT "schools_code_unique" UNIQUE("code"),
	CONSTRAINT "schools_arrondissement" CHECK ("schools"."arrondissement" between 1 and 20)
);
--> statement-breakpoint
CREATE TABLE "session_slots" (
	"id" serial PRIMARY KEY NOT NULL,
	"session_id" integer NOT NULL,
	"weekday" smallint NOT NULL,
	"starts_at" time NOT NULL,
	"ends_at" time NOT NULL,
	CONSTRAINT "session_slots_weekday" CHECK ("session_slots"."weekday" between 1 and 7),
	CONSTRAINT "session_slots_times" CHECK ("session_slots"."ends_at" > "session_slots"."starts_at")
);
--> statement-breakpoint
ALTER TABLE "course_sessions" ADD CONSTRAINT "course_sessions_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_sessions" ADD CONSTRAINT "course_sessions_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_sessions" ADD CONSTRAINT "course_sessions_period_id_registration_periods_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."registration_periods"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "courses" ADD CONSTRAINT "courses_domain_id_domains_id_fk" FOREIGN KEY ("domain_id") REFERENCES "public"."domains"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_slots" ADD CONSTRAINT "session_slots_session_id_course_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."course_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "course_sessions_course_idx" ON "course_sessions" USING btree ("course_id");--> statement-breakpoint
CREATE INDEX "course_sessions_school_idx" ON "course_sessions" USING btree ("school_id");--> statement-breakpoint
CREATE INDEX "course_sessions_period_idx" ON "course_sessions" USING btree ("period_id");--> statement-breakpoint
CREATE INDEX "courses_domain_idx" ON "courses" USING btree ("domain_id");--> statement-breakpoint
CREATE UNIQUE INDEX "holidays_key" ON "holidays" USING btree ("kind",coalesce("zone", ''),"starts_on");--> statement-breakpoint
CREATE INDEX "schools_arrondissement_idx" ON "schools" USING btree ("arrondissement");--> statement-breakpoint
CREATE INDEX "session_slots_session_idx" ON "session_slots" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "session_slots_weekday_idx" ON "session_slots" USING btree ("weekday","starts_at");