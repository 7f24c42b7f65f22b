-- Decision 024 (issue 19, point 6): the search document (`session_search`) and the catalogue's
-- version (`catalogue_versions`) are kept by the database, in the transaction of every change to
-- the catalogue's tables, whoever makes it (the import, the record forms, SVC-2's cancellation
-- and change of mode, the seeds, the tests' factories). Written by hand: drizzle cannot express
-- functions or triggers.

-- CAT-4's time of day of a slot, as `timeOfDay` (catalogue.rules.ts) gives it, numbered as
-- `timesOfDay` (1 day, 2 morning, 3 afternoon, 4 evening): the bands do not overlap and cover
-- every slot (a test checks both agree on every quarter of an hour).
CREATE OR REPLACE FUNCTION cursus_time_band(starts time, ends time) RETURNS smallint
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (CASE
    WHEN starts < '12:00' AND ends > '14:00' THEN 1
    WHEN starts < '12:00' THEN 2
    WHEN starts < '18:00' THEN 3
    ELSE 4
  END)::smallint
$$;
--> statement-breakpoint

-- Writes again the documents of these sessions (a session gone has none: its row cascades).
CREATE OR REPLACE FUNCTION cursus_search_refresh(ids integer[]) RETURNS void
  LANGUAGE plpgsql AS $$
BEGIN
  IF ids IS NULL OR cardinality(ids) = 0 THEN RETURN; END IF;
  DELETE FROM session_search WHERE session_id = ANY (ids);
  INSERT INTO session_search (
    session_id, session_code, course_code, title, title_folded, objectives, domain_slug, domain_name,
    school_code, school_name, arrondissement, area, address, postal_code, city, capacity,
    period_code, period_name, applications_open_at, applications_close_at, rhythm, mode, own_mode,
    course_mode, first_meeting, last_meeting, runs_in_school_holidays, cancelled_at, slots, slot_keys,
    level, hourly_volume, full_rate_cents, half_rate_cents, prepares_diploma, has_evaluation, admission_test)
  SELECT
    s.id, s.code, c.code, c.title, c.title_folded, c.objectives, d.slug, d.name,
    sc.code, sc.name, sc.arrondissement, sc.area, sc.address, sc.postal_code, sc.city, s.capacity,
    p.code, p.name, p.applications_open_at, p.applications_close_at, c.rhythm, coalesce(s.mode, c.mode), s.mode,
    c.mode, s.first_meeting, s.last_meeting, s.runs_in_school_holidays, s.cancelled_at,
    coalesce((SELECT jsonb_agg(jsonb_build_object('weekday', sl.weekday, 'startsAt', to_char(sl.starts_at, 'HH24:MI'), 'endsAt', to_char(sl.ends_at, 'HH24:MI'))
                               ORDER BY sl.weekday, sl.starts_at)
              FROM session_slots sl WHERE sl.session_id = s.id), '[]'::jsonb),
    coalesce((SELECT array_agg(DISTINCT k ORDER BY k)
              FROM session_slots sl,
                   LATERAL unnest(ARRAY[sl.weekday * 10 + cursus_time_band(sl.starts_at, sl.ends_at), sl.weekday * 10, 100 + cursus_time_band(sl.starts_at, sl.ends_at)]::smallint[]) AS k
              WHERE sl.session_id = s.id), '{}'::smallint[]),
    c.level, c.hourly_volume, c.full_rate_cents, c.half_rate_cents, c.prepares_diploma, c.has_evaluation, c.admission_test
  FROM course_sessions s
  JOIN courses c ON c.id = s.course_id
  JOIN domains d ON d.id = c.domain_id
  JOIN schools sc ON sc.id = s.school_id
  JOIN registration_periods p ON p.id = s.period_id
  WHERE s.id = ANY (ids);
END
$$;
--> statement-breakpoint

-- One trigger function per table; each runs once per statement, over the rows it changed
-- (transition tables: an import of 20 000 sessions is one refresh, not 20 000).
CREATE OR REPLACE FUNCTION cursus_search_sessions_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM cursus_search_refresh(ARRAY(SELECT id FROM changed));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION cursus_search_slots_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM cursus_search_refresh(ARRAY(SELECT DISTINCT session_id FROM changed));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION cursus_search_courses_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM cursus_search_refresh(ARRAY(SELECT s.id FROM course_sessions s WHERE s.course_id IN (SELECT id FROM changed)));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION cursus_search_schools_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM cursus_search_refresh(ARRAY(SELECT s.id FROM course_sessions s WHERE s.school_id IN (SELECT id FROM changed)));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION cursus_search_periods_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM cursus_search_refresh(ARRAY(SELECT s.id FROM course_sessions s WHERE s.period_id IN (SELECT id FROM changed)));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION cursus_search_domains_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM cursus_search_refresh(ARRAY(SELECT s.id FROM course_sessions s JOIN courses c ON c.id = s.course_id WHERE c.domain_id IN (SELECT id FROM changed)));
  RETURN NULL;
END $$;
--> statement-breakpoint

CREATE TRIGGER session_search_sessions_inserted AFTER INSERT ON course_sessions REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION cursus_search_sessions_changed();
--> statement-breakpoint
CREATE TRIGGER session_search_sessions_updated AFTER UPDATE ON course_sessions REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION cursus_search_sessions_changed();
--> statement-breakpoint
CREATE TRIGGER session_search_slots_inserted AFTER INSERT ON session_slots REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION cursus_search_slots_changed();
--> statement-breakpoint
CREATE TRIGGER session_search_slots_updated_new AFTER UPDATE ON session_slots REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION cursus_search_slots_changed();
--> statement-breakpoint
CREATE TRIGGER session_search_slots_updated_old AFTER UPDATE ON session_slots REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION cursus_search_slots_changed();
--> statement-breakpoint
CREATE TRIGGER session_search_slots_deleted AFTER DELETE ON session_slots REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION cursus_search_slots_changed();
--> statement-breakpoint
CREATE TRIGGER session_search_courses_updated AFTER UPDATE ON courses REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION cursus_search_courses_changed();
--> statement-breakpoint
CREATE TRIGGER session_search_schools_updated AFTER UPDATE ON schools REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION cursus_search_schools_changed();
--> statement-breakpoint
CREATE TRIGGER session_search_periods_updated AFTER UPDATE ON registration_periods REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION cursus_search_periods_changed();
--> statement-breakpoint
CREATE TRIGGER session_search_domains_updated AFTER UPDATE ON domains REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION cursus_search_domains_changed();
--> statement-breakpoint

-- The catalogue's version: raised once per transaction that changed the catalogue, at its commit
-- (a deferred constraint trigger), so the row is held only while the transaction commits and
-- never waits behind a lock the transaction takes later (no deadlock with SVC-2's session lock).
CREATE OR REPLACE FUNCTION cursus_catalogue_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('cursus.catalogue_changed', true), '') <> 'yes' THEN
    PERFORM set_config('cursus.catalogue_changed', 'yes', true);
    UPDATE catalogue_versions SET version = version + 1 WHERE id = 1;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER catalogue_version_domains AFTER INSERT OR UPDATE OR DELETE ON domains DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cursus_catalogue_changed();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER catalogue_version_periods AFTER INSERT OR UPDATE OR DELETE ON registration_periods DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cursus_catalogue_changed();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER catalogue_version_schools AFTER INSERT OR UPDATE OR DELETE ON schools DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cursus_catalogue_changed();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER catalogue_version_courses AFTER INSERT OR UPDATE OR DELETE ON courses DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cursus_catalogue_changed();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER catalogue_version_sessions AFTER INSERT OR UPDATE OR DELETE ON course_sessions DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cursus_catalogue_changed();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER catalogue_version_slots AFTER INSERT OR UPDATE OR DELETE ON session_slots DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cursus_catalogue_changed();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER catalogue_version_holidays AFTER INSERT OR UPDATE OR DELETE ON holidays DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cursus_catalogue_changed();
--> statement-breakpoint

INSERT INTO catalogue_versions (id, version) VALUES (1, 1) ON CONFLICT (id) DO NOTHING;
--> statement-breakpoint
SELECT cursus_search_refresh(ARRAY(SELECT id FROM course_sessions));
