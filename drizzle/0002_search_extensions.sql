-- CAT-3: accent- and case-insensitive search on titles, part of a word matching, done by
-- PostgreSQL with an index (unaccent and pg_trgm ship with PostgreSQL's contrib modules).
CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
-- unaccent() is only STABLE (its dictionary could change); this wrapper names the dictionary so it
-- can be IMMUTABLE and used in an index.
CREATE OR REPLACE FUNCTION cursus_fold(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, value)) $$;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS courses_title_trgm_idx ON courses USING gin (cursus_fold(title) gin_trgm_ops);
