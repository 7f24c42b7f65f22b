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
ALTER TABLE "session_search" ADD CONSTRAINT "session_search_session_id_course_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."course_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "session_search_order_idx" ON "session_search" USING btree ("title" collate "fr-x-icu","school_name" collate "fr-x-icu","session_code");--> statement-breakpoint
CREATE INDEX "session_search_title_trgm_idx" ON "session_search" USING gin ("title_folded" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "session_search_slot_keys_idx" ON "session_search" USING gin ("slot_keys");--> statement-breakpoint
CREATE INDEX "session_search_arrondissement_idx" ON "session_search" USING btree ("arrondissement");--> statement-breakpoint
CREATE INDEX "session_search_domain_idx" ON "session_search" USING btree ("domain_slug");--> statement-breakpoint
CREATE INDEX "session_search_period_idx" ON "session_search" USING btree ("period_code");--> statement-breakpoint
CREATE INDEX "session_search_course_idx" ON "session_search" USING btree ("course_code");--> statement-breakpoint
CREATE UNIQUE INDEX "session_search_session_code_idx" ON "session_search" USING btree ("session_code");