-- pgbench: the least a validation must do (issue 19 point 7's second reference): lock the learner,
-- count their applications toward the cap, update, event, outbox. Run by bench/rush.ts.
\set n random(1, :learners)
SELECT learner_id, application_id FROM bench_learners WHERE n = :n \gset
BEGIN;
SELECT id FROM users WHERE id = :learner_id FOR UPDATE;
SELECT count(*) FROM applications WHERE learner_id = :learner_id AND status IN ('confirmed', 'convoked', 'waiting_list', 'accepted', 'enrolled');
UPDATE applications SET status = 'confirmed', confirmed_at = now(), rules_accepted_at = now() WHERE id = :application_id;
INSERT INTO application_events (application_id, at, actor_id, from_status, to_status) VALUES (:application_id, now(), :learner_id, 'preselected', 'confirmed');
INSERT INTO outbox (to_address, subject, body_text) VALUES ('bench@example.org', 'Votre candidature est enregistrée', 'bench');
COMMIT;
