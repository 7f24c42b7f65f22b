-- SVC-2: a session's cancellation no longer turns a preselection (never sent) into an
-- application. Preselections it closed as `session_cancelled` (no confirmed_at) become
-- preselections again, unless the learner has since another live application of the same course
-- (APP-2's unique index): those are deleted (their events and proofs go with them).
UPDATE "applications" AS a SET "status" = 'preselected', "closed_at" = NULL
WHERE a."status" = 'session_cancelled' AND a."confirmed_at" IS NULL
  -- One per learner and course (two cancelled baskets of one course: the latest comes back).
  AND a."id" IN (
    SELECT DISTINCT ON (c."learner_id", c."course_id") c."id" FROM "applications" c
    WHERE c."status" = 'session_cancelled' AND c."confirmed_at" IS NULL
    ORDER BY c."learner_id", c."course_id", c."created_at" DESC, c."id"
  )
  AND NOT EXISTS (
    SELECT 1 FROM "applications" b
    WHERE b."learner_id" = a."learner_id" AND b."course_id" = a."course_id" AND b."id" <> a."id"
      AND b."status" NOT IN ('cancelled', 'refused', 'lack_of_places', 'withdrawn', 'removed', 'excluded', 'session_cancelled', 'enrolled')
  );--> statement-breakpoint
DELETE FROM "application_events" e USING "applications" a
WHERE e."application_id" = a."id" AND a."status" = 'preselected' AND e."to_status" = 'session_cancelled';--> statement-breakpoint
DELETE FROM "applications" WHERE "status" = 'session_cancelled' AND "confirmed_at" IS NULL;
