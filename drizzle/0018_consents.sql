CREATE TABLE "consents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"version" text NOT NULL,
	"given_at" timestamp with time zone NOT NULL,
	"given_how" text NOT NULL,
	"withdrawn_at" timestamp with time zone,
	"withdrawn_how" text
);
--> statement-breakpoint
CREATE TABLE "sign_ins" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"method" text NOT NULL,
	"provider" text,
	"ip" text,
	"user_agent" text
);
--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sign_ins" ADD CONSTRAINT "sign_ins_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "consents_live_key" ON "consents" USING btree ("user_id","kind","version") WHERE "consents"."withdrawn_at" is null;--> statement-breakpoint
CREATE INDEX "consents_user_idx" ON "consents" USING btree ("user_id","given_at");--> statement-breakpoint
CREATE INDEX "sign_ins_user_idx" ON "sign_ins" USING btree ("user_id","at");--> statement-breakpoint
CREATE INDEX "sign_ins_at_idx" ON "sign_ins" USING btree ("at");--> statement-breakpoint
-- Consents given before this table: the terms (their first version) and the news opt-in, kept as consents.
INSERT INTO "consents" ("user_id", "kind", "version", "given_at", "given_how")
  SELECT "id", 'terms', '1', "terms_accepted_at", 'before_consents' FROM "users" WHERE "role" = 'learner' AND "terms_accepted_at" IS NOT NULL;--> statement-breakpoint
INSERT INTO "consents" ("user_id", "kind", "version", "given_at", "given_how")
  SELECT "id", 'news', '1', coalesce("terms_accepted_at", "created_at"), 'before_consents' FROM "users" WHERE "role" = 'learner' AND "news_opt_in";--> statement-breakpoint
ALTER TABLE "users" DROP COLUMN "terms_accepted_at";--> statement-breakpoint
ALTER TABLE "users" DROP COLUMN "news_opt_in";