CREATE TABLE "staff_scopes" (
	"id" serial PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"school_id" integer,
	"domain_id" integer,
	"session_id" integer,
	CONSTRAINT "staff_scopes_one_target" CHECK (num_nonnulls("staff_scopes"."school_id", "staff_scopes"."domain_id", "staff_scopes"."session_id") = 1)
);
--> statement-breakpoint
ALTER TABLE "staff_scopes" ADD CONSTRAINT "staff_scopes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_scopes" ADD CONSTRAINT "staff_scopes_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_scopes" ADD CONSTRAINT "staff_scopes_domain_id_domains_id_fk" FOREIGN KEY ("domain_id") REFERENCES "public"."domains"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_scopes" ADD CONSTRAINT "staff_scopes_session_id_course_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."course_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "staff_scopes_key" ON "staff_scopes" USING btree ("user_id",coalesce("school_id", 0),coalesce("domain_id", 0),coalesce("session_id", 0));--> statement-breakpoint
CREATE INDEX "staff_scopes_user_idx" ON "staff_scopes" USING btree ("user_id");