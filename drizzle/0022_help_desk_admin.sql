CREATE TABLE "help_desk_scopes" (
	"id" serial PRIMARY KEY NOT NULL,
	"desk_id" integer NOT NULL,
	"school_id" integer,
	"arrondissement" smallint,
	CONSTRAINT "help_desk_scopes_one_target" CHECK (num_nonnulls("help_desk_scopes"."school_id", "help_desk_scopes"."arrondissement") = 1),
	CONSTRAINT "help_desk_scopes_arrondissement" CHECK ("help_desk_scopes"."arrondissement" between 1 and 20)
);
--> statement-breakpoint
ALTER TABLE "help_desks" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "help_desk_scopes" ADD CONSTRAINT "help_desk_scopes_desk_id_help_desks_id_fk" FOREIGN KEY ("desk_id") REFERENCES "public"."help_desks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_desk_scopes" ADD CONSTRAINT "help_desk_scopes_school_id_schools_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."schools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "help_desk_scopes_key" ON "help_desk_scopes" USING btree ("desk_id",coalesce("school_id", 0),coalesce("arrondissement", 0));