-- The consents table is the record of the terms and the news opt-in from now on (decision 012): the
-- learners' acceptances so far are copied into it (version 1 of the terms) before the columns go.
INSERT INTO "consents" ("user_id", "kind", "version", "given_at", "given_how")
  SELECT "id", 'terms', '1', "terms_accepted_at", 'before_consents' FROM "users" WHERE "role" = 'learner' AND "terms_accepted_at" IS NOT NULL;--> statement-breakpoint
INSERT INTO "consents" ("user_id", "kind", "version", "given_at", "given_how")
  SELECT "id", 'news', '1', coalesce("terms_accepted_at", "created_at"), 'before_consents' FROM "users" WHERE "role" = 'learner' AND "news_opt_in";--> statement-breakpoint
ALTER TABLE "users" DROP COLUMN "terms_accepted_at";--> statement-breakpoint
ALTER TABLE "users" DROP COLUMN "news_opt_in";