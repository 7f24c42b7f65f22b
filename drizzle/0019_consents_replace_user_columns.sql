-- ACC-14: users.last_sign_in_at (added by 0018) starts empty, and the inactive-account rule counts from
-- it, else from the activation or the creation: every learner created more than inactiveAccountMonths
-- ago would be told at the first daily run and closed two weeks later, even one who signed in last
-- week. It is filled from what the service knew of sign-ins before it: the audit log's successful
-- logins and the sessions' last activity, the latest of them (privacy/retention.service.test.ts runs
-- this statement). The audit log's first prune (connectionLogMonths) comes after this, so nothing it
-- removes is needed by the rule any more.
UPDATE "users" SET "last_sign_in_at" = "seen"."at"
  FROM (
    SELECT "user_id", max("at") AS "at" FROM (
      SELECT "subject_id" AS "user_id", "at" FROM "audit_log" WHERE "action" = 'login.succeeded' AND "subject_id" IS NOT NULL
      UNION ALL
      SELECT "user_id", "last_seen_at" AS "at" FROM "user_sessions"
    ) AS "sign_ins_before" GROUP BY "user_id"
  ) AS "seen"
  WHERE "users"."id" = "seen"."user_id" AND ("users"."last_sign_in_at" IS NULL OR "users"."last_sign_in_at" < "seen"."at");--> statement-breakpoint
-- The consents table is the record of the terms and the news opt-in from now on (decision 012): the
-- learners' acceptances so far are copied into it (version 1 of the terms) before the columns go.
INSERT INTO "consents" ("user_id", "kind", "version", "given_at", "given_how")
  SELECT "id", 'terms', '1', "terms_accepted_at", 'before_consents' FROM "users" WHERE "role" = 'learner' AND "terms_accepted_at" IS NOT NULL;--> statement-breakpoint
INSERT INTO "consents" ("user_id", "kind", "version", "given_at", "given_how")
  SELECT "id", 'news', '1', coalesce("terms_accepted_at", "created_at"), 'before_consents' FROM "users" WHERE "role" = 'learner' AND "news_opt_in";--> statement-breakpoint
ALTER TABLE "users" DROP COLUMN "terms_accepted_at";--> statement-breakpoint
ALTER TABLE "users" DROP COLUMN "news_opt_in";