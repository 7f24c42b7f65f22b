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
CREATE TABLE "open_data_snapshots" (
	"id" serial PRIMARY KEY NOT NULL,
	"day" date NOT NULL,
	"file" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"rows" integer NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"gzip" "bytea" NOT NULL,
	CONSTRAINT "open_data_snapshots_sha256" CHECK ("open_data_snapshots"."sha256" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "open_data_snapshots_size" CHECK ("open_data_snapshots"."size" > 0 and "open_data_snapshots"."rows" >= 0)
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
CREATE TABLE "webhook_allowed_hosts" (
	"host" text PRIMARY KEY NOT NULL,
	"reason" text NOT NULL,
	"allowed_by" uuid,
	"allowed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"message_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"status_code" integer,
	"error" text,
	"duration_ms" integer NOT NULL,
	"response_excerpt" text
);
--> statement-breakpoint
CREATE TABLE "webhook_endpoints" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"url" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"event_types" text[] NOT NULL,
	"personal_data" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" uuid,
	"updated_at" timestamp with time zone NOT NULL,
	"disabled_at" timestamp with time zone,
	"disabled_reason" text,
	CONSTRAINT "webhook_endpoints_disabled" CHECK (("webhook_endpoints"."disabled_at" is null) = ("webhook_endpoints"."disabled_reason" is null))
);
--> statement-breakpoint
CREATE TABLE "webhook_messages" (
	"id" text PRIMARY KEY NOT NULL,
	"endpoint_id" uuid NOT NULL,
	"event_type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"failed_at" timestamp with time zone,
	"replayed_by" uuid,
	"replayed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "webhook_secrets" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"endpoint_id" uuid NOT NULL,
	"secret" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "courses" ADD COLUMN "ects_credits" smallint;--> statement-breakpoint
ALTER TABLE "courses" ADD COLUMN "semester" smallint;--> statement-breakpoint
ALTER TABLE "selection_draws" ADD COLUMN "points" jsonb;--> statement-breakpoint
ALTER TABLE "credits_earned" ADD CONSTRAINT "credits_earned_learner_id_users_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credits_earned" ADD CONSTRAINT "credits_earned_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credits_earned" ADD CONSTRAINT "credits_earned_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_followers" ADD CONSTRAINT "programme_followers_learner_id_users_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_followers" ADD CONSTRAINT "programme_followers_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_list_units" ADD CONSTRAINT "programme_list_units_list_id_programme_lists_id_fk" FOREIGN KEY ("list_id") REFERENCES "public"."programme_lists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_list_units" ADD CONSTRAINT "programme_list_units_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_lists" ADD CONSTRAINT "programme_lists_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programmes" ADD CONSTRAINT "programmes_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_allowed_hosts" ADD CONSTRAINT "webhook_allowed_hosts_allowed_by_users_id_fk" FOREIGN KEY ("allowed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_message_id_webhook_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."webhook_messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_messages" ADD CONSTRAINT "webhook_messages_endpoint_id_webhook_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."webhook_endpoints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_messages" ADD CONSTRAINT "webhook_messages_replayed_by_users_id_fk" FOREIGN KEY ("replayed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_secrets" ADD CONSTRAINT "webhook_secrets_endpoint_id_webhook_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."webhook_endpoints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "open_data_snapshots_day_file" ON "open_data_snapshots" USING btree ("day","file");--> statement-breakpoint
CREATE INDEX "programme_list_units_course_idx" ON "programme_list_units" USING btree ("course_id");--> statement-breakpoint
CREATE UNIQUE INDEX "programme_lists_position" ON "programme_lists" USING btree ("programme_id","position");--> statement-breakpoint
CREATE INDEX "webhook_attempts_message_idx" ON "webhook_attempts" USING btree ("message_id","at");--> statement-breakpoint
CREATE INDEX "webhook_attempts_at_idx" ON "webhook_attempts" USING btree ("at");--> statement-breakpoint
CREATE INDEX "webhook_messages_due_idx" ON "webhook_messages" USING btree ("next_attempt_at") WHERE "webhook_messages"."delivered_at" is null and "webhook_messages"."failed_at" is null;--> statement-breakpoint
CREATE INDEX "webhook_messages_endpoint_idx" ON "webhook_messages" USING btree ("endpoint_id","created_at");--> statement-breakpoint
CREATE INDEX "webhook_secrets_endpoint_idx" ON "webhook_secrets" USING btree ("endpoint_id");--> statement-breakpoint
ALTER TABLE "courses" ADD CONSTRAINT "courses_ects_credits" CHECK ("courses"."ects_credits" is null or "courses"."ects_credits" in (4, 6, 8, 12));--> statement-breakpoint
ALTER TABLE "courses" ADD CONSTRAINT "courses_semester" CHECK (("courses"."ects_credits" is null and "courses"."semester" is null) or ("courses"."ects_credits" is not null and "courses"."semester" in (1, 2)));