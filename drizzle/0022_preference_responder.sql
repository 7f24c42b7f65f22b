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
ALTER TABLE "application_preferences" ADD CONSTRAINT "application_preferences_learner_id_users_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_preferences" ADD CONSTRAINT "application_preferences_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responder_settings" ADD CONSTRAINT "responder_settings_learner_id_users_id_fk" FOREIGN KEY ("learner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "application_preferences_application_idx" ON "application_preferences" USING btree ("application_id");