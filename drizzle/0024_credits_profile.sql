CREATE TABLE "credits_earned" (
	"learner_id" uuid NOT NULL,
	"course_id" integer NOT NULL,
	"credits" smallint NOT NULL,
	"application_id" uuid,
	"earned_on" date NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "credits_earned_learner_id_course_id_pk" PRIMARY KEY("learner_id","course_id"),
	CONSTRAINT "credits_earned_credits" CHECK ("credits_earned"."credits" in (4, 6, 8, 12))
);
--> statement-breakpoint
CREATE TABLE "programme_followers" (
	"learner_id" uuid NOT NULL,
	"programme_id" integer NOT NULL,
	"followed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "programme_followers_learner_id_programme_id_pk" PRIMARY KEY("learner_id","programme_id")
);
--> statement-breakpoint
CREATE TABLE "programme_list_units" (
	"list_id" integer NOT NULL,
	"course_id" integer NOT NULL,
	CONSTRAINT "programme_list_units_list_id_course_id_pk" PRIMARY KEY("list_id","course_id")
);
--> statement-breakpoint
CREATE TABLE "programme_lists" (
	"id" serial PRIMARY KEY NOT NULL,
	"programme_id" integer NOT NULL,
	"position" smallint NOT NULL,
	"choose" smallint,
	CONSTRAINT "programme_lists_choose" CHECK ("programme_lists"."choose" is null or "programme_lists"."choose" >= 1)
);
--> statement-breakpoint
CREATE TABLE "programmes" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"title" text NOT NULL,
	"kind" text NOT NULL,
	"required_credits" smallint NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "programmes_code_unique" UNIQUE("code"),
	CONSTRAINT "programmes_credits" CHECK ("programmes"."required_credits" between 1 and 600)
);
--> statement-breakpoint
ALTER TABLE "courses" ADD COLUMN "ects_credits" smallint;--> statement-breakpoint
ALTER TABLE "courses" ADD COLUMN "semester" smallint;--> statement-breakpoint
ALTER TABLE "credits_earned" ADD CONSTRAINT "credits_earned_learner_id_users_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credits_earned" ADD CONSTRAINT "credits_earned_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credits_earned" ADD CONSTRAINT "credits_earned_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_followers" ADD CONSTRAINT "programme_followers_learner_id_users_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_followers" ADD CONSTRAINT "programme_followers_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_list_units" ADD CONSTRAINT "programme_list_units_list_id_programme_lists_id_fk" FOREIGN KEY ("list_id") REFERENCES "public"."programme_lists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_list_units" ADD CONSTRAINT "programme_list_units_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_lists" ADD CONSTRAINT "programme_lists_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programmes" ADD CONSTRAINT "programmes_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "programme_list_units_course_idx" ON "programme_list_units" USING btree ("course_id");--> statement-breakpoint
CREATE UNIQUE INDEX "programme_lists_position" ON "programme_lists" USING btree ("programme_id","position");--> statement-breakpoint
ALTER TABLE "courses" ADD CONSTRAINT "courses_ects_credits" CHECK ("courses"."ects_credits" is null or "courses"."ects_credits" in (4, 6, 8, 12));--> statement-breakpoint
ALTER TABLE "courses" ADD CONSTRAINT "courses_semester" CHECK (("courses"."ects_credits" is null and "courses"."semester" is null) or ("courses"."ects_credits" is not null and "courses"."semester" in (1, 2)));