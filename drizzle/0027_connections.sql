CREATE TABLE "connection_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"imported_by" uuid,
	"imported_at" timestamp with time zone NOT NULL,
	"file_name" text NOT NULL,
	"sha256" text NOT NULL,
	"replace" boolean DEFAULT false NOT NULL,
	"lines" integer NOT NULL,
	"added" integer NOT NULL,
	"unchanged" integer NOT NULL,
	"superseded" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "connections" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"import_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"session_id" integer NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"minutes" integer NOT NULL,
	"superseded_by" uuid,
	CONSTRAINT "connections_period" CHECK ("connections"."ends_at" > "connections"."starts_at" and "connections"."minutes" between 0 and 1440)
);
--> statement-breakpoint
ALTER TABLE "connection_imports" ADD CONSTRAINT "connection_imports_imported_by_users_id_fk" FOREIGN KEY ("imported_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connections" ADD CONSTRAINT "connections_import_id_connection_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."connection_imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connections" ADD CONSTRAINT "connections_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connections" ADD CONSTRAINT "connections_session_id_course_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."course_sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connections" ADD CONSTRAINT "connections_superseded_by_connection_imports_id_fk" FOREIGN KEY ("superseded_by") REFERENCES "public"."connection_imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "connection_imports_at_idx" ON "connection_imports" USING btree ("imported_at");--> statement-breakpoint
CREATE UNIQUE INDEX "connections_current_start" ON "connections" USING btree ("application_id","starts_at") WHERE superseded_by is null;--> statement-breakpoint
CREATE INDEX "connections_session_idx" ON "connections" USING btree ("session_id");