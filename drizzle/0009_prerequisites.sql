CREATE TABLE "prerequisite_refusals" (
	"application_id" uuid PRIMARY KEY NOT NULL,
	"reason" text NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "prerequisite_refusals_reason" CHECK (char_length("prerequisite_refusals"."reason") between 1 and 500)
);
--> statement-breakpoint
ALTER TABLE "prerequisite_refusals" ADD CONSTRAINT "prerequisite_refusals_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;