CREATE TABLE "course_equivalences" (
	"id" serial PRIMARY KEY NOT NULL,
	"course_id" integer NOT NULL,
	"equivalent_course_id" integer NOT NULL,
	"declared_by" uuid,
	"declared_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "course_equivalences_ordered" CHECK ("course_equivalences"."course_id" < "course_equivalences"."equivalent_course_id")
);
--> statement-breakpoint
CREATE TABLE "help_desk_scopes" (
	"id" serial PRIMARY KEY NOT NULL,
	"desk_id" integer NOT NULL,
	"school_id" integer,
	"arrondissement" smallint,
	CONSTRAINT "help_desk_scopes_one_target" CHECK (num_nonnulls("help_desk_scopes"."school_id", "help_desk_scopes"."arrondissement") = 1),
	CONSTRAINT "help_desk_scopes_arrondissement" CHECK ("help_desk_scopes"."arrondissement" between 1 and 20)
);
--> statement-breakpoint
CREATE TABLE "application_preferences" (
	"learner_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "application_preferences_learner_id_application_id_pk" PRIMARY KEY("learner_id","application_id"),
	CONSTRAINT "application_preferences_position" CHECK ("application_preferences"."position" between 1 and 100)
);
--> statement-breakpoint
CREATE TABLE "responder_settings" (
	"learner_id" uuid PRIMARY KEY NOT NULL,
	"on" boolean DEFAULT false NOT NULL,
	"changed_at" timestamp with time zone NOT NULL,
	"version" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "selection_decisions" (
	"application_id" uuid PRIMARY KEY NOT NULL,
	"session_id" integer NOT NULL,
	"outcome" text NOT NULL,
	"rank" integer,
	"waiting_rank" integer,
	"ranked" integer NOT NULL,
	"places" integer NOT NULL,
	"held_for_assisted" integer DEFAULT 0 NOT NULL,
	"tied" boolean DEFAULT false NOT NULL,
	"facts" jsonb NOT NULL,
	"points" jsonb NOT NULL,
	"decided_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "applications" DROP CONSTRAINT "applications_confirmed_form";--> statement-breakpoint
ALTER TABLE "refunds" DROP CONSTRAINT "refunds_granted";--> statement-breakpoint
ALTER TABLE "help_desks" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "ranking_adjustments" ADD COLUMN "public_reason" text;--> statement-breakpoint
ALTER TABLE "selection_draws" ADD COLUMN "commitment" text;--> statement-breakpoint
ALTER TABLE "selection_draws" ADD COLUMN "committed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "selection_draws" ADD COLUMN "late" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "selection_draws" ADD COLUMN "revealed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "selection_draws" ADD COLUMN "drawn_references" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "selection_draws" ADD COLUMN "last_rank_admitted" integer;--> statement-breakpoint
-- SEL-2 (hand-written backfill): the seeds made before this change were made at the first ranking, after the window opened: committed then, late.
UPDATE "selection_draws" AS d SET "commitment" = encode(sha256(convert_to(d."seed", 'UTF8')), 'hex'), "committed_at" = d."created_at",
  "late" = d."created_at" > coalesce(p."priority_opens_at", p."applications_open_at")
  FROM "course_sessions" AS s JOIN "registration_periods" AS p ON p."id" = s."period_id" WHERE s."id" = d."session_id";--> statement-breakpoint
-- A session already decided has its seed revealed at its first decision.
UPDATE "selection_draws" AS d SET "revealed_at" = (SELECT min(e."at") FROM "application_events" AS e JOIN "applications" AS a ON a."id" = e."application_id"
  WHERE a."session_id" = d."session_id" AND e."to_status" IN ('accepted', 'waiting_list', 'refused'));--> statement-breakpoint
ALTER TABLE "selection_draws" ALTER COLUMN "commitment" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "selection_draws" ALTER COLUMN "committed_at" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "course_equivalences" ADD CONSTRAINT "course_equivalences_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_equivalences" ADD CONSTRAINT "course_equivalences_equivalent_course_id_courses_id_fk" FOREIGN KEY ("equivalent_course_id") REFERENCES "public"."courses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_desk_scopes" ADD CONSTRAINT "help_desk_scopes_desk_id_help_desks_id_fk" FOREIGN KEY ("desk_id") REFERENCES "public"."help_desks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_desk_scopes" ADD CONSTRAINT "help_desk_scopes_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_preferences" ADD CONSTRAINT "application_preferences_learner_id_users_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_preferences" ADD CONSTRAINT "application_preferences_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responder_settings" ADD CONSTRAINT "responder_settings_learner_id_users_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "selection_decisions" ADD CONSTRAINT "selection_decisions_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "selection_decisions" ADD CONSTRAINT "selection_decisions_session_id_course_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."course_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "course_equivalences_pair" ON "course_equivalences" USING btree ("course_id","equivalent_course_id");--> statement-breakpoint
CREATE INDEX "course_equivalences_equivalent_idx" ON "course_equivalences" USING btree ("equivalent_course_id");--> statement-breakpoint
CREATE UNIQUE INDEX "help_desk_scopes_key" ON "help_desk_scopes" USING btree ("desk_id",coalesce("school_id", 0),coalesce("arrondissement", 0));--> statement-breakpoint
CREATE INDEX "application_preferences_application_idx" ON "application_preferences" USING btree ("application_id");--> statement-breakpoint
CREATE INDEX "selection_decisions_session_idx" ON "selection_decisions" USING btree ("session_id");--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_confirmed_form" CHECK ("applications"."status" = 'preselected' or ("applications"."situation" is not null and "applications"."objective" is not null and "applications"."motivations" is not null and "applications"."rules_accepted_at" is not null and "applications"."confirmed_at" is not null));--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_refunded" CHECK ("refunds"."refunded_on" is null or ("refunds"."status" = 'granted' and "refunds"."method" is not null));--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_granted" CHECK ("refunds"."status" <> 'granted' or "refunds"."amount_cents" is not null);--> statement-breakpoint
ALTER TABLE "selection_draws" ADD CONSTRAINT "selection_draws_commitment" CHECK ("selection_draws"."commitment" ~ '^[0-9a-f]{64}$');