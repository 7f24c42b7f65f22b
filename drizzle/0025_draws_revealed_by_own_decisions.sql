-- SEL-2 (hand-written): 0023 backfilled a draw's revealed_at from every decision event of the
-- applications now in its session, so an application moved in after being decided elsewhere
-- (a change of day, SEL-10; an equivalent session's offer accepted, SEL-7) brought its old
-- session's decision: a seed revealed too early, or for a session never decided. Count only the
-- decisions made in this session: from an undecided status, with no move after them. Only draws
-- no decision has published since (their order is empty) are recomputed; null: not revealed.
UPDATE "selection_draws" AS d SET "revealed_at" = (
  SELECT min(e."at") FROM "application_events" AS e JOIN "applications" AS a ON a."id" = e."application_id"
  WHERE a."session_id" = d."session_id"
    AND e."from_status" IN ('confirmed', 'convoked')
    AND e."to_status" IN ('accepted', 'waiting_list', 'refused')
    AND NOT EXISTS (SELECT 1 FROM "application_events" AS m
      WHERE m."application_id" = e."application_id" AND m."id" <> e."id" AND m."at" >= e."at" AND m."reason" IN ('moved_day', 'moved_level'))
    AND NOT EXISTS (SELECT 1 FROM "offers" AS o
      WHERE o."application_id" = e."application_id" AND o."kind" = 'equivalent' AND o."status" = 'accepted' AND o."answered_at" >= e."at"))
WHERE d."drawn_references" = '{}';
