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
ALTER TABLE "applications" DROP CONSTRAINT "applications_confirmed_form";--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "direct" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "enrolment_fundings" ADD CONSTRAINT "enrolment_fundings_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrolment_fundings" ADD CONSTRAINT "enrolment_fundings_session_id_course_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."course_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "enrolment_fundings_session_idx" ON "enrolment_fundings" USING btree ("session_id");--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_confirmed_form" CHECK ("applications"."status" = 'preselected' or ("applications"."rules_accepted_at" is not null and "applications"."confirmed_at" is not null and ("applications"."direct" or ("applications"."situation" is not null and "applications"."objective" is not null and "applications"."motivations" is not null))));