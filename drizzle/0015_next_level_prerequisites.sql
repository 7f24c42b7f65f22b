CREATE TABLE "prerequisite_overrides" (
	"application_id" uuid PRIMARY KEY NOT NULL,
	"reason" text NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "prerequisite_overrides_reason" CHECK (char_length("prerequisite_overrides"."reason") between 1 and 500)
);
--> statement-breakpoint
DROP INDEX "applications_one_per_course";--> statement-breakpoint
ALTER TABLE "registration_periods" ADD COLUMN "priority_opens_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "prerequisite_overrides" ADD CONSTRAINT "prerequisite_overrides_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "applications_one_per_course" ON "applications" USING btree ("learner_id","course_id") WHERE status not in ('cancelled', 'refused', 'lack_of_places', 'withdrawn', 'removed', 'excluded') and status <> 'enrolled';--> statement-breakpoint
ALTER TABLE "registration_periods" ADD CONSTRAINT "registration_periods_priority" CHECK ("registration_periods"."priority_opens_at" is null or "registration_periods"."priority_opens_at" < "registration_periods"."applications_open_at");