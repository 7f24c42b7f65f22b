CREATE TABLE "takeover_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"code_hash" text NOT NULL,
	"sent_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"failures" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assisted_learners" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"desk_id" integer NOT NULL,
	"counsellor_id" uuid NOT NULL,
	"registered_at" timestamp with time zone NOT NULL,
	"taken_over_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "desk_counsellors" (
	"desk_id" integer NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "desk_counsellors_desk_id_user_id_pk" PRIMARY KEY("desk_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "help_desks" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"hours" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "takeover_codes" ADD CONSTRAINT "takeover_codes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assisted_learners" ADD CONSTRAINT "assisted_learners_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assisted_learners" ADD CONSTRAINT "assisted_learners_desk_id_help_desks_id_fk" FOREIGN KEY ("desk_id") REFERENCES "public"."help_desks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "desk_counsellors" ADD CONSTRAINT "desk_counsellors_desk_id_help_desks_id_fk" FOREIGN KEY ("desk_id") REFERENCES "public"."help_desks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "desk_counsellors" ADD CONSTRAINT "desk_counsellors_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "takeover_codes_user_idx" ON "takeover_codes" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "assisted_learners_desk_idx" ON "assisted_learners" USING btree ("desk_id","registered_at");--> statement-breakpoint
CREATE INDEX "desk_counsellors_user_idx" ON "desk_counsellors" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "help_desks_code_key" ON "help_desks" USING btree ("code");