ALTER TABLE "application_events" ADD COLUMN "details" jsonb;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "assisted_by" uuid;--> statement-breakpoint
ALTER TABLE "registration_periods" ADD COLUMN "assisted_places_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_assisted_by_users_id_fk" FOREIGN KEY ("assisted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;