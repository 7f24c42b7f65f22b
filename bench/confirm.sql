-- pgbench: the database work of one validation (APP-5 under the learner's lock), as the app does
-- it, on one of the bench's learners picked at random. Run by bench/rush.ts.
\set n random(1, :learners)
SELECT learner_id, application_id, session_id FROM bench_learners WHERE n = :n \gset
BEGIN;
SELECT id FROM users WHERE id = :learner_id FOR UPDATE;
SELECT * FROM applications WHERE learner_id = :learner_id ORDER BY created_at;
SELECT s.id, s.code, c.id, c.code, c.title, sc.name, s.first_meeting, s.last_meeting, p.applications_open_at, p.applications_close_at
  FROM course_sessions s JOIN courses c ON c.id = s.course_id JOIN schools sc ON sc.id = s.school_id JOIN registration_periods p ON p.id = s.period_id
  WHERE s.id IN (SELECT session_id FROM applications WHERE learner_id = :learner_id);
SELECT * FROM session_slots WHERE session_id IN (SELECT session_id FROM applications WHERE learner_id = :learner_id);
UPDATE applications SET status = 'confirmed', confirmed_at = now(), rules_accepted_at = now() WHERE id = :application_id;
INSERT INTO application_events (application_id, at, actor_id, from_status, to_status) VALUES (:application_id, now(), :learner_id, 'preselected', 'confirmed');
SELECT email, locale FROM users WHERE id = :learner_id;
INSERT INTO outbox (to_address, subject, body_text) VALUES ('bench@example.org', 'Votre candidature est enregistrée', 'bench');
COMMIT;
